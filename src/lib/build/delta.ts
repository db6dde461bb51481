// SPDX-License-Identifier: GPL-2.0-only
/**
 * --warnings-delta: build the tree with the series (the applied worktree, its own O=
 * directory) and without it (a detached worktree of the workspace's base commit, with
 * ITS own O= directory, BUILD.base), both under the same config, so that both stay
 * incremental; then compare the two builds' warnings ledgers. Only the warnings the
 * series introduced are reported; those in files the series touches fail the check.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { commandLine } from '../exec/shell-quote.js';
import { Git } from '../git/git.js';
import type { StatePaths } from '../paths.js';
import type { ProgressSnapshot } from './compile-progress.js';
import type { BuildContext } from './context.js';
import { buildLayout } from './layout.js';
import { ledgerWarnings, type LedgerWarning } from './ledger.js';
import { planBuild, renderBuildPlan } from './plan.js';
import { seriesRange } from './series-range.js';
import type { BuildSpec } from './spec.js';
import { buildStep, toReported, type BuildReport, type ReportedWarning } from './step.js';
import type { Toolchain } from './toolchain.js';
import { buildsDelta, inFiles, type WarningsDelta } from './warnings-delta.js';
import { buildWorktreeDir, checkoutArgs, checkoutDetached } from './worktree.js';
import { withLock } from '../lock/locks.js';
import { worktreeLock } from '../lock/targets.js';

export interface DeltaReport {
  tree: string;
  base: string;
  head: string;
  /** Files the series touches (git diff --name-only base..head). */
  touched: string[];
  headBuild: BuildReport;
  baseBuild: BuildReport | null;
  /** Warnings of the build with the series that the build without it does not have. */
  newWarnings: ReportedWarning[];
  /** … of which in files the series touches (each fails the check). */
  newInSeriesFiles: ReportedWarning[];
  /** Warnings the series made go away. */
  fixedWarnings: ReportedWarning[];
  ok: boolean;
}

export interface DeltaOptions {
  onStep?: (title: string) => void;
  onProgress?: (s: ProgressSnapshot) => void;
}

export const baseBuildDir = (mainBuildDir: string) => `${mainBuildDir}.base`;

function baseSpec(paths: StatePaths, ctx: BuildContext): BuildSpec {
  const dir = buildWorktreeDir(paths, ctx.tree.name, 'build-base');
  return { ...ctx.spec, srcDir: dir, buildDir: baseBuildDir(ctx.spec.buildDir), configFile: ctx.spec.configFile ?? buildLayout(ctx.spec.buildDir).config };
}

export async function planDelta(paths: StatePaths, ctx: BuildContext): Promise<{ base: string; head: string; commands: string[] }> {
  const range = await seriesRange(ctx.spec.srcDir, ctx.workspace, ctx.tree.name);
  const spec = baseSpec(paths, ctx);
  const exists = existsSync(join(spec.srcDir, '.git'));
  const checkout = checkoutArgs(spec.srcDir, range.base, exists).map((a) => commandLine('git', exists ? a : ['-C', ctx.spec.srcDir, ...a]));
  return {
    base: range.base,
    head: range.head,
    commands: [renderBuildPlan(planBuild(ctx.spec, 'STAMP')), ...checkout, renderBuildPlan(planBuild(spec, 'STAMP'))],
  };
}

export async function runDelta(runner: Runner, paths: StatePaths, ctx: BuildContext, toolchain: Toolchain | Promise<Toolchain>, opts: DeltaOptions = {}): Promise<DeltaReport> {
  const range = await seriesRange(ctx.spec.srcDir, ctx.workspace, ctx.tree.name);
  opts.onStep?.(`building ${ctx.tree.name} with the series (${range.head.slice(0, 12)})`);
  const head = await buildStep(runner, {
    spec: ctx.spec,
    toolchain,
    commit: range.head,
    baseCommit: range.base,
    series: ctx.workspace?.series ?? null,
    onProgress: opts.onProgress,
  });
  const result = (base: BuildReport | null, delta?: WarningsDelta<LedgerWarning & { count: number }>): DeltaReport => {
    const added = (delta?.added ?? []).map(toReported);
    const inSeries = inFiles(added, new Set(range.touched)).touched;
    return {
      tree: ctx.tree.name,
      base: range.base,
      head: range.head,
      touched: range.touched,
      headBuild: head.report,
      baseBuild: base,
      newWarnings: added,
      newInSeriesFiles: inSeries,
      fixedWarnings: (delta?.removed ?? []).map(toReported),
      ok: head.report.status === 'ok' && base?.status === 'ok' && inSeries.length === 0,
    };
  };
  if (head.report.status !== 'ok') return result(null);

  const spec = baseSpec(paths, ctx);
  // the worktree is the tree's, shared by its build directories: one run at a time in it
  const base = await withLock(worktreeLock(paths, spec.srcDir), async () => {
    opts.onStep?.(`checking out the base ${range.base.slice(0, 12)} in ${spec.srcDir}`);
    await checkoutDetached(new Git(ctx.spec.srcDir), spec.srcDir, range.base);
    opts.onStep?.(`building ${ctx.tree.name} without the series (${range.base.slice(0, 12)})`);
    return buildStep(runner, {
      spec,
      toolchain,
      commit: range.base,
      baseCommit: range.base,
      series: null,
      header: [`warnings delta: the base ${range.base} of the series`],
      onProgress: opts.onProgress,
    });
  });
  return result(base.report, buildsDelta(ledgerWarnings(base.outcome.ledger), ledgerWarnings(head.outcome.ledger)));
}
