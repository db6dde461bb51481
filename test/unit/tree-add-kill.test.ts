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
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { packTarball, writeFakeKernel } from '../helpers/fake-kernel.js';
import { KILL_RUNS, killAfter, randomDelay } from '../helpers/kill.js';

let env: IsolatedEnv;
beforeEach(() => (env = isolate()));
afterEach(() => env.cleanup());

/** A fake kernel tarball with enough files (600) that tar and git take a moment. */
function tarball(): string {
  const dir = join(env.root, 'src');
  const top = join(dir, 'linux-source-6.1');
  writeFakeKernel(top);
  for (let d = 0; d < 6; d++) {
    mkdirSync(join(top, 'drivers', `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(top, 'drivers', `d${d}`, `f${f}.c`), `// file ${d}/${f}\nint f${d}_${f}(void) { return ${f}; }\n`);
  }
  return packTarball(dir, 'linux-source-6.1', join(dir, 'linux-source-6.1.tar.gz'));
}

/** Every trace of tree k in the state directory. */
function traces(): string[] {
  const out: string[] = [];
  const reg = join(env.paths.data, 'trees.json');
  if (existsSync(reg) && JSON.parse(readFileSync(reg, 'utf8')).trees.k) out.push('registry entry');
  const trees = join(env.paths.data, 'trees');
  if (existsSync(trees)) out.push(...readdirSync(trees).filter((e) => e === 'k' || e.startsWith('k.')).map((e) => `trees/${e}`));
  if (existsSync(join(env.paths.data, 'worktrees', 'k'))) out.push('worktrees/k');
  const locks = join(env.paths.data, 'locks');
  if (existsSync(locks)) out.push(...readdirSync(locks).map((e) => `locks/${e}`));
  return out;
}

/** Tree k is registered and whole: its repository at the recorded commit, tagged, nothing uncommitted. */
async function assertWhole(why: string): Promise<void> {
  const show = await runCliAsync(['tree', 'show', 'k', '--json']);
  expect(show.code, `${why}: tree show: ${show.stderr}`).toBe(0);
  const rec = JSON.parse(show.stdout).result;
  expect(rec, why).toMatchObject({ name: 'k', kind: 'imported', ref: 'v6.1.5', tags: ['v6.1.5'] });
  expect(gitSync(rec.repo, ['rev-parse', 'v6.1.5^{commit}']).trim(), why).toBe(rec.commit);
  expect(gitSync(rec.repo, ['status', '--porcelain']), why).toBe('');
  expect(gitSync(rec.repo, ['ls-files']).split('\n').filter(Boolean), why).toHaveLength(600 + 7);
}

it(`SIGKILL at a random moment of tree add (a tarball): the rerun succeeds, tree remove leaves no trace (${KILL_RUNS} runs)`, async () => {
  const add = ['tree', 'add', 'k', '--source', tarball()];
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
