// SPDX-License-Identifier: GPL-2.0-only
/** The patch files of a series directory, in the order of its series file, without the cover letter. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../errors.js';
import { parseSeriesFile } from '../series/series-file.js';

const COVER_LETTER_RE = /(^|-)cover-letter\.patch$/;

export function seriesPatchFiles(dir: string): string[] {
  const seriesFile = join(dir, 'series');
  if (!existsSync(seriesFile)) throw usageError(`${dir} has no series file`, 'List the patches in order in a file named "series", one file name per line.');
  const entries = parseSeriesFile(readFileSync(seriesFile, 'utf8')).entries.filter((e) => !COVER_LETTER_RE.test(e.file));
  if (!entries.length) throw usageError(`${seriesFile} lists no patches`);
  const missing = entries.filter((e) => !existsSync(join(dir, e.file)));
  if (missing.length) {
    throw usageError(`${seriesFile} lists missing files: ${missing.map((e) => `${e.file} (line ${e.line})`).join(', ')}`, 'Fix the series file or add the patches.');
  }
  return entries.map((e) => join(dir, e.file));
}
