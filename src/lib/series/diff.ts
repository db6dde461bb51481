// SPDX-License-Identifier: GPL-2.0-only
/**
 * Parsing the git diff of a patch into files and hunks, with the problems that make
 * `git apply` reject it (truncated hunks, bad hunk headers, no diff at all). Pure.
 */

export interface Hunk {
  /** "@@ -10,7 +10,8 @@ static int foo(void)" */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The function context after the second "@@". */
  section: string;
  /** The hunk's body lines (" ", "-", "+", "\\" lines), without the header. */
  lines: string[];
  added: number;
  removed: number;
  /** 1-based line of the header in the patch file. */
  line: number;
}

export type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied' | 'mode';

export interface FileDiff {
  /** Path before (a/...), null for a new file. */
  oldPath: string | null;
  /** Path after (b/...), null for a deleted file. */
  newPath: string | null;
  /** The path to show: the new path, else the old one. */
  path: string;
  status: FileStatus;
  /** Blob ids of the "index OLD..NEW MODE" line (abbreviated as in the patch), null when absent. */
  oldBlob: string | null;
  newBlob: string | null;
  oldMode: string | null;
  newMode: string | null;
  similarity: number | null;
  binary: boolean;
  /** The header lines from "diff --git" up to the first hunk, as in the patch. */
  headerLines: string[];
  hunks: Hunk[];
  /** 1-based line of "diff --git" in the patch file. */
  line: number;
}

export interface DiffProblem {
  line: number;
  message: string;
}

