// SPDX-License-Identifier: GPL-2.0-only
/**
 * Locks between kseries runs on one machine (a CI job and a shell, two terminals): one per
 * tree (apply, rebase, export, tree add/remove), one per build directory (kconfig apply,
 * build), one per selftest results directory and scenario image (selftest). The files are
 * under the state and cache directories (targets.ts); how they work is in file-lock.ts.
 *
 * - A run that finds a lock held waits, and says once on stderr who holds it (command, pid,
 *   host, since when); with --no-wait (configureLocks({ wait: false })) it exits 3 at once
 *   with that message. Ctrl-C while waiting exits 130 like any interrupt.
 * - A lock whose holder died is taken over, with a message saying so.
 * - Locks are reentrant within one process: `kseries ci` calls the same services as the
 *   commands, stage after stage, and each service takes what it needs; a lock held already
 *   by this process is counted, not waited for.
 * - Released when the work ends (withLock's finally: success, error, Ctrl-C) and, for
 *   anything still held, on process exit (a second Ctrl-C exits at once). A SIGKILLed run
 *   leaves its file behind: the next run finds the holder gone and takes over.
 *
 * - Shared (read) locks (sharedLock()): `kseries build`, `kconfig apply` and selftest's
 *   preparation read a tree's sources, so they hold the tree shared: several of them at once,
 *   while apply, rebase, export and tree add/remove (exclusive) wait for all of them, and
 *   they wait for those. A waiting exclusive run keeps new shared holders out.
 *
 * Order, so that two runs never wait for each other (order.ts): a run that holds several
 * locks takes them in the order results directory (ci's, then a selftest's inside it) → tree
 * → build directory → build worktree → scenario image, and never takes one that comes earlier
 * while it holds a later one, nor a second one of a kind (but a results directory inside one
 * it holds). acquireLock refuses an acquisition out of order as an internal error, so a
 * service that breaks the order fails its tests instead of deadlocking now and then. (ci
 * keeps the tree and build directory from its build stage to the tree's last stage: its
 * build stage takes the tree's selftest results directory first, for the selftest stage.)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dirname } from 'node:path';
import { infraError, InterruptedError } from '../errors.js';
import { interruptSignal } from '../cli/interrupt.js';
import { orderProblem, type LockKind } from './order.js';
import { checkHolder, createLockFile, holderRecord, readLockFile, removeOwnLockFile, removeStale, sharedLockFile, sharedLockFiles, sweepLockLeftovers, UNREADABLE_GRACE_MS, type LockHolder } from './file-lock.js';

export interface LockTarget {
  /** The lock file. */
  path: string;
  /** What it protects, for messages: "tree k61", "build directory /…". */
  what: string;
  /** A shared (read) lock: held beside other shared holders, never beside an exclusive one. */
  shared?: boolean;
  /** What kind of lock it is (targets.ts), for the global order (order.ts); none: not ordered. */
  kind?: LockKind;
  /** The canonical path or name it protects (a results directory's, for nesting). */
  key?: string;
}

/** The shared (read) form of a lock: `kseries build` reads a tree that apply would change. */
export const sharedLock = (t: LockTarget): LockTarget => ({ ...t, shared: true });

export interface LockPolicy {
  /** false: a lock held by another run is an infrastructure error (exit 3) instead of a wait. */
  wait: boolean;
  /** The command line written into the locks this process takes. */
  command: string;
  /** Where waiting and takeover messages go (one line each). */
  notify: (line: string) => void;
  /** How often a waiting run looks again, ms. */
  pollMs: number;
  /** Called on each acquisition that is not reentrant, before it waits, with what this run holds then (tests record the order). */
  onAcquire?: (target: LockTarget, held: readonly LockTarget[]) => void;
}

const defaults = (): LockPolicy => ({
  wait: true,
  command: ['kseries', ...process.argv.slice(2)].join(' '),
  notify: (line) => process.stderr.write(`${line}\n`),
  pollMs: 250,
});

let policy: LockPolicy = defaults();
interface Held {
  target: LockTarget;
  count: number;
  token: string;
  /** The file that holds it: the lock file, or this run's shared holder file beside it. */
  file: string;
  shared: boolean;
}

const held = new Map<string, Held>();
let exitHook = false;

/** Set once per command (base-command.ts: --no-wait, the command line, stderr). */
export function configureLocks(p: Partial<LockPolicy>): void {
  policy = { ...policy, ...p };
}

