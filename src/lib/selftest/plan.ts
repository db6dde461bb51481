// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries selftest` planned as data (pure): which kernel, which scenarios and boots,
 * where every log and image goes, and the commands that prepare the guest's files.
 * The executor (execute.ts) runs it; --dry-run prints it.
 */
import { join } from 'node:path';
import type { Scenario, ScenarioBoot } from '../scenario/scenario.js';
import type { Accel } from '../vm/accel.js';
import { GUEST } from '../vm/initramfs-plan.js';
import { INIT_PARAMS } from '../vm/init-script.js';
import { carvedFromRam, type PmemSpec, type VmSpec } from '../vm/qemu.js';
import type { Slowdown } from './slowdown.js';
import { planGuestFiles, type PrepareStep } from './guest-files.js';

export interface SelftestInput {
  tree: string;
  srcDir: string;
  buildDir: string;
  kernel: string;
  scenarios: Array<{ scenario: Scenario; dir: string }>;
  kselftestTargets: string[];
  accel: Accel | 'auto';
  /** Overrides every boot's timeoutSec. */
  timeoutSec: number | null;
  resultsDir: string;
  /** <cache>/vm/<run-id>: the backing files of this run. */
  imageDir: string;
  /** Added to each boot's deadline for the kernel to reach userspace. */
  bootTimeoutSec: number;
  /** include/config/kernel.release of the build dir; null skips modules_install. */
  kernelRelease: string | null;
  /** A debug kernel's: multiplies deadlines, tells the guest, relaxes the lockup detectors. */
  slowdown: Slowdown;
  qemu?: string;
}

export interface PlannedBoot {
  scenario: string;
  index: number;
  script: string;
  /** "pmem-persistence:boot1" */
  name: string;
  timeoutMs: number;
  ktap: boolean;
  dir: string;
  /** accel is decided at run time for "auto"; initrd once the initramfs is built. */
  vm: Omit<VmSpec, 'accel' | 'initrd'>;
}

export interface PlannedScenario {
  name: string;
  description: string;
  image: string | null;
  reuseImage: boolean;
  /** Image size to create, MiB (nvdimm, virtio, memmap or soft-reserved on its own node: the pmem size; on node 0: RAM + pmem). */
  imageMiB: number;
  boots: PlannedBoot[];
}

export interface SelftestPlan {
  tree: string;
  kernel: string;
  buildDir: string;
  srcDir: string;
  accel: Accel | 'auto';
  slowdown: Slowdown;
  resultsDir: string;
  commandLog: string;
  /** Each runs only when its inputs changed since its last run on this build directory. */
  prepare: PrepareStep[];
  /** <INSTALL_MOD_PATH>/lib/modules/<release>, or null without a kernel release. */
  modulesDir: string | null;
  kselftestDir: string | null;
  scenarioDirs: Array<{ name: string; dir: string }>;
  scenarios: PlannedScenario[];
}

export const bootName = (scenario: string, b: ScenarioBoot) => `${scenario}:boot${b.index}`;

function pmemSpec(p: ScenarioBoot['pmem'], image: string): PmemSpec | null {
  if (!p) return null;
  return p.kind === 'virtio' ? { kind: p.kind, file: image, sizeMiB: p.sizeMiB, share: p.share } : { kind: p.kind, file: image, sizeMiB: p.sizeMiB, node: p.node, share: p.share };
}

export function planSelftest(i: SelftestInput): SelftestPlan {
  const guest = planGuestFiles(i.srcDir, i.buildDir, i.kernelRelease, i.kselftestTargets);
  const f = i.slowdown.factor;
  const slow = f > 1 ? [`${INIT_PARAMS.timeFactor}=${f}`, ...i.slowdown.append] : [];
  const scenarios = i.scenarios.map(({ scenario: s }): PlannedScenario => {
    const image = s.boots.some((b) => b.pmem) ? join(i.imageDir, `${s.name}.img`) : null;
    const imageMiB = Math.max(0, ...s.boots.map((b) => (b.pmem ? (carvedFromRam(b.pmem) && b.pmem.node === 0 ? s.memMiB + b.pmem.sizeMiB : b.pmem.sizeMiB) : 0)));
    return {
      name: s.name,
      description: s.description,
      image,
      reuseImage: s.reuseImage,
      imageMiB,
      boots: s.boots.map((b): PlannedBoot => {
        const dir = join(i.resultsDir, s.name, `boot${b.index}`);
        const name = bootName(s.name, b);
        return {
          scenario: s.name,
          index: b.index,
          script: b.script,
          name,
          timeoutMs: ((i.timeoutSec ?? b.timeoutSec * f) + i.bootTimeoutSec * f) * 1000,
          ktap: b.ktap,
          dir,
          vm: {
            qemu: i.qemu,
            kernel: i.kernel,
            append: [`${INIT_PARAMS.script}=${GUEST.scenarioDir(s.name)}/${b.script}`, `${INIT_PARAMS.name}=${name}`, ...slow, ...b.append],
            memMiB: s.memMiB,
            cpus: s.cpus,
            pmem: image ? pmemSpec(b.pmem, image) : null,
            serialLog: join(dir, 'console.log'),
            outputLog: join(dir, 'output.log'),
          },
        };
      }),
    };
  });
  return {
    tree: i.tree,
    kernel: i.kernel,
    buildDir: i.buildDir,
    srcDir: i.srcDir,
    accel: i.accel,
    slowdown: i.slowdown,
    resultsDir: i.resultsDir,
    commandLog: join(i.resultsDir, 'commands.log'),
    prepare: guest.steps,
    modulesDir: guest.modulesDir,
    kselftestDir: guest.kselftestDir,
    scenarioDirs: i.scenarios.map(({ scenario, dir }) => ({ name: scenario.name, dir })),
    scenarios,
  };
}
