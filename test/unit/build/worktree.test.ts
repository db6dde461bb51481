// SPDX-License-Identifier: GPL-2.0-only
/**
 * The build worktrees (build-base, build-commits) are kept between runs; what a killed run
 * leaves in one is repaired by the next checkoutDetached(): git's lock files nobody holds, a
 * `git worktree add` that stopped half-way (no checkout, the entry still locked
 * "initializing"), a directory that is not a worktree, a registered worktree whose directory
 * is gone. After each, the worktree is whole, at the commit, and it is the only entry git has
 * for it (nothing locked, nothing prunable).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../../../src/lib/git/git.js';
import { checkoutDetached } from '../../../src/lib/build/worktree.js';
import { gitSync, isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fakeSeriesRepo, SOURCES, type FakeSeriesRepo } from '../../helpers/fake-kbuild.js';

let env: IsolatedEnv;
let r: FakeSeriesRepo;
let dir: string;
beforeEach(() => {
  env = isolate();
  r = fakeSeriesRepo(join(env.root, 'linux'), [{ subject: 'dax/kmem: a change', files: { 'drivers/dax/kmem.c': SOURCES['drivers/dax/kmem.c'].replace('x + 1', 'x + 2') } }]);
  dir = join(env.paths.data, 'worktrees', 'k', 'build-commits');
});
afterEach(() => env.cleanup());

/** git's view of the worktree at DIR: whole, at COMMIT, clean, the only entry for it, nothing locked or prunable. */
function assertWhole(commit: string): void {
  expect(gitSync(dir, ['rev-parse', 'HEAD']).trim()).toBe(commit);
  expect(gitSync(dir, ['status', '--porcelain'])).toBe('');
  const entries = gitSync(r.repo, ['worktree', 'list', '--porcelain']).trim().split('\n\n');
  expect(entries).toHaveLength(2);
  expect(entries[1].split('\n')).toEqual([`worktree ${dir}`, `HEAD ${commit}`, 'detached']);
  expect(readdirSync(join(r.repo, '.git', 'worktrees'))).toEqual(['build-commits']);
}

const admin = () => join(r.repo, '.git', 'worktrees', 'build-commits');

it('made, then moved from commit to commit', async () => {
  expect(await checkoutDetached(new Git(r.repo), dir, r.base)).toEqual({ created: true });
  assertWhole(r.base);
  expect(await checkoutDetached(new Git(r.repo), dir, r.commits[0])).toEqual({ created: false });
  assertWhole(r.commits[0]);
});

it('a checkout killed half-way: its index.lock (nobody holds it) goes, and the files of two commits are put right', async () => {
  await checkoutDetached(new Git(r.repo), dir, r.base);
  writeFileSync(join(admin(), 'index.lock'), '');
  writeFileSync(join(dir, 'drivers/dax/kmem.c'), 'half written');
  expect(await checkoutDetached(new Git(r.repo), dir, r.commits[0])).toEqual({ created: false });
  assertWhole(r.commits[0]);
  expect(existsSync(join(admin(), 'index.lock'))).toBe(false);
  expect(readFileSync(join(dir, 'drivers/dax/kmem.c'), 'utf8')).toContain('x + 2');
});

it('a `git worktree add` killed half-way (no checkout, still locked "initializing"): made again', async () => {
  await checkoutDetached(new Git(r.repo), dir, r.base);
  writeFileSync(join(admin(), 'locked'), 'initializing');
  rmSync(join(admin(), 'index'));
  for (const f of readdirSync(dir)) if (f !== '.git') rmSync(join(dir, f), { recursive: true });
  expect(await checkoutDetached(new Git(r.repo), dir, r.commits[0])).toEqual({ created: true });
  assertWhole(r.commits[0]);
});

it('a directory that is no worktree, and a worktree whose directory is gone: made again, no entry left over', async () => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stray'), '');
  expect(await checkoutDetached(new Git(r.repo), dir, r.base)).toEqual({ created: true });
  assertWhole(r.base);
  expect(existsSync(join(dir, 'stray'))).toBe(false);
  rmSync(dir, { recursive: true });
  writeFileSync(join(admin(), 'locked'), 'initializing');
  expect(await checkoutDetached(new Git(r.repo), dir, r.commits[0])).toEqual({ created: true });
  assertWhole(r.commits[0]);
});

it('a `git worktree add` stopped between creating its entry and locking it (Ctrl-C before git\'s own handler): the empty entry goes, the worktree is made', async () => {
  mkdirSync(admin(), { recursive: true });
  expect(await checkoutDetached(new Git(r.repo), dir, r.base)).toEqual({ created: true });
  assertWhole(r.base);
});

it('removeDetachedWorktree: an empty entry named after the directory goes; an entry of another name, or one with a gitdir elsewhere, stays', async () => {
  const { removeDetachedWorktree } = await import('../../../src/lib/apply/worktree.js');
  const wts = join(r.repo, '.git', 'worktrees');
  mkdirSync(join(wts, 'build-commits'), { recursive: true });
  mkdirSync(join(wts, 'build-commits1'), { recursive: true });
  mkdirSync(join(wts, 'users-own'), { recursive: true });
  mkdirSync(join(wts, 'build-commits2'), { recursive: true });
  writeFileSync(join(wts, 'build-commits2', 'gitdir'), '/elsewhere/build-commits/.git\n');
  await removeDetachedWorktree(new Git(r.repo), dir);
  expect(readdirSync(wts).sort()).toEqual(['build-commits2', 'users-own']);
});
