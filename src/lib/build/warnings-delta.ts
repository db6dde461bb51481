// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which warnings a change introduced: a pure comparison of two warning lists (before and
 * after), matched by file + flag + message, so that a warning whose line merely moved
 * is not new. Each side is a multiset: a warning the series adds a second time is new.
 */
export interface WarningLike {
  rel: string | null;
  line: number | null;
  column: number | null;
  flag: string | null;
  message: string;
}

/** What two warnings must share to be "the same warning". Positions quoted inside the message do not count. */
export function warningKey(w: WarningLike): string {
  const msg = w.message
    .replace(/\s+/g, ' ')
    .replace(/(\.[a-zA-Z]+):\d+(?::\d+)?/g, '$1')
    .replace(/\bline \d+\b/g, 'line N')
    .trim();
  return `${w.rel ?? ''}\u0000${w.flag ?? ''}\u0000${msg}`;
}

export interface WarningsDelta<W extends WarningLike> {
  /** In AFTER more often than in BEFORE: the extra occurrences. */
  added: W[];
  /** In BEFORE more often than in AFTER. */
  removed: W[];
  /** In both. */
  kept: number;
}

export function warningsDelta<W extends WarningLike>(before: readonly W[], after: readonly W[]): WarningsDelta<W> {
  const count = new Map<string, number>();
  for (const w of before) count.set(warningKey(w), (count.get(warningKey(w)) ?? 0) + 1);
  const added: W[] = [];
  let kept = 0;
  for (const w of after) {
    const k = warningKey(w);
    const n = count.get(k) ?? 0;
    if (n > 0) {
      count.set(k, n - 1);
      kept++;
    } else added.push(w);
  }
  const left = new Map(count);
  const removed: W[] = [];
  for (const w of before) {
    const k = warningKey(w);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      left.set(k, n - 1);
      removed.push(w);
    }
  }
  return { added, removed, kept };
}

/** One entry per distinct warning (file, line, column, flag, message): a header warning shows once however many files include it. */
export function distinctWarnings<W extends WarningLike>(ws: readonly W[]): Array<W & { count: number }> {
  const byPlace = new Map<string, W & { count: number }>();
  for (const w of ws) {
    const k = `${warningKey(w)}\u0000${w.line ?? ''}\u0000${w.column ?? ''}`;
    const e = byPlace.get(k);
    if (e) e.count++;
    else byPlace.set(k, { ...w, count: 1 });
  }
  return [...byPlace.values()];
}

/** Split warnings into those in FILES (the series touches them) and the others. */
export function inFiles<W extends WarningLike>(ws: readonly W[], files: ReadonlySet<string>): { touched: W[]; elsewhere: W[] } {
  const touched: W[] = [];
  const elsewhere: W[] = [];
  for (const w of ws) (w.rel !== null && files.has(w.rel) ? touched : elsewhere).push(w);
  return { touched, elsewhere };
}

/**
 * The delta between the warnings of two whole builds (ledgers): each distinct place counts
 * once, however many units included the header it is in, and then the multiset delta by
 * file + flag + message. A pre-existing header warning seen by one more unit is not new;
 * a second identical message at another line is.
 */
export function buildsDelta<W extends WarningLike>(before: readonly W[], after: readonly W[]): WarningsDelta<W & { count: number }> {
  return warningsDelta(distinctWarnings(before), distinctWarnings(after));
}
