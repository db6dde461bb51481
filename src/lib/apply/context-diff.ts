// SPDX-License-Identifier: GPL-2.0-only
/**
 * Why a hunk fails: its preimage (context and removed lines) is the series' base; the target's
 * file is compared with it where the hunk belongs. Pure.
 *
 * The place is found by anchors: lines that occur once in the base's lines and once in the
 * target's file (and have a letter or digit), kept in the order both have them (the longest
 * such chain). Between two anchors the lines are diffed (longest common subsequence); before
 * the first anchor and after the last, the lines are matched only outward from the anchor,
 * line by line, since nothing bounds the target there. What remains are differences:
 *   lacking  the base has these lines, the target has nothing in their place
 *            (a change between the two kernels: often a fix the target does not have);
 *   changed  the target has other lines in their place;
 *   added    the target has lines the base does not have there.
 * Only differences that touch the hunk's own lines (OLD_START .. OLD_START+OLD_LINES-1 of the
 * base) are kept: when the whole base file is known, the lines around the hunk help to place
 * it and to show the whole change (a check of which the hunk only holds the last lines).
 */

export interface NumberedLine {
  /** 1-based line in its file. */
  line: number;
  text: string;
}

export interface ContextDifference {
  kind: 'lacking' | 'changed' | 'added';
  /** The series' base lines (line numbers of the base's file). */
  base: NumberedLine[];
  /** The target's lines in their place (line numbers of the target's file). */
  target: NumberedLine[];
  /** The target line before which the base's lines would be. */
  targetAt: number;
}

export interface ContextComparison {
  /** Where the target has the hunk's place: the target line matching the first line of the hunk's preimage (estimated from the anchors). */
  targetAt: number;
  differences: ContextDifference[];
}

const SIGNIFICANT = /[A-Za-z0-9]/;

