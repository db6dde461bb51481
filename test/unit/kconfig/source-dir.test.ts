// SPDX-License-Identifier: GPL-2.0-only
/** The detached worktree kconfig creates for a git tree (real git, a tiny fixture repository). */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSourceDir } from '../../../src/lib/kconfig/source-dir.js';
import type { TreeRecord } from '../../../src/lib/trees/registry.js';
import { gitSync, isolate, type IsolatedEnv } from '../../helpers/env.js';

let env: IsolatedEnv;
let tree: TreeRecord;
beforeEach(() => {
  env = isolate('kseries-srcdir-');
  const repo = join(env.root, 'linux');
  mkdirSync(repo);
  writeFileSync(join(repo, 'Kconfig'), 'config A\n\tbool "a"\n');
  gitSync(repo, ['init', '-q', '-b', 'main']);
  gitSync(repo, ['add', '-A']);
  gitSync(repo, ['commit', '-q', '-m', 'init']);
  const commit = gitSync(repo, ['rev-parse', 'HEAD']).trim();
  tree = {
    name: 'mine',
    kind: 'git',
    repo,
    source: repo,
    ref: 'HEAD',
    commit,
    kernel: { version: 6, patchlevel: 1, sublevel: 0, extraversion: '', string: '6.1.0' },
    tags: [],
    addedAt: '2024-01-01T00:00:00Z',
  };
});
afterEach(() => env.cleanup());

describe('ensureSourceDir', () => {
  it('creates a detached worktree of a git tree once, and leaves the user\'s checkout alone', async () => {
    const first = await ensureSourceDir(env.paths, tree);
    expect(first).toEqual({ srcDir: join(env.paths.data, 'worktrees', 'mine', 'base'), created: true, series: null });
    expect(readFileSync(join(first.srcDir, 'Kconfig'), 'utf8')).toContain('config A');
    expect(gitSync(first.srcDir, ['rev-parse', 'HEAD']).trim()).toBe(tree.commit);
    expect(gitSync(first.srcDir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('HEAD'); // detached
    expect(gitSync(tree.repo, ['status', '--porcelain']).trim()).toBe('');
    expect((await ensureSourceDir(env.paths, tree)).created).toBe(false);
  }, 30_000);

  it('re-creates a worktree whose directory was deleted behind git\'s back', async () => {
    const { srcDir } = await ensureSourceDir(env.paths, tree);
    rmSync(srcDir, { recursive: true, force: true });
    expect((await ensureSourceDir(env.paths, tree)).created).toBe(true);
    expect(existsSync(join(srcDir, 'Kconfig'))).toBe(true);
  }, 30_000);

  it('fails clearly when an imported tree\'s checkout is gone', async () => {
    await expect(ensureSourceDir(env.paths, { ...tree, kind: 'imported', repo: join(env.root, 'gone') })).rejects.toMatchObject({ kind: 'infra' });
  });
});
