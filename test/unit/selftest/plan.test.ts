// SPDX-License-Identifier: GPL-2.0-only
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { planSelftest, type SelftestInput } from '../../../src/lib/selftest/plan.js';
import { planCommands, renderPlan } from '../../../src/lib/selftest/render-plan.js';

const scenario = parseScenario('pp', { memMiB: 1024, cpus: 1, boots: [{ script: 'a.sh', timeoutSec: 30 }, { script: 'b.sh', timeoutSec: 40, pmem: { node: 0 } }] }, ['a.sh', 'b.sh']);
const input = (over: Partial<SelftestInput> = {}): SelftestInput => ({
  tree: 'k61', srcDir: '/src', buildDir: '/build', kernel: '/build/arch/x86/boot/bzImage',
  scenarios: [{ scenario, dir: '/repo/ci/scenarios/pp' }], kselftestTargets: [], accel: 'auto', timeoutSec: null,
  resultsDir: '/res', imageDir: '/cache/vm/run1', bootTimeoutSec: 60, kernelRelease: '6.1.192', ...over,
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

  it('--timeout overrides every boot', () => {
    expect(planSelftest(input({ timeoutSec: 10 })).scenarios[0].boots.map((b) => b.timeoutMs)).toEqual([70_000, 70_000]);
  });

  it('prepares modules.builtin always, and kselftests outside the source tree when asked', () => {
    const p = planSelftest(input({ kselftestTargets: ['memory-hotplug', 'vm'] }));
    const c = planCommands(p).prepare;
    expect(c).toEqual([
      'make -C /src O=/build INSTALL_MOD_PATH=/res/modules modules_install',
      'make -C /src O=/build headers',
      "make -C /src/tools/testing/selftests -j2 O=/res/kselftest/build 'KHDR_INCLUDES=-isystem /build/usr/include' 'TARGETS=memory-hotplug vm' INSTALL_PATH=/res/kselftest/install install",
    ]);
    expect(p.modulesDir).toBe('/res/modules/lib/modules/6.1.192');
    expect(p.kselftestDir).toBe('/res/kselftest/install');
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
