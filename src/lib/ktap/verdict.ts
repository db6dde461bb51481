// SPDX-License-Identifier: GPL-2.0-only
/**
 * What a KTAP tree means: counts, a parent's status from its subtests, and the verdict.
 * The verdict is read from the tree, never from the runner's exit status
 * (run_kselftest.sh exits 0 even when tests fail).
 */
import type { KtapCounts, KtapResult, KtapStatus, KtapTest } from './types.js';

export type { KtapCounts } from './types.js';


const SEVERITY: Record<KtapStatus, number> = { skip: 0, todo: 1, pass: 2, error: 3, fail: 4, crashed: 5 };

export const isFailing = (s: KtapStatus) => s === 'fail' || s === 'crashed' || s === 'error';

export const worse = (a: KtapStatus, b: KtapStatus): KtapStatus => (SEVERITY[b] > SEVERITY[a] ? b : a);

/**
 * The status a group of tests adds up to: the worst failure if any, else pass if anything
 * passed, else todo, else skip (all skipped). Null for no tests.
 */
export function deriveStatus(tests: readonly KtapTest[]): KtapStatus | null {
  if (!tests.length) return null;
  let failing: KtapStatus | null = null;
  for (const t of tests) if (isFailing(t.status)) failing = failing ? worse(failing, t.status) : t.status;
  if (failing) return failing;
  if (tests.some((t) => t.status === 'pass')) return 'pass';
  if (tests.some((t) => t.status === 'todo')) return 'todo';
  return 'skip';
}

const zero = (): KtapCounts => ({ pass: 0, fail: 0, skip: 0, todo: 0, crashed: 0, error: 0, total: 0 });

function tally(t: KtapTest, c: KtapCounts): void {
  if (!t.subtests.length) {
    c[t.status]++;
    c.total++;
    return;
  }
  for (const s of t.subtests) tally(s, c);
  // A test that failed by itself (non-zero exit, no result line) while all its subtests
  // were fine counts once, so that "nothing failed" is never reported for it.
  const below = deriveStatus(t.subtests);
  if (isFailing(t.status) && !(below && isFailing(below))) {
    c[t.status]++;
    c.total++;
  }
}

/** Counts the test cases below `root`: leaves, plus parents that failed on their own. */
export function countTests(root: KtapTest): KtapCounts {
  const c = zero();
  for (const s of root.subtests) tally(s, c);
  return c;
}

export type KtapVerdictStatus = 'pass' | 'fail' | 'skip' | 'no-tests';

export interface KtapVerdict {
  status: KtapVerdictStatus;
  /** True for pass and skip. */
  ok: boolean;
  /** Paths of the failed, crashed and errored tests (at most `limit`). */
  failures: string[];
  summary: string;
}

function failedPaths(t: KtapTest, path: string[], out: string[]): void {
  for (const s of t.subtests) {
    const here = [...path, s.name || `#${s.number}`];
    if (!isFailing(s.status)) continue;
    const before = out.length;
    failedPaths(s, here, out);
    if (out.length === before) out.push(`${here.join(' / ')} (${s.status})`);
  }
}

export function formatCounts(c: KtapCounts): string {
  const parts = (['pass', 'fail', 'crashed', 'error', 'skip', 'todo'] as const).filter((k) => c[k] > 0).map((k) => `${c[k]} ${k}`);
  return `${c.total} tests${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** Failed if anything failed, crashed or errored; no-tests when nothing ran. */
export function verdict(r: KtapResult, limit = 20): KtapVerdict {
  const c = r.counts;
  const failures: string[] = [];
  failedPaths(r.root, [], failures);
  const failing = c.fail + c.crashed + c.error > 0 || (isFailing(r.root.status) && r.root.subtests.length > 0);
  let status: KtapVerdictStatus;
  if (!r.found || c.total === 0) status = failing ? 'fail' : r.found && r.root.status === 'skip' ? 'skip' : 'no-tests';
  else if (failing) status = 'fail';
  else if (c.pass + c.todo === 0) status = 'skip';
  else status = 'pass';
  const summary = !r.found ? 'no KTAP/TAP output found' : formatCounts(c);
  return { status, ok: status === 'pass' || status === 'skip', failures: failures.slice(0, limit), summary };
}
