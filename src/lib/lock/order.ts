// SPDX-License-Identifier: GPL-2.0-only
/**
 * The one global order of kseries' locks. Two runs can only wait for each other for ever
 * when each holds a lock the other wants next; a run that takes its locks in one order that
 * every command shares never does. The order:
 *
 *   1. results directory  ci's for the whole run; then a selftest's (ci takes its tree's,
 *                         inside its own, at the build stage, before the tree)
 *   2. tree               shared (build, kconfig apply, selftest's preparation, ci's build
 *                         stage on) or exclusive (apply, rebase, export, tree add/remove)
 *   3. build directory    kconfig apply, build, selftest, ci's build stage on
 *   4. build worktree     build --warnings-delta, --each-commit
 *   5. scenario image     selftest, one scenario at a time
 *
 * A run never takes a lock while it holds one later in the order, nor a second one of a kind,
 * except a results directory inside one it holds (a directory before what is inside it, which
 * is one order too). Taking a lock it holds already is reentrant and not an acquisition.
 */
export const LOCK_ORDER = ['results', 'tree', 'build', 'worktree', 'image'] as const;
export type LockKind = (typeof LOCK_ORDER)[number];

interface Ordered {
  what: string;
  kind?: LockKind;
  key?: string;
}

const rank = (k: LockKind) => LOCK_ORDER.indexOf(k);
const inside = (key: string | undefined, dir: string | undefined) => !!key && !!dir && key.startsWith(`${dir.replace(/\/+$/, '')}/`);

/** Why taking NEXT while holding HELD breaks the order, or null when it does not. */
export function orderProblem(held: readonly Ordered[], next: Ordered): string | null {
  if (!next.kind) return null;
  for (const h of held) {
    if (!h.kind) continue;
    if (rank(h.kind) > rank(next.kind)) return `lock order: ${next.what} taken while holding ${h.what} (the order is ${LOCK_ORDER.join(' → ')})`;
    if (h.kind === next.kind && !(next.kind === 'results' && inside(next.key, h.key))) {
      return `lock order: ${next.what} taken while holding ${h.what}, another ${h.kind} lock (one of a kind at a time, but a results directory inside one held)`;
    }
  }
  return null;
}
