// SPDX-License-Identifier: GPL-2.0-only
/**
 * What apply remembers between runs, next to the worktree: <data>/worktrees/<tree>/<base>.apply.json
 * holds the last report of that (tree, series) — applied, or a parked conflict with what
 * `--continue` needs. Written atomically.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { StatePaths } from '../paths.js';
import { treeWorktreeDir } from '../workspace.js';
import type { ApplyReport } from './report.js';

export interface PatchRef {
  index: number;
  file: string;
  path: string;
  subject: string;
  date: string | null;
  /** A backport of the series' prerequisites/ (applied only where the target lacks it). */
  prerequisite?: boolean;
}

export interface ApplyRecord {
  version: 1;
  report: ApplyReport;
  /** Every patch of the series, for --continue. */
  patches: PatchRef[];
  /** Upstream detection: the series base commit when it is an ancestor of the target. */
  upstreamSince: string | null;
  /** The series' base-commit resolved in the tree's repository (null: absent there), for naming prerequisites on a conflict. */
  seriesBase?: string | null;
  /** When seriesBase is the commit of the version tag the series file names (the tree lacks the base-commit): that tag. */
  seriesBaseTag?: string | null;
  /**
   * Intent, written before `git worktree add` (and the removal of an old worktree): the
   * worktree and branch may be half made. --continue recreates them; --abort removes them.
   */
  creating?: boolean;
}

export const recordFile = (paths: StatePaths, tree: string, base: string) => join(treeWorktreeDir(paths, tree), `${base}.apply.json`);

export function readRecord(paths: StatePaths, tree: string, base: string): ApplyRecord | null {
  const f = recordFile(paths, tree, base);
  if (!existsSync(f)) return null;
  try {
    const r = JSON.parse(readFileSync(f, 'utf8')) as ApplyRecord;
    return r.version === 1 ? r : null;
  } catch {
    return null;
  }
}

export function writeRecord(paths: StatePaths, rec: ApplyRecord): void {
  const f = recordFile(paths, rec.report.tree, rec.report.series.base);
  mkdirSync(treeWorktreeDir(paths, rec.report.tree), { recursive: true });
  writeFileAtomic(f, `${JSON.stringify(rec, null, 2)}\n`);
}

export function removeRecord(paths: StatePaths, tree: string, base: string): void {
  const f = recordFile(paths, tree, base);
  rmSync(f, { force: true });
  // temporary files of writes that a SIGKILL cut short
  const dir = treeWorktreeDir(paths, tree);
  const prefix = `${base}.apply.json.tmp-`;
  if (existsSync(dir)) for (const t of readdirSync(dir)) if (t.startsWith(prefix)) rmSync(join(dir, t), { force: true });
}

/** All records of a tree (one per series base applied there). */
export function recordsOf(paths: StatePaths, tree: string): ApplyRecord[] {
  const dir = treeWorktreeDir(paths, tree);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.apply.json'))
    .map((f) => readRecord(paths, tree, f.slice(0, -'.apply.json'.length)))
    .filter((r): r is ApplyRecord => !!r);
}
