// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C at a random moment of `kseries tree add` importing a tarball: SIGINT to the whole
 * process group, as a terminal sends it (node, tar and git all get it), at a moment after
 * node's start-up (kill.ts workDelay). The run exits 130
 * (or 0 when it was done before the signal came), leaves no process behind and no half
 * import: the tree is either registered and whole, or not registered with nothing of it
 * left (no NAME or NAME.partial-PID directory, no lock or temporary file). A rerun of the same
 * `tree add` then succeeds; `tree remove` leaves no trace.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of interrupts (default 5, for CI); the documented
 * full run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { runCliAsync } from '../helpers/cli-async.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { expectCtrlC, interruptAfter, KILL_RUNS, startupMs, workDelay } from '../helpers/kill.js';
import { treeAddFixture } from '../helpers/kill-fixtures.js';

let env: IsolatedEnv;
beforeEach(() => (env = isolate()));
afterEach(() => env.cleanup());

it(`Ctrl-C at a random moment of tree add (a tarball): exit 130 and nothing half-imported left, the rerun succeeds (${KILL_RUNS} runs)`, async () => {
  const { add, traces, assertWhole } = treeAddFixture(env);
  const t0 = Date.now();
  const first = await runCliAsync(add);
  const fullMs = Date.now() - t0;
  expect(first.code, first.stderr).toBe(0);
  await assertWhole('the full run');
  expect((await runCliAsync(['tree', 'remove', 'k'])).code).toBe(0);
  expect(traces()).toEqual([]);

  const start = await startupMs();
  const seen = { interrupted: 0, early: 0, done: 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const delay = workDelay(start, fullMs);
    const why = `run ${run}, Ctrl-C after ${delay} ms of ${fullMs}`;
    if (expectCtrlC(await interruptAfter(add, delay), why, seen) === 'done') await assertWhole(why);
    else {
      // interrupted: nothing of the import is left (cleaned up, not parked)
      expect(traces(), `${why}: after the interrupt`).toEqual([]);
      const again = await runCliAsync(add);
      expect(again.code, `${why}: the rerun: ${again.stderr}`).toBe(0);
      await assertWhole(why);
    }
    const rm = await runCliAsync(['tree', 'remove', 'k']);
    expect(rm.code, `${why}: tree remove: ${rm.stderr}`).toBe(0);
    expect(traces(), why).toEqual([]);
  }
  console.log(`tree add: ${KILL_RUNS} Ctrl-Cs over ${fullMs} ms (start-up ${start} ms): ${seen.interrupted} exited 130, ${seen.early} stopped during start-up (nothing done), ${seen.done} were done`);
}, 120_000 + KILL_RUNS * 30_000);
