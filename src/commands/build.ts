// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { note, runTasks } from '../lib/cli/progress.js';
import { ARCH_NAMES } from '../lib/build/arches.js';
import { describeCcache } from '../lib/build/ccache.js';
import { renderProgress, type ProgressSnapshot } from '../lib/build/compile-progress.js';
import { buildLocks, resolveBuild, type BuildContext } from '../lib/build/context.js';
import { planDelta, runDelta, type DeltaReport } from '../lib/build/delta.js';
import { planEachCommit, runEachCommit, type EachCommitReport } from '../lib/build/each-commit.js';
import { planBuild, renderBuildPlan } from '../lib/build/plan.js';
import { renderBuild, renderDelta, renderEachCommit } from '../lib/build/render.js';
import { buildStep, type BuildReport } from '../lib/build/step.js';
import { probeToolchain } from '../lib/build/toolchain.js';
import { runStamp } from '../lib/build/layout.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { withLock } from '../lib/lock/locks.js';

type DryRun = { dryRun: true; mode: string; commands: string[]; buildDir: string; srcDir: string; targets: string[] };

export default class Build extends KseriesCommand {
  static override summary = 'Build the kernel and modules of a tree out of tree (O=), incrementally, and locate the first error.';
  static override description = withExitCodes(
    'Builds the applied worktree of the tree (kseries apply) in its O= directory <cache>/build/<tree>/<arch>-<profile>/ ' +
      '(configured by `kseries kconfig apply`, or --config FILE), so that a rebuild only recompiles what changed. Shows ' +
      'objects compiled against an estimate from the last build (a first build says it has none) and the directory being built; saves the full output in BUILD/logs/ (BUILD/build.log ' +
      'is the last one) and writes BUILD/metadata.json (commits, config hash, toolchain, the command line that reproduces the ' +
      'build, durations, warnings, artifacts). A build error exits 1 and shows the first error with file:line and the lines ' +
      'around it; a missing compiler, tool or host header exits 3 with the package to install. ' +
      '--warnings-delta also builds the series\' base (a detached worktree, O= BUILD.base) under the same config and reports ' +
      'only the warnings the series introduced (matched by file, flag and message, not line); new ones in files the series ' +
      'touches exit 1. --each-commit builds the base and then every commit of the series in a dedicated worktree (O= ' +
      'BUILD.commits) and reports per commit: built, failed (first error) or new warnings: the bisectability check. ' +
      'The compilers run under ccache whenever it is installed (CCACHE_DIR, else <cache>/ccache); --no-ccache turns it ' +
      'off (switching either way recompiles everything once). Other architectures are ' +
      'cross-compiled (CROSS_COMPILE, or clang with --llvm).',
  );
  static override examples = [
    '<%= config.bin %> build --tree k61',
    '<%= config.bin %> build --tree k61 --ccache --W1 --json',
    '<%= config.bin %> build --tree k61 --targets drivers/dax/ --dry-run',
    '<%= config.bin %> build --tree k61 --warnings-delta --W1',
    '<%= config.bin %> build --tree k61 --each-commit --W1',
    '<%= config.bin %> build --tree k61 --arch arm64 --llvm --config arm64.config',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', required: true, summary: 'The tree to build (kseries tree list).' }),
    jobs: Flags.integer({ char: 'j', min: 1, summary: 'Parallel jobs (make -jN); default: the number of CPUs.' }),
    arch: Flags.string({ default: 'x86_64', options: ARCH_NAMES, summary: 'Target architecture; cross-compiled when the host differs.' }),
    llvm: Flags.boolean({ summary: 'Build with clang and the LLVM tools (LLVM=1).' }),
    ccache: Flags.boolean({
      allowNo: true,
      summary: 'Run the compilers under ccache: the default when ccache is installed; --no-ccache turns it off (switching rebuilds everything once).',
    }),
    W1: Flags.boolean({ summary: 'Extra warnings (make W=1), as maintainers build.' }),
    targets: Flags.string({ summary: 'Comma-separated make targets (default: the boot image, and modules when CONFIG_MODULES=y).' }),
    profile: Flags.string({ default: 'default', summary: 'Build profile: the build directory is <cache>/build/<tree>/<arch>-<profile>.' }),
    'build-dir': Flags.string({ summary: 'Build in this O= directory instead.' }),
    config: Flags.string({ summary: 'Use this .config (copied into the build directory, then make olddefconfig).' }),
    'warnings-delta': Flags.boolean({ summary: 'Also build without the series and report only the warnings it introduced.', exclusive: ['each-commit'] }),
    'each-commit': Flags.boolean({ summary: 'Build every commit of the series in turn (bisectability).', exclusive: ['warnings-delta'] }),
    timeout: Flags.integer({ default: 10800, min: 0, summary: 'Seconds one make may run before it is stopped (exit 3); 0: no limit.' }),
    nice: Flags.integer({ default: 0, min: 0, max: 19, summary: 'Run make under nice -n N (share the machine).' }),
    'dry-run': Flags.boolean({ summary: 'Print the commands that would run, and run nothing.' }),
    ...noWaitFlag,
  };

