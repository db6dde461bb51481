// SPDX-License-Identifier: GPL-2.0-only
/**
 * Results directories of runs (selftest-TIMESTAMP, ci-TIMESTAMP): the timestamp is to the
 * second, so two runs started in the same second used to share one directory. A run now
 * claims its directory with mkdir(2), which only one process can win: the second one gets
 * NAME-2 (then -3, …). The usual name is unchanged when nothing collides.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The UTC time to the second, as used in run directory names: 2025-06-01T10-00-00Z. */
export const runDirStamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');

/**
 * PARENT/NAME, or NAME-2, NAME-3… when taken. With create, the directory is made (and so
 * claimed); without (dry runs), the first free name is only computed.
 */
export function claimRunDir(parent: string, name: string, opts: { create: boolean }): string {
  const root = resolve(parent);
  if (opts.create) mkdirSync(root, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(root, n === 1 ? name : `${name}-${n}`);
    if (!opts.create) {
      if (!existsSync(dir)) return dir;
      continue;
    }
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
