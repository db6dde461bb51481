// SPDX-License-Identifier: GPL-2.0-only
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { interruptSignal } from '../lib/cli/interrupt.js';
import { ARCH_NAMES } from '../lib/build/arches.js';
import { InterruptedError } from '../lib/errors.js';
import { claimRunDir, runDirStamp } from '../lib/run-dir.js';
import { chooseAccelCached } from '../lib/vm/accel-cache.js';
import { checkWatchRequest } from '../lib/watch/check.js';
import { dryRunWatch, type WatchDryRun } from '../lib/watch/dry-run.js';
import { watchLoop, type WatchReport } from '../lib/watch/loop.js';

export default class Watch extends KseriesCommand {
  static override summary = 'Keep the inner loop running: after each save in the worktree, rebuild and rerun the chosen scenarios, printing only what changed.';
  static override description = withExitCodes(
    'Runs a first round at once, then one after each save in the applied worktree of the tree (inotify on its directories; ' +
      'editor swap and backup files ignored; a burst of saves within --debounce ms is one round). A round is the incremental ' +
      '`kseries build` of the tree (same O= directory, ccache and locks) and, when it built, `kseries selftest` of the ' +
      '--scenario/--kselftests given (results in DIR/round-N/). Each round prints one line for the build (objects, seconds, ' +
      'or the first error) and then only what moved since the round before: new warnings, warnings gone, boots whose verdict ' +
      'or failing tests changed ("tests unchanged" otherwise). The accelerator is chosen once. Ctrl-C stops after cleaning ' +
      'up (exit 130); --rounds N stops after N rounds with the last round\'s status (0 ok, 1 failed, 3 infrastructure).',
  );
  static override examples = [
    '<%= config.bin %> watch --tree k61 --scenario kmem-persist-suite',
    '<%= config.bin %> watch --tree k61 --scenario kmem-persist-blk --scenario kmem-persist-pressure --debounce 1000',
    '<%= config.bin %> watch --tree k61 --rounds 1 --json',
    '<%= config.bin %> watch --tree k61 --scenario kmem-persist-exclusive --dry-run',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', required: true, summary: 'The tree whose worktree is watched (kseries tree list).' }),
    scenario: Flags.string({ multiple: true, summary: 'A scenario to rerun after each good build (repeatable); none: build only.' }),
    kselftests: Flags.string({ summary: 'kselftest TARGETS to rerun after each good build ("memory-hotplug,dax").' }),
    profile: Flags.string({ default: 'default', summary: 'Build profile: the build directory is <cache>/build/<tree>/<arch>-<profile>.' }),
    'build-dir': Flags.string({ summary: 'Build in this O= directory instead.' }),
    arch: Flags.string({ default: 'x86_64', options: ARCH_NAMES, summary: 'Target architecture (scenarios boot x86_64 only).' }),
    jobs: Flags.integer({ char: 'j', min: 1, summary: 'Parallel jobs (make -jN); default: the number of CPUs.' }),
    ccache: Flags.boolean({ allowNo: true, summary: 'As for kseries build: on when ccache is installed.' }),
    W1: Flags.boolean({ summary: 'Build with W=1.' }),
    accel: Flags.string({ options: ['auto', 'kvm', 'tcg'], default: 'auto', summary: 'auto: KVM only when a probe (run once) shows it works.' }),
    debounce: Flags.integer({ default: 300, min: 0, summary: 'Milliseconds without a save before a round starts.' }),
    rounds: Flags.integer({ default: 0, min: 0, summary: 'Stop after this many rounds (0: until Ctrl-C).' }),
    results: Flags.directory({ summary: 'Results dir (default ./kseries-results/TREE/watch-TIMESTAMP).' }),
    'dry-run': Flags.boolean({ summary: 'Print what a round would run (the build and the scenarios\' command lines), and run nothing.' }),
  };

  async run(): Promise<WatchReport | WatchDryRun> {
    const { flags } = await this.parse(Watch);
    const build = {
      tree: flags.tree, arch: flags.arch, profile: flags.profile, buildDir: flags['build-dir'], jobs: flags.jobs, llvm: false, ccache: flags.ccache,
      w1: flags.W1, nice: 0, timeoutSec: 10800, dryRun: false,
    };
    const scenarios = flags.scenario ?? [];
    const { srcDir } = checkWatchRequest(this.state, build, scenarios, flags.kselftests);
    const resultsDir = flags.results ?? claimRunDir(join('kseries-results', flags.tree), `watch-${runDirStamp()}`, { create: !flags['dry-run'] });
    if (flags['dry-run']) {
      const dry = await dryRunWatch(this.state, build, scenarios, flags.kselftests, resultsDir, flags.accel as 'auto' | 'kvm' | 'tcg');
      this.out(dry.text);
      return dry;
    }
    const signal = interruptSignal();
    const report = await watchLoop(
      {
        build, scenarios, kselftests: flags.kselftests, debounceMs: flags.debounce, rounds: flags.rounds,
        resultsDir,
      },
      {
        runner: this.runner, paths: this.state,
        chooseAccel: async () =>
          flags.accel === 'auto' ? chooseAccelCached(this.runner, this.state.cache) : { accel: flags.accel as 'kvm' | 'tcg', reason: `--accel ${flags.accel}` },
        say: (l) => this.out(l),
        progress: (l) => !this.jsonEnabled() && process.stderr.write(`${l}\n`),
        interrupted: new Promise((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r()))),
      },
      srcDir,
    );
    if (signal.aborted) throw new InterruptedError('interrupted: the watch stopped');
    const last = report.rounds[report.rounds.length - 1];
    if (last && last.status !== 'ok') this.verdict(last.status === 'fail' ? 'fail' : 'infra');
    return report;
  }
}
