// SPDX-License-Identifier: GPL-2.0-only
/**
 * The dependency rule of the stage graph (pure): a stage runs only when every stage it
 * needs passed. A failed, erroring or skipped need skips it — so skips propagate down the
 * graph (apply fails → everything after it is skipped) and a stage is never reported PASS
 * on top of one that did not pass.
 */
import type { StageStatus } from '../report/results.js';
import type { PlannedStage, StageId } from './plan.js';

export interface Blocker {
  need: StageId;
  status: StageStatus;
}

/** The first need of STAGE that did not pass, or null when it may run. */
export function blockerOf(stage: Pick<PlannedStage, 'needs'>, done: ReadonlyMap<StageId, StageStatus>): Blocker | null {
  for (const need of stage.needs) {
    const status = done.get(need) ?? 'skip';
    if (status !== 'pass') return { need, status };
  }
  return null;
}

/** "not run: build failed" */
export function skipReason(b: Blocker): string {
  const what = b.status === 'fail' ? 'failed' : b.status === 'error' ? 'could not run' : 'was skipped';
  return `not run: ${b.need} ${what}`;
}

/** Checks that every need names an earlier stage, so running in plan order respects the graph. */
export function assertOrdered(stages: readonly Pick<PlannedStage, 'id' | 'needs'>[]): void {
  const seen = new Set<StageId>();
  for (const s of stages) {
    for (const n of s.needs) if (!seen.has(n)) throw new Error(`stage ${s.id} needs ${n}, which does not come before it`);
    seen.add(s.id);
  }
}