function counts(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/** The longest chain of pairs increasing in both coordinates (pairs given sorted by the first). */
function longestChain(pairs: Array<[number, number]>): Array<[number, number]> {
  const best: number[] = [];
  const prev: number[] = [];
  for (let i = 0; i < pairs.length; i++) {
    best[i] = 1;
    prev[i] = -1;
    for (let j = 0; j < i; j++) {
      if (pairs[j][1] < pairs[i][1] && best[j] + 1 > best[i]) {
        best[i] = best[j] + 1;
        prev[i] = j;
      }
    }
  }
  let end = -1;
  for (let i = 0; i < pairs.length; i++) if (end < 0 || best[i] > best[end]) end = i;
  const out: Array<[number, number]> = [];
  for (let i = end; i >= 0; i = prev[i]) out.unshift(pairs[i]);
  return out;
}

/** Matched index pairs of the longest common subsequence of A and B. */
function lcs(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const out: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return out;
}

/**
 * Compares the base's lines BASE (BASE[0] is line BASE_FIRST of the base's file: the hunk's
 * preimage, or the whole file) with the target's file TARGET, at the hunk whose preimage is
 * base lines OLD_START .. OLD_START+OLD_LINES-1. Null when the hunk's place cannot be found
 * (no line of it occurs once in each).
 */
export function compareContext(base: string[], baseFirst: number, hunk: { oldStart: number; oldLines: number }, target: string[]): ContextComparison | null {
  if (!hunk.oldLines || !base.length) return null;
  const hunkFirst = hunk.oldStart - baseFirst;
  const hunkLast = hunkFirst + hunk.oldLines - 1;
  // the base lines considered: the hunk and up to 20 lines on each side, when known
  const lo = Math.max(0, hunkFirst - 20);
  const hi = Math.min(base.length - 1, hunkLast + 20);
  const b = base.slice(lo, hi + 1);
  const inBase = counts(b);
  const inTarget = counts(target);
  const where = new Map<string, number>();
  target.forEach((l, i) => where.set(l, i));
  const pairs: Array<[number, number]> = [];
  b.forEach((l, i) => {
    if (SIGNIFICANT.test(l) && inBase.get(l) === 1 && inTarget.get(l) === 1) pairs.push([i, where.get(l)!]);
  });
  const anchors = longestChain(pairs);
  if (!anchors.length) return null;

  // matched pairs (base index in b, target index), from the anchors outward
  const matched: Array<[number, number]> = [];
  const [fb, ft] = anchors[0];
  for (let i = fb - 1, j = ft - 1; i >= 0 && j >= 0 && b[i] === target[j]; i--, j--) matched.unshift([i, j]);
  for (let k = 0; k < anchors.length; k++) {
    matched.push(anchors[k]);
    if (k + 1 < anchors.length) {
      const [b0, t0] = anchors[k];
      const [b1, t1] = anchors[k + 1];
      for (const [i, j] of lcs(b.slice(b0 + 1, b1), target.slice(t0 + 1, t1))) matched.push([b0 + 1 + i, t0 + 1 + j]);
    }
  }
  const [lb, lt] = anchors[anchors.length - 1];
  for (let i = lb + 1, j = lt + 1; i < b.length && j < target.length && b[i] === target[j]; i++, j++) matched.push([i, j]);

  // the edits between matches; on the open ends only base lines (the target goes on)
  const diffs: ContextDifference[] = [];
  const edit = (bFrom: number, bTo: number, tFrom: number, tTo: number) => {
    const baseLines = b.slice(bFrom, bTo).map((text, k) => ({ line: baseFirst + lo + bFrom + k, text }));
    const targetLines = target.slice(tFrom, tTo).map((text, k) => ({ line: tFrom + k + 1, text }));
    if (!baseLines.length && !targetLines.length) return;
    const kind = !targetLines.length ? 'lacking' : !baseLines.length ? 'added' : 'changed';
    diffs.push({ kind, base: baseLines, target: targetLines, targetAt: tTo + 1 });
  };
  edit(0, matched[0][0], matched[0][1], matched[0][1]);
  for (let k = 0; k + 1 < matched.length; k++) edit(matched[k][0] + 1, matched[k + 1][0], matched[k][1] + 1, matched[k + 1][1]);
  const [eb, et] = matched[matched.length - 1];
  edit(eb + 1, b.length, et + 1, et + 1);

  // keep what touches the hunk's lines: base lines in its range, or target lines added inside it
  const first = baseFirst + hunkFirst;
  const last = baseFirst + hunkLast;
  const touches = (d: ContextDifference) => (d.base.length ? d.base.some((l) => l.line >= first && l.line <= last) : insideHunk(d, matched, baseFirst + lo, first, last));
  const anchorAt = matched.find(([i]) => baseFirst + lo + i >= first) ?? matched[0];
  return { targetAt: anchorAt[1] + 1 - (baseFirst + lo + anchorAt[0] - first), differences: diffs.filter(touches) };
}

/** An "added" difference lies inside the hunk when lines of the hunk are matched right before and right after it. */
function insideHunk(d: ContextDifference, matched: Array<[number, number]>, offset: number, first: number, last: number): boolean {
  const before = matched.filter(([, j]) => j + 1 < d.target[0].line).pop();
  const after = matched.find(([, j]) => j + 1 > d.target[d.target.length - 1].line);
  return !!before && !!after && offset + before[0] >= first && offset + after[0] <= last;
}

/**
 * Is the target of a newer kernel line than the series? TARGET_KERNEL "6.12.118", SERIES_BASE
 * "v6.1" (the series directory): true for 6.12 over v6.1, false for 6.1.170 over v6.1 (which
 * point release the series was made on is not known here), null when either is unknown.
 */
export function targetOnNewerLine(targetKernel: string | null, seriesBase: string): boolean | null {
  const t = /^(\d+)\.(\d+)/.exec(targetKernel ?? '');
  const b = /^v?(\d+)\.(\d+)/.exec(seriesBase);
  if (!t || !b) return null;
  const [tv, tp, bv, bp] = [t[1], t[2], b[1], b[2]].map(Number);
  return tv > bv || (tv === bv && tp > bp);
}

/** What a difference means, in words; NEWER_LINE: the target is of a newer kernel line than the series (targetOnNewerLine). */
export function explainDifference(kind: ContextDifference['kind'], newerLine: boolean | null = null): string {
  if (kind === 'lacking') {
    return newerLine
      ? 'the series was made on a tree that has these lines; the target lacks them: a change between the two kernels, probably removed or rewritten in the newer kernel line of the target'
      : 'the series was made on a tree that has these lines; the target lacks them: a change between the two kernels, probably a fix the target does not have';
  }
  if (kind === 'changed') return 'the series was made on a tree that has these lines where the target has others: the code changed between the two kernels';
  return 'the target has lines here that the tree the series was made on did not have: a change between the two kernels';
}

/** The text `git log -S` looks for: the base's lines of the difference (the target's, when the target only added lines), whole. */
export function pickaxeNeedle(d: ContextDifference): string {
  return (d.base.length ? d.base : d.target).map((l) => l.text).join('\n');
}
