// SPDX-License-Identifier: GPL-2.0-only
/**
 * A `git format-patch` file (or one mail of an mbox): author, date, subject with its
 * [PATCH n/N] prefix, commit message, trailers, diffstat, the files and hunks it touches,
 * and the base-commit / prerequisite-patch-id lines. Pure.
 */
import { parseDiff, type FileDiff, type DiffProblem } from './diff.js';
import { formatPerson, header, parseMessage, parsePerson, splitMbox, type MailMessage, type Person } from './mail.js';
import { parseSubject, type PatchSubject } from './subject.js';

export interface Trailer {
  key: string;
  value: string;
}

export interface DiffstatEntry {
  path: string;
  /** The change count, or null for binary files. */
  changes: number | null;
  graph: string;
}

export interface Diffstat {
  entries: DiffstatEntry[];
  files: number;
  insertions: number;
  deletions: number;
  /** The diffstat as written in the mail. */
  text: string;
}

export interface PatchFile {
  /** File name (for messages), e.g. "0001-dax-kmem-foo.patch". */
  name: string;
  /** The commit id of the mbox "From <sha> ..." line. */
  commit: string | null;
  from: Person | null;
  /** The author: an in-body "From:" line overrides the mail's From. */
  author: Person | null;
  date: string | null;
  /** The Date parsed to ISO 8601, null when unreadable. */
  dateIso: string | null;
  subject: PatchSubject;
  messageId: string | null;
  /** The commit message body (without the subject), up to the "---" separator, trailers included. */
  message: string;
  trailers: Trailer[];
  signedOffBy: Person[];
  /** Text between "---" and the diff: notes and the diffstat. */
  notes: string;
  diffstat: Diffstat | null;
  files: FileDiff[];
  baseCommit: string | null;
  prerequisitePatchIds: string[];
  isCover: boolean;
  /** Reasons `git am` would reject the file. Empty for a well-formed patch. */
  problems: DiffProblem[];
}

const TRAILER_RE = /^([A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]):\s*(.*)$/;

/** The trailers of a commit message: its last paragraph, when it consists of "Key: value" lines. */
export function parseTrailers(message: string): Trailer[] {
  const paras = message.trimEnd().split(/\n[ \t]*\n/);
  const last = paras[paras.length - 1] ?? '';
  const lines = last.split('\n').filter((l) => l.trim());
  const out: Trailer[] = [];
  let trailerLines = 0;
  for (const l of lines) {
    const m = TRAILER_RE.exec(l);
    if (m && !/^https?$/i.test(m[1])) {
      out.push({ key: m[1], value: m[2].trim() });
      trailerLines++;
    } else if (/^[ \t]/.test(l) && out.length) {
      out[out.length - 1].value += ` ${l.trim()}`;
      trailerLines++;
    } else if (/^\[.*\]$/.test(l.trim())) {
      trailerLines++;
    }
  }
  return trailerLines === lines.length && out.length ? out : [];
}

