// SPDX-License-Identifier: GPL-2.0-only
/**
 * The exit code of a run over several trees (pure). Every stage of every tree counts:
 *
 *   1  when anything failed (a conflict, a dropped symbol, a build error, a checkpatch
 *      error, a failing test, a panic) — even if another tree had an infrastructure problem:
 *      a definite failure is never masked;
 *   3  when nothing failed but something could not run (a missing tool, a VM that never
 *      printed, a deadline);
 *   0  otherwise (skipped stages do not count).
 */
import { EXIT } from '../errors.js';
import { overallOf, type StageResult, type StageStatus } from '../report/results.js';

export function overallOfTrees(trees: ReadonlyArray<{ stages: readonly Pick<StageResult, 'status'>[] }>): StageStatus {
  return overallOf(trees.flatMap((t) => t.stages));
}

export function exitCodeOf(overall: StageStatus): number {
  return overall === 'fail' ? EXIT.check : overall === 'error' ? EXIT.infra : EXIT.ok;
}

/** The base command's verdict for an overall status. */
export const verdictOf = (overall: StageStatus): 'ok' | 'fail' | 'infra' => (overall === 'fail' ? 'fail' : overall === 'error' ? 'infra' : 'ok');
