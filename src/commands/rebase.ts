// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { applyTree, planTree } from '../lib/apply/apply.js';
import { renderPlan, renderStep } from '../lib/apply/plan.js';
import { renderApplyReport } from '../lib/apply/render.js';
import type { ApplyReport } from '../lib/apply/report.js';
import { patchesFlag, seriesRoot } from '../lib/series/root.js';
import { Registry } from '../lib/trees/registry.js';

export default class Rebase extends KseriesCommand {
  static override summary = 'Carry the nearest patch series onto a newer base: REF of a registered tree.';
  static override description = withExitCodes(
    'Applies the series (--from, default the nearest base at or below the kernel version at REF) onto REF of the tree, in ' +
      'the tree\'s kseries worktree, exactly like `kseries apply --ref REF`, and remembers where it came from. When it ' +
      'applies (or after resolving conflicts and `kseries apply --continue`), `kseries export --tree NAME --as vX.Y` writes ' +
      'the refreshed series and its range-diff. A conflict exits 1 with the same report as apply.',
  );
  static override examples = [
    '<%= config.bin %> rebase --tree k612 --onto v6.12.48',
    '<%= config.bin %> rebase --tree mine --onto origin/master --from v6.1 --json',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', required: true, summary: 'The registered tree REF belongs to.' }),
    onto: Flags.string({ required: true, summary: 'The new base: a branch, tag or commit of the tree.' }),
    from: Flags.string({ summary: 'The series to carry: a base name (v6.1) or a directory.' }),
    patches: patchesFlag,
    'dry-run': Flags.boolean({ summary: 'Print the plan and do nothing.' }),
    force: Flags.boolean({ summary: 'Recreate the worktree and branch even when they hold changes kseries did not make.' }),

    ...noWaitFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Rebase);
    const tree = new Registry(this.state).get(flags.tree);
    const opts = { patchesRoot: seriesRoot(flags.patches), ref: flags.onto, series: flags.from, force: flags.force, rebase: true };
    if (flags['dry-run']) {
      const p = await planTree(this.state, tree, opts);
      this.out(renderPlan(p));
      return { tree: tree.name, series: p.facts.choice.base, mode: p.mode, baseCommit: p.baseCommit, ladder: p.ladder, steps: p.steps.map(renderStep) };
    }
    const report: ApplyReport = await applyTree(this.state, tree, opts, { onStep: (m) => !this.quiet && process.stderr.write(`  ${m}\n`) });
    this.out(renderApplyReport(report));
    if (report.status === 'conflict') this.verdict('fail');
    else this.out(`\nnext: kseries export --tree ${tree.name} --as vX.Y`);
    return report;
  }
}
