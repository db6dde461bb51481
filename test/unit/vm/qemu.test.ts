// SPDX-License-Identifier: GPL-2.0-only
import { kernelCommandLine, qemuArgv, validateVmSpec, type VmSpec } from '../../../src/lib/vm/qemu.js';

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
    const s: VmSpec = { ...base, memMiB: 1024, pmem: { kind: 'memmap', file: '/i.img', sizeMiB: 512, share: true } };
    const { args } = qemuArgv(s);
    expect(opt(args, '-machine')).toEqual(['pc,memory-backend=ram0']);
    expect(opt(args, '-m')).toEqual(['1536M']);
    expect(opt(args, '-object')).toEqual(['memory-backend-file,id=ram0,share=on,mem-path=/i.img,size=1536M']);
    expect(kernelCommandLine(s)).toContain('memmap=512M!1024M');
    expect(args).not.toContain('-numa');
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
    [{ memMiB: 2048, pmem: { kind: 'memmap', file: 'x', sizeMiB: 2048, share: true } }, /below 3 GiB/],
  ] as Array<[Partial<VmSpec>, RegExp]>)('rejects %j', (patch, re) => {
    expect(validateVmSpec({ ...base, ...patch }).join(' ')).toMatch(re);
    expect(() => qemuArgv({ ...base, ...patch })).toThrow(re);
  });
});
