// SPDX-License-Identifier: GPL-2.0-only
/**
 * Where one hunk, checked alone against the target, applies. Pure.
 *
 * GNU patch and git apply both place a hunk by searching for its preimage (context and
 * removed lines) near an expected line and report "(offset K lines)" = found - expected.
 * For a whole patch the expected line of hunk N is where the previous hunks left the file:
 * GNU patch takes the hunk's old line (@@ -OLD) plus the offset so far, git apply takes the
 * hunk's NEW line (@@ +NEW, i.e. OLD plus what hunks 1..N-1 added), because it applies the
 * hunks to the image in turn. A hunk checked ALONE against the unpatched target has no
 * previous hunks, so its preimage is expected at OLD; given its own header git apply would
 * search from NEW, report offsets relative to NEW, say nothing when the preimage sits at NEW
 * (though not at OLD), and pick the occurrence nearest NEW when there are several
 * (test/fixtures/hunk-check/record.sh records each case). So the hunk is checked with the
 * header @@ -OLD,n +OLD,m @@, and its place is read against OLD.
 */
import type { Hunk } from '../series/diff.js';
import type { HunkOffset } from './am-output.js';
import type { HunkCheck } from './report.js';

/**
 * The header for checking HUNK alone: its new start moved to its old start, so that git
 * apply searches from (and measures the offset against) the line the preimage was at. A hunk
 * without preimage lines (a new file, an insertion made with -U0) is left as it is: its old
 * start names the line after which it inserts, and git places it from its new start.
 */
export function aloneHeader(h: Pick<Hunk, 'header' | 'oldStart' | 'oldLines' | 'newStart' | 'newLines' | 'section'>): string {
  if (h.oldLines === 0 || h.oldStart === 0 || h.newStart === h.oldStart) return h.header;
  return `@@ -${h.oldStart},${h.oldLines} +${h.oldStart},${h.newLines} @@${h.section ? ` ${h.section}` : ''}`;
}

/** The new start line of a hunk header ("@@ -47,7 +57,7 @@ ..." → 57). */
function newStartOf(header: string): number {
  const m = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(header);
  if (!m) throw new Error(`not a hunk header: ${header}`);
  return Number(m[1]);
}

/**
 * Reads `git apply --check -v` on a one-hunk patch whose header was CHECKED (the header git
 * saw): git searched from the new start of that header, and says "Hunk #1 succeeded at L
 * (offset K lines)" only when it found the preimage elsewhere. The result is measured
 * against the hunk's OLD start: "applies" there, "offset" elsewhere (appliesAt = the first
 * line of the preimage in the target, offset = appliesAt - oldStart), "fails" when git
 * rejected it. A hunk without preimage lines applies wherever git put it.
 */
export function placeHunk(
  h: Pick<Hunk, 'oldStart' | 'oldLines'>,
  checked: string,
  result: { exitCode: number; hunkOffsets: HunkOffset[] },
): Pick<HunkCheck, 'status' | 'appliesAt' | 'offset'> {
  if (result.exitCode !== 0) return { status: 'fails' };
  if (h.oldLines === 0) return { status: 'applies' };
  const found = result.hunkOffsets[0]?.at ?? newStartOf(checked);
  const offset = found - h.oldStart;
  return offset === 0 ? { status: 'applies' } : { status: 'offset', appliesAt: found, offset };
}

/**
 * How far apart the hunks around hunk K (the nearest placed one before it and after it) apply
 * compared with the base: between base lines FROM_LINE and TO_LINE the target has LINES more
 * lines (fewer when negative). Null when a side has no placed hunk or both moved alike.
 */
export function shiftAround(
  hunks: Array<Pick<HunkCheck, 'oldStart' | 'oldLines' | 'status' | 'offset'>>,
  k: number,
): { fromLine: number; toLine: number; lines: number } | null {
  const placed = (h: (typeof hunks)[number]) => h.status === 'applies' || h.status === 'offset';
  const prev = hunks.slice(0, k).filter(placed).pop();
  const next = hunks.slice(k + 1).find(placed);
  if (!prev || !next) return null;
  const lines = (next.offset ?? 0) - (prev.offset ?? 0);
  return lines ? { fromLine: prev.oldStart + prev.oldLines, toLine: next.oldStart - 1, lines } : null;
}
