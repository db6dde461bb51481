// SPDX-License-Identifier: GPL-2.0-only
import type { ConsoleVerdict } from '../../../src/lib/vm/console.js';
import { judgeBoot, overallStatus } from '../../../src/lib/selftest/judge.js';
import type { KtapJudge } from '../../../src/lib/selftest/ktap-port.js';

const v = (verdict: ConsoleVerdict['verdict'], exitClass: ConsoleVerdict['exitClass'], summary: string = verdict): ConsoleVerdict => ({
  verdict, exitClass, summary, findings: [], userspaceAtSec: 1, reachedInit: true, completed: exitClass === 'ok', lines: 100,
});
const judge = (status: 'pass' | 'fail' | 'skip' | 'no-tests'): KtapJudge => () => ({ status, ok: status === 'pass' || status === 'skip', summary: `1 tests: 1 ${status}`, failures: status === 'fail' ? ['a / b'] : [] });

describe('judgeBoot', () => {
  it.each([
    ['a panic fails the boot whatever the script said', v('panic', 'check', 'panic at line 3'), 0, null, false, null, 'fail', /panic at line 3/],
    ['a test timeout is an error', v('test-timeout', 'infra'), null, null, false, null, 'error', /test-timeout/],
    ['no RESULT marker is an error', v('ok', 'ok'), null, null, false, null, 'error', /never reported/],
    ['exit 0 passes', v('ok', 'ok'), 0, null, false, null, 'pass', /exit 0/],
    ['exit 4 skips', v('ok', 'ok'), 4, null, false, null, 'skip', /skipped/],
    ['exit 1 fails', v('ok', 'ok'), 1, null, false, null, 'fail', /exited with 1/],
    ['KTAP failures fail a boot that exited 0 (run_kselftest.sh always does)', v('ok', 'ok'), 0, 'TAP version 13\n', true, judge('fail'), 'fail', /KTAP: .*failed: a \/ b/],
    ['KTAP pass', v('ok', 'ok'), 0, 'TAP version 13\n', true, judge('pass'), 'pass', /KTAP: 1 tests/],
    ['KTAP all skipped', v('ok', 'ok'), 0, 'TAP version 13\n', true, judge('skip'), 'skip', /KTAP/],
    ['KTAP with no tests fails', v('ok', 'ok'), 0, 'TAP version 13\n', true, judge('no-tests'), 'fail', /no tests ran/],
    ['missing KTAP fails', v('ok', 'ok'), 0, null, true, judge('pass'), 'fail', /no KTAP output/],
    ['missing KTAP with exit 4 skips', v('ok', 'ok'), 4, null, true, judge('pass'), 'skip', /skipped/],
    ['KTAP without a parser is not judged, and says so', v('ok', 'ok'), 0, 'TAP version 13\n', true, null, 'pass', /not judged/],
  ] as const)('%s', (_n, verdict, exit, ktap, wantKtap, j, status, reason) => {
    const r = judgeBoot(verdict, exit, ktap, wantKtap, j);
    expect(r.status).toBe(status);
    expect(r.reason).toMatch(reason);
  });
});

describe('overallStatus', () => {
  it.each([
    [['pass', 'skip'], 'ok'],
    [['pass', 'error'], 'infra'],
    [['error', 'fail', 'not-run'], 'fail'],
    [['error', 'not-run', 'skip'], 'infra'],
    [['pass', 'fail', 'not-run'], 'fail'],
    [[], 'ok'],
  ] as const)('%j → %s', (s, want) => expect(overallStatus(s)).toBe(want));
});
