// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL at a random moment of `kseries build` and `kseries build --each-commit` on the
 * fixture tree (test/helpers/fake-kbuild.ts: a tiny kbuild look-alike built with the real
 * gcc), node, git, make and gcc killed together: no cleanup runs. A rerun of the same command
 * then succeeds with the same result as an uninterrupted run, and nothing kseries made is
 * left behind in the tree's repository or the state: no lock file (tree, build directory,
 * worktree), no git lock file, no branch or ref, no worktree but the build-commits one that
 * --each-commit keeps on purpose (whole: not locked, not prunable), the user's checkout
 * untouched.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of kills (default 5, for CI); the documented full
 * run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { runCliAsync } from '../../helpers/cli-async.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { KILL_RUNS, killAfter, randomDelay } from '../../helpers/kill.js';
import { buildFixture, type BuildFixture } from '../../helpers/kill-fixtures.js';

let env: IsolatedEnv;
let fx: BuildFixture;
beforeEach(() => {
  env = isolate();
  fx = buildFixture(env);
});
afterEach(() => env.cleanup());

it(`SIGKILL at a random moment of build and build --each-commit: the rerun succeeds alike, nothing is left behind (${KILL_RUNS} runs)`, async () => {
  const { args, r, traces, outcome } = fx;
  const full: Record<string, { ms: number; outcome: unknown }> = {};
  for (const mode of ['build', 'each-commit'] as const) {
    const t0 = Date.now();
    const run = await runCliAsync([...args[mode]]);
    expect(run.code, run.stderr).toBe(0);
    full[mode] = { ms: Date.now() - t0, outcome: outcome(mode, run.stdout) };
    expect(traces(), mode).toEqual([]);
  }
  expect(full['each-commit'].outcome).toEqual({
    ok: true,
    commits: [
      [r.base, 'built', 0],
      [r.commits[0], 'built', 0],
      [r.commits[1], 'built', 0],
      [r.commits[2], 'built', 0],
    ],
  });

  const killed = { build: 0, 'each-commit': 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const mode = run % 2 === 0 ? 'build' : 'each-commit';
    const delay = randomDelay(full[mode].ms);
    const why = `run ${run} (${mode}), killed after ${delay} ms of ${full[mode].ms}`;
    if ((await killAfter([...args[mode]], delay)).killed) killed[mode]++;
    const again = await runCliAsync([...args[mode]]);
    expect(again.code, `${why}: the rerun: ${again.stderr} ${again.stdout.slice(0, 3000)}`).toBe(0);
    expect(outcome(mode, again.stdout), why).toEqual(full[mode].outcome);
    expect(traces(), why).toEqual([]);
  }
  console.log(`build: ${KILL_RUNS} runs, killed before the end: ${killed.build} of build (${full.build.ms} ms), ${killed['each-commit']} of --each-commit (${full['each-commit'].ms} ms)`);
}, 120_000 + KILL_RUNS * 30_000);
