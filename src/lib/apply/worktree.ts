// SPDX-License-Identifier: GPL-2.0-only
/**
 * Our worktrees and branches in a tree's repository: created with `git worktree add` on
 * refs/heads/kseries/<base>/<tree>, removed without a trace. Nothing here touches the
 * user's checkout, index, branches or files.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Git, type GitRunOptions } from '../git/git.js';
import { infraError } from '../errors.js';
import { C_LOCALE, PINNED_CONFIG, worktreeAddArgs } from './git-args.js';

export async function worktreePaths(repo: Git, opts: GitRunOptions = {}): Promise<string[]> {
  const r = await repo.run(['worktree', 'list', '--porcelain'], opts);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

export async function branchHead(repo: Git, branch: string, opts: GitRunOptions = {}): Promise<string | null> {
  const r = await repo.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], opts);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

export async function addWorktree(repo: Git, dir: string, branch: string, commit: string): Promise<void> {
  const r = await repo.run(worktreeAddArgs(dir, branch, commit), { env: C_LOCALE });
  if (r.exitCode !== 0) throw infraError(`git worktree add ${dir} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`);
}

/**
 * Removes our worktree and branch; safe to call on a half-made or already removed one. Runs
 * after Ctrl-C too. Never `git worktree prune`: that would drop a user's own stale worktrees;
 * only the administrative entry that points at DIR goes.
 */
export async function removeWorktree(repo: Git, dir: string, branch: string): Promise<void> {
  const opts = { ignoreInterrupt: true, env: C_LOCALE };
  if ((await worktreePaths(repo, opts)).includes(dir)) await repo.run([...PINNED_CONFIG, 'worktree', 'remove', '--force', '--force', dir], opts);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const common = (await repo.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], opts)).stdout.trim();
  if (common) forgetWorktreeAdmin(common, dir);
  if (await branchHead(repo, branch, opts)) await repo.run(['update-ref', '-d', `refs/heads/${branch}`], opts);
  // drop now-empty refs/heads/kseries/<base>/ directories git may leave behind
  if (common) {
    let d = dirname(join(common, 'refs', 'heads', branch));
    const stop = join(common, 'refs', 'heads');
    while (d.startsWith(`${stop}/`) && existsSync(d) && readdirSync(d).length === 0) {
      rmdirSync(d);
      d = dirname(d);
    }
  }
}

/** Deletes the $GIT_COMMON_DIR/worktrees/<id> entry whose gitdir points into DIR (left when DIR vanished). */
function forgetWorktreeAdmin(common: string, dir: string): void {
  const admin = join(common, 'worktrees');
  if (!existsSync(admin)) return;
  for (const id of readdirSync(admin)) {
    const gitdirFile = join(admin, id, 'gitdir');
    if (!existsSync(gitdirFile)) continue;
    const target = readFileSync(gitdirFile, 'utf8').trim();
    if (target === join(dir, '.git')) rmSync(join(admin, id), { recursive: true, force: true });
  }
  if (readdirSync(admin).length === 0) rmdirSync(admin);
}

/** The am state directory of a worktree (rebase-apply), or null when git cannot say. */
async function amStateDir(wt: Git, opts: GitRunOptions = {}): Promise<string | null> {
  const r = await wt.run(['rev-parse', '--git-path', 'rebase-apply'], opts);
  if (r.exitCode !== 0) return null;
  const p = r.stdout.trim();
  return isAbsolute(p) ? p : join(wt.dir, p);
}

/** Is a `git am` in progress in the worktree (stopped on a patch)? */
export async function amInProgress(wt: Git, opts: GitRunOptions = {}): Promise<boolean> {
  const d = await amStateDir(wt, opts);
  return !!d && (existsSync(join(d, 'applying')) || existsSync(join(d, 'patch')));
}

/** Ends whatever `git am` left behind, including a session killed half-way (git calls that a stray directory). */
export async function clearAm(wt: Git): Promise<void> {
  const opts = { ignoreInterrupt: true, env: C_LOCALE };
  const d = await amStateDir(wt, opts);
  if (!d || !existsSync(d)) return;
  await wt.run([...PINNED_CONFIG, 'am', '--abort'], opts);
  if (existsSync(d)) rmSync(d, { recursive: true, force: true });
}

export async function unmergedFiles(wt: Git): Promise<string[]> {
  const r = await wt.run(['diff', '--name-only', '--diff-filter=U', '-z']);
  return r.stdout.split('\0').filter(Boolean);
}

export async function isClean(wt: Git, opts: GitRunOptions = {}): Promise<boolean> {
  const r = await wt.run(['status', '--porcelain=v1', '--untracked-files=no'], opts);
  return r.exitCode === 0 && r.stdout.trim() === '';
}
