// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL at a random moment of `kseries rebase` (the 30-patch series of apply-kill carried
 * from v6.1.10 onto a branch whose kmem.c has two lines more at the top: every patch applies
 * at an offset), node and its git children killed together: no cleanup runs. Afterwards
 * either `kseries apply --continue` finishes the rebase, or `--abort` removes every branch,
 * worktree, ref, lock and record kseries made and a rerun of the rebase succeeds; the result
 * is the same series on the new base as an uninterrupted run's.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of kills (default 5, for CI); the documented full
 * run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { join } from 'node:path';
import { recordsOf } from '../../src/lib/apply/state.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { KILL_RUNS, killAfter, randomDelay } from '../helpers/kill.js';
import { kseriesTraces, makeLongSeries, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

const PATCHES = 30;

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());

const traces = (): string[] => kseriesTraces(fx, env, { lockFiles: true });

function assertRebased(wt: string, why: string): void {
  expect(gitSync(wt, ['merge-base', '--is-ancestor', 'offset', 'HEAD']) === '', why).toBe(true);
  expect(gitSync(wt, ['rev-list', '--count', 'offset..HEAD']).trim(), why).toBe(String(PATCHES));
  expect(gitSync(wt, ['status', '--porcelain']), why).toBe('');
  const rec = recordsOf(env.paths, 'k')[0].report;
  expect(rec.status, why).toBe('applied');
  expect(rec.patches.every((p) => p.commit && p.status !== 'conflict'), why).toBe(true);
  expect(rec.head, why).toBe(gitSync(wt, ['rev-parse', 'HEAD']).trim());
}

it(`SIGKILL at a random moment of rebase: --continue or --abort and rebase recover (${KILL_RUNS} runs)`, async () => {
  const dir = makeLongSeries(fx, env.root, PATCHES);
  const wt = join(env.paths.data, 'worktrees', 'k', 'v6.1');
  expect((await runCliAsync(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'v6.1.10'])).code).toBe(0);
  const rebase = ['rebase', '--tree', 'k', '--onto', 'offset', '--from', dir];
  const abort = ['apply', '--tree', 'k', '--series', dir, '--abort'];
  const full = await killAfter(rebase, 600_000);
  expect(full.code).toBe(0);
  assertRebased(wt, 'the full run');
  const tree = gitSync(wt, ['rev-parse', 'HEAD^{tree}']).trim();
  expect((await runCliAsync(abort)).code).toBe(0);
  expect(traces()).toEqual([]);

  const outcomes = { continued: 0, aborted: 0, nothingParked: 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const delay = randomDelay(full.ms);
    const why = `run ${run}, killed after ${delay} ms of ${full.ms}`;
    await killAfter(rebase, delay);
    if (run % 2 === 0) {
      const c = await runCliAsync(['apply', '--tree', 'k', '--series', dir, '--continue']);
      if (c.code === 0) outcomes.continued++;
      else {
        // nothing parked: killed before anything was recorded, or after the rebase was done
        expect(c.code, `${why}: --continue: ${c.stderr}`).toBe(2);
        expect(c.stderr, why).toMatch(/nothing to continue/);
        outcomes.nothingParked++;
        const a = await runCliAsync(abort); // done already, or nothing at all: start over either way
        if (a.code !== 0) expect(a.stderr, `${why}: --abort: ${a.stderr}`).toMatch(/nothing to abort/);
        expect(traces(), why).toEqual([]);
        const again = await runCliAsync(rebase);
        expect(again.code, `${why}: rebase after --continue: ${again.stderr}`).toBe(0);
      }
    } else {
      const a = await runCliAsync(abort);
      if (a.code !== 0) expect(a.stderr, `${why}: --abort: ${a.stderr}`).toMatch(/nothing to abort/);
      outcomes.aborted++;
      expect(traces(), why).toEqual([]);
      const again = await runCliAsync(rebase);
      expect(again.code, `${why}: rebase after --abort: ${again.stderr}`).toBe(0);
    }
    assertRebased(wt, why);
    expect(gitSync(wt, ['rev-parse', 'HEAD^{tree}']).trim(), why).toBe(tree);
    const a = await runCliAsync(abort);
    expect(a.code, `${why}: final --abort: ${a.stderr}`).toBe(0);
    expect(traces(), why).toEqual([]);
  }
  console.log(`rebase: ${KILL_RUNS} kills over ${full.ms} ms: ${outcomes.continued} finished by --continue, ${outcomes.nothingParked} with nothing parked (rerun), ${outcomes.aborted} aborted and rerun`);
}, 120_000 + KILL_RUNS * 60_000);
