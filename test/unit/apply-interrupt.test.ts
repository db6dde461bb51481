// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C during kseries apply: exit 130, and the worktree and branch are gone (nothing
 * half-applied is left); during --continue the patches done are kept and the rest parked.
 * The loop sends Ctrl-C to the whole process group (node and git, as a terminal does) at a
 * random moment of a 60-patch apply after node's start-up; KSERIES_INTERRUPT_RUNS sets the
 * number of interrupts (default 5, for CI); the documented full run is
 * KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsOf } from '../../src/lib/apply/state.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { expectCtrlC, interruptAfter as ctrlCAfter, KILL_RUNS, startupMs, workDelay } from '../helpers/kill.js';
import { KMEM, kseriesTraces, makeLongSeries, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());


const wtOf = (tree: string) => join(env.paths.data, 'worktrees', tree, 'v6.1');

/** Starts kseries ARGS, waits until the worktree of TREE has MIN commits on top of SINCE, then sends SIGINT. */
async function interruptAfter(args: string[], tree: string, since: string, min: number): Promise<{ code: number; stderr: string; applied: number }> {
  const bin = join(new URL('../..', import.meta.url).pathname, 'bin', 'run.js');
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : -1))));
  const wt = wtOf(tree);
  const deadline = Date.now() + 60_000;
  let applied = 0;
  while (Date.now() < deadline) {
    if (existsSync(join(wt, '.git'))) {
      const r = spawn('git', ['-C', wt, 'rev-list', '--count', `${since}..HEAD`], { stdio: ['ignore', 'pipe', 'ignore'] });
      applied = await new Promise<number>((resolve) => {
        let out = '';
        r.stdout.on('data', (d: Buffer) => (out += d.toString()));
        r.on('close', () => resolve(Number(out.trim()) || 0));
      });
      if (applied >= min) break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  return { code: await exited, stderr, applied };
}

it('Ctrl-C in the middle of git am removes the worktree and branch and exits 130', async () => {
  const dir = makeLongSeries(fx, env.root, 60);
  expect((await runCliAsync(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'main'])).code).toBe(0);
  const before = gitSync(fx.repo, ['worktree', 'list', '--porcelain']);
  const wt = wtOf('k');
  const { code, stderr, applied } = await interruptAfter(['apply', '--tree', 'k', '--series', dir], 'k', 'v6.1.10', 2);
  expect(applied).toBeGreaterThanOrEqual(2);
  expect(stderr).toMatch(/SIGINT received/);
  expect(code).toBe(130);
  expect(existsSync(wt)).toBe(false);
  expect(gitSync(fx.repo, ['branch', '--list', 'kseries/*'])).toBe('');
  expect(gitSync(fx.repo, ['worktree', 'list', '--porcelain'])).toBe(before);
  expect(recordsOf(env.paths, 'k')).toEqual([]);
}, 120_000);

it('Ctrl-C during --continue keeps the patches done and parks the rest; --continue resumes', async () => {
  const dir = makeLongSeries(fx, env.root, 60, true);
  expect((await runCliAsync(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'conflict'])).code).toBe(0);
  const first = await runCliAsync(['apply', '--tree', 'k', '--series', dir]);
  expect(first.code).toBe(1);
  const wt = wtOf('k');
  const file = join(wt, KMEM);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/<<<<<<< HEAD\n[^]*?>>>>>>> [^\n]*\n/, 'kmem line 20 resolved;\n'));
  gitSync(wt, ['add', KMEM]);
  const { code, applied, stderr } = await interruptAfter(['apply', '--tree', 'k', '--continue'], 'k', 'conflict', 3);
  expect(applied).toBeGreaterThanOrEqual(3);
  expect(code).toBe(130);
  const rec = recordsOf(env.paths, 'k')[0].report;
  expect(rec.status).toBe('interrupted');
  expect(rec.patches[0].status).toBe('resolved');
  expect(rec.parked?.next).toBe(rec.patches.findIndex((p) => p.status === 'pending') + 1);
  expect(gitSync(wt, ['status', '--porcelain']), stderr).toBe('');
  const done = await runCliAsync(['apply', '--tree', 'k', '--continue', '--json']);
  expect(done.code, done.stderr + done.stdout).toBe(0);
  const r = JSON.parse(done.stdout).result;
  expect(r.status).toBe('applied');
  expect(r.patches.map((p: { status: string }) => p.status)).toEqual(['resolved', ...Array(60).fill('clean')]);
  expect(gitSync(wt, ['rev-list', '--count', 'conflict..HEAD']).trim()).toBe('61');
}, 180_000);

it(`Ctrl-C at a random moment of a 60-patch apply: exit 130 and nothing left, or done; the rerun succeeds (${KILL_RUNS} runs)`, async () => {
  const dir = makeLongSeries(fx, env.root, 60);
  expect((await runCliAsync(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'main'])).code).toBe(0);
  const apply = ['apply', '--tree', 'k', '--series', dir];
  const wt = wtOf('k');
  const traces = () => kseriesTraces(fx, env, { lockFiles: true });
  const applied = (why: string) => {
    expect(gitSync(wt, ['rev-list', '--count', 'v6.1.10..HEAD']).trim(), why).toBe('60');
    expect(gitSync(wt, ['status', '--porcelain']), why).toBe('');
    expect(recordsOf(env.paths, 'k')[0].report.status, why).toBe('applied');
  };
  const t0 = Date.now();
  const full = await runCliAsync(apply);
  const fullMs = Date.now() - t0;
  expect(full.code, full.stderr).toBe(0);
  applied('the full run');
  expect((await runCliAsync([...apply, '--abort'])).code).toBe(0);
  expect(traces()).toEqual([]);

  const start = await startupMs();
  const seen = { interrupted: 0, early: 0, done: 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const delay = workDelay(start, fullMs);
    const why = `run ${run}, Ctrl-C after ${delay} ms of ${fullMs}`;
    const what = expectCtrlC(await ctrlCAfter(apply, delay), why, seen);
    // a Ctrl-C that lands after the last step (the record written, the cleanups gone) exits
    // 130 with the apply whole: never a half state, and no lock left behind
    const late = what === 'interrupted' && recordsOf(env.paths, 'k')[0]?.report.status === 'applied';
    if (what === 'done' || late) {
      applied(why);
      expect(traces().filter((t) => /^(lock files|git locks):/.test(t)), why).toEqual([]);
    } else {
      // a fresh apply interrupted is undone, not parked: no branch, worktree, record or lock
      expect(traces(), `${why}: after the interrupt`).toEqual([]);
      const cont = await runCliAsync([...apply, '--continue']);
      expect(cont.code, `${why}: --continue: ${cont.stderr}`).toBe(2);
      const again = await runCliAsync(apply);
      expect(again.code, `${why}: the rerun: ${again.stderr}`).toBe(0);
      applied(why);
    }
    const a = await runCliAsync([...apply, '--abort']);
    expect(a.code, `${why}: --abort: ${a.stderr}`).toBe(0);
    expect(traces(), why).toEqual([]);
  }
  console.log(`apply: ${KILL_RUNS} Ctrl-Cs over ${fullMs} ms (start-up ${start} ms): ${seen.interrupted} exited 130, ${seen.early} stopped during start-up (nothing done), ${seen.done} were done`);
}, 120_000 + KILL_RUNS * 30_000);
