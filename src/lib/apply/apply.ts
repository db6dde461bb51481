// SPDX-License-Identifier: GPL-2.0-only
/**
 * The apply service: gathers the facts of one tree read-only, plans, and runs the plan;
 * resumes (--continue) and drops (--abort) parked conflicts. Commands stay thin.
 */
import { existsSync } from 'node:fs';
import { usageError } from '../errors.js';
import { Git } from '../git/git.js';
import { withLock } from '../lock/locks.js';
import { treeLock } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import { resolveSeries } from '../series/choose.js';
import { assertApplicable, loadSeries } from '../series/load.js';
import { parseKernelMakefile } from '../trees/kernel-version.js';
import type { KernelVersion, TreeRecord } from '../trees/registry.js';
import { seriesBranch, seriesWorktreeDir } from '../workspace.js';
import { executePlan, forgetWorkspaceAt, resumeApply, type ExecOptions } from './executor.js';
import { planApply, type ApplyFacts, type ApplyPlan } from './plan.js';
import type { ApplyReport } from './report.js';
import { readRecord, recordFile, recordsOf, removeRecord, type ApplyRecord } from './state.js';
import { amInProgress, branchHead, isClean, removeWorktree } from './worktree.js';

export interface ApplyOptions {
  /** Where the vX.Y series directories are. */
  patchesRoot: string;
  ref?: string;
  series?: string;
  force?: boolean;
  /** Set by rebase: the series is carried from its own base to `ref`. */
  rebase?: boolean;
}

const SAFE_BASE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function kernelAt(repo: Git, commit: string): Promise<KernelVersion | null> {
  const r = await repo.run(['show', `${commit}:Makefile`]);
  return r.exitCode === 0 ? parseKernelMakefile(r.stdout) : null;
}

/** The series' recorded version tag in the tree, when the tree lacks the base-commit itself. */
async function baseTagIn(repo: Git, tag: string | null, resolvedBase: string | null): Promise<{ name: string; commit: string } | null> {
  if (resolvedBase || !tag) return null;
  const commit = await repo.resolve(`refs/tags/${tag}`);
  return commit ? { name: tag, commit } : null;
}

export async function gatherFacts(paths: StatePaths, tree: TreeRecord, opts: ApplyOptions): Promise<ApplyFacts> {
  const repo = new Git(tree.repo);
  if (!existsSync(tree.repo) || !(await repo.isRepo())) throw usageError(`tree ${tree.name}: ${tree.repo} is not a git repository any more`, `Re-register it: kseries tree remove ${tree.name}; kseries tree add ...`);
  const ref = opts.ref ?? tree.ref;
  let commit = await repo.resolve(ref);
  if (!commit && !opts.ref) commit = await repo.resolve(tree.commit);
  if (!commit) throw usageError(`ref "${ref}" does not exist in tree ${tree.name} (${tree.repo})`, `List refs with: git -C ${tree.repo} show-ref`);
  const kv = opts.ref ? await kernelAt(repo, commit) : tree.kernel;
  const kernelString = kv?.string ?? null;
  const choice = resolveSeries(opts.patchesRoot, kv, opts.series);
  if (!SAFE_BASE.test(choice.base)) throw usageError(`series directory name "${choice.base}" cannot be part of a branch name`, 'Name series directories vX.Y (letters, digits, ".", "_", "-").');
  const series = loadSeries(choice.dir);
  assertApplicable(series);
  const resolved = series.baseCommit ? await repo.resolve(series.baseCommit) : null;
  let changedFiles: string[] | null = null;
  if (resolved && resolved !== commit) {
    const touched = [...new Set(series.patches.flatMap((p) => p.patch.files.flatMap((f) => [f.oldPath, f.newPath]).filter((x): x is string => !!x)))];
    const d = await repo.run(['diff', '--name-only', '--no-renames', resolved, commit, '--', ...touched]);
    if (d.exitCode === 0) changedFiles = d.stdout.split('\n').filter(Boolean);
  }
  const worktree = seriesWorktreeDir(paths, tree.name, choice.base);
  const branch = seriesBranch(choice.base, tree.name);
  const worktreeExists = existsSync(worktree);
  const wt = new Git(worktree);
  return {
    tree: { name: tree.name, kind: tree.kind, repo: tree.repo },
    series,
    choice,
    target: { ref, commit, kernel: kernelString, explicit: !!opts.ref },
    seriesBase: { id: series.baseCommit, resolved, changedFiles, tag: await baseTagIn(repo, series.baseTag ?? null, resolved) },
    worktree,
    branch,
    existing: {
      record: readRecord(paths, tree.name, choice.base),
      worktreeExists,
      branchHead: await branchHead(repo, branch),
      clean: worktreeExists ? await isClean(wt) : true,
      amInProgress: worktreeExists ? await amInProgress(wt) : false,
    },
    force: !!opts.force,
    origin: opts.rebase ? { series: choice.base, dir: series.dir, baseCommit: series.baseCommit } : null,
    recordFile: recordFile(paths, tree.name, choice.base),
  };
}

