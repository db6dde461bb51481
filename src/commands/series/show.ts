// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { KseriesCommand } from '../../lib/cli/base-command.js';
import { withExitCodes } from '../../lib/cli/describe.js';
import { listBases, resolveSeries } from '../../lib/series/choose.js';
import { loadSeries } from '../../lib/series/load.js';
import { renderSeries, summarizeSeries, type SeriesSummary } from '../../lib/series/render.js';
import { patchesFlag, seriesRoot } from '../../lib/series/root.js';

export default class SeriesShow extends KseriesCommand {
  static override summary = 'Show the patch series: subjects, authors, files, diffstat, sign-offs, base commit.';
  static override description = withExitCodes('Reads patches/vX.Y/series and the patch files it lists. Without --base, every vX.Y directory is shown.');
  static override examples = ['<%= config.bin %> series show', '<%= config.bin %> series show --base v6.1 --json'];
  static override flags = {
    base: Flags.string({ summary: 'The series to show: a base name (v6.1) or a directory.' }),
    patches: patchesFlag,
  };

  async run(): Promise<SeriesSummary[]> {
    const { flags } = await this.parse(SeriesShow);
    const root = seriesRoot(flags.patches);
    const dirs = flags.base ? [resolveSeries(root, null, flags.base).dir] : listBases(root).map((b) => b.dir);
    if (!dirs.length) this.warn2(`no patch series in ${root} (expected vX.Y/series)`);
    const out = dirs.map((d) => summarizeSeries(loadSeries(d)));
    this.out(out.map(renderSeries).join('\n\n') || `no patch series in ${root}`);
    return out;
  }
}
