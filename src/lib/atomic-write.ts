// SPDX-License-Identifier: GPL-2.0-only
/**
 * Files (and directories) kseries must never leave half written — the tree registry, apply
 * records, the workspace record, a build's metadata.json, warnings ledger and stats, an
 * initramfs — are made under a temporary name beside their final one, NAME.tmp-PID, and
 * renamed into place (rename(2) is atomic within a file system).
 *
 * A run SIGKILLed between the two (the OOM killer, a CI job cancelled hard) leaves
 * NAME.tmp-PID behind. Whoever makes such a file in a directory next removes every such
 * leftover there whose PID is gone — never a live run's, which may be writing it right now
 * (a pid that a dead run left and another process reuses keeps its leftover until that
 * process is gone too; that only delays the removal).
 */
import { readdirSync, renameSync, rmSync, writeFileSync, type WriteFileOptions } from 'node:fs';
import { dirname, join } from 'node:path';

const TEMP = /\.tmp-(\d+)$/;

/** The temporary name of PATH for process PID (PATH.tmp-PID). */
export const tempPathFor = (path: string, pid = process.pid) => `${path}.tmp-${pid}`;

/** Whether process PID no longer exists (kill(pid, 0) says ESRCH; EPERM means it exists). */
export function pidGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes what killed runs left in DIR: every entry NAME.tmp-PID (a file, or a directory with
 * what is in it) whose PID is gone. Returns the names removed. Best effort: a directory that
 * is not there, or an entry another run removes meanwhile, is no error.
 */
export function removeDeadTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    const m = TEMP.exec(n);
    if (!m || !pidGone(Number(m[1]))) continue;
    try {
      rmSync(join(dir, n), { recursive: true, force: true });
      removed.push(n);
    } catch {
      /* best effort */
    }
  }
  return removed;
}

/** Moves the temporary TMP (from tempPathFor(PATH)) to PATH, then removes dead runs' leftovers beside it. */
export function renameIntoPlace(tmp: string, path: string): void {
  renameSync(tmp, path);
  removeDeadTemps(dirname(path));
}

/** Writes PATH whole or not at all: PATH.tmp-PID, then a rename; dead runs' leftovers beside it go. */
export function writeFileAtomic(path: string, data: string, opts?: WriteFileOptions): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data, opts);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  renameIntoPlace(tmp, path);
}
