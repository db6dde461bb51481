// SPDX-License-Identifier: GPL-2.0-only
/** Ctrl-C during kseries apply: exit 130, and the worktree and branch are gone (nothing half-applied is left). */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsOf } from '../../src/lib/apply/state.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { KMEM, makeLongSeries, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

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