export async function planTree(paths: StatePaths, tree: TreeRecord, opts: ApplyOptions): Promise<ApplyPlan> {
  return planApply(await gatherFacts(paths, tree, opts));
}

/** Plans and applies, holding the tree's lock (another run on the same tree waits, or fails with --no-wait). */
export async function applyTree(paths: StatePaths, tree: TreeRecord, opts: ApplyOptions, exec: ExecOptions = {}): Promise<ApplyReport> {
  return withLock(treeLock(paths, tree.name), async () => executePlan(await planTree(paths, tree, opts), paths, exec));
}

/** The record --continue/--abort/export act on: the given series, else the tree's only one. */
export function pickRecord(paths: StatePaths, tree: string, series: string | undefined, want: (r: ApplyRecord) => boolean, what: string): ApplyRecord | null {
  if (series) {
    const base = series.replace(/\/+$/, '').split('/').pop()!;
    return readRecord(paths, tree, base);
  }
  const recs = recordsOf(paths, tree).filter(want);
  if (recs.length > 1) {
    throw usageError(`tree ${tree} has ${recs.length} series ${what}: ${recs.map((r) => r.report.series.base).join(', ')}`, 'Say which one with --series vX.Y.');
  }
  return recs[0] ?? null;
}

export async function continueTree(paths: StatePaths, tree: TreeRecord, series: string | undefined, exec: ExecOptions = {}): Promise<ApplyReport> {
  return withLock(treeLock(paths, tree.name), () => continueLocked(paths, tree, series, exec));
}

async function continueLocked(paths: StatePaths, tree: TreeRecord, series: string | undefined, exec: ExecOptions): Promise<ApplyReport> {
  const parked = (r: ApplyRecord) => r.report.status === 'conflict' || r.report.status === 'interrupted';
  const rec = pickRecord(paths, tree.name, series, parked, 'parked');
  if (!rec || !parked(rec)) throw usageError(`nothing to continue: no conflict is parked for tree ${tree.name}${series ? ` and series ${series}` : ''}`);
  return resumeApply(rec, paths, exec);
}

export interface AbortResult {
  tree: string;
  series: string;
  removed: string[];
}

/** Removes our worktree, branch and records of a (tree, series): no trace is left in the tree's repository. */
export async function abortTree(paths: StatePaths, tree: TreeRecord, series: string | undefined): Promise<AbortResult> {
  return withLock(treeLock(paths, tree.name), () => abortLocked(paths, tree, series));
}

async function abortLocked(paths: StatePaths, tree: TreeRecord, series: string | undefined): Promise<AbortResult> {
  const rec = pickRecord(paths, tree.name, series, () => true, 'applied or parked');
  const base = rec?.report.series.base ?? (series ? series.replace(/\/+$/, '').split('/').pop()! : null);
  if (!base) throw usageError(`nothing to abort: kseries has applied no series to tree ${tree.name}`);
  const repo = new Git(tree.repo);
  const dir = seriesWorktreeDir(paths, tree.name, base);
  const branch = seriesBranch(base, tree.name);
  const removed: string[] = [];
  if (existsSync(dir)) removed.push(dir);
  if (await branchHead(repo, branch)) removed.push(`refs/heads/${branch}`);
  if (!rec && !removed.length) {
    // a run killed inside git can leave its lock file or an empty refs/heads/kseries/ directory
    await removeWorktree(repo, dir, branch);
    throw usageError(`nothing to abort: no series ${base} on tree ${tree.name}`);
  }
  forgetWorkspaceAt(paths, tree.name, dir);
  await removeWorktree(repo, dir, branch);
  removeRecord(paths, tree.name, base);
  return { tree: tree.name, series: base, removed };
}
