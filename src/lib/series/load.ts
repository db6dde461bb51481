// SPDX-License-Identifier: GPL-2.0-only
/**
 * Loading one patch directory (patches/vX.Y/): its series file and every patch it lists,
 * parsed. Missing and unlisted files are recorded for lint; apply refuses them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import { parsePatchFile, type PatchFile } from './patch-file.js';
import { carriedOntoTag, parseSeriesFile, type SeriesEntry, type SeriesFile } from './series-file.js';

export const COVER_LETTER = '0000-cover-letter.patch';

export interface SeriesPatch {
  /** File name in the series directory. */
  file: string;
  /** Absolute path. */
  path: string;
  /** 1-based position among the patches (the cover letter excluded). */
  index: number;
  patch: PatchFile;
}

export interface LoadedSeries {
  /** The directory name, e.g. "v6.1". */
  base: string;
  dir: string;
  series: SeriesFile;
  cover: { file: string; path: string; patch: PatchFile } | null;
  patches: SeriesPatch[];
  /** Entries of the series file whose file does not exist. */
  missing: SeriesEntry[];
  /** *.patch files in the directory that the series file does not list (the cover letter excepted). */
  unlisted: string[];
  /** The cover letter's base-commit, else the first one found in a patch. */
  baseCommit: string | null;
  /** The version tag the series was made on, as kseries export records it in the series file (carriedOntoTag); null when not recorded. */
  baseTag?: string | null;
  /**
   * Backports the series needs and older releases of its line lack (prerequisites/ beside
   * the series file, a series file of its own): applied before the series where the target
   * lacks them, recognised as already there where it has them. Not part of the series itself:
   * checkpatch, lint and export leave them out (export names them as prerequisite-patch-id).
   */
  prerequisites: SeriesPatch[];
  /** sha256 over the series file and every listed file: two loads are the same series iff equal. */
  hash: string;
}

export const PREREQUISITES_DIR = 'prerequisites';

export function loadSeries(dirArg: string): LoadedSeries {
  const dir = resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`no patch directory ${dir}`, 'Patch sets live in patches/vX.Y/ (or give --patches DIR).');
  const seriesPath = join(dir, 'series');
  if (!existsSync(seriesPath)) {
    throw usageError(`${dir} has no series file`, `Create ${seriesPath} listing the patches in order, one file name per line ("#" comments).`);
  }
  const seriesText = readFileSync(seriesPath, 'utf8');
  const series = parseSeriesFile(seriesText);
  const h = createHash('sha256').update('series\0').update(seriesText);
  const missing: SeriesEntry[] = [];
  const patches: SeriesPatch[] = [];
  let cover: LoadedSeries['cover'] = null;
  for (const e of series.entries) {
    const path = join(dir, e.file);
    if (!existsSync(path) || !statSync(path).isFile()) {
      missing.push(e);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    h.update(`\0${e.file}\0`).update(text);
    const patch = parsePatchFile(text, e.file);
    if (patch.isCover && !cover && patches.length === 0) cover = { file: e.file, path, patch };
    else patches.push({ file: e.file, path, index: patches.length + 1, patch });
  }
  const listed = new Set(series.entries.map((e) => e.file));
  const coverPath = join(dir, COVER_LETTER);
  if (!cover && existsSync(coverPath)) {
    const text = readFileSync(coverPath, 'utf8');
    h.update(`\0${COVER_LETTER}\0`).update(text);
    cover = { file: COVER_LETTER, path: coverPath, patch: parsePatchFile(text, COVER_LETTER) };
  }
  const unlisted = readdirSync(dir)
    .filter((f) => /\.(patch|diff|mbox|eml)$/.test(f) && !listed.has(f) && f !== cover?.file)
    .sort();
  const baseCommit = cover?.patch.baseCommit ?? patches.find((p) => p.patch.baseCommit)?.patch.baseCommit ?? null;
  const pre = existsSync(join(dir, PREREQUISITES_DIR, 'series')) ? loadSeries(join(dir, PREREQUISITES_DIR)) : null;
  if (pre) {
    h.update(`\0${PREREQUISITES_DIR}\0`).update(pre.hash);
    missing.push(...pre.missing.map((e) => ({ ...e, file: `${PREREQUISITES_DIR}/${e.file}` })));
  }
  const prerequisites = pre?.patches ?? [];
  return { base: basename(dir), dir, series, cover, patches, missing, unlisted, baseCommit, baseTag: carriedOntoTag(seriesText), prerequisites, hash: h.digest('hex') };
}

/** Refuses a series that cannot be applied: missing files and malformed patches are usage errors naming the file. */
export function assertApplicable(s: LoadedSeries): void {
  if (s.missing.length) {
    const m = s.missing[0];
    throw usageError(`${join(s.dir, 'series')}:${m.line}: ${m.file} does not exist`, `Fix the series file or add the patch (kseries series lint --series ${s.dir}).`);
  }
  if (!s.patches.length) throw usageError(`${join(s.dir, 'series')} lists no patches`);
  for (const p of s.patches) {
    if (p.patch.problems.length) {
      const pr = p.patch.problems[0];
      throw usageError(`${p.path}:${pr.line}: corrupt patch: ${pr.message}`, `Regenerate it with git format-patch, or check it with: kseries series lint --series ${s.dir}`);
    }
  }
}
