// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { planSelftestRequest } from '../lib/selftest/command.js';
import { executeSelftest } from '../lib/selftest/execute.js';
import { ktapJudge } from '../lib/selftest/ktap-judge.js';
import type { SelftestPlan } from '../lib/selftest/plan.js';
import { planCommands, renderPlan } from '../lib/selftest/render-plan.js';
import { renderResults, type SelftestResults } from '../lib/selftest/results.js';
import { chooseAccelCached } from '../lib/vm/accel-cache.js';

export default class Selftest extends KseriesCommand {
  static override summary = 'Boot a built kernel in QEMU on emulated persistent memory and run scenarios and kselftests.';
  static override description = withExitCodes(
    'Builds an initramfs (busybox, ndctl, daxctl, the scenario scripts, the tree\'s kselftests), then runs each scenario of ' +
      'ci/scenarios/ as a sequence of boots sharing one NVDIMM backing file. The console is watched while the VM runs: a ' +
      'panic stops it at once; oops, BUG, WARN, KASAN, lockdep, hung tasks, soft lockups and RCU stalls fail the boot with ' +
      'the report quoted. Writes console.log, output.log and verdict.json per boot and results.json under --results. ' +
      'Exits 1 when a boot or a test failed, 3 when a VM never printed or ran into its deadline.',
  );
  static override examples = [
    '<%= config.bin %> selftest --tree k61',
    '<%= config.bin %> selftest --tree k61 --scenario pmem-persistence --dry-run',
    '<%= config.bin %> selftest --tree k61 --kselftests memory-hotplug --json',
    '<%= config.bin %> selftest --tree k61 --build-dir /tmp/b61 --accel tcg --timeout 300',
  ];
  static override flags = {
    tree: Flags.string({ summary: 'The registered tree (its source builds the kselftests).', required: true }),
    kernel: Flags.file({ exists: true, summary: 'The bzImage to boot (default: BUILD_DIR/arch/x86/boot/bzImage).' }),
    'build-dir': Flags.directory({ summary: "The kernel's O= build dir (default: the tree's build dir in the cache)." }),
    scenario: Flags.string({ summary: 'A scenario of ci/scenarios/, or the path of a scenario directory (repeatable; default: all but kselftest).', multiple: true }),
    kselftests: Flags.string({ summary: 'kselftest TARGETS to build from the tree and run in the VM ("memory-hotplug,vm").' }),
    accel: Flags.string({ summary: 'auto: KVM only when a probe shows it really works.', options: ['auto', 'kvm', 'tcg'], default: 'auto' }),
    timeout: Flags.integer({ summary: "Seconds a boot's script may take (overrides the scenarios'); the boot itself gets 60 s more (on a debug kernel, 60 s × its slowdown: 4 with KASAN).", min: 5 }),
    results: Flags.directory({ summary: 'Results dir (default ./kseries-results/TREE/selftest-TIMESTAMP).' }),
    'keep-images': Flags.boolean({ summary: 'Keep the persistent-memory backing files (1 GiB sparse each).' }),
    'dry-run': Flags.boolean({ summary: 'Print the plan (commands and QEMU lines) and run nothing.' }),

    ...noWaitFlag,
  };

  async run(): Promise<SelftestPlan | SelftestResults | { plan: SelftestPlan; commands: ReturnType<typeof planCommands> }> {
    const { flags } = await this.parse(Selftest);
    const setup = planSelftestRequest(this.state, {
      tree: flags.tree,
      kernel: flags.kernel,
      buildDir: flags['build-dir'],
      scenario: flags.scenario,
      kselftests: flags.kselftests,
      accel: flags.accel as 'auto' | 'kvm' | 'tcg',
      timeout: flags.timeout,
      results: flags.results,
      dryRun: flags['dry-run'],
    });
    for (const w of setup.warnings) this.warn2(w);
    if (flags['dry-run']) {
      this.out(renderPlan(setup.plan));
      return { plan: setup.plan, commands: planCommands(setup.plan) };
    }
    const results = await executeSelftest(setup.plan, {
      runner: this.runner,
      paths: this.state,
      judge: ktapJudge,
      info: { kernelVersion: setup.tree.kernel.string, base: setup.base, seriesHead: setup.seriesHead, rerun: setup.rerun },
      keepImages: flags['keep-images'],
      chooseAccel: () => chooseAccelCached(this.runner, this.state.cache),
      progress: (m) => {
        if (!this.jsonEnabled()) process.stderr.write(`${m}\n`);
      },
    });
    this.out(renderResults(results));
    this.verdict(results.status);
    return results;
  }
}
