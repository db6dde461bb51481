// SPDX-License-Identifier: GPL-2.0-only
/**
 * Our worktrees and branches in a tree's repository: created with `git worktree add` on
 * refs/heads/kseries/<base>/<tree>, removed without a trace. Nothing here touches the
 * user's checkout, index, branches or files.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
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
  const common = await removeDetachedWorktree(repo, dir);
  // a git killed while it updated our branch leaves its lock (SIGKILL; SIGINT too, in a short window)
  if (common) await removeStaleLock(join(common, 'refs', 'heads', `${branch}.lock`));
  // git am takes packed-refs.lock for a moment (it deletes REBASE_HEAD): a git am killed then leaves it
  if (common) await removeStaleLock(join(common, 'packed-refs.lock'));
  if (await branchHead(repo, branch, opts)) await repo.run(['update-ref', '-d', `refs/heads/${branch}`], opts);
  // drop now-empty refs/heads/kseries/<base>/ directories git may leave behind (a git killed
  // between deleting the ref and its directories may have removed the inner one only)
  if (common) {
    const stop = join(common, 'refs', 'heads');
    for (let d = dirname(join(stop, branch)); d.startsWith(`${stop}/`); d = dirname(d)) {
      if (!existsSync(d)) continue;
      if (readdirSync(d).length) break;
      rmdirSync(d);
    }
  }
}

/**
 * Removes a worktree of ours, whole or half made (a `git worktree add` killed half-way, a
 * directory gone), without touching any other: the directory and the administrative entry
 * that points at it. Returns the repository's common git directory ('' when git cannot say).
 */
export async function removeDetachedWorktree(repo: Git, dir: string): Promise<string> {
  const opts = { ignoreInterrupt: true, env: C_LOCALE };
  if ((await worktreePaths(repo, opts)).includes(dir)) await repo.run([...PINNED_CONFIG, 'worktree', 'remove', '--force', '--force', dir], opts);
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  const common = (await repo.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], opts)).stdout.trim();
  if (common) forgetWorktreeAdmin(common, dir);
  return common;
}

/**
 * Deletes the $GIT_COMMON_DIR/worktrees/<id> entry whose gitdir points into DIR (left when DIR
 * vanished), and one that a `git worktree add DIR` killed at its start left without a gitdir
 * file yet: named after DIR (git adds digits when the name is taken) and still locked as
 * "initializing", or not locked yet or half-way (git creates the entry before it writes `locked` and
 * before its own signal handler that would remove it: a Ctrl-C in between leaves an empty
 * entry). An entry without a gitdir file is nothing git can use (`worktree prune` drops it).
 */
function forgetWorktreeAdmin(common: string, dir: string): void {
  const admin = join(common, 'worktrees');
  if (!existsSync(admin)) return;
  const name = basename(dir);
  for (const id of readdirSync(admin)) {
    const gitdirFile = join(admin, id, 'gitdir');
    if (!existsSync(gitdirFile)) {
      const locked = join(admin, id, 'locked');
      const halfMade = (id === name || (id.startsWith(name) && /^\d+$/.test(id.slice(name.length)))) && (!existsSync(locked) || ['', 'initializing'].includes(readFileSync(locked, 'utf8').trim()));
      if (halfMade) rmSync(join(admin, id), { recursive: true, force: true });
      continue;
    }
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

/** Does a process (that we may inspect) have FILE open? Linux: /proc/PID/fd. */
function openByAnyone(file: string): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return true; // cannot tell: assume it is held
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to inspect
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) return true;
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return false;
}

/**
 * Removes a git lock file that no process holds: git keeps a lock's file descriptor open
 * while it holds it, so a lock nobody has open, twice 100 ms apart (the same file), was left by
 * a git that was killed. Returns whether it removed one.
 */
export async function removeStaleLock(file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const ino = () => {
    try {
      return statSync(file).ino;
    } catch {
      return null;
    }
  };
  const first = ino();
  if (first === null || openByAnyone(file)) return false;
  await new Promise((r) => setTimeout(r, 100));
  if (ino() !== first || openByAnyone(file)) return false;
  rmSync(file, { force: true });
  return true;
}

/**
 * Removes the lock files a killed git left (SIGKILL; SIGINT in a short window of git's) in our
 * worktree (its index, HEAD and ORIG_HEAD), on our branch and on packed-refs: only those that no
 * process holds (removeStaleLock), under the tree's lock.
 */
export async function clearStaleLocks(wt: Git, repo: Git, branch: string): Promise<void> {
  const opts = { ignoreInterrupt: true, env: C_LOCALE };
  for (const name of ['index.lock', 'HEAD.lock', 'ORIG_HEAD.lock']) {
    const r = await wt.run(['rev-parse', '--path-format=absolute', '--git-path', name], opts);
    if (r.exitCode === 0 && r.stdout.trim()) await removeStaleLock(r.stdout.trim());
  }
  const common = (await repo.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], opts)).stdout.trim();
  if (common) {
    await removeStaleLock(join(common, 'refs', 'heads', `${branch}.lock`));
    await removeStaleLock(join(common, 'packed-refs.lock'));
  }
}

export async function unmergedFiles(wt: Git): Promise<string[]> {
  const r = await wt.run(['diff', '--name-only', '--diff-filter=U', '-z']);
  return r.stdout.split('\0').filter(Boolean);
}

export async function isClean(wt: Git, opts: GitRunOptions = {}): Promise<boolean> {
  const r = await wt.run(['status', '--porcelain=v1', '--untracked-files=no'], opts);
  return r.exitCode === 0 && r.stdout.trim() === '';
}
