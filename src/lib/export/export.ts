// SPDX-License-Identifier: GPL-2.0-only
/**
 * Writing a refreshed series from a tree's applied branch: git format-patch --base
 * --cover-letter into patches/<vX.Y>/ (or --output), the source cover letter carried over,
 * a fresh series file, and the range-diff against the series it came from.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pickRecord } from '../apply/apply.js';
import { C_LOCALE } from '../apply/git-args.js';
import { amInProgress, branchHead } from '../apply/worktree.js';
import { usageError, infraError } from '../errors.js';
import { Git } from '../git/git.js';
import { withLock } from '../lock/locks.js';
import { treeLock } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import { parseBase } from '../series/choose.js';
import { COVER_LETTER, loadSeries, type LoadedSeries } from '../series/load.js';
import { parseSeriesFile, renderSeriesFile } from '../series/series-file.js';
import { subjectPrefixOf } from '../series/subject.js';
import type { TreeRecord } from '../trees/registry.js';
import { blurbWithRangeDiff, coverBlurb, coverSubject, fillCoverLetter } from './cover.js';
import { seriesRangeDiff, type RangeDiffResult } from './range-diff.js';

export interface ExportOptions {
  as: string;
  series?: string;
  output?: string;
  patchesRoot: string;
  force?: boolean;
  /** Other registered trees' repositories: where the source series' base-commit may be. */
  candidates: string[];
  /** A new cover letter text ("subject", blank line, blurb) instead of the source series' one. */
  cover?: { subject: string; blurb: string };
}

export interface ExportResult {
  tree: string;
  from: { series: string; dir: string };
  to: { base: string; dir: string };
  range: { base: string; head: string; branch: string };
  files: string[];
  rangeDiff: RangeDiffResult;
}

/** Pinned so that the exported patches do not depend on the user's diff/format config. */
const FORMAT_CONFIG = [
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.renames=true',
  'diff.algorithm=default',
  'diff.suppressBlankEmpty=false',
  'format.signOff=false',
  'format.thread=false',
  'format.useAutoBase=false',
  'format.suffix=.patch',
  'format.coverLetter=false',
  'core.abbrev=7',
].flatMap((c) => ['-c', c]);

function prepareOutput(dir: string, source: LoadedSeries, force: boolean): void {
  if (existsSync(dir)) {
    const old = readdirSync(dir).filter((f) => f.endsWith('.patch') || f === 'series');
    if (old.length && !force) {
      throw usageError(`${dir} already holds a series`, `Give --force to replace its patches and series file, or --output DIR to write elsewhere.`);
    }
    if (resolve(dir) === resolve(source.dir) && !force) throw usageError(`${dir} is the series being exported from`);
  }
}

/** Writes the series, holding the tree's lock (its branch and worktree must not move meanwhile). */
export async function exportSeries(paths: StatePaths, tree: TreeRecord, opts: ExportOptions): Promise<ExportResult> {
  return withLock(treeLock(paths, tree.name), () => exportLocked(paths, tree, opts));
}

