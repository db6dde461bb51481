// SPDX-License-Identifier: GPL-2.0-only
/** Conflict regions in a file left by a 3-way merge (merge or diff3 style markers). Pure. */

export interface ConflictRegion {
  /** 1-based line of "<<<<<<<". */
  startLine: number;
  /** 1-based line of ">>>>>>>". */
  endLine: number;
  oursLabel: string;
  theirsLabel: string;
  /** The tree's side (HEAD). */
  ours: string[];
  /** The common base (diff3 style only), else null. */
  base: string[] | null;
  /** The patch's side. */
  theirs: string[];
}

const MAX_LINES = 40;

export function parseConflictMarkers(text: string, maxLines = MAX_LINES): ConflictRegion[] {
  const lines = text.split('\n');
  const out: ConflictRegion[] = [];
  let cur: { start: number; ours: string[]; base: string[] | null; theirs: string[]; oursLabel: string; part: 'ours' | 'base' | 'theirs' } | null = null;
  lines.forEach((l, i) => {
    if (l.startsWith('<<<<<<<') && (l.length === 7 || l[7] === ' ')) {
      cur = { start: i + 1, ours: [], base: null, theirs: [], oursLabel: l.slice(8), part: 'ours' };
      return;
    }
    if (!cur) return;
    const c = cur as NonNullable<typeof cur>;
    if (l.startsWith('|||||||') && c.part === 'ours') {
      c.base = [];
      c.part = 'base';
    } else if (l === '=======' && c.part !== 'theirs') {
      c.part = 'theirs';
    } else if (l.startsWith('>>>>>>>') && c.part === 'theirs') {
      const cap = (a: string[]) => a.slice(0, maxLines);
      out.push({
        startLine: c.start,
        endLine: i + 1,
        oursLabel: c.oursLabel,
        theirsLabel: l.slice(8),
        ours: cap(c.ours),
        base: c.base ? cap(c.base) : null,
        theirs: cap(c.theirs),
      });
      cur = null;
    } else {
      c[c.part === 'base' ? 'base' : c.part]!.push(l);
    }
  });
  return out;
}

export const hasConflictMarkers = (text: string) => parseConflictMarkers(text, 0).length > 0;
