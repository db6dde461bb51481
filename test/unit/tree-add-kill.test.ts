// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL at a random moment of `kseries tree add` importing a tarball (node, tar and git
 * killed together: no cleanup runs). Afterwards the tree is either registered and whole, or
 * not registered, and a rerun of the same `tree add` succeeds; `tree remove` then leaves no
 * trace: no registry entry, no imported or half-imported directory (NAME, NAME.partial-PID),
 * no worktree, no lock file.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of kills (default 5, for CI); the documented full
 * run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { runCliAsync } from '../helpers/cli-async.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { KILL_RUNS, killAfter, randomDelay } from '../helpers/kill.js';
import { treeAddFixture } from '../helpers/kill-fixtures.js';

let env: IsolatedEnv;
beforeEach(() => (env = isolate()));
afterEach(() => env.cleanup());

it(`SIGKILL at a random moment of tree add (a tarball): the rerun succeeds, tree remove leaves no trace (${KILL_RUNS} runs)`, async () => {
  const { add, traces, assertWhole } = treeAddFixture(env);
  const full = await killAfter(add, 600_000);
  expect(full.code).toBe(0);
  await assertWhole('the full run');
  expect((await runCliAsync(['tree', 'remove', 'k'])).code).toBe(0);
  expect(traces()).toEqual([]);

  const outcomes = { registered: 0, rerun: 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const delay = randomDelay(full.ms);
    const why = `run ${run}, killed after ${delay} ms of ${full.ms}`;
    await killAfter(add, delay);
    const show = await runCliAsync(['tree', 'show', 'k', '--json']);
    if (show.code === 0) {
      outcomes.registered++; // killed after it was done
    } else {
      expect(show.code, `${why}: tree show: ${show.stderr}`).toBe(2);
      const again = await runCliAsync(add);
      expect(again.code, `${why}: the rerun: ${again.stderr}`).toBe(0);
      outcomes.rerun++;
    }
    await assertWhole(why);
    const rm = await runCliAsync(['tree', 'remove', 'k']);
    expect(rm.code, `${why}: tree remove: ${rm.stderr}`).toBe(0);
    expect(traces(), why).toEqual([]);
  }
  expect(outcomes.registered + outcomes.rerun).toBe(KILL_RUNS);
  console.log(`tree add: ${KILL_RUNS} kills over ${full.ms} ms: ${outcomes.rerun} left it unregistered (rerun), ${outcomes.registered} after it was done`);
}, 120_000 + KILL_RUNS * 30_000);
