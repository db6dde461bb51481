// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../lib/cli/base-command.js';
import { noWaitFlag } from '../lib/cli/no-wait.js';
import { withExitCodes } from '../lib/cli/describe.js';
import { readFileSync } from 'node:fs';
import { parseCoverText } from '../lib/export/cover.js';
import { usageError } from '../lib/errors.js';
import { exportSeries, renderExport, type ExportResult } from '../lib/export/export.js';
import { patchesFlag, seriesRoot } from '../lib/series/root.js';
import { Registry } from '../lib/trees/registry.js';

export default class Export extends KseriesCommand {
  static override summary = 'Write the series applied to a tree as a fresh patch set (patches/vX.Y/) and show its range-diff.';
  static override description = withExitCodes(
    'Runs git format-patch --base --cover-letter on the tree\'s kseries branch (after `kseries apply` or `kseries rebase`, ' +
      'and `apply --continue` when there were conflicts): same subjects, numbered [PATCH n/N], the cover letter\'s subject and ' +
      'text carried over from the source series, and a fresh series file. Then prints `git range-diff` between the source ' +
      'series applied on its own base-commit and the new one. --output writes somewhere else than patches/.',
  );
  static override examples = [
    '<%= config.bin %> rebase --tree k612 --onto v6.12.48 && <%= config.bin %> export --tree k612 --as v6.12',
    '<%= config.bin %> export --tree k612 --as v6.12 --output /tmp/v6.12 --json',
  ];
  static override flags = {
    tree: Flags.string({ char: 't', required: true, summary: 'The tree whose applied series to export.' }),
    as: Flags.string({ required: true, summary: 'The base name of the new series, e.g. v6.12.' }),
    series: Flags.string({ summary: 'Which applied series of the tree (when it has several).' }),
    output: Flags.directory({ summary: 'Write here instead of patches/<as>/.' }),
    patches: patchesFlag,
    force: Flags.boolean({ summary: 'Replace the patches and series file already in the output directory.' }),
    cover: Flags.file({
      exists: true,
      summary: 'Cover letter text for the new series: subject on the first line, a blank line, then the blurb (default: carried over).',
    }),

    ...noWaitFlag,
  };

  async run(): Promise<ExportResult> {
    const { flags } = await this.parse(Export);
    const registry = new Registry(this.state);
    const tree = registry.get(flags.tree);
    const candidates = registry.list().filter((t) => t.name !== tree.name).map((t) => t.repo);
    const r = await exportSeries(this.state, tree, {
      as: flags.as,
      series: flags.series,
      output: flags.output,
      patchesRoot: seriesRoot(flags.patches),
      force: flags.force,
      candidates,
      cover: flags.cover ? readCover(flags.cover) : undefined,
    });
    if (r.rangeDiff.note) this.warn2(r.rangeDiff.note);
    this.out(renderExport(r));
    return r;
  }
}

function readCover(file: string): { subject: string; blurb: string } {
  const c = parseCoverText(readFileSync(file, 'utf8'));
  if (!c) throw usageError(`${file} is not a cover letter text`, 'Put the subject on the first line, then a blank line, then the text.');
  return c;
}
