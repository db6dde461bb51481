// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { noWaitFlag } from '../../lib/cli/no-wait.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { progressEnabled } from '../../lib/cli/progress.js';
import { planCiRequest, runCiPlan } from '../../lib/ci/command.js';
import { verdictOf } from '../../lib/ci/exit.js';
import { DEFAULT_SCENARIOS, renderCiPlan, type CiPlan } from '../../lib/ci/plan.js';
import { renderCiRun } from '../../lib/ci/render.js';
import { InterruptedError } from '../../lib/errors.js';
import type { CiResults } from '../../lib/report/ci-results.js';
import { patchesFlag } from '../../lib/series/root.js';

export default class Ci extends KseriesCommand {
  static override summary = 'Run the whole pipeline on one or more trees: apply, kconfig, build, checkpatch, selftests; write the reports.';
  static override description = withExitCodes(
    'For each tree, one after the other: apply the series → configure (tinyconfig + the feature, platform and ' +
      'persist-blk fragments and the selftests\' configs) and verify every symbol → build bzImage and modules (under ccache when it is installed, unless --no-ccache) → ' +
      `checkpatch every patch → boot the kernel in QEMU and run the scenarios (${DEFAULT_SCENARIOS.join(', ')}; kselftest runs the memory-hotplug kselftest). A stage whose ` +
      'needs did not pass is skipped (reported SKIP, never PASS): a failed build skips the selftests, but checkpatch, ' +
      'which needs only the tree and the patches, still runs; a failed apply skips everything else. Without --tree, ' +
      'the tree is k61 — registered from debian:6.1 by the run itself when no tree is registered yet. ' +
      'Writes RESULTS/<tree>/{summary.md,results.json,junit.xml,commands.sh,logs/,selftest/} and the same four ' +
      'files for all trees at the top of RESULTS (default ./kseries-results/ci-<timestamp>/). Exits 1 when anything ' +
      'failed — a failure on one tree is never masked by an infrastructure problem on another — else 3 when ' +
      'something could not run, else 0. Without --keep-going, trees after the first that does not pass are skipped.',
  );
  static override examples = [
    '<%= config.bin %> ci',
    '<%= config.bin %> ci --tree k61 --no-ccache',
    '<%= config.bin %> ci --all --keep-going --results out/ --json',
    '<%= config.bin %> ci --tree k61 --scenario pmem-persistence --dry-run',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', multiple: true, summary: 'Registered tree to run on (repeatable; default k61).' }),
    all: Flags.boolean({ summary: 'Run on every registered tree.', exclusive: ['tree'] }),
    'keep-going': Flags.boolean({ summary: 'Run every tree even after one failed (stages always skip only what depends on a failure).' }),
    results: Flags.string({ summary: 'Results directory (default ./kseries-results/ci-<timestamp>).' }),
    scenario: Flags.string({ multiple: true, summary: 'Scenario of ci/scenarios/ to run (repeatable; default all of them).' }),
    kselftests: Flags.string({ default: 'memory-hotplug', summary: 'kselftest TARGETS the kselftest scenario runs.' }),
    jobs: Flags.integer({ char: 'j', min: 1, summary: 'Parallel jobs of the kernel build (default: the number of CPUs).' }),
    ccache: Flags.boolean({
      allowNo: true,
      summary: 'Build under ccache (cache in <cache>/ccache or $CCACHE_DIR): the default when ccache is installed; --no-ccache turns it off.',
    }),
    accel: Flags.string({ options: ['auto', 'kvm', 'tcg'], default: 'auto', summary: 'QEMU accelerator: auto uses KVM only when a probe shows it really works.' }),
    patches: patchesFlag,
    'dry-run': Flags.boolean({ summary: 'Print the plan (stages, what each needs, the commands) and run nothing.' }),

    ...noWaitFlag,
  };

  async run(): Promise<CiResults | { dryRun: true; plan: CiPlan }> {
    const { flags } = await this.parse(Ci);
    const { plan, warnings } = planCiRequest(this.state, {
      tree: flags.tree,
      all: flags.all,
      keepGoing: flags['keep-going'],
      results: flags.results,
      scenario: flags.scenario,
      kselftests: flags.kselftests,
      jobs: flags.jobs,
      ccache: flags.ccache,
      accel: flags.accel as 'auto' | 'kvm' | 'tcg',
      patches: flags.patches,
      dryRun: flags['dry-run'],
    });
    for (const w of warnings) this.warn2(w);
    if (flags['dry-run']) {
      this.out(renderCiPlan(plan));
      return { dryRun: true, plan };
    }
    const json = this.jsonEnabled();
    const { run, ci } = await runCiPlan(this.runner, this.state, plan, { patches: flags.patches, progress: progressEnabled(json), json, argv: this.argv });
    this.out(renderCiRun(ci, plan.resultsDir));
    if (run.interrupted) throw new InterruptedError(`interrupted; the results so far are in ${plan.resultsDir}`);
    this.verdict(verdictOf(ci.overall));
    return ci;
  }
}
