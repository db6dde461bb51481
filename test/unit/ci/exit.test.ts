// SPDX-License-Identifier: GPL-2.0-only
/** The exit-code rule of a run over several trees: a failure is never masked. */
import { exitCodeOf, overallOfTrees, verdictOf } from '../../../src/lib/ci/exit.js';
import type { StageStatus } from '../../../src/lib/report/results.js';

const trees = (...t: StageStatus[][]) => t.map((stages) => ({ stages: stages.map((status) => ({ status })) }));

describe('exit code of a ci run', () => {
  it.each([
    ['everything passed', trees(['pass', 'pass'], ['pass']), 'pass', 0],
    ['skips alone do not fail', trees(['pass', 'skip']), 'pass', 0],
    ['a check failed', trees(['pass', 'fail', 'skip']), 'fail', 1],
    ['an infrastructure problem and nothing failed', trees(['pass', 'error', 'skip']), 'error', 3],
    ['a failure on one tree, an infrastructure error on another: the failure wins', trees(['pass', 'error'], ['fail', 'skip']), 'fail', 1],
    ['…in either order', trees(['fail'], ['error']), 'fail', 1],
    ['nothing ran', trees([]), 'skip', 0],
  ] as const)('%s', (_what, t, overall, code) => {
    expect(overallOfTrees(t)).toBe(overall);
    expect(exitCodeOf(overallOfTrees(t))).toBe(code);
  });

  it('maps to the base command verdicts', () => {
    expect(['pass', 'skip', 'fail', 'error'].map((s) => verdictOf(s as StageStatus))).toEqual(['ok', 'ok', 'fail', 'infra']);
  });
});
