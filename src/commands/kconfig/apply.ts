// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { noWaitFlag } from '../../lib/cli/no-wait.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { note, runTasks } from '../../lib/cli/progress.js';
import { kconfigApply, type ApplyOutcome } from '../../lib/kconfig/apply.js';
import { requestFlags, requestOptions } from '../../lib/kconfig/cli-flags.js';
import { renderPlan } from '../../lib/kconfig/plan.js';
import { renderReport } from '../../lib/kconfig/report.js';

export default class KconfigApply extends KseriesCommand {
  static override summary = 'Configure a tree: base config + fragments, then verify every requested symbol and explain each dropped one.';
  static override description = withExitCodes(
    'Runs, in the build directory (O=, never in the source tree): make ARCH=… BASE, the tree\'s own ' +
      'scripts/kconfig/merge_config.sh -m with the merged request, and make olddefconfig. Then checks that every requested ' +
      'symbol has the requested value in the final .config. merge_config.sh only warns; kseries exits 1 and says for each ' +
      'dropped symbol why: the unmet terms of its `depends on` (read from the tree\'s Kconfig), the choice it sits in, a ' +
      'select that forces it, or "no such symbol in this tree". Writes kconfig-report.json and kconfig-apply.log into the ' +
      'build directory. --dry-run prints the commands instead. A fragment line that is not a Kconfig assignment is a ' +
      'warning naming FILE:LINE and is left out; with --strict it exits 1 before anything runs.',
  );
  static override examples = [
    '<%= config.bin %> kconfig apply --tree k61',
    '<%= config.bin %> kconfig apply --tree k61 --persist blk --debug --selftests memory-hotplug,dax',
    '<%= config.bin %> kconfig apply --tree k612 --base defconfig --fragment my.config --dry-run',
  ];
  static override flags = {
    ...requestFlags,
    tree: Flags.string({ char: 't', required: true, summary: 'The tree to configure (kseries tree list).' }),
    base: Flags.string({ default: 'tinyconfig', summary: 'Base config: tinyconfig, defconfig, allnoconfig, an ARCH_defconfig, debian or debian-cloud (Debian\'s config of the tree\'s version from linux-config-X.Y, its modules off, kconfig/reduce-qemu.config merged first), or a .config file.' }),
    arch: Flags.string({ default: 'x86_64', options: ['x86_64'], summary: 'ARCH passed to make (always passed: tinyconfig alone gives a 32-bit config).' }),
    profile: Flags.string({ default: 'default', summary: 'Build profile: the build directory is BUILD/<tree>/<arch>-<profile>.' }),
    'dry-run': Flags.boolean({ summary: 'Print the commands that would run, and run nothing.' }),

    ...noWaitFlag,
  };

  async run(): Promise<ApplyOutcome> {
    const { flags } = await this.parse(KconfigApply);
    const opts = {
      ...requestOptions(flags),
      tree: flags.tree,
      base: flags.base,
      arch: flags.arch,
      profile: flags.profile,
      dryRun: flags['dry-run'],
    };
    let outcome!: ApplyOutcome;
    await runTasks(
      [
        {
          title: `Configuring ${flags.tree} (${flags.base}, ${flags.arch})`,
          task: async (_ctx, task) => {
            outcome = await kconfigApply(this.runner, this.state, { ...opts, onStep: (m) => (task.output = m) });
            task.title = outcome.refused ? `Refused ${flags.tree} (--strict)` : outcome.dryRun ? `Planned ${flags.tree}` : `Configured ${flags.tree}: ${outcome.report!.config}`;
          },
        },
      ],
      { quiet: this.quiet },
    );
    for (const w of outcome.warnings) this.warn2(w);
    if (outcome.refused) {
      this.logToStderr(`kseries: ${outcome.refused}; nothing was configured`);
      this.verdict('fail');
      return outcome;
    }
    if (outcome.createdWorktree) note(this.quiet, `created a detached worktree of ${flags.tree} at ${outcome.plan.srcDir}`);
    if (outcome.dryRun) {
      this.out(renderPlan(outcome.plan));
      return outcome;
    }
    const r = outcome.report!;
    this.out(renderReport(r));
    this.out(`report: ${outcome.plan.reportPath}`);
    if (!r.ok) this.verdict('fail');
    return outcome;
  }
}
