// SPDX-License-Identifier: GPL-2.0-only
/**
 * Lock files, the mechanism (locks.ts has the policy: waiting, reentrancy, messages).
 *
 * Why an exclusively created file with the holder inside, and not flock(2):
 * - Node has no flock. flock(1) would have to run as a long-lived child per lock, through
 *   the runner: every command test on the strict fake runner would then have to script it,
 *   and a lock taken while a command is being interrupted would depend on a child that the
 *   same Ctrl-C is stopping. A file created with link(2) (atomic, fails with EEXIST) needs
 *   nothing but the file system and works the same in tests and in production.
 * - The holder must be named anyway (command, pid, since when, host): with flock that is a
 *   second file that can disagree with the lock; here the lock *is* that record.
 * - What flock gives for free — the lock dies with its holder — is done by checking the
 *   holder: a pid that is gone (kill(pid, 0) says ESRCH), a pid that now belongs to another
 *   process (its start time in /proc/PID/stat differs from the one recorded), or a machine
 *   that rebooted since (another boot_id) make the lock stale, and the next run takes it over
 *   (locks.ts says so on stderr). A holder on another host (a shared file system) cannot be
 *   checked and is never taken over.
 *
 * The record is written to a private temporary file first and then linked to the lock's
 * name, so a lock file is never seen half written. Where link(2) is not supported, the
 * file is created with O_EXCL and written at once (a reader that finds it empty waits).
 * Taking a stale lock over is guarded by a second short-lived file (LOCK.takeover), so that
 * two waiters that both saw the dead holder cannot remove each other's fresh locks.
 *
 * Shared (read) locks: each reader has a file of its own beside the lock, LOCK.shared-TOKEN,
 * holding the same record. A reader first writes its file and then looks for LOCK (the
 * exclusive one): if it is there, the reader removes its file again and waits. A writer
 * first creates LOCK and then looks for reader files: while a live reader's file is there,
 * it waits, keeping LOCK (so no new reader gets in: writers are not starved). Each side
 * writes before it reads, so at least one of two racing runs sees the other: never both
 * hold. A reader file whose holder is gone is removed like a stale lock.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pidGone } from '../atomic-write.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** The command line of the holder ("kseries build --tree k61 --ccache"). */
  command: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** Field 22 of /proc/PID/stat (start time in clock ticks since boot): tells a reused pid apart. */
  procStart: string | null;
  /** /proc/sys/kernel/random/boot_id when the lock was taken: a lock from before a reboot is stale. */
  bootId: string | null;
  /** Unique per acquisition: a holder releases only its own lock file. */
  token: string;
}

export interface LockFileState {
  /** null: the file exists but holds no valid record (being written, or damaged). */
  holder: LockHolder | null;
  raw: string;
  mtimeMs: number;
}

export type HolderCheck = { alive: true; why?: string } | { alive: false; why: string };

/** An unreadable lock file older than this is considered left behind (a valid one is written before it is visible). */
export const UNREADABLE_GRACE_MS = 5000;
/** A takeover guard older than this belongs to a run that died while taking a lock over. */
const TAKEOVER_GUARD_MS = 10_000;

function readTrimmed(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** The start time of a process (field 22 of /proc/PID/stat), or null where /proc is not available. */
export function procStartOf(pid: number): string | null {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (!stat) return null;
  // the command name (field 2) is in parentheses and may hold spaces and parentheses itself
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null; // fields[0] is field 3 (state)
}

export const bootId = (): string | null => readTrimmed('/proc/sys/kernel/random/boot_id');

export function holderRecord(command: string, pid = process.pid): LockHolder {
  return {
    pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
    procStart: procStartOf(pid),
    bootId: bootId(),
    token: randomBytes(8).toString('hex'),
  };
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.token !== 'string' || typeof h.host !== 'string') return null;
    return { pid: h.pid, host: h.host, command: String(h.command ?? '?'), since: String(h.since ?? ''), procStart: h.procStart ?? null, bootId: h.bootId ?? null, token: h.token };
  } catch {
    return null;
  }
}

/** The lock file's record, or null when there is no lock file. */
export function readLockFile(path: string): LockFileState | null {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    const raw = readFileSync(path, 'utf8');
    return { holder: parseHolder(raw), raw, mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Creates the lock file holding `holder`; false when it exists already. */
export function createLockFile(path: string, holder: LockHolder): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const tmp = `${path}.${holder.pid}.${holder.token}.tmp`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') throw err;
    return createExclusive(path, text); // a file system without hard links
  } finally {
    rmSync(tmp, { force: true });
  }
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Whether the holder of a lock still runs. Another host's holder cannot be checked: alive. */
export function checkHolder(h: LockHolder): HolderCheck {
  if (h.host !== hostname()) return { alive: true, why: `held on another host (${h.host}): kseries cannot check that process` };
  const boot = bootId();
  if (h.bootId && boot && h.bootId !== boot) return { alive: false, why: 'the machine has rebooted since' };
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return { alive: false, why: `process ${h.pid} is gone` };
    // EPERM: it exists and belongs to another user
  }
  const start = procStartOf(h.pid);
  if (h.procStart && start && start !== h.procStart) return { alive: false, why: `pid ${h.pid} now belongs to another process` };
  return { alive: true };
}

/**
 * Removes a stale lock file, provided it still holds exactly `seen` (the record judged
 * stale). False when another run is taking it over at this moment (try again later).
 */
export function removeStale(path: string, seen: string): boolean {
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_GUARD_MS) rmSync(guard, { force: true });
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let now: string | null = null;
    try {
      now = readFileSync(path, 'utf8');
    } catch {
      /* removed meanwhile: nothing to do */
    }
    if (now === seen) unlinkSync(path);
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** Removes the lock file if it is still ours (by token). Synchronous: also used on process exit. */
export function removeOwnLockFile(path: string, token: string): void {
  try {
    const s = readLockFile(path);
    if (s?.holder?.token === token) unlinkSync(path);
  } catch {
    /* best effort */
  }
}

/** The file of a shared holder (one per holder, beside the exclusive lock file). */
export const sharedLockFile = (path: string, token: string) => `${path}.shared-${token}`;

/** The shared holders' files of the lock PATH (not the temporary ones). */
export function sharedLockFiles(path: string): string[] {
  const prefix = `${basename(path)}.shared-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => n.startsWith(prefix) && /^[0-9a-f]+$/.test(n.slice(prefix.length)))
    .sort()
    .map((n) => join(dirname(path), n));
}

/**
 * Removes what a run killed while it took the lock PATH left beside it: its temporary record
 * files (LOCK.PID.TOKEN.tmp, LOCK.shared-TOKEN.PID.TOKEN.tmp) when that pid is gone, and a
 * takeover guard older than a takeover can take. Best effort.
 */
export function sweepLockLeftovers(path: string): void {
  const base = basename(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(`${base}.`)) continue;
    const file = join(dirname(path), n);
    try {
      const tmp = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
      if (tmp && pidGone(Number(tmp[1]))) rmSync(file, { force: true });
      else if (n.endsWith('.takeover') && Date.now() - statSync(file).mtimeMs > TAKEOVER_GUARD_MS) rmSync(file, { force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}
