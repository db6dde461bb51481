// SPDX-License-Identifier: GPL-2.0-only
/**
 * What a test can know about a format-patch file and a target file WITHOUT kseries: the
 * subject, per file the "index PRE..POST" ids and the hunks (read from the patch text with
 * a few regular expressions, not src/lib/series), and where a hunk's preimage — its context
 * and removed lines — occurs in a target file (a plain line search). Tests compare
 * kseries' reports with these, so a report is checked against facts and not only against
 * an earlier recording of itself.
 */

export interface HunkFacts {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The lines the target must have for the hunk to apply: context and removed lines, in order. */
  preimage: string[];
}

export interface FileFacts {
  path: string;
  preimage: string;
  postimage: string;
  hunks: HunkFacts[];
}

/** "Subject: [PATCH 1/5] a folded\n subject" → "a folded subject". */
export function patchSubject(text: string): string {
  const m = /^Subject: (.*(?:\n [^\n]*)*)/m.exec(text);
  if (!m) throw new Error('no Subject: header');
  return m[1].replace(/\n /g, ' ').replace(/^\[PATCH[^\]]*\]\s*/, '');
}

export function patchFiles(text: string): FileFacts[] {
  // the diff ends at format-patch's signature ("-- " and the git version), when there is one
  const diff = text.split(/^-- $/m)[0];
  return diff
    .split(/^(?=diff --git )/m)
    .slice(1)
    .map((chunk) => {
      const path = /^diff --git a\/(\S+) b\/\S+$/m.exec(chunk)![1];
      const [, preimage, postimage] = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/m.exec(chunk)!;
      const hunks = chunk
        .split(/^(?=@@ )/m)
        .slice(1)
        .map((h) => {
          const lines = h.split('\n');
          const [, os, ol, ns, nl] = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[0])!;
          return {
            header: lines[0],
            oldStart: Number(os),
            oldLines: ol === undefined ? 1 : Number(ol),
            newStart: Number(ns),
            newLines: nl === undefined ? 1 : Number(nl),
            preimage: lines.slice(1).filter((l) => l.startsWith(' ') || l.startsWith('-')).map((l) => l.slice(1)),
          };
        });
      return { path, preimage, postimage, hunks };
    });
}

/**
 * Applying one hunk alone to a file's lines, exactly (no fuzz, whitespace as is): "fails" when
 * its preimage occurs nowhere, "applies" when it occurs at oldStart, else "offset" at the
 * occurrence nearest to oldStart (1-based line). GNU patch -F0 on a single-hunk patch says the same.
 */
export function hunkPlacement(fileLines: string[], h: HunkFacts): { status: 'applies' } | { status: 'offset'; appliesAt: number } | { status: 'fails' } {
  const at: number[] = [];
  for (let i = 0; i + h.preimage.length <= fileLines.length; i++) {
    if (h.preimage.every((l, k) => fileLines[i + k] === l)) at.push(i + 1);
  }
  if (!at.length) return { status: 'fails' };
  if (at.includes(h.oldStart)) return { status: 'applies' };
  const nearest = at.reduce((a, b) => (Math.abs(b - h.oldStart) < Math.abs(a - h.oldStart) ? b : a));
  return { status: 'offset', appliesAt: nearest };
}
