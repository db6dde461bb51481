// SPDX-License-Identifier: GPL-2.0-only
/**
 * One boot's result from what the executor saw (pure): the console verdict first (a
 * panic or a hang is never hidden by a script that says "ok"), then the script's exit
 * status (0 pass, 4 skip as in kselftest, else fail), then its KTAP when it has some.
 */
import type { ConsoleVerdict } from '../vm/console.js';
import type { KtapJudge, KtapJudgement } from './ktap-port.js';

export type BootStatus = 'pass' | 'fail' | 'skip' | 'error' | 'not-run';

export interface BootJudgement {
  status: BootStatus;
  reason: string;
  ktap: KtapJudgement | null;
}

export const KSFT_SKIP = 4;

export function judgeBoot(v: ConsoleVerdict, scriptExit: number | null, ktap: string | null, wantKtap: boolean, judge: KtapJudge | null): BootJudgement {
  if (v.exitClass === 'infra') return { status: 'error', reason: v.summary, ktap: null };
  if (v.exitClass === 'check') return { status: 'fail', reason: v.summary, ktap: null };
  if (scriptExit === null) return { status: 'error', reason: 'the script never reported its exit status (no KSERIES-RESULT marker)', ktap: null };
  let k: KtapJudgement | null = null;
  if (wantKtap) {
    if (!ktap) {
      if (scriptExit === KSFT_SKIP) return { status: 'skip', reason: 'the script skipped (exit 4) without KTAP output', ktap: null };
      return { status: 'fail', reason: `no KTAP output (script exit ${scriptExit})`, ktap: null };
    }
    if (judge) {
      k = judge(ktap);
      if (k.status === 'no-tests') return { status: 'fail', reason: `KTAP: no tests ran (${k.summary})`, ktap: k };
      if (!k.ok) return { status: 'fail', reason: `KTAP: ${k.summary}${k.failures.length ? ` (failed: ${k.failures.join(', ')})` : ''}`, ktap: k };
    }
  }
  if (scriptExit === KSFT_SKIP) return { status: 'skip', reason: 'the script skipped (exit 4)', ktap: k };
  if (scriptExit !== 0) return { status: 'fail', reason: `the script exited with ${scriptExit}`, ktap: k };
  if (k?.status === 'skip') return { status: 'skip', reason: `KTAP: ${k.summary}`, ktap: k };
  return { status: 'pass', reason: k ? `KTAP: ${k.summary}` : wantKtap ? 'exit 0 (KTAP not judged: no KTAP parser)' : 'exit 0', ktap: k };
}

/**
 * 1 when anything failed (a panic, an oops, a failing test: a definite failure is never
 * masked); else 3 when anything could not be judged (a VM that never printed, a deadline);
 * else 0. As results.json's `overall` (src/lib/report/SCHEMA.md): fail beats error.
 */
export function overallStatus(statuses: readonly BootStatus[]): 'ok' | 'fail' | 'infra' {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('error')) return 'infra';
  return 'ok';
}