export function parseDiffstat(text: string): Diffstat | null {
  const entries: DiffstatEntry[] = [];
  let summary: RegExpExecArray | null = null;
  const kept: string[] = [];
  for (const l of text.split('\n')) {
    const e = /^ (.+?)\s+\|\s+(?:(\d+)(?: ([+-]*))?|Bin(?: .*)?)$/.exec(l);
    const s = /^ (\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?/.exec(l);
    if (e) {
      entries.push({ path: e[1].trim(), changes: e[2] === undefined ? null : Number(e[2]), graph: e[3] ?? '' });
      kept.push(l);
    } else if (s) {
      summary = s;
      kept.push(l);
    } else if (/^ (create|delete) mode \d+ /.test(l) || /^ (rename|copy|mode change) /.test(l)) {
      kept.push(l);
    }
  }
  if (!summary) return null;
  return {
    entries,
    files: Number(summary[1]),
    insertions: Number(summary[2] ?? 0),
    deletions: Number(summary[3] ?? 0),
    text: kept.join('\n'),
  };
}

function isoDate(d: string | null): string | null {
  if (!d) return null;
  const t = Date.parse(d);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Parses one mail of a patch series. */
export function parsePatchMessage(msg: MailMessage, name: string): PatchFile {
  const problems: DiffProblem[] = [];
  const subjectRaw = header(msg, 'Subject');
  const fromRaw = header(msg, 'From');
  const date = header(msg, 'Date') ?? null;
  const bodyLines = msg.body.split('\n');
  // in-body From:/Date:/Subject: lines at the top of the body override the mail headers
  let author = fromRaw ? parsePerson(fromRaw) : null;
  let k = 0;
  let subjectOverride: string | undefined;
  while (k < bodyLines.length) {
    const m = /^(From|Date|Subject):\s*(.*)$/.exec(bodyLines[k]);
    if (!m || !msg.headers.length) break;
    if (m[1] === 'From') author = parsePerson(m[2]);
    if (m[1] === 'Subject') subjectOverride = m[2];
    k++;
  }
  if (k > 0 && bodyLines[k] === '') k++;
  const rest = bodyLines.slice(k);
  const diffStart = rest.findIndex((l) => l.startsWith('diff --git '));
  const beforeDiff = diffStart >= 0 ? rest.slice(0, diffStart) : rest;
  const sep = beforeDiff.findIndex((l) => l === '---');
  let messageLines = sep >= 0 ? beforeDiff.slice(0, sep) : beforeDiff;
  const notes = sep >= 0 ? beforeDiff.slice(sep + 1).join('\n') : '';
  // a cover letter or diff-less mail: the signature ends the message
  const sig = messageLines.findIndex((l) => l === '-- ');
  if (sig >= 0) messageLines = messageLines.slice(0, sig);
  const message = messageLines.join('\n').replace(/\s+$/, '');
  const trailers = parseTrailers(message);
  const subject = parseSubject(subjectOverride ?? subjectRaw ?? '');
  const firstDiffLine = msg.bodyLine + k + (diffStart >= 0 ? diffStart : 0);
  const diff = diffStart >= 0 ? parseDiff(rest.slice(diffStart), firstDiffLine) : { files: [], problems: [], trailing: [] };
  problems.push(...diff.problems);
  const diffstat = parseDiffstat(sep >= 0 ? notes : message);
  const whole = msg.body;
  const baseCommit = /^base-commit: ([0-9a-f]{7,64})\s*$/m.exec(whole)?.[1] ?? null;
  const prerequisitePatchIds = [...whole.matchAll(/^prerequisite-patch-id: ([0-9a-f]{7,64})\s*$/gm)].map((m) => m[1]);
  const isCover = diff.files.length === 0 && (subject.number === 0 || /(^|\/)0000-cover-letter\.patch$/.test(name));
  if (!msg.headers.length && diff.files.length) {
    problems.push({ line: 1, message: 'not a mail: no From/Subject headers (make it with git format-patch)' });
  } else if (!msg.headers.length) {
    problems.push({ line: 1, message: 'not a patch: no mail headers and no diff' });
  } else {
    if (!fromRaw) problems.push({ line: msg.startLine, message: 'no From: header' });
    if (!subjectRaw) problems.push({ line: msg.startLine, message: 'no Subject: header' });
    if (!isCover && diff.files.length === 0) problems.push({ line: msg.bodyLine, message: 'no diff (no "diff --git" line)' });
  }
  const signedOffBy = trailers.filter((t) => t.key.toLowerCase() === 'signed-off-by').map((t) => parsePerson(t.value));
  return {
    name,
    commit: msg.fromLineCommit,
    from: fromRaw ? parsePerson(fromRaw) : null,
    author,
    date,
    dateIso: isoDate(date),
    subject,
    messageId: header(msg, 'Message-Id') ?? header(msg, 'Message-ID') ?? null,
    message,
    trailers,
    signedOffBy,
    notes,
    diffstat,
    files: diff.files,
    baseCommit,
    prerequisitePatchIds,
    isCover,
    problems,
  };
}

/** Parses a patch file; an mbox with several mails gives several patches. */
export function parsePatchText(text: string, name: string): PatchFile[] {
  return splitMbox(text).map((m) => parsePatchMessage(parseMessage(m.text, m.startLine), name));
}

/** Parses a file that must hold exactly one patch mail. */
export function parsePatchFile(text: string, name: string): PatchFile {
  const all = parsePatchText(text, name);
  const p = all[0];
  if (all.length > 1) p.problems.push({ line: 1, message: `holds ${all.length} mails; a series file lists one patch per file` });
  if (!text.trim()) p.problems.push({ line: 1, message: 'the file is empty' });
  return p;
}

export const authorString = (p: PatchFile) => (p.author ? formatPerson(p.author) : '(unknown)');
