// SPDX-License-Identifier: GPL-2.0-only
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../git/git.js';
import { worktreeRoot, type StatePaths } from '../paths.js';
import { Registry, type TreeRecord } from './registry.js';

/**
 * Unregisters a tree. Repositories kseries created (imports, clones) are deleted; for a
 * user's own git tree only kseries' worktrees and refs/heads/kseries/…/NAME branches go.
 */
export async function removeTree(paths: StatePaths, name: string, opts: { keepFiles?: boolean } = {}): Promise<{ tree: TreeRecord; removed: string[] }> {
  const registry = new Registry(paths);
  const tree = registry.get(name);
  const removed: string[] = [];
  const wtDir = join(worktreeRoot(paths), name);
  const git = new Git(tree.repo);
  if (existsSync(tree.repo) && (await git.isRepo())) {
    const list = await git.run(['worktree', 'list', '--porcelain']);
    for (const line of list.stdout.split('\n')) {
      const p = line.startsWith('worktree ') ? line.slice(9) : null;
      if (p && p.startsWith(`${wtDir}/`)) {
        await git.run(['worktree', 'remove', '--force', '--force', p]);
        removed.push(p);
      }
    }
    // Never prune a user's repository: that would drop their own stale worktrees too.
    if (tree.kind !== 'git') await git.run(['worktree', 'prune']);
    if (tree.kind === 'git') {
      const refs = await git.run(['for-each-ref', '--format=%(refname)', 'refs/heads/kseries/', 'refs/kseries/']);
      for (const ref of refs.stdout.split('\n').filter(Boolean)) {
        if (ref.endsWith(`/${name}`) || ref.includes(`/${name}/`)) {
          await git.run(['update-ref', '-d', ref]);
          removed.push(ref);
        }
      }
    }
  }
  if (existsSync(wtDir)) rmSync(wtDir, { recursive: true, force: true });
  registry.remove(name);
  if (tree.kind !== 'git' && !opts.keepFiles && existsSync(tree.repo)) {
    rmSync(tree.repo, { recursive: true, force: true });
    removed.push(tree.repo);
  }
  return { tree, removed };
}
