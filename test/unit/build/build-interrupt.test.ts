// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C at a random moment of `kseries build` and `kseries build --each-commit` on the
 * fixture tree (test/helpers/fake-kbuild.ts, built with the real gcc): SIGINT to the whole
 * process group, as a terminal sends it (node, git, make and gcc all get it), at a moment
 * after node's start-up (kill.ts workDelay). The run exits
 * 130 (or 0 when it was done before the signal came) and leaves no process behind; a rerun
 * of the same command then succeeds with the same result as an uninterrupted run, and
 * nothing kseries made is left: no lock file, no temporary file, no git lock, branch, ref or
 * worktree but the build-commits one that --each-commit keeps on purpose (whole), the user's
 * checkout untouched.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of interrupts (default 5, for CI); the documented
 * full run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { rmSync } from 'node:fs';
import { runCliAsync } from '../../helpers/cli-async.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { writeFakeBuildDir } from '../../helpers/fake-kbuild.js';
import { expectCtrlC, interruptAfter, KILL_RUNS, startupMs, workDelay } from '../../helpers/kill.js';
import { buildFixture, type BuildFixture } from '../../helpers/kill-fixtures.js';

let env: IsolatedEnv;
let fx: BuildFixture;
beforeEach(() => {
  env = isolate();
  fx = buildFixture(env);
});
afterEach(() => env.cleanup());

it(`Ctrl-C at a random moment of build and build --each-commit: exit 130, the rerun succeeds alike, nothing is left behind (${KILL_RUNS} runs)`, async () => {
  const { args, traces, outcome } = fx;
  const full: Record<string, { ms: number; outcome: unknown }> = {};
  for (const mode of ['build', 'each-commit'] as const) {
    const t0 = Date.now();
    const run = await runCliAsync([...args[mode]]);
    expect(run.code, run.stderr).toBe(0);
    full[mode] = { ms: Date.now() - t0, outcome: outcome(mode, run.stdout) };
    expect(traces(), mode).toEqual([]);
  }

  const start = await startupMs();
  const seen = { build: { interrupted: 0, early: 0, done: 0 }, 'each-commit': { interrupted: 0, early: 0, done: 0 } };
  for (let run = 0; run < KILL_RUNS; run++) {
    const mode = run % 2 === 0 ? 'build' : 'each-commit';
    const delay = workDelay(start, full[mode].ms);
    const why = `run ${run} (${mode}), Ctrl-C after ${delay} ms of ${full[mode].ms}`;
    // a fresh build directory, as for the measured run: else make has nothing left to do and Ctrl-C mostly comes after the end
    if (mode === 'build') {
      rmSync(fx.buildDir, { recursive: true, force: true });
      writeFakeBuildDir(fx.buildDir);
    }
    expectCtrlC(await interruptAfter([...args[mode]], delay), why, seen[mode]);
    expect(traces().filter((t) => t.startsWith('lock file') || t.startsWith('temporary')), `${why}: right after the interrupt`).toEqual([]);
    const again = await runCliAsync([...args[mode]]);
    expect(again.code, `${why}: the rerun: ${again.stderr} ${again.stdout.slice(0, 3000)}`).toBe(0);
    expect(outcome(mode, again.stdout), why).toEqual(full[mode].outcome);
    expect(traces(), why).toEqual([]);
  }
  const say = (m: keyof typeof seen) => `${seen[m].interrupted} exited 130, ${seen[m].early} stopped during start-up (nothing done), ${seen[m].done} were done (${full[m].ms} ms)`;
  console.log(`build: ${KILL_RUNS} Ctrl-Cs (start-up ${start} ms): build ${say('build')}; --each-commit ${say('each-commit')}`);
}, 120_000 + KILL_RUNS * 30_000);
