// SPDX-License-Identifier: GPL-2.0-only
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { recordsOf } from '../apply/state.js';
import { Git } from '../git/git.js';
import { withLock } from '../lock/locks.js';
import { treeLock } from '../lock/targets.js';
import { worktreeRoot, type StatePaths } from '../paths.js';
import { Registry, type TreeRecord } from './registry.js';
import { importRef, kernelLine, lineStoreDir, unpinFromStore } from './store.js';

/**
 * Unregisters a tree. Repositories kseries created (imports, clones) are deleted; for a
 * user's own git tree only the worktrees under this state directory and the
 * refs/heads/kseries/… branches this state made go. An import's commit stays in its line's
 * shared object store while another registered tree uses it; the store itself stays.
 */
export async function removeTree(paths: StatePaths, name: string, opts: { keepFiles?: boolean } = {}): Promise<{ tree: TreeRecord; removed: string[] }> {
  return withLock(treeLock(paths, name), () => removeLocked(paths, name, opts));
}

async function removeLocked(paths: StatePaths, name: string, opts: { keepFiles?: boolean }): Promise<{ tree: TreeRecord; removed: string[] }> {
  const registry = new Registry(paths);
  const tree = registry.get(name);
  const removed: string[] = [];
  const wtDir = join(worktreeRoot(paths), name);
  const git = new Git(tree.repo);
  if (existsSync(tree.repo) && (await git.isRepo())) {
    // Branches are ours only when our own state says so: checked out in one of our worktrees, or
    // recorded by our apply at the value it still has. Matching names is not enough: another state
    // directory (another user, an isolated test) can use the same tree name on the same repository.
    const owned = new Set<string>();
    const list = await git.run(['worktree', 'list', '--porcelain']);
    for (const block of list.stdout.split('\n\n')) {
      const p = /^worktree (.*)$/m.exec(block)?.[1];
      if (!p || !p.startsWith(`${wtDir}/`)) continue;
      const branch = /^branch (refs\/heads\/kseries\/.*)$/m.exec(block)?.[1];
      if (branch) owned.add(branch);
      await git.run(['worktree', 'remove', '--force', '--force', p]);
      removed.push(p);
    }
    // Never prune a user's repository: that would drop their own stale worktrees too.
    if (tree.kind !== 'git') await git.run(['worktree', 'prune']);
    if (tree.kind === 'git') {
      for (const rec of recordsOf(paths, name)) {
        const ref = `refs/heads/${rec.report.branch}`;
        const at = await git.run(['rev-parse', '--verify', '--quiet', ref]);
        const value = at.stdout.trim();
        if (at.exitCode === 0 && (value === rec.report.head || value === rec.report.parked?.head)) owned.add(ref);
      }
      for (const ref of owned) {
        await git.run(['update-ref', '-d', ref]);
        removed.push(ref);
      }
    }
  }
  if (existsSync(wtDir)) rmSync(wtDir, { recursive: true, force: true });
  registry.remove(name);
  if (tree.kind === 'imported') {
    const store = lineStoreDir(paths, kernelLine(tree.kernel));
    const stillUsed = registry.list().some((t) => t.kind === 'imported' && t.commit === tree.commit);
    if (await unpinFromStore(store, tree.commit, stillUsed)) removed.push(`${store} ${importRef(tree.commit)}`);
  }
  if (tree.kind !== 'git' && !opts.keepFiles && existsSync(tree.repo)) {
    rmSync(tree.repo, { recursive: true, force: true });
    removed.push(tree.repo);
  }
  return { tree, removed };
}
