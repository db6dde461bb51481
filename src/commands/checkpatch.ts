// SPDX-License-Identifier: GPL-2.0-only
import { Args, Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { note } from '../lib/cli/progress.js';
import { checkpatchJson, resolveCheckpatch, writeCheckpatchJUnit } from '../lib/checkpatch/command.js';
import { renderCheckpatch } from '../lib/checkpatch/render.js';
import { checkPatches, FAIL_ON, type FailOn } from '../lib/checkpatch/run.js';
import { patchesFlag } from '../lib/series/root.js';

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
    const target = resolveCheckpatch(this.state, { tree: flags.tree, checkpatch: flags.checkpatch, series: flags.series, patches: flags.patches, files: argv as string[] });
    for (const w of target.warnings) this.warn2(w);
    const run = await checkPatches(this.runner, target.paths, {
      script: target.script,
      cwd: target.cwd,
      strict: flags.strict,
      failOn: flags['fail-on'] as FailOn,
      onPatch: (file, i, n) => note(this.quiet, `checkpatch [${i + 1}/${n}] ${file}`),
    });
    const junit = flags.junit ? writeCheckpatchJUnit(run, flags.junit) : null;
    this.out(renderCheckpatch(run));
    if (run.failed) this.verdict('fail');
    return checkpatchJson(run, target, junit);
  }
}
