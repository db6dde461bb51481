// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { listBases, resolveSeries } from '../../lib/series/choose.js';
import { lintSeries, type LintReport } from '../../lib/series/lint.js';
import { loadSeries } from '../../lib/series/load.js';
import { renderLint } from '../../lib/series/render.js';
import { patchesFlag, seriesRoot } from '../../lib/series/root.js';

export default class SeriesLint extends KseriesCommand {
  static override summary = 'Check a patch series: numbering, subjects, sign-offs, series file, well-formed diffs, base-commit.';
  static override description = withExitCodes(
    'Checks that patches are numbered 1..N consistently with [PATCH n/N], subjects are unique and in "subsystem: Summary" form, ' +
      'each patch has a Signed-off-by from its author, the series file and the directory agree, every patch has a diff whose hunks ' +
      'parse, and the cover letter has a base-commit. Exits 1 when any error is found (warnings do not fail).',
  );
  static override examples = ['<%= config.bin %> series lint', '<%= config.bin %> series lint --base v6.1 --json'];
  static override flags = {
    base: Flags.string({ summary: 'The series to lint: a base name (v6.1) or a directory.' }),
    patches: patchesFlag,
  };

  async run(): Promise<LintReport[]> {
    const { flags } = await this.parse(SeriesLint);
    const root = seriesRoot(flags.patches);
    const dirs = flags.base ? [resolveSeries(root, null, flags.base).dir] : listBases(root).map((b) => b.dir);
    if (!dirs.length) this.warn2(`no patch series in ${root} (expected vX.Y/series)`);
    const reports = dirs.map((d) => lintSeries(loadSeries(d)));
    this.out(reports.map(renderLint).join('\n\n') || `no patch series in ${root}`);
    if (reports.some((r) => r.errors > 0)) this.verdict('fail');
    return reports;
  }
}