  async run(): Promise<BuildReport | DeltaReport | EachCommitReport | DryRun> {
    const { flags } = await this.parse(Build);
    const request = {
      tree: flags.tree,
      arch: flags.arch,
      profile: flags.profile,
      jobs: flags.jobs,
      llvm: flags.llvm,
      ccache: flags.ccache,
      w1: flags.W1,
      targets: flags.targets,
      buildDir: flags['build-dir'],
      config: flags.config,
      nice: flags.nice,
      timeoutSec: flags.timeout,
      dryRun: flags['dry-run'],
    };
    let ctx = resolveBuild(this.state, request);
    for (const w of ctx.warnings) this.warn2(w);
    const mode = flags['each-commit'] ? 'each-commit' : flags['warnings-delta'] ? 'warnings-delta' : 'build';
    if (flags['dry-run']) return this.dryRun(ctx, mode);

    const what = `${ctx.tree.name} for ${ctx.spec.arch.name}`;
    // --version of each tool runs beside make: only metadata.json waits for it (missing tools were caught from PATH)
    const toolchain = probeToolchain(this.runner, ctx.spec, what);
    toolchain.catch(() => undefined);
    if (mode === 'build') note(this.quiet, `source ${ctx.spec.srcDir}\nO=${ctx.spec.buildDir}\n${describeCcache(ctx.ccache)}\n$ ${planBuild(ctx.spec, runStamp()).commandLine}`);
    let result!: BuildReport | DeltaReport | EachCommitReport;
    // the tree shared (no apply/rebase under make), the O= directory exclusively: another run waits, or exits 3 with --no-wait
    await withLock(buildLocks(this.state, ctx), () => {
      ctx = resolveBuild(this.state, request); // what apply left, if this run waited for it
      return runTasks(
        [
          {
            title: `${mode === 'build' ? 'Building' : mode === 'each-commit' ? 'Building each commit of' : 'Warnings delta of'} ${what}`,
            task: async (_ctx, task) => {
              let step = '';
              const onProgress = (s: ProgressSnapshot) => (task.output = `${step ? `${step}: ` : ''}${renderProgress(s)}`);
              const onStep = (t: string) => {
                step = t;
                task.output = t;
              };
              if (mode === 'each-commit') result = await runEachCommit(this.runner, this.state, ctx, toolchain, { onStep, onProgress });
              else if (mode === 'warnings-delta') result = await runDelta(this.runner, this.state, ctx, toolchain, { onStep, onProgress });
              else {
                const w = ctx.workspace;
                result = (
                  await buildStep(this.runner, {
                    spec: ctx.spec,
                    toolchain,
                    commit: w?.head ?? null,
                    baseCommit: w?.baseCommit ?? null,
                    series: w?.series ?? null,
                    onProgress,
                  })
                ).report;
              }
            },
          },
        ],
        { quiet: this.quiet },
      );
    });
    if (mode === 'each-commit') {
      const r = result as EachCommitReport;
      this.out(renderEachCommit(r));
      if (!r.ok) this.verdict('fail');
    } else if (mode === 'warnings-delta') {
      const r = result as DeltaReport;
      this.out(renderDelta(r));
      if (!r.ok) this.verdict('fail');
    } else {
      const r = result as BuildReport;
      this.out(renderBuild(r));
      if (r.status !== 'ok') this.verdict('fail');
    }
    return result;
  }

  private async dryRun(ctx: BuildContext, mode: string): Promise<DryRun> {
    let commands: string[];
    if (mode === 'each-commit') commands = (await planEachCommit(this.state, ctx)).commands;
    else if (mode === 'warnings-delta') commands = (await planDelta(this.state, ctx)).commands;
    else commands = [renderBuildPlan(planBuild(ctx.spec, runStamp()))];
    this.out(commands.join('\n'));
    return { dryRun: true, mode, commands, buildDir: ctx.spec.buildDir, srcDir: ctx.spec.srcDir, targets: ctx.spec.targets };
  }
}
