// SPDX-License-Identifier: GPL-2.0-only
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KseriesError } from '../../src/lib/errors.js';
import { Git } from '../../src/lib/git/git.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';

const repo = new URL('../..', import.meta.url).pathname;

describe('Git', () => {
  let env: IsolatedEnv;
  let dir: string;
  beforeEach(() => {
    env = isolate();
    dir = join(env.root, 'repo');
    mkdirSync(dir);
    gitSync(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dir, 'a'), 'a\n');
    gitSync(dir, ['add', 'a']);
    gitSync(dir, ['commit', '-q', '-m', 'one']);
  });
  afterEach(() => env.cleanup());

  it('resolves with git exit status and output, never rejecting on a git failure', async () => {
    const git = new Git(dir);
    expect(await git.isRepo()).toBe(true);
    const r = await git.run(['rev-parse', '--verify', 'no-such-ref']);
    expect(r.exitCode).toBe(128);
    expect(r.stderr).toMatch(/fatal/);
    expect(await git.resolve('main')).toMatch(/^[0-9a-f]{40}$/);
    expect(await git.resolve('no-such-ref')).toBeNull();
    expect(await git.topLevel()).toBe(dir);
    expect(await new Git(env.root).isRepo()).toBe(false);
  });

  it('ok() turns a git failure into an infrastructure error with git\'s message', async () => {
    const err = await new Git(dir).ok(['checkout', 'nowhere']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).kind).toBe('infra');
    expect((err as KseriesError).message).toMatch(/git checkout nowhere failed \(exit 1\).*nowhere/);
  });

  it('lists untracked files in statusPorcelain', async () => {
    writeFileSync(join(dir, 'new'), 'n\n');
    writeFileSync(join(dir, 'a'), 'changed\n');
    expect((await new Git(dir).statusPorcelain()).split('\0').filter(Boolean).sort()).toEqual([' M a', '?? new']);
  });

  it('reports a missing git binary as an infrastructure error', async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(env.root, 'empty-bin');
    try {
      const err = await new Git(dir).run(['status']).catch((e: unknown) => e);
      expect((err as KseriesError).kind).toBe('infra');
      expect((err as KseriesError).message).toMatch(/git: command not found/);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('stops git on Ctrl-C and throws InterruptedError (exit 130), also for later commands', () => {
    // a child node cannot load the .ts sources: it imports dist/, which test/dist-setup.ts rebuilt from src/ before the run
    const script = `
      import { Git } from ${JSON.stringify(join(repo, 'dist/lib/git/git.js'))};
      import { installInterruptHandler } from ${JSON.stringify(join(repo, 'dist/lib/cli/interrupt.js'))};
      installInterruptHandler();
      const git = new Git(${JSON.stringify(dir)});
      setTimeout(() => process.kill(process.pid, 'SIGINT'), 300);
      const out = [];
      for (const args of [['hash-object', '--stdin'], ['status']]) {
        try { await git.run(args); out.push('no error'); } catch (e) { out.push(e.kind + ' ' + e.exitCode); }
      }
      console.log(JSON.stringify(out));
    `;
    // hash-object --stdin waits on its open stdin until it is killed.
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(JSON.parse(r.stdout.trim())).toEqual(['interrupted 130', 'interrupted 130']);
  });
});
