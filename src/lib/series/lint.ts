// SPDX-License-Identifier: GPL-2.0-only
/**
 * Lint rules for a patch series, as a maintainer would check it before sending: numbering,
 * subjects, sign-offs, the series file against the directory, well-formed diffs, and the
 * cover letter's base-commit. Pure over a loaded series.
 */
import type { LoadedSeries } from './load.js';

export type Severity = 'error' | 'warning';

export interface LintFinding {
  severity: Severity;
  rule: string;
  /** The file the finding is about (series, a patch file), relative to the series dir. */
  file: string;
  line?: number;
  message: string;
}

export interface LintReport {
  base: string;
  dir: string;
  patches: number;
  errors: number;
  warnings: number;
  findings: LintFinding[];
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function lintSeries(s: LoadedSeries): LintReport {
  const f: LintFinding[] = [];
  const add = (severity: Severity, rule: string, file: string, message: string, line?: number) => f.push({ severity, rule, file, message, line });

  // the series file against the directory
  for (const p of s.series.problems) add('error', 'series-file', 'series', p.message, p.line);
  for (const m of s.missing) add('error', 'series-missing-file', 'series', `${m.file} is listed but does not exist`, m.line);
  for (const u of s.unlisted) add('error', 'series-unlisted-file', u, `${u} is not listed in the series file`);
  if (!s.patches.length) add('error', 'series-empty', 'series', 'the series file lists no patches');

  // well-formed patches
  for (const p of s.patches) {
    for (const pr of p.patch.problems) add('error', 'malformed-patch', p.file, pr.message, pr.line);
  }

  // numbering: [PATCH n/N], n = position, N = count
  const N = s.patches.length;
  for (const p of s.patches) {
    const sub = p.patch.subject;
    if (N > 1 && sub.number === null) {
      add('error', 'numbering', p.file, `subject has no [PATCH ${p.index}/${N}] number: "${sub.raw}"`);
    } else if (sub.number !== null) {
      if (sub.number !== p.index) add('error', 'numbering', p.file, `is patch ${p.index} in the series file but numbered ${sub.number}/${sub.total}`);
      if (sub.total !== N) add('error', 'numbering', p.file, `says ${sub.number}/${sub.total} but the series has ${N} patches`);
    }
  }
  const versions = new Set(s.patches.map((p) => p.patch.subject.version));
  if (s.cover) versions.add(s.cover.patch.subject.version);
  if (versions.size > 1) add('error', 'numbering', 'series', `mixed series versions: ${[...versions].map((v) => `v${v}`).join(', ')}`);

  // subjects
  const seen = new Map<string, string>();
  for (const p of s.patches) {
    const sub = p.patch.subject;
    const key = sub.summary.toLowerCase();
    const prev = seen.get(key);
    if (prev) add('error', 'subject-unique', p.file, `same subject as ${prev}: "${sub.summary}"`);
    else seen.set(key, p.file);
    if (!sub.summary) add('error', 'subject-form', p.file, 'empty subject');
    else if (!sub.subsystem) add('error', 'subject-form', p.file, `subject is not in "subsystem: Summary" form: "${sub.summary}"`);
    else if (!sub.title.trim()) add('error', 'subject-form', p.file, `subject has no summary after "${sub.subsystem}:"`);
    if (sub.summary.length > 75) add('warning', 'subject-length', p.file, `subject is ${sub.summary.length} characters (keep it under 75)`);
    if (/\.$/.test(sub.summary)) add('warning', 'subject-form', p.file, 'subject ends with a period');
  }

  // sign-offs
  for (const p of s.patches) {
    const a = p.patch.author;
    if (!a) {
      add('error', 'signed-off-by', p.file, 'no author (From:)');
      continue;
    }
    if (!p.patch.signedOffBy.length) add('error', 'signed-off-by', p.file, `no Signed-off-by (expected one from ${a.name} <${a.email}>)`);
    else if (!p.patch.signedOffBy.some((x) => sameEmail(x.email, a.email))) {
      add('error', 'signed-off-by', p.file, `no Signed-off-by matches the author ${a.name} <${a.email}> (found: ${p.patch.signedOffBy.map((x) => x.email).join(', ')})`);
    }
    const body = p.patch.trailers.length ? p.patch.message.split(/\n[ \t]*\n/).slice(0, -1).join('\n') : p.patch.message;
    if (!body.trim()) add('warning', 'commit-message', p.file, 'the commit message has no body besides trailers');
  }

  // cover letter and base-commit
  if (s.cover) {
    const c = s.cover.patch;
    if (!c.baseCommit) add('error', 'base-commit', s.cover.file, 'cover letter has no "base-commit:" line (use git format-patch --base=...)');
    if (/\*\*\* (SUBJECT|BLURB) HERE \*\*\*/.test(`${c.subject.raw}\n${c.message}`)) add('error', 'cover-letter', s.cover.file, 'cover letter still has the *** SUBJECT HERE *** / *** BLURB HERE *** placeholders');
    if (c.subject.total !== null && c.subject.total !== N) add('error', 'numbering', s.cover.file, `cover letter says 0/${c.subject.total} but the series has ${N} patches`);
  } else if (N > 1) {
    add('warning', 'cover-letter', 'series', `no cover letter (${'0000-cover-letter.patch'})`);
    if (!s.baseCommit) add('error', 'base-commit', 'series', 'no patch carries a "base-commit:" line (use git format-patch --base=...)');
  } else if (N === 1 && !s.baseCommit) {
    add('error', 'base-commit', s.patches[0].file, 'no "base-commit:" line (use git format-patch --base=...)');
  }
  const bases = new Set([s.cover?.patch.baseCommit, ...s.patches.map((p) => p.patch.baseCommit)].filter(Boolean));
  if (bases.size > 1) add('error', 'base-commit', 'series', `different base-commit lines: ${[...bases].join(', ')}`);

  const order = (x: LintFinding) => (x.severity === 'error' ? 0 : 1);
  f.sort((a, b) => order(a) - order(b));
  return {
    base: s.base,
    dir: s.dir,
    patches: N,
    errors: f.filter((x) => x.severity === 'error').length,
    warnings: f.filter((x) => x.severity === 'warning').length,
    findings: f,
  };
}
