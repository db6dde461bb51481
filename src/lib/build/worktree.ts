// SPDX-License-Identifier: GPL-2.0-only
/**
 * The detached worktrees the warnings delta (the series' base) and the per-commit check
 * (each commit in turn) build in: <state>/worktrees/<tree>/build-base and build-commits,
 * created once from the applied worktree's repository and then moved from commit to
 * commit with `git checkout`, which rewrites only the files that differ, so that their
 * O= directories stay incremental. `kseries tree remove` deletes them with the others.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { C_LOCALE, PINNED_CONFIG } from '../apply/git-args.js';
import { infraError } from '../errors.js';
import { Git } from '../git/git.js';
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

/** Puts the detached worktree DIR of REPO (any worktree of the repository) at COMMIT, creating it if needed. */
export async function checkoutDetached(repo: Git, dir: string, commit: string): Promise<{ created: boolean }> {
  if (existsSync(join(dir, '.git'))) {
    const wt = new Git(dir);
    if ((await wt.resolve('HEAD')) === commit && (await wt.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim() === '') return { created: false };
    const r = await wt.run([...PINNED_CONFIG, 'checkout', '--quiet', '--force', '--detach', commit], { env: C_LOCALE });
    if (r.exitCode !== 0) throw infraError(`cannot check out ${commit.slice(0, 12)} in ${dir}: ${(r.stderr || r.stdout).trim()}`, `Remove ${dir} and re-run.`);
    return { created: false };
  }
  mkdirSync(dirname(dir), { recursive: true });
  const r = await repo.run([...PINNED_CONFIG, 'worktree', 'add', '--quiet', '--force', '--detach', dir, commit], { env: C_LOCALE });
  if (r.exitCode !== 0) throw infraError(`cannot create a worktree at ${dir}: ${(r.stderr || r.stdout).trim()}`);
  return { created: true };
}
