// SPDX-License-Identifier: GPL-2.0-only
/**
 * Planning an apply: from facts gathered read-only (the tree, the series, the target commit,
 * what already exists), a pure function decides the base (the ladder) and the steps.
 * --dry-run prints the steps; the executor runs exactly them.
 */
import { commandLine } from '../exec/shell-quote.js';
import { usageError } from '../errors.js';
import type { SeriesChoice } from '../series/choose.js';
import { PREREQUISITES_DIR, type LoadedSeries } from '../series/load.js';
import { amArgs, committerEnv, worktreeAddArgs } from './git-args.js';
import type { LadderRung } from './report.js';
import type { ApplyRecord, PatchRef } from './state.js';

export interface ApplyFacts {
  tree: { name: string; kind: string; repo: string };
  series: LoadedSeries;
  choice: SeriesChoice;
  target: { ref: string; commit: string; kernel: string | null; explicit: boolean };
  /**
   * The series' base-commit, resolved in the tree's repository (null when absent there), and
   * which of the files the series touches differ between it and the target (null: unknown).
   * tag: when the tree lacks the base-commit, the version tag the series file says the series
   * was made on, resolved in the tree (for naming prerequisites: the history up to it).
   */
  seriesBase: { id: string | null; resolved: string | null; changedFiles: string[] | null; tag?: { name: string; commit: string } | null };
  worktree: string;
  branch: string;
  existing: {
    record: ApplyRecord | null;
    worktreeExists: boolean;
    branchHead: string | null;
    clean: boolean;
    amInProgress: boolean;
  };
  force: boolean;
  origin: { series: string; dir: string; baseCommit: string | null } | null;
  recordFile: string;
}

export type Step =
  | { kind: 'remove-worktree'; dir: string; branch: string; reason: string }
  | { kind: 'add-worktree'; repo: string; dir: string; branch: string; commit: string; args: string[] }
  | { kind: 'am'; cwd: string; patch: PatchRef; args: string[]; env: Record<string, string> }
  | { kind: 'record'; file: string };

export interface ApplyPlan {
  facts: ApplyFacts;
  /** apply: run the steps; noop: the same series is already applied on the same base. */
  mode: 'apply' | 'noop';
  baseCommit: string;
  ladder: LadderRung[];
  steps: Step[];
  notes: string[];
}

/** What git am applies, in order: the prerequisites (prerequisites/FILE), then the series' patches; indexes run over both. */
export function patchRefs(s: LoadedSeries): PatchRef[] {
  const pre = s.prerequisites.map((p, i) => ({ index: i + 1, file: `${PREREQUISITES_DIR}/${p.file}`, path: p.path, subject: p.patch.subject.summary, date: p.patch.date, prerequisite: true }));
  const own = s.patches.map((p) => ({ index: pre.length + p.index, file: p.file, path: p.path, subject: p.patch.subject.summary, date: p.patch.date }));
  return [...pre, ...own];
}

export function amStep(cwd: string, patch: PatchRef): Step {
  return { kind: 'am', cwd, patch, args: amArgs(patch.path), env: committerEnv(patch.date) };
}

/**
 * The base ladder. The worktree always branches off the target (the tree's ref, or --ref);
 * the ladder says how the series got onto it:
 *   base-commit  the tree has the series' base-commit and the files the series touches are
 *                identical there and at the target: the series applies exactly as on its base;
 *   ref          every patch applies to the target with plain `git am` (maybe at an offset);
 *   3way         some patch needed the 3-way fallback (its preimage blobs were in the tree).
 * Before running, the first rung is decided from facts; the executor settles the other two.
 */
export function decideBase(f: Pick<ApplyFacts, 'target' | 'seriesBase'>): { commit: string; ladder: LadderRung[] } {
  const { target, seriesBase } = f;
  const ladder: LadderRung[] = [];
  const short = (id: string) => id.slice(0, 12);
  if (!seriesBase.id) {
    ladder.push({ step: 'base-commit', result: 'unavailable', note: 'the series has no base-commit line' });
  } else if (!seriesBase.resolved) {
    ladder.push({ step: 'base-commit', result: 'unavailable', note: `the tree does not have ${short(seriesBase.id)}` });
  } else if (seriesBase.resolved === target.commit) {
    ladder.push({ step: 'base-commit', result: 'used', note: `${target.ref} is the series' base-commit ${short(seriesBase.id)}` });
  } else if (seriesBase.changedFiles && seriesBase.changedFiles.length === 0) {
    ladder.push({ step: 'base-commit', result: 'used', note: `the files the series touches are the same in ${short(seriesBase.id)} and ${target.ref}` });
  } else {
    const changed = seriesBase.changedFiles ?? [];
    ladder.push({
      step: 'base-commit',
      result: 'skipped',
      note: `the tree has ${short(seriesBase.id)}, but ${changed.length ? changed.slice(0, 5).join(', ') + (changed.length > 5 ? ', ...' : '') + ' changed' : 'files changed'} since`,
    });
  }
  if (ladder[0].result === 'used') {
    ladder.push({ step: 'ref', result: 'skipped', note: 'not needed' });
    ladder.push({ step: '3way', result: 'skipped', note: 'not needed' });
  } else {
    ladder.push({ step: 'ref', result: 'used', note: `plain git am on ${target.ref} = ${short(target.commit)}` });
    ladder.push({ step: '3way', result: 'used', note: 'git am -3 falls back per patch when the context does not match' });
  }
  return { commit: target.commit, ladder };
}

