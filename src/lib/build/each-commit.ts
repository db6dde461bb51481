// SPDX-License-Identifier: GPL-2.0-only
/**
 * The bisectability check (--each-commit): the series' base, then every commit of the
 * applied series in turn, checked out in a dedicated worktree and built in ONE O=
 * directory of its own (BUILD.commits), so each step recompiles only what the commit
 * changed. Every step gets the main build's .config (cp + olddefconfig: a commit that
 * adds a Kconfig symbol gets the value the config asks for). Per commit: built, or failed
 * with the first error, and the warnings the commit introduced (its build's ledger against
 * the previous step's). Fails on a commit that does not build or that adds warnings in a
 * file the series touches. --from N starts at patch N: the commit before it is built as the
 * reference (after a change to patch N, the patches before it need no new check).
 */
import { usageError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { Git } from '../git/git.js';
import type { StatePaths } from '../paths.js';
import type { ProgressSnapshot } from './compile-progress.js';
import type { BuildContext } from './context.js';
import { buildLayout } from './layout.js';
import { ledgerWarnings, type Ledger } from './ledger.js';
import { planBuild, renderBuildPlan } from './plan.js';
import { seriesRange, type SeriesRange } from './series-range.js';
import { buildStep, toReported, type FirstError, type ReportedWarning } from './step.js';
import type { Toolchain } from './toolchain.js';
import { buildsDelta, inFiles } from './warnings-delta.js';
import { buildWorktreeDir, checkoutArgs, checkoutDetached } from './worktree.js';
import { withLock } from '../lock/locks.js';
import { worktreeLock } from '../lock/targets.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '../exec/shell-quote.js';

/** A step of the walk: the base, or with --from N the reference (patch N-1: it must build, as the base must, and gives the warnings the next patch is compared with; its own are not compared), then patches. */
export interface EachCommitStep {
  /** 0 for the base, N-1 for the reference of --from N, then the patches' numbers (1-based). */
  index: number;
  role: 'base' | 'reference' | 'patch';
  commit: string;
  subject: string;
}

export interface CommitResult extends EachCommitStep {
  status: 'built' | 'failed';
  compiled: number;
  durationMs: number;
  firstError: FirstError | null;
  /** Warnings this commit added to the build (none for the base). */
  newWarnings: ReportedWarning[];
  /** Those of them in files the series touches: each one fails the check. */
  newInSeriesFiles: ReportedWarning[];
  log: string;
}

export interface EachCommitReport {
  tree: string;
  base: string;
  head: string;
  worktree: string;
  buildDir: string;
  w1: boolean;
  /** The first patch checked (--from; 1: the whole series from its base). */
  from: number;
  /** The command line of each step's make (the same for all, in the worktree). */
  command: string;
  touched: string[];
  commits: CommitResult[];
  ok: boolean;
  failed: number;
  withNewWarnings: number;
}

export interface EachCommitOptions {
  /** --from N: start at patch N (default 1). */
  from?: number;
  onStep?: (title: string) => void;
  onProgress?: (s: ProgressSnapshot) => void;
}

export const commitsBuildDir = (mainBuildDir: string) => `${mainBuildDir}.commits`;

function stepSpec(ctx: BuildContext, dir: string) {
  const main = buildLayout(ctx.spec.buildDir);
  return { ...ctx.spec, srcDir: dir, buildDir: commitsBuildDir(ctx.spec.buildDir), configFile: ctx.spec.configFile ?? main.config };
}

/** The steps of the walk from patch FROM (1-based): its reference (the base for 1, else patch FROM-1), then FROM..N. */
export function eachCommitSteps(range: SeriesRange, from = 1): EachCommitStep[] {
  const n = range.commits.length;
  if (!Number.isInteger(from) || from < 1 || from > n) {
    throw usageError(`--from ${from}: the series has ${n} commit${n === 1 ? '' : 's'}`, `Give a patch number from 1 to ${n} (1: from the base).`);
  }
  const before = range.commits[from - 2];
  const reference: EachCommitStep = before
    ? { index: from - 1, role: 'reference', commit: before.commit, subject: before.subject }
    : { index: 0, role: 'base', commit: range.base, subject: '(base of the series)' };
  return [reference, ...range.commits.slice(from - 1).map((c, i) => ({ index: from + i, role: 'patch' as const, commit: c.commit, subject: c.subject }))];
}

/** --dry-run: the commits and the commands, nothing run. */
export async function planEachCommit(paths: StatePaths, ctx: BuildContext, from = 1): Promise<{ range: SeriesRange; commands: string[] }> {
  const range = await seriesRange(ctx.spec.srcDir, ctx.workspace, ctx.tree.name);
  const steps = eachCommitSteps(range, from);
  const dir = buildWorktreeDir(paths, ctx.tree.name, 'build-commits');
  const spec = stepSpec(ctx, dir);
  const commands: string[] = [];
  let exists = existsSync(join(dir, '.git'));
  for (const c of steps.map((x) => x.commit)) {
    for (const a of checkoutArgs(dir, c, exists)) commands.push(commandLine('git', exists ? a : ['-C', ctx.spec.srcDir, ...a]));
    exists = true;
    commands.push(renderBuildPlan(planBuild(spec, 'STAMP')));
  }
  return { range, commands };
}

export async function runEachCommit(runner: Runner, paths: StatePaths, ctx: BuildContext, toolchain: Toolchain | Promise<Toolchain>, opts: EachCommitOptions = {}): Promise<EachCommitReport> {
  const range = await seriesRange(ctx.spec.srcDir, ctx.workspace, ctx.tree.name);
  const dir = buildWorktreeDir(paths, ctx.tree.name, 'build-commits');
  const repo = new Git(ctx.spec.srcDir);
  const spec = stepSpec(ctx, dir);
  const touched = new Set(range.touched);
  const from = opts.from ?? 1;
  const steps = eachCommitSteps(range, from);
  const results: CommitResult[] = [];
  let previous: Ledger | null = null;
  let command = '';
  // the worktree is the tree's, shared by its build directories: one run at a time in it
  await withLock(worktreeLock(paths, dir), async () => {
    for (const s of steps) {
      const label = s.role === 'base' ? `base ${s.commit.slice(0, 12)}` : `${s.role === 'reference' ? 'reference ' : ''}${s.index}/${range.commits.length} ${s.commit.slice(0, 12)} ${s.subject}`;
      opts.onStep?.(`checking out ${label}`);
      await checkoutDetached(repo, dir, s.commit);
      opts.onStep?.(`building ${label}`);
      const { report, outcome } = await buildStep(runner, {
        spec,
        toolchain,
        commit: s.commit,
        baseCommit: range.base,
        series: ctx.workspace?.series ?? null,
        header: [`each-commit step ${s.index}${s.role === 'reference' ? ' (reference)' : ''}: ${s.commit} ${s.subject}`],
        onProgress: opts.onProgress,
      });
      command = report.command;
      const added = previous && s.role === 'patch' ? buildsDelta(ledgerWarnings(previous), ledgerWarnings(outcome.ledger)).added.map(toReported) : [];
      previous = outcome.ledger;
      results.push({
        ...s,
        status: report.status === 'ok' ? 'built' : 'failed',
        compiled: report.compiled,
        durationMs: report.durationMs,
        firstError: report.firstError,
        newWarnings: added,
        newInSeriesFiles: inFiles(added, touched).touched,
        log: report.log,
      });
    }
  });
  const failed = results.filter((r) => r.status === 'failed').length;
  const withNewWarnings = results.filter((r) => r.newInSeriesFiles.length).length;
  return {
    tree: ctx.tree.name,
    base: range.base,
    head: range.head,
    worktree: dir,
    buildDir: spec.buildDir,
    w1: spec.w1,
    from,
    command,
    touched: range.touched,
    commits: results,
    ok: failed === 0 && withNewWarnings === 0,
    failed,
    withNewWarnings,
  };
}
