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
 * Order, so that two runs never wait for each other: a run that holds several locks takes
 * them in the order ci results → selftest results → build directory → scenario image; the
 * tree lock is never held together with another one.
 */
import { dirname } from 'node:path';
import { infraError, InterruptedError } from '../errors.js';
import { interruptSignal } from '../cli/interrupt.js';
import { checkHolder, createLockFile, holderRecord, readLockFile, removeOwnLockFile, removeStale, UNREADABLE_GRACE_MS, type LockHolder } from './file-lock.js';

export interface LockTarget {
  /** The lock file. */
  path: string;
  /** What it protects, for messages: "tree k61", "build directory /…". */
  what: string;
}

export interface LockPolicy {
  /** false: a lock held by another run is an infrastructure error (exit 3) instead of a wait. */
  wait: boolean;
  /** The command line written into the locks this process takes. */
  command: string;
  /** Where waiting and takeover messages go (one line each). */
  notify: (line: string) => void;
  /** How often a waiting run looks again, ms. */
  pollMs: number;
}

const defaults = (): LockPolicy => ({
  wait: true,
  command: ['kseries', ...process.argv.slice(2)].join(' '),
  notify: (line) => process.stderr.write(`${line}\n`),
  pollMs: 250,
});

let policy: LockPolicy = defaults();
const held = new Map<string, { count: number; token: string }>();
let exitHook = false;

/** Set once per command (base-command.ts: --no-wait, the command line, stderr). */
export function configureLocks(p: Partial<LockPolicy>): void {
  policy = { ...policy, ...p };
}

/** For tests: the default policy back. */
export function resetLocks(): void {
  policy = defaults();
}

/** The lock files this process holds. */
export function heldLocks(): string[] {
  return [...held.keys()];
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
  for (const [path, h] of held) removeOwnLockFile(path, h.token);
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

function releaser(path: string): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const h = held.get(path);
    if (!h) return;
    if (--h.count > 0) return;
    held.delete(path);
    removeOwnLockFile(path, h.token);
  };
}

function create(target: LockTarget, me: LockHolder): boolean {
  try {
    return createLockFile(target.path, me);
  } catch (err) {
    throw infraError(`cannot lock ${target.what}: ${(err as Error).message}`, `Check that ${dirname(target.path)} can be written.`);
  }
}

/**
 * Takes a lock: at once when free or held by this process already, after the holder is
 * gone otherwise (or, with wait off, an exit-3 error naming the holder). Returns the release.
 */
export async function acquireLock(target: LockTarget, opts: { wait?: boolean; signal?: AbortSignal } = {}): Promise<() => void> {
  const { path, what } = target;
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return releaser(path);
  }
  const wait = opts.wait ?? policy.wait;
  const signal = opts.signal ?? interruptSignal();
  if (signal.aborted) throw new InterruptedError(`interrupted before taking ${what}`);
  const me = holderRecord(policy.command);
  const started = Date.now();
  let announced: string | null = null;
  for (;;) {
    if (create(target, me)) {
      held.set(path, { count: 1, token: me.token });
      if (!exitHook) {
        exitHook = true;
        process.on('exit', onExit);
      }
      if (announced !== null) policy.notify(`kseries: got ${what} after waiting ${Math.round((Date.now() - started) / 1000)} s`);
      return releaser(path);
    }
    const cur = readLockFile(path);
    if (!cur) continue; // released meanwhile: try again at once
    let holderText: string;
    let key: string;
    if (cur.holder) {
      const check = checkHolder(cur.holder);
      if (!check.alive) {
        if (removeStale(path, cur.raw)) policy.notify(`kseries: ${what} was locked by ${describeHolder(cur.holder)}, but ${check.why}: taking the lock over`);
        else await sleep(policy.pollMs, signal, what);
        continue;
      }
      holderText = `${describeHolder(cur.holder)}${check.why ? `; ${check.why}` : ''}`;
      key = cur.holder.token;
    } else if (Date.now() - cur.mtimeMs > UNREADABLE_GRACE_MS) {
      if (removeStale(path, cur.raw)) policy.notify(`kseries: the lock file of ${what} (${path}) holds no valid record: taking the lock over`);
      continue;
    } else {
      holderText = 'another kseries run (its lock file is being written)';
      key = cur.raw;
    }
    if (!wait) {
      throw infraError(
        `${what} is in use by ${holderText}`,
        `Let it finish (run without --no-wait to wait for it), or stop that run; the lock is ${path}.`,
        { lock: path, holder: cur.holder },
      );
    }
    if (announced !== key) {
      policy.notify(`kseries: waiting for ${what}, in use by ${holderText}; Ctrl-C stops waiting, --no-wait exits at once instead`);
      announced = key;
    }
    await sleep(policy.pollMs, signal, what);
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
