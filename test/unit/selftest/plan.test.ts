// SPDX-License-Identifier: GPL-2.0-only
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { planSelftest, type SelftestInput } from '../../../src/lib/selftest/plan.js';
import { planCommands, renderPlan } from '../../../src/lib/selftest/render-plan.js';
import { kernelSlowdown, NO_SLOWDOWN, SLOW_KERNEL_APPEND } from '../../../src/lib/selftest/slowdown.js';

const scenario = parseScenario('pp', { memMiB: 1024, cpus: 1, boots: [{ script: 'a.sh', timeoutSec: 30 }, { script: 'b.sh', timeoutSec: 40, pmem: { node: 0 } }] }, ['a.sh', 'b.sh']);
const input = (over: Partial<SelftestInput> = {}): SelftestInput => ({
  tree: 'k61', srcDir: '/src', buildDir: '/build', kernel: '/build/arch/x86/boot/bzImage',
  scenarios: [{ scenario, dir: '/repo/ci/scenarios/pp' }], kselftestTargets: [], accel: 'auto', timeoutSec: null,
  resultsDir: '/res', imageDir: '/cache/vm/run1', bootTimeoutSec: 60, kernelRelease: '6.1.192', slowdown: NO_SLOWDOWN, ...over,
});

describe('planSelftest', () => {
  it('one backing file per scenario, per-boot logs, deadlines = boot + script time', () => {
    const p = planSelftest(input());
    expect(p.scenarios[0]).toMatchObject({ name: 'pp', image: '/cache/vm/run1/pp.img', imageMiB: 1024, reuseImage: false });
    const [b1, b2] = p.scenarios[0].boots;
    expect(b1).toMatchObject({ name: 'pp:boot1', timeoutMs: 90_000, dir: '/res/pp/boot1' });
    expect(b1.vm).toMatchObject({
      kernel: '/build/arch/x86/boot/bzImage', memMiB: 1024, cpus: 1, serialLog: '/res/pp/boot1/console.log', outputLog: '/res/pp/boot1/output.log',
      append: ['kseries.script=/kseries/scenarios/pp/a.sh', 'kseries.name=pp:boot1'],
      pmem: { kind: 'nvdimm', file: '/cache/vm/run1/pp.img', sizeMiB: 1024, node: 'own', share: true },
    });
    expect(b2.vm.pmem).toMatchObject({ node: 0, file: '/cache/vm/run1/pp.img' });
    expect(b2.timeoutMs).toBe(100_000);
  });

  it('a debug kernel: deadlines × its factor (not an explicit --timeout), the factor and the detectors\' thresholds on the command line', () => {
    const slowdown = kernelSlowdown('CONFIG_KASAN=y\n');
    const [b1, b2] = planSelftest(input({ slowdown })).scenarios[0].boots;
    expect(b1.timeoutMs).toBe((30 + 60) * 4 * 1000);
    expect(b2.timeoutMs).toBe((40 + 60) * 4 * 1000);
    expect(b1.vm.append).toEqual(['kseries.script=/kseries/scenarios/pp/a.sh', 'kseries.name=pp:boot1', 'kseries.time_factor=4', ...SLOW_KERNEL_APPEND]);
    expect(planSelftest(input({ slowdown, timeoutSec: 100 })).scenarios[0].boots[0].timeoutMs).toBe((100 + 60 * 4) * 1000);
    expect(renderPlan(planSelftest(input({ slowdown })))).toContain("debug kernel (KASAN): deadlines and the scenarios' clocks ×4");
  });

  // A multi-boot virtio-pmem scenario: one image (the device's size, as for nvdimm) kept
  // across the boots, share honoured per boot, and the exact QEMU line of the dry run.
  const virtio = parseScenario('vp', {
    memMiB: 1024, cpus: 1, pmem: { kind: 'virtio', sizeMiB: 256 },
    boots: [{ script: 'a.sh', timeoutSec: 30 }, { script: 'b.sh', timeoutSec: 30, pmem: { share: false } }, { script: 'a.sh', timeoutSec: 30, pmem: { kind: 'nvdimm' } }],
  }, ['a.sh', 'b.sh']);
  const vpInput = input({ scenarios: [{ scenario: virtio, dir: '/repo/ci/scenarios/vp' }] });
  const vpLine = (boot: number, share: 'on' | 'off', script: string) =>
    'qemu-system-x86_64 -accel tcg -cpu max -machine pc -m 1024M,slots=2,maxmem=1536M ' +
    `-object memory-backend-file,id=vpmem0,share=${share},mem-path=/cache/vm/run1/vp.img,size=256M -device virtio-pmem-pci,memdev=vpmem0,id=vpmem0 ` +
    "-smp 1 -kernel /build/arch/x86/boot/bzImage -initrd '$INITRAMFS' " +
    `-append 'console=ttyS0,115200 panic=-1 oops=panic printk.time=1 rdinit=/init kseries.out=ttyS1 kseries.script=/kseries/scenarios/vp/${script} kseries.name=vp:boot${boot}' ` +
    '-nodefaults -nographic -no-reboot ' +
    `-chardev file,id=con0,path=/res/vp/boot${boot}/console.log -serial chardev:con0 -chardev file,id=out0,path=/res/vp/boot${boot}/output.log -serial chardev:out0`;

  it.each([
    // [scenario pmem, imageMiB]: the image is the device for nvdimm, virtio and memmap on its own node, RAM + pmem for memmap on node 0
    [{ kind: 'virtio', sizeMiB: 256 }, 256],
    [{ kind: 'nvdimm', sizeMiB: 256 }, 256],
    [{ kind: 'memmap', sizeMiB: 256 }, 1280],
    [{ kind: 'memmap', sizeMiB: 256, node: 'own' }, 256],
    [{ kind: 'soft-reserved', sizeMiB: 256 }, 1280],
    [{ kind: 'soft-reserved', sizeMiB: 768, node: 'own' }, 768],
    [null, 0],
  ])('pmem %j: a backing file of %i MiB', (pmem, imageMiB) => {
    const sc = parseScenario('vp', { memMiB: 1024, pmem, boots: [{ script: 'a.sh' }] }, ['a.sh']);
    const p = planSelftest(input({ scenarios: [{ scenario: sc, dir: '/d' }] }));
    expect(p.scenarios[0]).toMatchObject({ image: pmem ? '/cache/vm/run1/vp.img' : null, imageMiB });
  });

  it('virtio-pmem: every boot on the scenario\'s one image, share honoured, a boot may switch kind', () => {
    const p = planSelftest(vpInput);
    expect(p.scenarios[0]).toMatchObject({ image: '/cache/vm/run1/vp.img', imageMiB: 256 });
    expect(p.scenarios[0].boots.map((b) => b.vm.pmem)).toEqual([
      { kind: 'virtio', file: '/cache/vm/run1/vp.img', sizeMiB: 256, share: true },
      { kind: 'virtio', file: '/cache/vm/run1/vp.img', sizeMiB: 256, share: false },
      { kind: 'nvdimm', file: '/cache/vm/run1/vp.img', sizeMiB: 256, node: 'own', share: true },
    ]);
  });

  it('virtio-pmem: the dry run prints the exact, reproducible QEMU line', () => {
    const c = planCommands(planSelftest(vpInput));
    expect(c.boots.slice(0, 2)).toEqual([
      { name: 'vp:boot1', timeoutSec: 90, command: vpLine(1, 'on', 'a.sh') },
      { name: 'vp:boot2', timeoutSec: 90, command: vpLine(2, 'off', 'b.sh') },
    ]);
    expect(c.boots[2].command).toMatch(/ -machine pc,nvdimm=on .* -device nvdimm,id=nvdimm0,memdev=nvmem0,node=1 /);
    const text = renderPlan(planSelftest(vpInput));
    expect(text).toContain(`# scenario vp: backing file /cache/vm/run1/vp.img (256 MiB, sparse, fresh)\n# vp:boot1 (deadline 90 s)\n${vpLine(1, 'on', 'a.sh')}\n`);
  });

  it('--timeout overrides every boot', () => {
    expect(planSelftest(input({ timeoutSec: 10 })).scenarios[0].boots.map((b) => b.timeoutMs)).toEqual([70_000, 70_000]);
  });

  it('prepares modules.builtin always, and kselftests outside the source tree when asked, all in the build directory', () => {
    const p = planSelftest(input({ kselftestTargets: ['vm', 'memory-hotplug'] }));
    const c = planCommands(p).prepare;
    expect(c).toEqual([
      'make -C /src O=/build INSTALL_MOD_PATH=/build/kseries-guest/modules modules_install',
      'make -C /src O=/build headers',
      "make -C /src/tools/testing/selftests -j2 O=/build/kseries-guest/kselftest/build 'KHDR_INCLUDES=-isystem /build/usr/include' 'TARGETS=vm memory-hotplug' FORCE_TARGETS=1 INSTALL_PATH=/build/kseries-guest/kselftest/vm+memory-hotplug install",
    ]);
    expect(p.prepare.map((s) => [s.name, s.stamp])).toEqual([
      ['modules', '/build/kseries-guest/stamps/modules.json'],
      ['headers', '/build/kseries-guest/stamps/headers.json'],
      ['kselftest:vm+memory-hotplug', '/build/kseries-guest/stamps/kselftest_vm+memory-hotplug.json'],
    ]);
    // what each step's output depends on: the build's module lists, the uapi headers, the kselftests' sources and the headers they compile against
    expect(p.prepare[0].inputs.moduleList).toEqual({ file: '/build/modules.order', base: '/build' });
    expect(p.prepare[1].inputs.trees).toContain('/src/include/uapi');
    expect(p.prepare[2].inputs.trees).toEqual(expect.arrayContaining(['/src/tools/testing/selftests/vm', '/src/tools/testing/selftests/memory-hotplug', '/build/usr/include']));
    expect(p.modulesDir).toBe('/build/kseries-guest/modules/lib/modules/6.1.192');
    expect(p.kselftestDir).toBe('/build/kseries-guest/kselftest/vm+memory-hotplug');
    // the kselftests start from empty directories whenever their inputs changed (lib.mk's rules know only the .c files)
    expect(p.prepare[2].fresh).toEqual(['/build/kseries-guest/kselftest/build', '/build/kseries-guest/kselftest/vm+memory-hotplug']);
    expect(p.prepare[2].inputs.referencedFrom).toEqual({ dirs: ['/src/tools/testing/selftests/vm', '/src/tools/testing/selftests/memory-hotplug'], top: '/src' });
    expect(p.prepare[0].fresh).toEqual([]);
    expect(renderPlan(p)).toContain('# prepare (each only when its inputs changed since its last run on this build directory)');
  });

  it('without a kernel release: no modules_install', () => {
    const p = planSelftest(input({ kernelRelease: null }));
    expect(p.prepare).toEqual([]);
    expect(p.modulesDir).toBeNull();
  });

  it('renders the dry run with the QEMU lines', () => {
    const text = renderPlan(planSelftest(input()));
    expect(text).toMatch(/accelerator: auto/);
    expect(text).toMatch(/# pp:boot1 \(deadline 90 s\)\nqemu-system-x86_64 -accel tcg -cpu max .* -initrd '\$INITRAMFS' /);
    expect(text).toMatch(/backing file \/cache\/vm\/run1\/pp\.img \(1024 MiB, sparse, fresh\)/);
  });
});
