// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { abortTree, applyTree, continueTree, planTree, type AbortResult } from '../lib/apply/apply.js';
import { runPerTree, summarizeOutcomes } from '../lib/apply/multi.js';
import { planJson, renderPlan } from '../lib/apply/plan.js';
import { renderApplyReport } from '../lib/apply/render.js';
import type { ApplyReport } from '../lib/apply/report.js';
import { usageError } from '../lib/errors.js';
import { patchesFlag, seriesRoot } from '../lib/series/root.js';
import { Registry, type TreeRecord } from '../lib/trees/registry.js';

export default class Apply extends KseriesCommand {
  static override summary = 'Apply the patch series that fits a tree, in a worktree of its own, and report per patch.';
  static override description = withExitCodes(
    'Chooses patches/vX.Y by the tree\'s kernel version (exact, else the nearest lower base; --series overrides), creates a ' +
      'git worktree on branch kseries/<base>/<tree> (your checkout, branches and uncommitted files are never touched) and runs ' +
      '`git am -3` one patch at a time. Base ladder: the series\' base-commit when the tree has it (and no --ref was given), ' +
      'else the ref, with a 3-way fallback per patch. Each patch is reported as applied cleanly, by 3-way merge, already ' +
      'upstream (skipped), or conflict. A conflict (exit 1) reports the files, the blob ids of the patch and whether the tree ' +
      'has them, every hunk checked alone, and the conflict regions, and parks the worktree: resolve there and run --continue, ' +
      'or --abort to remove worktree and branch. Applying the same series again is a no-op (same commits: fixed committer ' +
      'identity and dates). With several --tree or --all, trees in different repositories run side by side; the JSON result ' +
      'is then {trees: [report...], errors: [...]}.',
  );
  static override examples = [
    '<%= config.bin %> apply --tree k61',
    '<%= config.bin %> apply --tree k61 --dry-run',
    '<%= config.bin %> apply --tree mine --ref v6.1.100 --series v6.1 --json',
    '<%= config.bin %> apply --tree k61 --continue',
    '<%= config.bin %> apply --tree k61 --abort',
    '<%= config.bin %> apply --all',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', multiple: true, summary: 'Registered tree to apply to (repeatable).' }),
    all: Flags.boolean({ summary: 'Apply to every registered tree.', exclusive: ['tree'] }),
    ref: Flags.string({ summary: 'Apply onto this branch, tag or commit of the tree instead of its registered ref.' }),
    series: Flags.string({ summary: 'The series to apply: a base name (v6.1) or a directory; default by kernel version.' }),
    patches: patchesFlag,
    'dry-run': Flags.boolean({ summary: 'Print the plan (base ladder, worktree, git commands) and do nothing.' }),
    continue: Flags.boolean({ summary: 'Resume a parked conflict after resolving it in the worktree.', exclusive: ['abort', 'dry-run', 'all'] }),
    abort: Flags.boolean({ summary: 'Remove the worktree, branch and records of the series: no trace is left.', exclusive: ['continue', 'dry-run', 'all'] }),
    force: Flags.boolean({ summary: 'Recreate the worktree and branch even when they hold changes kseries did not make.' }),

    ...noWaitFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Apply);
    const registry = new Registry(this.state);
    const trees: TreeRecord[] = flags.all ? registry.list() : (flags.tree ?? []).map((n) => registry.get(n));
    if (!trees.length) throw usageError(flags.all ? 'no trees are registered' : 'give --tree NAME (repeatable) or --all', 'Register one with: kseries tree add NAME --source ...');
    const opts = { patchesRoot: seriesRoot(flags.patches), ref: flags.ref, series: flags.series, force: flags.force };

    if (flags.continue || flags.abort) {
      if (trees.length !== 1) throw usageError(`--${flags.continue ? 'continue' : 'abort'} works on one tree at a time`);
      if (flags.abort) {
        const r: AbortResult = await abortTree(this.state, trees[0], flags.series);
        this.out(`tree ${r.tree}: series ${r.series} dropped${r.removed.length ? `; removed ${r.removed.join(', ')}` : ''}`);
        return r;
      }
      const report = await continueTree(this.state, trees[0], flags.series, { onStep: (m) => this.progress(m) });
      return this.single(report);
    }

    if (flags['dry-run']) {
      const plans = [];
      for (const t of trees) plans.push(await planTree(this.state, t, opts));
      this.out(plans.map(renderPlan).join('\n\n'));
      const json = plans.map(planJson);
      return trees.length === 1 ? json[0] : { plans: json };
    }

    if (trees.length === 1) {
      const report = await applyTree(this.state, trees[0], opts, { onStep: (m) => this.progress(m) });
      return this.single(report);
    }
    const outcomes = await runPerTree(trees, (t, onStep) => applyTree(this.state, t, opts, { onStep }), {
      quiet: this.quiet,
      title: (t) => `${t.name}: applying`,
      done: (t, r) => `${t.name}: ${r.status}${r.conflict ? ` at patch ${r.conflict.patch.index}` : ''}`,
    });
    const { reports, errors, verdict } = summarizeOutcomes(outcomes);
    this.out(reports.map(renderApplyReport).join('\n\n'));
    for (const e of errors) this.warn2(`tree ${e.tree}: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}`);
    if (verdict !== 'ok') this.verdict(verdict);
    return { trees: reports, errors };
  }

  private progress(m: string): void {
    if (!this.quiet) process.stderr.write(`  ${m}\n`);
  }

  private single(report: ApplyReport): ApplyReport {
    this.out(renderApplyReport(report));
    if (report.status === 'conflict') this.verdict('fail');
    return report;
  }
}