/** For tests: the default policy back. */
export function resetLocks(): void {
  policy = defaults();
}

/** The lock files this process holds (shared ones by the lock's own path). */
export function heldLocks(): string[] {
  return [...held.keys()];
}

/** Those of them this process holds shared. */
export function heldSharedLocks(): string[] {
  return [...held].filter(([, h]) => h.shared).map(([p]) => p);
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** "kseries build --tree k61 (pid 4242 on ci-01, since 2025-06-01 10:00:00 UTC, 12 s ago)" */
export function describeHolder(h: LockHolder, now = Date.now()): string {
  const t = Date.parse(h.since);
  const since = Number.isNaN(t) ? 'an unknown time' : `${h.since.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}, ${ago(now - t)}`;
  return `${h.command} (pid ${h.pid} on ${h.host}, since ${since})`;
}

function onExit(): void {
  for (const h of held.values()) removeOwnLockFile(h.file, h.token);
  held.clear();
}

const sleep = (ms: number, signal: AbortSignal, what: string) =>
  new Promise<void>((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new InterruptedError(`interrupted while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });

/**
 * The locks one task of a run holds, when a run does tasks side by side (runPerTree: trees
 * of different object stores in parallel). The lock order holds within each task; two
 * tasks' locks are not nested in each other.
 */
const taskHeld = new AsyncLocalStorage<Set<string>>();

/** Runs fn as a task of its own for the lock order (see taskHeld). */
export function inOwnLockTask<T>(fn: () => Promise<T>): Promise<T> {
  return taskHeld.run(new Set(), fn);
}

function releaser(path: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const h = held.get(path);
    if (!h) return;
    if (--h.count > 0) return;
    held.delete(path);
    removeOwnLockFile(h.file, h.token);
  };
}

function create(file: string, what: string, me: LockHolder): boolean {
  try {
    return createLockFile(file, me);
  } catch (err) {
    throw infraError(`cannot lock ${what}: ${(err as Error).message}`, `Check that ${dirname(file)} can be written.`);
  }
}

type Seen =
  | { state: 'none' }
  | { state: 'stale'; removed: boolean }
  | { state: 'busy'; text: string; key: string; holder: LockHolder | null };

/** One lock file (the exclusive one or a shared holder's): none, stale (taken over now, unless another run is at it), or held by a live run. */
function look(file: string, what: string): Seen {
  const cur = readLockFile(file);
  if (!cur) return { state: 'none' };
  if (cur.holder) {
    const check = checkHolder(cur.holder);
    if (!check.alive) {
      const removed = removeStale(file, cur.raw);
      if (removed) policy.notify(`kseries: ${what} was locked by ${describeHolder(cur.holder)}, but ${check.why}: taking the lock over`);
      return { state: 'stale', removed };
    }
    return { state: 'busy', text: `${describeHolder(cur.holder)}${check.why ? `; ${check.why}` : ''}`, key: cur.holder.token, holder: cur.holder };
  }
  if (Date.now() - cur.mtimeMs > UNREADABLE_GRACE_MS) {
    const removed = removeStale(file, cur.raw);
    if (removed) policy.notify(`kseries: the lock file of ${what} (${file}) holds no valid record: taking the lock over`);
    return { state: 'stale', removed };
  }
  return { state: 'busy', text: 'another kseries run (its lock file is being written)', key: cur.raw, holder: null };
}

/** The live shared holders of the lock PATH (stale ones are removed on the way). */
function liveReaders(path: string, what: string): Array<Extract<Seen, { state: 'busy' }>> {
  const out: Array<Extract<Seen, { state: 'busy' }>> = [];
  for (const f of sharedLockFiles(path)) {
    const s = look(f, what);
    if (s.state === 'busy') out.push(s);
  }
  return out;
}

function hold(path: string, entry: Held): void {
  held.set(path, entry);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', onExit);
  }
}

/**
 * Takes a lock: at once when free or held by this process already, after the holder is
 * gone otherwise (or, with wait off, an exit-3 error naming the holder). A shared target
 * (sharedLock()) is held beside other shared holders, never beside an exclusive one.
 * Returns the release.
 */
export async function acquireLock(target: LockTarget, opts: { wait?: boolean; signal?: AbortSignal } = {}): Promise<() => void> {
  const { path, what } = target;
  const shared = !!target.shared;
  const mine = held.get(path);
  if (mine) {
    // exclusive covers shared; shared → exclusive would wait for this run's own hold
    if (mine.shared && !shared) throw new Error(`internal error: ${what} is held shared by this run and cannot be taken exclusively`);
    mine.count++;
    return releaser(path);
  }
  const task = taskHeld.getStore();
  const holding = [...held.entries()].filter(([p]) => !task || task.has(p)).map(([, h]) => h.target);
  policy.onAcquire?.(target, holding);
  const problem = orderProblem(holding, target);
  if (problem) throw new Error(`internal error: ${problem}`);
  const wait = opts.wait ?? policy.wait;
  const signal = opts.signal ?? interruptSignal();
  if (signal.aborted) throw new InterruptedError(`interrupted before taking ${what}`);
  const me = holderRecord(policy.command);
  const started = Date.now();
  let announced: string | null = null;
  const got = () => {
    // what killed runs left beside it: shared holders' files (a shared run never looks at the others'), temporary files
    if (shared) liveReaders(path, what);
    sweepLockLeftovers(path);
    if (announced !== null) policy.notify(`kseries: got ${what} after waiting ${Math.round((Date.now() - started) / 1000)} s`);
    const release = releaser(path);
    if (!task) return release;
    task.add(path);
    return () => {
      task.delete(path);
      release();
    };
  };
  /** Another run holds it: refuse (no wait) or say so once per holder, and wait a while. */
  const busy = async (text: string, key: string, holder: LockHolder | null) => {
    if (!wait) {
      throw infraError(
        `${what} is in use by ${text}`,
        `Let it finish (run without --no-wait to wait for it), or stop that run; the lock is ${path}.`,
        { lock: path, holder },
      );
    }
    if (announced !== key) {
      policy.notify(`kseries: waiting for ${what}, in use by ${text}; Ctrl-C stops waiting, --no-wait exits at once instead`);
      announced = key;
    }
    await sleep(policy.pollMs, signal, what);
  };
  for (;;) {
    if (shared) {
      const x = look(path, what);
      if (x.state === 'busy') {
        await busy(x.text, x.key, x.holder);
        continue;
      }
      if (x.state === 'stale') {
        if (!x.removed) await sleep(policy.pollMs, signal, what);
        continue;
      }
      // announce this reader, then look again: a writer that came meanwhile wins
      const file = sharedLockFile(path, me.token);
      create(file, what, me);
      hold(path, { target, count: 1, token: me.token, file, shared: true });
      if (readLockFile(path) === null) return got();
      held.delete(path);
      removeOwnLockFile(file, me.token);
      continue;
    }
    if (!wait) {
      // refuse before the lock file exists: an exclusive run that is about to give up must not
      // keep out, even for an instant, a shared --no-wait run that would have got in
      const readers = liveReaders(path, what);
      if (readers.length) await busy(readers[0].text, '', readers[0].holder);
    }
    if (create(path, what, me)) {
      hold(path, { target, count: 1, token: me.token, file: path, shared: false });
      try {
        // no new reader gets in now; wait for those that are in
        for (;;) {
          const readers = liveReaders(path, what);
          if (!readers.length) break;
          const more = readers.length > 1 ? ` and ${readers.length - 1} more shared holder${readers.length > 2 ? 's' : ''}` : '';
          await busy(`${readers[0].text}${more}`, readers.map((r) => r.key).join(','), readers[0].holder);
        }
      } catch (err) {
        held.delete(path);
        removeOwnLockFile(path, me.token);
        throw err;
      }
      return got();
    }
    const x = look(path, what);
    if (x.state === 'none') continue; // released meanwhile: try again at once
    if (x.state === 'stale') {
      if (!x.removed) await sleep(policy.pollMs, signal, what);
      continue;
    }
    await busy(x.text, x.key, x.holder);
  }
}

/** Runs fn holding the given locks (taken in this order, released in reverse, whatever fn does). */
export async function withLock<T>(targets: LockTarget | readonly LockTarget[], fn: () => Promise<T>): Promise<T> {
  const list = Array.isArray(targets) ? (targets as readonly LockTarget[]) : [targets as LockTarget];
  const releases: Array<() => void> = [];
  try {
    for (const t of list) releases.push(await acquireLock(t));
    return await fn();
  } finally {
    for (const r of releases.reverse()) r();
  }
}
