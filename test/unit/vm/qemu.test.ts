// SPDX-License-Identifier: GPL-2.0-only
import { kernelCommandLine, qemuArgv, validateVmSpec, type PmemSpec, type VmSpec } from '../../../src/lib/vm/qemu.js';

const base: VmSpec = {
  kernel: '/k/bzImage',
  initrd: '/i/initramfs.cpio.gz',
  append: ['kseries.script=/kseries/scenarios/a/b.sh'],
  memMiB: 2048,
  cpus: 2,
  accel: 'tcg',
  pmem: { kind: 'nvdimm', file: '/vm/run/a.img', sizeMiB: 1024, node: 'own', share: true },
  serialLog: '/r/console.log',
  outputLog: '/r/output.log',
};
const opt = (args: string[], name: string) => args.filter((_a, i) => args[i - 1] === name);

describe('qemuArgv', () => {
  it('puts the NVDIMM on its own memory-only NUMA node, file-backed and shared', () => {
    const { cmd, args } = qemuArgv(base);
    expect(cmd).toBe('qemu-system-x86_64');
    expect(opt(args, '-machine')).toEqual(['pc,nvdimm=on']);
    expect(opt(args, '-m')).toEqual(['2048M,slots=2,maxmem=4096M']);
    expect(opt(args, '-numa')).toEqual(['node,nodeid=0,cpus=0-1,memdev=ram0', 'node,nodeid=1']);
    expect(opt(args, '-object')).toEqual(['memory-backend-ram,id=ram0,size=2048M', 'memory-backend-file,id=nvmem0,share=on,mem-path=/vm/run/a.img,size=1024M']);
    expect(opt(args, '-device')).toEqual(['nvdimm,id=nvdimm0,memdev=nvmem0,node=1']);
    expect(args).toEqual(expect.arrayContaining(['-nodefaults', '-nographic', '-no-reboot']));
    expect(opt(args, '-serial')).toEqual(['chardev:con0', 'chardev:out0']);
    expect(opt(args, '-chardev')).toEqual(['file,id=con0,path=/r/console.log', 'file,id=out0,path=/r/output.log']);
  });

  it('shares node 0 with the RAM and CPUs when asked (the node-exclusivity negative test)', () => {
    const { args } = qemuArgv({ ...base, pmem: { kind: 'nvdimm', file: '/i.img', sizeMiB: 512, node: 0, share: true } });
    expect(opt(args, '-numa')).toEqual(['node,nodeid=0,cpus=0-1,memdev=ram0']);
    expect(opt(args, '-device')).toEqual(['nvdimm,id=nvdimm0,memdev=nvmem0,node=0']);
  });

  it('carves legacy memmap pmem out of file-backed RAM', () => {
    const s: VmSpec = { ...base, memMiB: 1024, pmem: { kind: 'memmap', file: '/i.img', sizeMiB: 512, node: 0, share: true } };
    const { args } = qemuArgv(s);
    expect(opt(args, '-machine')).toEqual(['pc,max-ram-below-4g=1024M']);
    expect(opt(args, '-m')).toEqual(['1536M']);
    expect(opt(args, '-object')).toEqual(['memory-backend-file,id=ram0,share=on,mem-path=/i.img,size=1536M']);
    expect(kernelCommandLine(s)).toContain('memmap=512M!4G');
    expect(opt(args, '-numa')).toEqual(['node,nodeid=0,cpus=0-1,memdev=ram0']);
  });

  // The whole argv, per pmem kind: the nvdimm lines are the ones kseries used
  // before virtio-pmem was added, unchanged; memmap puts its pmem above 4 GiB now.
  const argv = (memory: string[], memmap = '') => [
    '-accel', 'tcg', '-cpu', 'max',
    ...memory,
    '-smp', '2',
    '-kernel', '/k/bzImage',
    '-initrd', '/i/initramfs.cpio.gz',
    '-append', `console=ttyS0,115200 panic=-1 oops=panic printk.time=1 rdinit=/init kseries.out=ttyS1 ${memmap}kseries.script=/kseries/scenarios/a/b.sh`,
    '-nodefaults', '-nographic', '-no-reboot',
    '-chardev', 'file,id=con0,path=/r/console.log', '-serial', 'chardev:con0',
    '-chardev', 'file,id=out0,path=/r/output.log', '-serial', 'chardev:out0',
  ];
  it.each([
    ['nvdimm on its own node', { kind: 'nvdimm', file: '/vm/a.img', sizeMiB: 1024, node: 'own', share: true }, argv([
      '-machine', 'pc,nvdimm=on', '-m', '2048M,slots=2,maxmem=4096M',
      '-object', 'memory-backend-ram,id=ram0,size=2048M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0', '-numa', 'node,nodeid=1',
      '-object', 'memory-backend-file,id=nvmem0,share=on,mem-path=/vm/a.img,size=1024M', '-device', 'nvdimm,id=nvdimm0,memdev=nvmem0,node=1',
    ])],
    ['nvdimm on node 0, private', { kind: 'nvdimm', file: '/vm/a.img', sizeMiB: 512, node: 0, share: false }, argv([
      '-machine', 'pc,nvdimm=on', '-m', '2048M,slots=2,maxmem=3072M',
      '-object', 'memory-backend-ram,id=ram0,size=2048M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0',
      '-object', 'memory-backend-file,id=nvmem0,share=off,mem-path=/vm/a.img,size=512M', '-device', 'nvdimm,id=nvdimm0,memdev=nvmem0,node=0',
    ])],
    ['memmap', { kind: 'memmap', file: '/vm/a.img', sizeMiB: 512, node: 0, share: true }, argv([
      '-machine', 'pc,max-ram-below-4g=2048M', '-m', '2560M',
      '-object', 'memory-backend-file,id=ram0,share=on,mem-path=/vm/a.img,size=2560M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0',
    ], 'memmap=512M!4G ')],
    // node 1 is the RAM above 4 GiB, backed by the file alone; memmap= carves exactly it
    ['memmap on its own node', { kind: 'memmap', file: '/vm/a.img', sizeMiB: 512, node: 'own', share: true }, argv([
      '-machine', 'pc,max-ram-below-4g=2048M', '-m', '2560M',
      '-object', 'memory-backend-ram,id=ram0,size=2048M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0',
      '-object', 'memory-backend-file,id=ram1,share=on,mem-path=/vm/a.img,size=512M', '-numa', 'node,nodeid=1,memdev=ram1',
    ], 'memmap=512M!4G ')],
    // the same range and nodes, made soft-reserved memory: hmem's dynamic dax region
    ['soft-reserved on its own node', { kind: 'soft-reserved', file: '/vm/a.img', sizeMiB: 768, node: 'own', share: true }, argv([
      '-machine', 'pc,max-ram-below-4g=2048M', '-m', '2816M',
      '-object', 'memory-backend-ram,id=ram0,size=2048M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0',
      '-object', 'memory-backend-file,id=ram1,share=on,mem-path=/vm/a.img,size=768M', '-numa', 'node,nodeid=1,memdev=ram1',
    ], 'memmap=768M%4G-1+0xefffffff ')],
    ['soft-reserved on node 0', { kind: 'soft-reserved', file: '/vm/a.img', sizeMiB: 256, node: 0, share: true }, argv([
      '-machine', 'pc,max-ram-below-4g=2048M', '-m', '2304M',
      '-object', 'memory-backend-file,id=ram0,share=on,mem-path=/vm/a.img,size=2304M', '-numa', 'node,nodeid=0,cpus=0-1,memdev=ram0',
    ], 'memmap=256M%4G-1+0xefffffff ')],
    ['virtio-pmem', { kind: 'virtio', file: '/vm/a.img', sizeMiB: 256, share: true }, argv([
      '-machine', 'pc', '-m', '2048M,slots=2,maxmem=2560M',
      '-object', 'memory-backend-file,id=vpmem0,share=on,mem-path=/vm/a.img,size=256M', '-device', 'virtio-pmem-pci,memdev=vpmem0,id=vpmem0',
    ])],
    ['virtio-pmem, private, a comma in the path', { kind: 'virtio', file: '/vm/a,b.img', sizeMiB: 1024, share: false }, argv([
      '-machine', 'pc', '-m', '2048M,slots=2,maxmem=4096M',
      '-object', 'memory-backend-file,id=vpmem0,share=off,mem-path=/vm/a,,b.img,size=1024M', '-device', 'virtio-pmem-pci,memdev=vpmem0,id=vpmem0',
    ])],
  ] as Array<[string, PmemSpec, string[]]>)('the exact argv: %s', (_what, pmem, want) => {
    expect(qemuArgv({ ...base, pmem })).toEqual({ cmd: 'qemu-system-x86_64', args: want });
  });

  it('virtio-pmem: no NUMA, no NVDIMM, nothing on the kernel command line', () => {
    const s: VmSpec = { ...base, pmem: { kind: 'virtio', file: '/i.img', sizeMiB: 256, share: true } };
    const { args } = qemuArgv(s);
    expect(args).not.toContain('-numa');
    expect(args.join(' ')).not.toMatch(/nvdimm/);
    expect(kernelCommandLine(s)).toBe(kernelCommandLine({ ...base, pmem: null }));
  });

  it.each([
    ['kvm', ['-accel', 'kvm', '-cpu', 'host']],
    ['tcg', ['-accel', 'tcg', '-cpu', 'max']],
  ] as const)('%s accelerator', (accel, want) => {
    expect(qemuArgv({ ...base, accel }).args.slice(0, 4)).toEqual(want);
  });

  it('makes QEMU exit on a panic and names the init script', () => {
    const line = kernelCommandLine(base);
    expect(line.split(' ')).toEqual([
      'console=ttyS0,115200', 'panic=-1', 'oops=panic', 'printk.time=1', 'rdinit=/init', 'kseries.out=ttyS1', 'kseries.script=/kseries/scenarios/a/b.sh',
    ]);
    expect(kernelCommandLine({ ...base, console: 'ttyS1', outputLog: undefined })).toMatch(/^console=ttyS1 panic=-1/);
  });

  it('doubles commas in paths (QEMU option syntax)', () => {
    const { args } = qemuArgv({ ...base, serialLog: '/r/a,b.log' });
    expect(opt(args, '-chardev')[0]).toBe('file,id=con0,path=/r/a,,b.log');
  });

  it('without pmem: plain RAM, no NUMA', () => {
    const { args } = qemuArgv({ ...base, pmem: null, cpus: 1 });
    expect(opt(args, '-machine')).toEqual(['pc']);
    expect(opt(args, '-m')).toEqual(['2048M']);
    expect(opt(args, '-smp')).toEqual(['1']);
  });

  it.each([
    [{ memMiB: 64 }, /memMiB/],
    [{ cpus: 0 }, /cpus/],
    [{ pmem: { kind: 'nvdimm', file: 'x', sizeMiB: 100, node: 'own', share: true } }, /multiple of 128/],
    [{ pmem: { kind: 'virtio', file: 'x', sizeMiB: 100, share: true } }, /multiple of 128/],
    [{ pmem: { kind: 'virtio', file: 'x', sizeMiB: 0, share: true } }, /multiple of 128/],
    [{ memMiB: 3200, pmem: { kind: 'memmap', file: 'x', sizeMiB: 512, node: 0, share: true } }, /below 3 GiB/],
    [{ memMiB: 4096, pmem: { kind: 'memmap', file: 'x', sizeMiB: 512, node: 'own', share: true } }, /below 3 GiB/],
    [{ memMiB: 4096, pmem: { kind: 'soft-reserved', file: 'x', sizeMiB: 512, node: 'own', share: true } }, /soft-reserved pmem: the RAM must stay below 3 GiB/],
  ] as Array<[Partial<VmSpec>, RegExp]>)('rejects %j', (patch, re) => {
    expect(validateVmSpec({ ...base, ...patch }).join(' ')).toMatch(re);
    expect(() => qemuArgv({ ...base, ...patch })).toThrow(re);
  });
});
