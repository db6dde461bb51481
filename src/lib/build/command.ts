// SPDX-License-Identifier: GPL-2.0-only
/**
 * What `kseries build` does once its flags are parsed: the build, --each-commit or
 * --warnings-delta under the tree's shared lock and the build directory's lock, with
 * listr2 progress, and the report rendered; or, for --dry-run, the commands only.
 */
import { join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import type { StatePaths } from '../paths.js';
import { note, runTasks } from '../cli/progress.js';
import { withLock } from '../lock/locks.js';
import { describeCcache } from './ccache.js';
import { renderProgress, type ProgressSnapshot } from './compile-progress.js';
import { buildLocks, resolveBuild, type BuildContext, type BuildRequest } from './context.js';
import type { DeltaReport } from './delta.js';
import type { EachCommitReport } from './each-commit.js';
import { runStamp } from './layout.js';
import { planBuild, renderBuildPlan } from './plan.js';
import { renderBuild, renderDelta, renderEachCommit } from './render.js';
import { buildStep, type BuildReport } from './step.js';
import { probeToolchain } from './toolchain.js';
import { HostMemo } from '../host-memo.js';

export type BuildMode = 'build' | 'each-commit' | 'warnings-delta';
export type BuildDryRun = { dryRun: true; mode: BuildMode; commands: string[]; buildDir: string; srcDir: string; targets: string[] };
export interface BuildOutcome {
  result: BuildReport | DeltaReport | EachCommitReport;
  text: string;
  ok: boolean;
}

const TITLES: Record<BuildMode, string> = { build: 'Building', 'each-commit': 'Building each commit of', 'warnings-delta': 'Warnings delta of' };

/** The commands --dry-run prints, and runs nothing. */
export async function dryRunBuild(paths: StatePaths, request: BuildRequest, ctx: BuildContext, mode: BuildMode): Promise<BuildDryRun> {
  let commands: string[];
  if (mode === 'each-commit') commands = (await (await import('./each-commit.js')).planEachCommit(paths, ctx, request.from)).commands;
  else if (mode === 'warnings-delta') commands = (await (await import('./delta.js')).planDelta(paths, ctx)).commands;
  else commands = [renderBuildPlan(planBuild(ctx.spec, runStamp()))];
  return { dryRun: true, mode, commands, buildDir: ctx.spec.buildDir, srcDir: ctx.spec.srcDir, targets: ctx.spec.targets };
}

/** Runs the build of MODE for the request (ctx: its resolution before the locks) and renders its report. */
export async function executeBuild(runner: Runner, paths: StatePaths, request: BuildRequest, first: BuildContext, mode: BuildMode, quiet: boolean): Promise<BuildOutcome> {
  let ctx = first;
  const what = `${ctx.tree.name} for ${ctx.spec.arch.name}`;
  // --version of each tool runs beside make: only metadata.json waits for it (missing tools were caught from PATH)
  const toolchain = probeToolchain(runner, ctx.spec, what, new HostMemo(join(paths.cache, 'toolchain-memo.json')));
  toolchain.catch(() => undefined);
  if (mode === 'build') note(quiet, `source ${ctx.spec.srcDir}\nO=${ctx.spec.buildDir}\n${describeCcache(ctx.ccache)}\n$ ${planBuild(ctx.spec, runStamp()).commandLine}`);
  let result!: BuildReport | DeltaReport | EachCommitReport;
  // the tree shared (no apply/rebase under make), the O= directory exclusively: another run waits, or exits 3 with --no-wait
  await withLock(buildLocks(paths, ctx), () => {
    ctx = resolveBuild(paths, request); // what apply left, if this run waited for it
    const task = async (_c: unknown, t: { output: string }) => {
      let step = '';
      const onProgress = (s: ProgressSnapshot) => (t.output = `${step ? `${step}: ` : ''}${renderProgress(s)}`);
      const onStep = (s: string) => {
        step = s;
        t.output = s;
      };
      // git (simple-git) is loaded only by the modes that walk commits: a plain build starts without it
      if (mode === 'each-commit') result = await (await import('./each-commit.js')).runEachCommit(runner, paths, ctx, toolchain, { from: request.from, onStep, onProgress });
      else if (mode === 'warnings-delta') result = await (await import('./delta.js')).runDelta(runner, paths, ctx, toolchain, { onStep, onProgress });
      else {
        const w = ctx.workspace;
        const step0 = { spec: ctx.spec, toolchain, commit: w?.head ?? null, baseCommit: w?.baseCommit ?? null, series: w?.series ?? null, onProgress };
        result = (await buildStep(runner, step0)).report;
      }
    };
    return runTasks([{ title: `${TITLES[mode]} ${what}`, task }], { quiet });
  });
  if (mode === 'each-commit') {
    const r = result as EachCommitReport;
    return { result: r, text: renderEachCommit(r), ok: r.ok };
  }
  if (mode === 'warnings-delta') {
    const r = result as DeltaReport;
    return { result: r, text: renderDelta(r), ok: r.ok };
  }
  const r = result as BuildReport;
  return { result: r, text: renderBuild(r), ok: r.status === 'ok' };
}
