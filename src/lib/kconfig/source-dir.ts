// SPDX-License-Identifier: GPL-2.0-only
/**
 * The source directory kconfig reads and configures: sourceDirFor() from the workspace.
 * A git tree without an applied series gets a detached worktree at
 * <state>/worktrees/<tree>/base the first time it is needed (the user's checkout is never touched).
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { onCleanup } from '../cli/interrupt.js';
import { infraError } from '../errors.js';
import { Git } from '../git/git.js';
import type { StatePaths } from '../paths.js';
import type { TreeRecord } from '../trees/registry.js';
import { sourceDirFor } from '../workspace.js';

export interface SourceDir {
  srcDir: string;
  /** True when this call created the worktree. */
  created: boolean;
  /** The applied series base, or null for the bare tree. */
  series: string | null;
}

export async function ensureSourceDir(paths: StatePaths, tree: TreeRecord, onStep?: (m: string) => void): Promise<SourceDir> {
  const { srcDir, workspace } = sourceDirFor(paths, tree);
  const series = workspace?.series ?? null;
  if (existsSync(srcDir)) return { srcDir, created: false, series };
  if (tree.kind === 'imported' || workspace) {
    throw infraError(`the source directory ${srcDir} of tree ${tree.name} is missing`, `Re-add the tree (kseries tree remove ${tree.name}; kseries tree add …).`);
  }
  onStep?.(`creating a worktree of ${tree.name} at ${srcDir}`);
  const git = new Git(tree.repo);
  mkdirSync(dirname(srcDir), { recursive: true });
  const undo = onCleanup(async () => {
    rmSync(srcDir, { recursive: true, force: true });
    await git.run(['worktree', 'prune'], { ignoreInterrupt: true });
  });
  try {
    let r = await git.run(['worktree', 'add', '--detach', srcDir, tree.commit]);
    if (r.exitCode !== 0 && /already registered|missing but/.test(r.stderr)) {
      await git.ok(['worktree', 'prune']);
      r = await git.run(['worktree', 'add', '--detach', srcDir, tree.commit]);
    }
    if (r.exitCode !== 0) throw infraError(`cannot create a worktree of ${tree.name} at ${srcDir}: ${r.stderr.trim()}`);
  } catch (err) {
    rmSync(srcDir, { recursive: true, force: true });
    throw err;
  } finally {
    undo();
  }
  return { srcDir, created: true, series };
}
