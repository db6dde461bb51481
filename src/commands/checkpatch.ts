// SPDX-License-Identifier: GPL-2.0-only
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { note } from '../lib/cli/progress.js';
import { renderCheckpatch } from '../lib/checkpatch/render.js';
import { checkPatches, FAIL_ON, treeOfScript, type CheckpatchRun, type FailOn } from '../lib/checkpatch/run.js';
import { issueCounts } from '../lib/checkpatch/parser.js';
import { usageError } from '../lib/errors.js';
import { checkpatchToReport } from '../lib/report/from-checkpatch.js';
import { renderJUnit } from '../lib/report/junit.js';
import { resolveSeries } from '../lib/series/choose.js';
import { patchesFlag, seriesRoot } from '../lib/series/root.js';
import { seriesPatchFiles } from '../lib/checkpatch/series-patches.js';
import { Registry, type TreeRecord } from '../lib/trees/registry.js';
import { sourceDirFor } from '../lib/workspace.js';

export default class Checkpatch extends KseriesCommand {
  static override summary = "Run a kernel tree's scripts/checkpatch.pl on each patch of the series.";
  static override description = withExitCodes(
    'Checks the patches of patches/<series>/ in the order of its series file (or the PATCH files given) with the ' +
      "checkpatch.pl of the chosen tree, run inside that tree so that its MAINTAINERS, spelling list and SPDX check apply. " +
      'Prints a table and every issue; --json gives the parsed issues, --junit writes one test case per patch. ' +
      'Exits 1 when a patch has an ERROR or a WARNING (--fail-on error|warning|check moves the bar).',
  );
  static override examples = [
    '<%= config.bin %> checkpatch --tree debian-6.1',
    '<%= config.bin %> checkpatch --tree debian-6.1 --series v6.1 --strict --junit checkpatch.xml',
    '<%= config.bin %> checkpatch --checkpatch ~/linux/scripts/checkpatch.pl --fail-on error 0001-foo.patch',
  ];
  static override strict = false;
  static override args = {
    patch: Args.string({ description: 'Patch files to check instead of the series (any number).' }),
  };
  static override flags = {
    series: Flags.string({ aliases: ['base'], summary: 'The series: a base name under patches/ (v6.1) or a directory (default: the one that fits the tree).' }),
    tree: Flags.string({ char: 't', summary: 'The registered tree whose checkpatch.pl runs, in its source dir (default: the only tree).' }),
    checkpatch: Flags.file({ summary: 'Use this checkpatch.pl (it runs in --tree, else in the kernel tree it belongs to).' }),
    strict: Flags.boolean({ summary: 'Pass --strict: also report CHECKs.' }),
    'fail-on': Flags.option({ options: FAIL_ON, default: 'warning' as FailOn, summary: 'Lowest level that fails the run.' })(),
    junit: Flags.string({ summary: 'Write a JUnit XML report here.' }),
    patches: patchesFlag,
  };

  async run(): Promise<unknown> {
    const { flags, argv } = await this.parse(Checkpatch);
    const registry = new Registry(this.state);
    let tree: TreeRecord | null = flags.tree ? registry.get(flags.tree) : null;
    if (!tree && !flags.checkpatch) {
      const trees = registry.list();
      if (trees.length !== 1) {
        throw usageError(
          trees.length ? `which tree's checkpatch.pl? ${trees.length} trees are registered` : 'no tree is registered to take checkpatch.pl from',
          trees.length ? `Give --tree NAME (one of: ${trees.map((t) => t.name).join(', ')}) or --checkpatch PATH.` : 'Add one (kseries tree add NAME --source debian:6.1) or give --checkpatch PATH.',
        );
      }
      tree = trees[0];
    }
    const treeDir = tree ? this.sourceDir(tree) : null;
    const script = flags.checkpatch ? resolve(flags.checkpatch) : join(treeDir!, 'scripts', 'checkpatch.pl');
    const cwd = treeDir ?? treeOfScript(script) ?? process.cwd();
    if (!treeDir && !treeOfScript(script)) this.warn2(`${script} is not inside a kernel tree: it runs in ${cwd}`);

    let series: { base: string; dir: string } | null = null;
    let paths: string[];
    const files = argv as string[];
    if (files.length) {
      paths = files.map((f) => resolve(f));
      for (const p of paths) if (!existsSync(p) || !statSync(p).isFile()) throw usageError(`no patch file ${p}`);
    } else {
      const choice = resolveSeries(seriesRoot(flags.patches), tree?.kernel ?? null, flags.series);
      series = { base: choice.base, dir: choice.dir };
      paths = seriesPatchFiles(choice.dir);
    }

    const run = await checkPatches(this.runner, paths, {
      script,
      cwd,
      strict: flags.strict,
      failOn: flags['fail-on'] as FailOn,
      onPatch: (file, i, n) => note(this.quiet, `checkpatch [${i + 1}/${n}] ${file}`),
    });
    if (flags.junit) {
      const out = resolve(flags.junit);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, renderJUnit(checkpatchToReport(run)));
    }
    this.out(renderCheckpatch(run));
    if (run.failed) this.verdict('fail');
    return toJson(run, tree?.name ?? null, series, flags.junit ? resolve(flags.junit) : null);
  }

  private sourceDir(tree: TreeRecord): string {
    const { srcDir } = sourceDirFor(this.state, tree);
    if (!existsSync(srcDir)) {
      throw usageError(`the source of tree "${tree.name}" is not checked out at ${srcDir}`, 'Apply the series to the tree first, or give --checkpatch PATH.');
    }
    return srcDir;
  }
}

function toJson(run: CheckpatchRun, tree: string | null, series: { base: string; dir: string } | null, junit: string | null) {
  return {
    tree,
    series,
    script: run.script,
    cwd: run.cwd,
    strict: run.strict,
    failOn: run.failOn,
    failed: run.failed,
    totals: run.totals,
    junit,
    patches: run.patches.map((p) => ({
      file: p.file,
      path: p.path,
      ...issueCounts(p.report),
      lines: p.report.totals?.lines ?? null,
      clean: p.report.clean,
      exitCode: p.exitCode,
      durationMs: p.durationMs,
      command: p.command,
      issues: p.report.issues,
      problems: p.report.problems,
    })),
  };
}
