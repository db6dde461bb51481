// SPDX-License-Identifier: GPL-2.0-only
/** --dry-run: the plan as the command lines that would run. */
import { describe } from '../exec/runner.js';
import { qemuArgv } from '../vm/qemu.js';
import type { SelftestPlan } from './plan.js';
import { describeSlowdown } from './slowdown.js';

export const INITRD_PLACEHOLDER = '$INITRAMFS';

export function planCommands(plan: SelftestPlan): { prepare: string[]; boots: Array<{ name: string; timeoutSec: number; command: string }> } {
  const accel = plan.accel === 'auto' ? 'tcg' : plan.accel;
  return {
    prepare: plan.prepare.map((s) => describe(s.spec)),
    boots: plan.scenarios.flatMap((s) =>
      s.boots.map((b) => ({ name: b.name, timeoutSec: b.timeoutMs / 1000, command: describe(qemuArgv({ ...b.vm, accel, initrd: INITRD_PLACEHOLDER })) })),
    ),
  };
}

export function renderPlan(plan: SelftestPlan): string {
  const c = planCommands(plan);
  const lines = [
    `tree ${plan.tree}: kernel ${plan.kernel}`,
    `results: ${plan.resultsDir}`,
    plan.accel === 'auto' ? 'accelerator: auto (KVM when the probe says it really works, else TCG; shown with TCG)' : `accelerator: ${plan.accel}`,
    ...[describeSlowdown(plan.slowdown)].filter((l): l is string => l !== null),
    '',
    '# prepare (each only when its inputs changed since its last run on this build directory)',
    ...c.prepare,
    `# initramfs (${INITRD_PLACEHOLDER}): busybox, ndctl, daxctl, bash, timeout, ${plan.modulesDir ?? 'no modules.builtin'}, ${plan.kselftestDir ?? 'no kselftests'}, scenarios ${plan.scenarioDirs.map((s) => s.name).join(', ')}`,
  ];
  for (const s of plan.scenarios) {
    lines.push('', `# scenario ${s.name}${s.image ? `: backing file ${s.image} (${s.imageMiB} MiB, sparse, ${s.reuseImage ? 'reused' : 'fresh'})` : ''}`);
    for (const b of c.boots.filter((x) => x.name.startsWith(`${s.name}:`))) lines.push(`# ${b.name} (deadline ${b.timeoutSec} s)`, b.command);
  }
  return lines.join('\n');
}