export interface ParsedDiff {
  files: FileDiff[];
  problems: DiffProblem[];
  /** Lines after the diff that are not part of it (the "-- " signature and what follows are excluded). */
  trailing: string[];
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
const ZERO_BLOB = /^0+$/;

function stripPrefix(p: string, prefix: string): string {
  const unq = p.startsWith('"') && p.endsWith('"') ? unquoteC(p.slice(1, -1)) : p;
  return unq.startsWith(prefix) ? unq.slice(prefix.length) : unq;
}

/** Git's C-style quoted path ("a/f\303\266o"). */
function unquoteC(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      const n = s[i + 1];
      const oct = /^[0-7]{3}/.exec(s.slice(i + 1));
      if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += 3;
        continue;
      }
      const map: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', r: '\r', v: '\v' };
      bytes.push(...Buffer.from(map[n] ?? n, 'utf8'));
      i++;
    } else {
      bytes.push(...Buffer.from(s[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** "a/x b/x" of "diff --git a/x b/x" when both sides are the same path (the usual case). */
function pathsOfDiffLine(rest: string): { a: string | null; b: string | null } {
  if (rest.startsWith('"')) {
    const m = /^("(?:[^"\\]|\\.)*")\s+(.*)$/.exec(rest);
    if (m) return { a: stripPrefix(m[1], 'a/'), b: stripPrefix(m[2], 'b/') };
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ') {
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.slice(2) === b.slice(2)) return { a: stripPrefix(a, 'a/'), b: stripPrefix(b, 'b/') };
  }
  const m = /^(a\/\S+) (b\/\S+)$/.exec(rest);
  if (m) return { a: stripPrefix(m[1], 'a/'), b: stripPrefix(m[2], 'b/') };
  return { a: null, b: null };
}

/**
 * Parses the diff part of a patch. `lines` are the lines of the message body from the first
 * "diff --git" on; `firstLine` is the 1-based line number of lines[0] in the file.
 */
export function parseDiff(lines: string[], firstLine = 1): ParsedDiff {
  const files: FileDiff[] = [];
  const problems: DiffProblem[] = [];
  const trailing: string[] = [];
  let i = 0;
  const at = (k: number) => firstLine + k;
  while (i < lines.length) {
    const line = lines[i];
    if (line === '-- ' || line === '--') break; // the mail signature: end of the patch
    if (!line.startsWith('diff --git ')) {
      if (line.trim()) trailing.push(line);
      i++;
      continue;
    }
    const { a, b } = pathsOfDiffLine(line.slice('diff --git '.length));
    const file: FileDiff = {
      oldPath: a,
      newPath: b,
      path: b ?? a ?? '?',
      status: 'modified',
      oldBlob: null,
      newBlob: null,
      oldMode: null,
      newMode: null,
      similarity: null,
      binary: false,
      headerLines: [line],
      hunks: [],
      line: at(i),
    };
    if (a === null && b === null) problems.push({ line: at(i), message: `cannot read the file names of "${line}"` });
    i++;
    // extended header lines
    for (; i < lines.length; i++) {
      const h = lines[i];
      let m: RegExpExecArray | null;
      if (h.startsWith('diff --git ') || h.startsWith('@@') || h === '-- ') break;
      if ((m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?$/.exec(h))) {
        file.oldBlob = m[1];
        file.newBlob = m[2];
        if (m[3]) file.oldMode = file.newMode = m[3];
      } else if ((m = /^new file mode (\d+)$/.exec(h))) {
        file.status = 'added';
        file.newMode = m[1];
      } else if ((m = /^deleted file mode (\d+)$/.exec(h))) {
        file.status = 'deleted';
        file.oldMode = m[1];
      } else if ((m = /^old mode (\d+)$/.exec(h))) {
        file.oldMode = m[1];
        if (file.status === 'modified') file.status = 'mode';
      } else if ((m = /^new mode (\d+)$/.exec(h))) {
        file.newMode = m[1];
      } else if ((m = /^rename from (.*)$/.exec(h))) {
        file.status = 'renamed';
        file.oldPath = stripPrefix(m[1], '');
      } else if ((m = /^rename to (.*)$/.exec(h))) {
        file.newPath = stripPrefix(m[1], '');
      } else if ((m = /^copy from (.*)$/.exec(h))) {
        file.status = 'copied';
        file.oldPath = stripPrefix(m[1], '');
      } else if ((m = /^copy to (.*)$/.exec(h))) {
        file.newPath = stripPrefix(m[1], '');
      } else if ((m = /^(?:dis)?similarity index (\d+)%$/.exec(h))) {
        file.similarity = Number(m[1]);
      } else if ((m = /^--- (.*)$/.exec(h))) {
        if (m[1] === '/dev/null') file.oldPath = null;
        else file.oldPath = stripPrefix(m[1].replace(/\t.*$/, ''), 'a/');
      } else if ((m = /^\+\+\+ (.*)$/.exec(h))) {
        if (m[1] === '/dev/null') file.newPath = null;
        else file.newPath = stripPrefix(m[1].replace(/\t.*$/, ''), 'b/');
      } else if (/^Binary files .* differ$/.test(h)) {
        file.binary = true;
      } else if (h === 'GIT binary patch') {
        file.binary = true;
        file.headerLines.push(h);
        i++;
        // literal/delta blocks until a blank line followed by a non-block line
        while (i < lines.length && !lines[i].startsWith('diff --git ') && lines[i] !== '-- ') {
          file.headerLines.push(lines[i]);
          i++;
        }
        break;
      } else {
        problems.push({ line: at(i), message: `unexpected line in the header of ${file.path}: "${h.slice(0, 80)}"` });
        break;
      }
      file.headerLines.push(h);
    }
    if (file.status === 'added') file.oldPath = null;
    if (file.status === 'deleted') file.newPath = null;
    file.path = file.newPath ?? file.oldPath ?? file.path;
    if (file.oldBlob && ZERO_BLOB.test(file.oldBlob) && file.status === 'modified') file.status = 'added';
    // hunks
    while (i < lines.length && lines[i].startsWith('@@')) {
      const hm = HUNK_RE.exec(lines[i]);
      if (!hm) {
        problems.push({ line: at(i), message: `bad hunk header in ${file.path}: "${lines[i].slice(0, 80)}"` });
        i++;
        while (i < lines.length && !lines[i].startsWith('@@') && !lines[i].startsWith('diff --git ') && lines[i] !== '-- ') i++;
        continue;
      }
      const hunk: Hunk = {
        header: lines[i],
        oldStart: Number(hm[1]),
        oldLines: hm[2] === undefined ? 1 : Number(hm[2]),
        newStart: Number(hm[3]),
        newLines: hm[4] === undefined ? 1 : Number(hm[4]),
        section: hm[5].trim(),
        lines: [],
        added: 0,
        removed: 0,
        line: at(i),
      };
      i++;
      let oldLeft = hunk.oldLines;
      let newLeft = hunk.newLines;
      while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
        const l = lines[i];
        const c = l[0];
        if (c === ' ' || l === '') {
          oldLeft--;
          newLeft--;
        } else if (c === '-') {
          oldLeft--;
          hunk.removed++;
        } else if (c === '+') {
          newLeft--;
          hunk.added++;
        } else if (c === '\\') {
          // "\ No newline at end of file"
        } else {
          break;
        }
        hunk.lines.push(l);
        i++;
      }
      while (i < lines.length && lines[i].startsWith('\\')) hunk.lines.push(lines[i++]);
      if (oldLeft !== 0 || newLeft !== 0) {
        const where = i < lines.length ? `at "${lines[i].slice(0, 60)}"` : 'at the end of the file';
        problems.push({
          line: hunk.line,
          message: `hunk "${hunk.header}" of ${file.path} is corrupt: it says ${hunk.oldLines} old and ${hunk.newLines} new lines but ends after ${hunk.oldLines - oldLeft} old and ${hunk.newLines - newLeft} new lines, ${where}`,
        });
      }
      file.hunks.push(hunk);
    }
    const hasContent = file.hunks.length > 0 || file.binary || file.status !== 'modified';
    if (!hasContent) problems.push({ line: file.line, message: `${file.path}: "diff --git" without any hunk` });
    files.push(file);
  }
  return { files, problems, trailing };
}

/** A patch text for one hunk of one file (header lines + that hunk), for checking hunks one by one. */
export function singleHunkPatch(file: FileDiff, hunk: Hunk, hunkHeader = hunk.header): string {
  const header = file.headerLines.filter((l) => !/^(similarity|dissimilarity) index /.test(l));
  return `${[...header, hunkHeader, ...hunk.lines].join('\n')}\n`;
}

/** The whole diff of one file as patch text. */
export function filePatch(file: FileDiff): string {
  return `${[...file.headerLines, ...file.hunks.flatMap((h) => [h.header, ...h.lines])].join('\n')}\n`;
}
