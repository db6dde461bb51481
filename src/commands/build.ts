// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { ARCH_NAMES } from '../lib/build/arches.js';
import { dryRunBuild, executeBuild, type BuildDryRun, type BuildMode } from '../lib/build/command.js';
import { resolveBuild } from '../lib/build/context.js';
import type { DeltaReport } from '../lib/build/delta.js';
import type { EachCommitReport } from '../lib/build/each-commit.js';
import type { BuildReport } from '../lib/build/step.js';

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
      'BUILD.commits) and reports per commit: built, failed (first error) or new warnings: the bisectability check; ' +
      'with --from N it starts at patch N, building the commit before it as the reference (after a change to patch N). ' +
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
    '<%= config.bin %> build --tree k61 --each-commit --from 4',
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
    from: Flags.integer({ min: 1, dependsOn: ['each-commit'], summary: 'With --each-commit: start at patch N; the commit before it is built as the reference.' }),
    timeout: Flags.integer({ default: 10800, min: 0, summary: 'Seconds one make may run before it is stopped (exit 3); 0: no limit.' }),
    nice: Flags.integer({ default: 0, min: 0, max: 19, summary: 'Run make under nice -n N (share the machine).' }),
    'dry-run': Flags.boolean({ summary: 'Print the commands that would run, and run nothing.' }),
    ...noWaitFlag,
  };

  async run(): Promise<BuildReport | DeltaReport | EachCommitReport | BuildDryRun> {
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
      from: flags.from,
    };
    const ctx = resolveBuild(this.state, request);
    for (const w of ctx.warnings) this.warn2(w);
    const mode: BuildMode = flags['each-commit'] ? 'each-commit' : flags['warnings-delta'] ? 'warnings-delta' : 'build';
    if (flags['dry-run']) {
      const dry = await dryRunBuild(this.state, request, ctx, mode);
      this.out(dry.commands.join('\n'));
      return dry;
    }
    const outcome = await executeBuild(this.runner, this.state, request, ctx, mode, this.quiet);
    this.out(outcome.text);
    if (!outcome.ok) this.verdict('fail');
    return outcome.result;
  }
}
