// SPDX-License-Identifier: GPL-2.0-only
/**
 * The detached worktrees the warnings delta (the series' base) and the per-commit check
 * (each commit in turn) build in: <state>/worktrees/<tree>/build-base and build-commits,
 * created once from the applied worktree's repository and then moved from commit to
 * commit with `git checkout`, which rewrites only the files that differ, so that their
 * O= directories stay incremental. `kseries tree remove` deletes them with the others.
 *
 * They are kept between runs on purpose (a cache), and so are parked, not removed, when a
 * run is interrupted: a run holds the worktree's lock (lock/targets.ts worktreeLock) while it
 * uses it, and the next run repairs what a killed one left — a `git worktree add` killed
 * half-way (a directory without a checkout, an entry still locked "initializing"), a
 * checkout killed half-way (git's index.lock or HEAD.lock, files of two commits): the lock
 * files nobody holds are removed, and a worktree git no longer takes for a whole one is
 * removed (directory and administrative entry) and made again.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { C_LOCALE, PINNED_CONFIG } from '../apply/git-args.js';
import { removeDetachedWorktree, removeStaleLock } from '../apply/worktree.js';
import { onCleanup } from '../cli/interrupt.js';
import { infraError } from '../errors.js';
import { Git } from '../git/git.js';
import { canonicalPath } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import { treeWorktreeDir } from '../workspace.js';

export type BuildWorktree = 'build-base' | 'build-commits';

export const buildWorktreeDir = (paths: StatePaths, tree: string, which: BuildWorktree) => join(treeWorktreeDir(paths, tree), which);

/** The git commands that put DIR at COMMIT (for --dry-run and the log). */
export function checkoutArgs(dir: string, commit: string, exists: boolean): string[][] {
  return exists
    ? [['-C', dir, ...PINNED_CONFIG, 'checkout', '--quiet', '--force', '--detach', commit]]
    : [[...PINNED_CONFIG, 'worktree', 'add', '--quiet', '--force', '--detach', dir, commit]];
}

const QUIET = { ignoreInterrupt: true, env: C_LOCALE };

/**
 * Is DIR a whole worktree of REPO's repository: its own top level, the same common git
 * directory, a HEAD, and not still locked by the `git worktree add` that made it? Stale
 * git lock files in it (index.lock, HEAD.lock: a git killed in a checkout) are removed first.
 */
async function usable(repo: Git, dir: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return false;
  const wt = new Git(dir);
  for (const name of ['index.lock', 'HEAD.lock']) {
    const r = await wt.run(['rev-parse', '--path-format=absolute', '--git-path', name], QUIET);
    if (r.exitCode === 0 && r.stdout.trim()) await removeStaleLock(r.stdout.trim());
  }
  const [top, common, mine] = await Promise.all([
    wt.run(['rev-parse', '--show-toplevel'], QUIET),
    wt.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], QUIET),
    repo.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], QUIET),
  ]);
  if (top.exitCode !== 0 || common.exitCode !== 0 || canonicalPath(top.stdout.trim()) !== canonicalPath(dir)) return false;
  if (canonicalPath(common.stdout.trim()) !== canonicalPath(mine.stdout.trim())) return false;
  if (!(await wt.resolve('HEAD'))) return false;
  const list = await repo.run(['worktree', 'list', '--porcelain'], QUIET);
  const entry = list.stdout.split('\n\n').find((e) => e.split('\n').some((l) => l.startsWith('worktree ') && canonicalPath(l.slice(9)) === canonicalPath(dir)));
  return !!entry && !entry.split('\n').some((l) => l === 'locked' || l.startsWith('locked ') || l.startsWith('prunable'));
}

/**
 * Puts the detached worktree DIR of REPO (any worktree of the repository) at COMMIT,
 * creating it if needed, and repairing (or making again) what a killed run left. The
 * caller holds the worktree's lock.
 */
export async function checkoutDetached(repo: Git, dir: string, commit: string): Promise<{ created: boolean }> {
  if (await usable(repo, dir)) {
    const wt = new Git(dir);
    if ((await wt.resolve('HEAD')) === commit && (await wt.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim() === '') return { created: false };
    const r = await wt.run([...PINNED_CONFIG, 'checkout', '--quiet', '--force', '--detach', commit], { env: C_LOCALE });
    if (r.exitCode === 0) return { created: false };
  }
  // missing, or left half made or half checked out: made again from scratch
  await removeDetachedWorktree(repo, dir);
  mkdirSync(dirname(dir), { recursive: true });
  const undo = onCleanup(async () => {
    await removeDetachedWorktree(repo, dir);
  });
  try {
    const r = await repo.run([...PINNED_CONFIG, 'worktree', 'add', '--quiet', '--force', '--detach', dir, commit], { env: C_LOCALE });
    if (r.exitCode !== 0) {
      await removeDetachedWorktree(repo, dir);
      throw infraError(`cannot create a worktree at ${dir}: ${(r.stderr || r.stdout).trim()}`);
    }
  } finally {
    undo();
  }
  return { created: true };
}