async function exportLocked(paths: StatePaths, tree: TreeRecord, opts: ExportOptions): Promise<ExportResult> {
  if (!parseBase(opts.as)) throw usageError(`--as ${opts.as}: give a kernel base like v6.12`);
  const rec = pickRecord(paths, tree.name, opts.series, (r) => r.report.status !== 'conflict' && r.report.status !== 'interrupted', 'applied');
  if (!rec) throw usageError(`tree ${tree.name} has no applied series to export`, `Apply one first: kseries apply --tree ${tree.name} (or kseries rebase --tree ${tree.name} --onto REF)`);
  const r = rec.report;
  if (r.status === 'conflict' || r.status === 'interrupted') throw usageError(`series ${r.series.base} on ${tree.name} is parked (${r.status})`, `Resolve it and run: kseries apply --tree ${tree.name} --continue`);
  const wt = new Git(r.worktree);
  if (!existsSync(r.worktree)) throw usageError(`the worktree ${r.worktree} is gone`, `Apply again: kseries apply --tree ${tree.name}`);
  if (await amInProgress(wt)) throw usageError(`a git am is in progress in ${r.worktree}`, `Finish it, then: kseries apply --tree ${tree.name} --continue`);
  const repo = new Git(tree.repo);
  const head = await branchHead(repo, r.branch);
  if (!head) throw usageError(`branch ${r.branch} is gone`, `Apply again: kseries apply --tree ${tree.name}`);
  const base = r.base.commit;
  // prerequisites applied on this tree are not part of the series: it starts after them, and
  // format-patch --base names them as prerequisite-patch-id lines (as b4 expects)
  const pre = r.patches.filter((p) => p.prerequisite && p.commit);
  const start = pre.length ? pre[pre.length - 1].commit! : base;
  const count = (await repo.ok(['rev-list', '--count', `${start}..${head}`])).trim();
  if (count === '0') throw usageError(`${r.branch} has no commits on top of ${start.slice(0, 12)}: every patch was already upstream`);

  const source = loadSeries(r.series.dir);
  const outDir = resolve(opts.output ?? join(opts.patchesRoot, opts.as));
  prepareOutput(outDir, source, !!opts.force);

  const coverSrc = source.cover?.patch ?? null;
  const person = coverSrc?.author ?? source.patches[0]?.patch.author ?? null;
  const prefix = coverSrc ? subjectPrefixOf(coverSrc.subject) : source.patches[0] ? subjectPrefixOf(source.patches[0].patch.subject) : 'PATCH';
  const tmp = mkdtempSync(join(tmpdir(), 'kseries-export-'));
  try {
    const env: Record<string, string> = { ...C_LOCALE };
    if (person) {
      env.GIT_COMMITTER_NAME = person.name || person.email;
      env.GIT_COMMITTER_EMAIL = person.email;
    }
    env.GIT_COMMITTER_DATE = coverSrc?.date ?? (await repo.ok(['log', '-1', '--format=%cD', head])).trim();
    const fp = await wt.run(
      [...FORMAT_CONFIG, 'format-patch', '--quiet', `--base=${base}`, '--cover-letter', '--cover-from-description=none', '--numbered', `--subject-prefix=${prefix}`, '--no-signature', '-o', tmp, `${start}..${head}`],
      { env },
    );
    if (fp.exitCode !== 0) throw infraError(`git format-patch failed in ${r.worktree}: ${fp.stderr.trim()}`);
    const files = readdirSync(tmp).filter((f) => f.endsWith('.patch')).sort();
    // before the output dir changes: it may be the source series' own directory (--force)
    const rangeDiff = await seriesRangeDiff({ series: source, newRange: { repo: tree.repo, base: start, head }, candidates: opts.candidates });
    const cover = join(tmp, COVER_LETTER);
    if (existsSync(cover)) {
      let blurb = opts.cover?.blurb ?? (coverSrc ? coverBlurb(coverSrc) : '');
      const subject = opts.cover?.subject ?? (coverSrc ? coverSubject(coverSrc) : '');
      // carried to a new base: the cover letter keeps the range-diff against where it came from
      if (source.base !== opts.as) blurb = blurbWithRangeDiff(blurb, source.base, rangeDiff.text);
      writeFileSync(cover, fillCoverLetter(readFileSync(cover, 'utf8'), subject, blurb));
    }
    const patchFiles = files.filter((f) => f !== COVER_LETTER);
    const comment = [
      `${opts.as}: carried by kseries from ${source.base} (${r.tree}, ${r.target.ref})`,
      `base-commit: ${base}`,
    ].join('\n');
    writeFileSync(join(tmp, 'series'), renderSeriesFile(patchFiles, comment));
    // move into place: old patches and series file of the output dir go
    mkdirSync(outDir, { recursive: true });
    for (const f of readdirSync(outDir)) if (f.endsWith('.patch') || f === 'series') rmSync(join(outDir, f));
    for (const f of [...files, 'series']) renameSync(join(tmp, f), join(outDir, f));
    const written = parseSeriesFile(readFileSync(join(outDir, 'series'), 'utf8')).entries.map((e) => e.file);
    return {
      tree: tree.name,
      from: { series: source.base, dir: source.dir },
      to: { base: opts.as, dir: outDir },
      range: { base, head, branch: r.branch },
      files: existsSync(join(outDir, COVER_LETTER)) ? [COVER_LETTER, ...written] : written,
      rangeDiff,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export function renderExport(e: ExportResult): string {
  const out = [
    `exported ${e.files.length - 1} patches of ${e.from.series} (tree ${e.tree}, ${e.range.branch}) to ${e.to.dir}`,
    `  base-commit: ${e.range.base}`,
    ...e.files.map((f) => `  ${f}`),
  ];
  if (e.rangeDiff.note) out.push(`  range-diff: ${e.rangeDiff.note}`);
  if (e.rangeDiff.text !== null) {
    out.push('', `range-diff ${e.from.series} (on ${e.rangeDiff.old?.base.slice(0, 12)}) -> ${e.to.base} (on ${e.range.base.slice(0, 12)}):`, e.rangeDiff.text.trimEnd());
  }
  return out.join('\n');
}
