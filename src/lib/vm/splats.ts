// SPDX-License-Identifier: GPL-2.0-only
/**
 * The kernel's report formats, as data: which console line starts which kind of splat,
 * and which line ends it. Ordered: the first pattern that matches a line wins, so the
 * specific ones ("BUG: KASAN:", "watchdog: BUG: soft lockup") come before "BUG:".
 */

export type SplatKind =
  | 'panic'
  | 'kasan'
  | 'soft-lockup'
  | 'hard-lockup'
  | 'rcu-stall'
  | 'hung-task'
  | 'lockdep'
  | 'oops'
  | 'bug'
  | 'ubsan'
  | 'kmemleak'
  | 'warn';

export interface SplatPattern {
  kind: SplatKind;
  start: RegExp;
  /** The line that closes the report (included in the excerpt). */
  end?: RegExp;
  /** Lines of the excerpt when no end line is found. */
  maxLines: number;
}

const END_TRACE = /---\[ end trace/;

export const SPLAT_PATTERNS: readonly SplatPattern[] = [
  { kind: 'panic', start: /Kernel panic - not syncing/, end: /---\[ end Kernel panic/, maxLines: 40 },
  { kind: 'kasan', start: /BUG: KASAN: |BUG: KFENCE: /, end: /^={20,}$/, maxLines: 80 },
  { kind: 'soft-lockup', start: /BUG: soft lockup - CPU#\d+ stuck for|BUG: workqueue lockup/, maxLines: 40 },
  { kind: 'hard-lockup', start: /Watchdog detected hard LOCKUP on cpu|NMI watchdog: Watchdog detected hard LOCKUP/, end: END_TRACE, maxLines: 40 },
  { kind: 'rcu-stall', start: /rcu: INFO: rcu_\w+ (self-)?detected stalls?|rcu_\w+ detected stalls on CPUs\/tasks|INFO: rcu_\w+ (self-)?detected stall/, maxLines: 40 },
  { kind: 'hung-task', start: /INFO: task \S+:\d+ blocked for more than \d+ seconds/, maxLines: 40 },
  {
    kind: 'lockdep',
    start:
      /WARNING: possible circular locking dependency detected|WARNING: possible recursive locking detected|WARNING: inconsistent lock state|WARNING: suspicious RCU usage|WARNING: lock held when returning to user space|WARNING: bad unlock balance detected|WARNING: possible irq lock inversion dependency detected|BUG: sleeping function called from invalid context|BUG: scheduling while atomic|BUG: MAX_LOCKDEP/,
    end: END_TRACE,
    maxLines: 80,
  },
  {
    kind: 'oops',
    start: /BUG: unable to handle|BUG: kernel NULL pointer dereference|Oops: |general protection fault|invalid opcode: \d+ \[#\d+\]|stack segment: \d+ \[#\d+\]/,
    end: END_TRACE,
    maxLines: 60,
  },
  { kind: 'bug', start: /kernel BUG at |BUG: /, end: END_TRACE, maxLines: 60 },
  { kind: 'ubsan', start: /UBSAN: /, end: /^={20,}$/, maxLines: 40 },
  // kmemleak.verbose: each object as the scan finds it, then the count
  { kind: 'kmemleak', start: /kmemleak: unreferenced object 0x|kmemleak: \d+ new suspected memory leaks/, maxLines: 30 },
  { kind: 'warn', start: /WARNING: CPU: \d+ PID: \d+ at /, end: END_TRACE, maxLines: 60 },
];

/** How bad each kind is; used to sort a report, not to pick the verdict (the first splat is the root cause). */
export const SEVERITY: Record<SplatKind, number> = {
  panic: 10,
  oops: 9,
  bug: 9,
  kasan: 9,
  'hard-lockup': 8,
  'soft-lockup': 7,
  'rcu-stall': 7,
  'hung-task': 6,
  lockdep: 6,
  ubsan: 5,
  kmemleak: 5,
  warn: 4,
};

const STAMP = /\[\s*\d+\.\d{3,9}\] ?/g;

/**
 * The kernel's part of a console line: what follows its printk time stamp
 * ("[    1.234567] "). A script's output may precede it on the same line; a line without
 * a stamp is not the kernel's (null) when the log is stamped.
 */
export function kernelText(line: string, stamped: boolean): string | null {
  const l = line.replace(/\r$/, '');
  if (!stamped) return l;
  let last = -1;
  let len = 0;
  for (const m of l.matchAll(STAMP)) {
    last = m.index ?? -1;
    len = m[0].length;
  }
  return last < 0 ? null : l.slice(last + len);
}

/** Does this log carry printk time stamps (kseries boots with printk.time=1)? */
export const isStamped = (text: string) => /^\[\s*\d+\.\d{3,9}\]/m.test(text);

export function matchSplat(line: string, stamped = true): SplatPattern | null {
  const l = kernelText(line, stamped);
  if (l === null) return null;
  for (const p of SPLAT_PATTERNS) if (p.start.test(l)) return p;
  return null;
}

/** A line after which a running VM should be stopped at once: the kernel panicked. */
export function isFatalLine(line: string): boolean {
  const l = kernelText(line, true);
  return l !== null && /^Kernel panic - not syncing/.test(l);
}

/** The end of a panic report: the VM has said all it will. */
export function isPanicEnd(line: string): boolean {
  return /---\[ end Kernel panic/.test(line);
}
