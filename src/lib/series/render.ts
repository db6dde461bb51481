// SPDX-License-Identifier: GPL-2.0-only
/** What `kseries series show` and `series lint` print, and the JSON summary of a series. */
import { formatPerson } from './mail.js';
import type { LintReport } from './lint.js';
import type { LoadedSeries } from './load.js';

export interface PatchSummary {
  index: number;
  file: string;
  subject: string;
  prefix: string;
  author: string | null;
  date: string | null;
  files: string[];
  diffstat: { files: number; insertions: number; deletions: number } | null;
  hunks: number;
  signedOffBy: string[];
  authorSignedOff: boolean;
  trailers: Array<{ key: string; value: string }>;
  problems: string[];
}

export interface SeriesSummary {
  base: string;
  dir: string;
  baseCommit: string | null;
  prerequisitePatchIds: string[];
  /** Backports in prerequisites/, applied before the series where a tree lacks them. */
  backports: Array<{ file: string; subject: string }>;
  cover: { file: string; subject: string; author: string | null } | null;
  patches: PatchSummary[];
  missing: string[];
  unlisted: string[];
  hash: string;
}

export function summarizeSeries(s: LoadedSeries): SeriesSummary {
  return {
    base: s.base,
    dir: s.dir,
    baseCommit: s.baseCommit,
    prerequisitePatchIds: s.cover?.patch.prerequisitePatchIds ?? s.patches.flatMap((p) => p.patch.prerequisitePatchIds),
    backports: s.prerequisites.map((p) => ({ file: `prerequisites/${p.file}`, subject: p.patch.subject.summary })),
    cover: s.cover ? { file: s.cover.file, subject: s.cover.patch.subject.summary, author: s.cover.patch.author ? formatPerson(s.cover.patch.author) : null } : null,
    patches: s.patches.map((p) => {
      const a = p.patch.author;
      return {
        index: p.index,
        file: p.file,
        subject: p.patch.subject.summary,
        prefix: p.patch.subject.prefix,
        author: a ? formatPerson(a) : null,
        date: p.patch.dateIso ?? p.patch.date,
        files: p.patch.files.map((f) => f.path),
        diffstat: p.patch.diffstat
          ? { files: p.patch.diffstat.files, insertions: p.patch.diffstat.insertions, deletions: p.patch.diffstat.deletions }
          : {
              files: p.patch.files.length,
              insertions: p.patch.files.reduce((n, f) => n + f.hunks.reduce((m, h) => m + h.added, 0), 0),
              deletions: p.patch.files.reduce((n, f) => n + f.hunks.reduce((m, h) => m + h.removed, 0), 0),
            },
        hunks: p.patch.files.reduce((n, f) => n + f.hunks.length, 0),
        signedOffBy: p.patch.signedOffBy.map(formatPerson),
        authorSignedOff: !!a && p.patch.signedOffBy.some((x) => x.email.toLowerCase() === a.email.toLowerCase()),
        trailers: p.patch.trailers,
        problems: p.patch.problems.map((x) => `line ${x.line}: ${x.message}`),
      };
    }),
    missing: s.missing.map((m) => m.file),
    unlisted: s.unlisted,
    hash: s.hash,
  };
}

export function renderSeries(s: SeriesSummary): string {
  const out: string[] = [];
  out.push(`series ${s.base} (${s.dir})`);
  out.push(`  base-commit: ${s.baseCommit ?? '(none)'}`);
  if (s.prerequisitePatchIds.length) out.push(`  prerequisites: ${s.prerequisitePatchIds.join(', ')}`);
  for (const b of s.backports) out.push(`  prerequisite (applied where a tree lacks it): ${b.subject} (${b.file})`);
  if (s.cover) out.push(`  cover: ${s.cover.subject}${s.cover.author ? ` (${s.cover.author})` : ''}`);
  for (const p of s.patches) {
    const ds = p.diffstat ? `${p.diffstat.files} file${p.diffstat.files === 1 ? '' : 's'}, +${p.diffstat.insertions} -${p.diffstat.deletions}` : '-';
    out.push('');
    out.push(`  [${p.index}/${s.patches.length}] ${p.subject}`);
    out.push(`      file:    ${p.file}`);
    out.push(`      author:  ${p.author ?? '(none)'}${p.date ? `, ${p.date}` : ''}`);
    out.push(`      changes: ${ds}, ${p.hunks} hunk${p.hunks === 1 ? '' : 's'}`);
    for (const f of p.files) out.push(`        ${f}`);
    out.push(`      signed-off-by: ${p.signedOffBy.length ? p.signedOffBy.join(', ') : '(none)'}${p.authorSignedOff ? '' : '  <- author has not signed off'}`);
    for (const pr of p.problems) out.push(`      problem: ${pr}`);
  }
  if (s.missing.length) out.push('', `  missing: ${s.missing.join(', ')}`);
  if (s.unlisted.length) out.push('', `  not in the series file: ${s.unlisted.join(', ')}`);
  return out.join('\n');
}

export function renderLint(r: LintReport): string {
  const head = `series ${r.base}: ${r.patches} patch${r.patches === 1 ? '' : 'es'}, ${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`;
  const lines = r.findings.map((x) => `  ${x.severity}: ${x.file}${x.line ? `:${x.line}` : ''}: ${x.message} [${x.rule}]`);
  return [head, ...lines].join('\n');
}