export function planApply(f: ApplyFacts): ApplyPlan {
  const { commit, ladder } = decideBase(f);
  const notes: string[] = [];
  const steps: Step[] = [];
  const ex = f.existing;
  const rec = ex.record;
  const abortHint = `kseries apply --tree ${f.tree.name} --series ${f.choice.base} --abort`;
  if (rec && (rec.report.status === 'conflict' || rec.report.status === 'interrupted') && (ex.worktreeExists || ex.branchHead)) {
    throw usageError(
      rec.report.status === 'conflict'
        ? `series ${f.choice.base} is parked on a conflict in ${rec.report.worktree} (patch ${rec.report.conflict?.patch.index}: ${rec.report.conflict?.patch.subject})`
        : `series ${f.choice.base} was interrupted in ${rec.report.worktree} before patch ${rec.report.parked?.next}`,
      `Resolve it there and run: kseries apply --tree ${f.tree.name} --continue; or drop it: ${abortHint}`,
    );
  }
  if (ex.amInProgress) {
    throw usageError(`a git am is in progress in ${f.worktree}`, `Finish it there (git am --continue / --abort), or drop the worktree: ${abortHint}`);
  }
  const sameApply =
    rec &&
    rec.report.status !== 'conflict' &&
    rec.report.status !== 'interrupted' &&
    rec.report.series.hash === f.series.hash &&
    rec.report.base.commit === commit &&
    ex.worktreeExists &&
    ex.branchHead !== null &&
    ex.branchHead === rec.report.head &&
    ex.clean;
  if (sameApply && !f.force) {
    notes.push(`series ${f.choice.base} (same files) is already applied on ${commit.slice(0, 12)}: ${f.branch} at ${ex.branchHead!.slice(0, 12)}`);
    return { facts: f, mode: 'noop', baseCommit: commit, ladder, steps: [], notes };
  }
  if (ex.worktreeExists || ex.branchHead) {
    const ours = rec && rec.report.head !== null && ex.branchHead === rec.report.head;
    if (!ours && !f.force) {
      const what = rec ? `${f.branch} has moved since kseries applied it (commits of yours?)` : `${f.worktree} or ${f.branch} already exists but kseries has no record of it`;
      throw usageError(what, `Keep your work elsewhere, then recreate it with --force, or remove it: ${abortHint}`);
    }
    if (ex.worktreeExists && !ex.clean && !f.force) {
      throw usageError(`${f.worktree} has uncommitted changes`, `Commit or drop them, or recreate the worktree with --force (they are lost).`);
    }
    const reason = rec ? (rec.report.series.hash !== f.series.hash ? 'the series files changed' : rec.report.base.commit !== commit ? 'the base changed' : 'recreating (--force)') : 'recreating (--force)';
    steps.push({ kind: 'remove-worktree', dir: f.worktree, branch: f.branch, reason });
  }
  steps.push({ kind: 'add-worktree', repo: f.tree.repo, dir: f.worktree, branch: f.branch, commit, args: worktreeAddArgs(f.worktree, f.branch, commit) });
  for (const p of patchRefs(f.series)) steps.push(amStep(f.worktree, p));
  steps.push({ kind: 'record', file: f.recordFile });
  return { facts: f, mode: 'apply', baseCommit: commit, ladder, steps, notes };
}

export function renderStep(s: Step): string {
  switch (s.kind) {
    case 'remove-worktree':
      return `remove worktree ${s.dir} and branch ${s.branch} (${s.reason})`;
    case 'add-worktree':
      return commandLine('git', ['-C', s.repo, ...s.args]);
    case 'am':
      return `${commandLine('git', ['-C', s.cwd, ...s.args], s.env)}   # [${s.patch.index}] ${s.patch.subject}`;
    case 'record':
      return `record the result in ${s.file} and the tree's workspace (current.json)`;
  }
}

export function renderPlan(p: ApplyPlan): string {
  const f = p.facts;
  const lines = [
    `tree ${f.tree.name} (${f.tree.kind}, ${f.tree.repo})`,
    `  series:  ${f.choice.base} (${f.choice.chosenBy === 'override' ? 'given' : f.choice.chosenBy === 'exact' ? 'exact match' : 'nearest lower base'}${f.target.kernel ? ` for Linux ${f.target.kernel}` : ''}), ${f.series.patches.length} patches, ${f.series.dir}`,
    `  target:  ${f.target.ref} = ${f.target.commit}`,
    `  base:    ${p.baseCommit}`,
    ...p.ladder.map((r) => `    ${r.step.padEnd(11)} ${r.result.padEnd(11)} ${r.note}`),
    `  branch:  ${f.branch}`,
    `  worktree: ${f.worktree}`,
    ...p.notes.map((n) => `  note: ${n}`),
  ];
  if (p.mode === 'noop') lines.push('  nothing to do');
  else p.steps.forEach((s, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${renderStep(s)}`));
  return lines.join('\n');
}

/** The --json form of a plan (--dry-run). */
export function planJson(p: ApplyPlan) {
  return {
    tree: p.facts.tree.name,
    series: p.facts.choice.base,
    chosenBy: p.facts.choice.chosenBy,
    target: p.facts.target,
    mode: p.mode,
    baseCommit: p.baseCommit,
    ladder: p.ladder,
    worktree: p.facts.worktree,
    branch: p.facts.branch,
    steps: p.steps.map(renderStep),
    notes: p.notes,
  };
}
