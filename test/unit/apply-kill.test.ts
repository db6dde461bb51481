// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL at a random moment of kseries apply (node and its git children, the whole process
 * group, as a power cut or the OOM killer would): no cleanup runs, so what is left must be a
 * state the next run recognises. Either --continue finishes the series, or --abort removes
 * every branch, worktree, ref and record kseries made and a new apply succeeds.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of kills (default 5, for CI); the documented full
 * run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { join } from 'node:path';
import { recordsOf } from '../../src/lib/apply/state.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { KILL_RUNS, killAfter } from '../helpers/kill.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { kseriesTraces, makeLongSeries, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

const RUNS = KILL_RUNS;
const PATCHES = 30;

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());

const traces = (): string[] => kseriesTraces(fx, env, { lockFiles: false });

function assertApplied(wt: string): void {
  expect(gitSync(wt, ['rev-list', '--count', 'v6.1.10..HEAD']).trim()).toBe(String(PATCHES));
  expect(gitSync(wt, ['status', '--porcelain'])).toBe('');
  const rec = recordsOf(env.paths, 'k')[0].report;
  expect(rec.status).toBe('applied');
  expect(rec.patches.every((p) => p.status === 'clean' && p.commit)).toBe(true);
  expect(rec.head).toBe(gitSync(wt, ['rev-parse', 'HEAD']).trim());
}

it(`SIGKILL at a random moment of apply: --continue or --abort and apply recover (${RUNS} runs)`, async () => {
  const dir = makeLongSeries(fx, env.root, PATCHES);
  const wt = join(env.paths.data, 'worktrees', 'k', 'v6.1');
  expect((await runCliAsync(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'v6.1.10'])).code).toBe(0);
  const apply = ['apply', '--tree', 'k', '--series', dir];
  // one full run: how long apply takes here, and what "applied" is
  const full = await killAfter(apply, 600_000);
  expect(full.code).toBe(0);
  assertApplied(wt);
  const head = gitSync(wt, ['rev-parse', 'HEAD']).trim();
  expect((await runCliAsync([...apply, '--abort'])).code).toBe(0);
  expect(traces()).toEqual([]);

  for (let run = 0; run < RUNS; run++) {
    const delay = Math.floor(Math.random() * full.ms * 1.1);
    const why = `run ${run}, killed after ${delay} ms of ${full.ms}`;
    await killAfter(apply, delay);
    const useAbort = run % 2 === 1;
    if (!useAbort) {
      const c = await runCliAsync(['apply', '--tree', 'k', '--series', dir, '--continue']);
      if (c.code !== 0) {
        // nothing parked: killed before anything was recorded, or after the series was applied
        expect(c.code, `${why}: --continue: ${c.stderr}`).toBe(2);
        expect(c.stderr, why).toMatch(/nothing to continue/);
        const again = await runCliAsync(apply);
        expect(again.code, `${why}: apply after --continue: ${again.stderr}`).toBe(0);
      }
    } else {
      const a = await runCliAsync([...apply, '--abort']);
      if (a.code !== 0) expect(a.stderr, `${why}: --abort: ${a.stderr}`).toMatch(/nothing to abort/);
      expect(traces(), why).toEqual([]);
      const again = await runCliAsync(apply);
      expect(again.code, `${why}: apply after --abort: ${again.stderr}`).toBe(0);
    }
    assertApplied(wt);
    expect(gitSync(wt, ['rev-parse', 'HEAD']).trim(), why).toBe(head);
    const a = await runCliAsync([...apply, '--abort']);
    expect(a.code, `${why}: final --abort: ${a.stderr}`).toBe(0);
    expect(traces(), why).toEqual([]);
  }
}, 120_000 + RUNS * 60_000);
