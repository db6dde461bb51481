// SPDX-License-Identifier: GPL-2.0-only
/**
 * Workspaces: where a tree's sources are read and built.
 *
 * - `kseries apply` creates a worktree per (tree, series base) at
 *   <data>/worktrees/<tree>/<base>/ on branch kseries/<base>/<tree>, and records it in
 *   <data>/worktrees/<tree>/current.json. Later stages (kconfig, build, selftest) use it.
 * - Without an applied series, an imported tree's own checkout is the source (it is ours);
 *   a user's git tree gets a detached worktree at <data>/worktrees/<tree>/base/.
 * - Build output goes to <cache>/build/<tree>/<arch>-<profile>/ (O=), so rebuilds are incremental.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { usageError } from './errors.js';
import { buildRoot, worktreeRoot, type StatePaths } from './paths.js';
import type { TreeRecord } from './trees/registry.js';

export interface WorkspaceRecord {
  tree: string;
  /** The source directory (a worktree, or an imported tree's checkout). */
  srcDir: string;
  /** The series base applied ("v6.1"), or null for the bare tree. */
  series: string | null;
  /** Our branch in that worktree, if any. */
  branch: string | null;
  /** The commit the series was applied on. */
  baseCommit: string;
  /** HEAD after applying. */
  head: string;
  updatedAt: string;
}

export const treeWorktreeDir = (paths: StatePaths, tree: string) => join(worktreeRoot(paths), tree);
export const seriesWorktreeDir = (paths: StatePaths, tree: string, base: string) => join(worktreeRoot(paths), tree, base);
export const seriesBranch = (base: string, tree: string) => `kseries/${base}/${tree}`;
const currentFile = (paths: StatePaths, tree: string) => join(treeWorktreeDir(paths, tree), 'current.json');

export function readWorkspace(paths: StatePaths, tree: string): WorkspaceRecord | null {
  const f = currentFile(paths, tree);
  if (!existsSync(f)) return null;
  try {
    const w = JSON.parse(readFileSync(f, 'utf8')) as WorkspaceRecord;
    return existsSync(w.srcDir) ? w : null;
  } catch {
    return null;
  }
}

export function writeWorkspace(paths: StatePaths, w: WorkspaceRecord): void {
  mkdirSync(treeWorktreeDir(paths, w.tree), { recursive: true });
  // temp + rename: a run killed half-way never leaves a torn current.json
  const f = currentFile(paths, w.tree);
  writeFileAtomic(f, `${JSON.stringify(w, null, 2)}\n`);
}

/** The source directory to configure and build for a tree: the applied worktree, else the imported checkout. */
export function sourceDirFor(paths: StatePaths, tree: TreeRecord): { srcDir: string; workspace: WorkspaceRecord | null } {
  const w = readWorkspace(paths, tree.name);
  if (w) return { srcDir: w.srcDir, workspace: w };
  if (tree.kind === 'imported') return { srcDir: tree.repo, workspace: null };
  return { srcDir: join(treeWorktreeDir(paths, tree.name), 'base'), workspace: null };
}

/** A profile names a directory (<arch>-<profile>): no "/", no "..", nothing that leaves the build root. */
export const PROFILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function buildDirFor(paths: StatePaths, tree: string, arch = 'x86_64', profile = 'default'): string {
  if (!PROFILE_RE.test(profile)) {
    throw usageError(`invalid profile "${profile}"`, 'Use letters, digits, ".", "_" and "-" (at most 64 characters), starting with a letter or digit.');
  }
  return join(buildRoot(paths), tree, `${arch}-${profile}`);
}
