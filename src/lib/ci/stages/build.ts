// SPDX-License-Identifier: GPL-2.0-only
/** The build stage: the build service (make bzImage modules in the O= directory), one test case per build error. */
import { renderProgress } from '../../build/compile-progress.js';
import { buildLocks, resolveBuild } from '../../build/context.js';
import type { LogIssue } from '../../build/make-log.js';
import { buildStep, type BuildReport } from '../../build/step.js';
import { probeToolchain } from '../../build/toolchain.js';
import { acquireLock } from '../../lock/locks.js';
import { resultsDirLock } from '../../lock/targets.js';
import { formatDuration } from '../../report/summary.js';
import type { TestCase } from '../../report/model.js';
import type { StageImpl } from '../executor.js';
import { recorded } from '../recording.js';
import { copyLog, plural, type StageDeps } from './deps.js';
import { selftestResultsDir } from './selftest.js';

const where = (e: Pick<LogIssue, 'rel' | 'line' | 'column'> & { path?: string | null }) =>
  `${e.rel ?? e.path ?? '(build)'}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}`;

function errorCase(e: LogIssue): TestCase {
  return {
    name: `${where(e)}: ${e.message}`.slice(0, 200),
    classname: `build.${e.tool}`,
    status: 'fail',
    message: e.message,
    details: e.context.join('\n'),
    file: e.rel ?? undefined,
    line: e.line ?? undefined,
  };
}

export function buildSummary(r: BuildReport): string {
  if (r.status !== 'ok') {
    const e = r.firstError;
    return `${plural(r.errors, 'error')}${e ? `, first: ${where(e)}: ${e.message}` : ` (make exit ${r.makeExitCode})`}`;
  }
  const warn = r.warnings.length ? `, ${plural(r.warnings.length, 'warning')}${r.newWarnings.length ? ` (${r.newWarnings.length} new)` : ''}` : ', no warnings';
  const image = r.artifacts.filter((a) => a.kind === 'image').map((a) => a.path.split('/').pop()).join(', ') || 'the kernel';
  const modules = r.artifacts.filter((a) => a.kind === 'module').length;
  return `built ${image}${modules ? ` and ${plural(modules, 'module')}` : ''}: ${plural(r.compiled, 'object')} compiled${warn} in ${formatDuration(r.durationMs)}`;
}

export const buildStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const o = ctx.plan.options;
    const resolve = () => resolveBuild(deps.paths, {
      tree: ctx.tree.tree,
      arch: 'x86_64',
      profile: 'default',
      jobs: o.jobs ?? undefined,
      llvm: false,
      ccache: o.ccache,
      w1: false,
      nice: 0,
      timeoutSec: 10800,
      dryRun: false,
    });
    // the tree shared and the build directory, kept until the tree's last stage: the selftests boot this kernel;
    // before them the selftest stage's results directory, which comes first in the global order (lock/order.ts)
    const selftest = ctx.tree.stages.some((s) => s.id === 'selftest') ? [resultsDirLock(deps.paths, selftestResultsDir(ctx.tree))] : [];
    for (const t of [...selftest, ...buildLocks(deps.paths, resolve())]) ctx.hold(await acquireLock(t));
    const bctx = resolve(); // as it is now that nothing else can change it
    for (const w of bctx.warnings) ctx.output(`warning: ${w}`);
    const w = bctx.workspace;
    const { value, commands } = await recorded(deps.runner, async (runner) => {
      const toolchain = await probeToolchain(runner, bctx.spec, `${bctx.tree.name} for ${bctx.spec.arch.name}`);
      return buildStep(runner, {
        spec: bctx.spec,
        toolchain,
        commit: w?.head ?? null,
        baseCommit: w?.baseCommit ?? null,
        series: w?.series ?? null,
        onProgress: (s) => ctx.output(renderProgress(s)),
      });
    });
    const { report: r, outcome } = value;
    const tests: TestCase[] =
      r.status === 'ok'
        ? [{ name: `make ${bctx.spec.targets.join(' ')}`, classname: 'build', status: 'pass', message: `${plural(r.compiled, 'object')} compiled`, durationMs: r.durationMs }]
        : outcome.log.errors.length
          ? outcome.log.errors.map(errorCase)
          : [{ name: `make ${bctx.spec.targets.join(' ')}`, classname: 'build', status: 'fail', message: `make exited with ${r.makeExitCode}`, durationMs: r.durationMs }];
    return {
      results: [
        {
          name: 'build',
          status: r.status === 'ok' ? 'pass' : 'fail',
          durationMs: 0,
          summary: buildSummary(r),
          logs: [...copyLog(ctx, r.log, 'build.log'), ...copyLog(ctx, r.metadata, 'build-metadata.json')],
          command: null,
          commands: commands.filter((c) => !/ --version$/.test(c)),
          tests,
        },
      ],
    };
  };
