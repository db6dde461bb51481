// SPDX-License-Identifier: GPL-2.0-only
/** Shared by the kconfig tests: the committed Kconfig excerpts and the real reference trees. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readKconfig } from '../../../src/lib/kconfig/kconfig-reader.js';
import { treeFileReader } from '../../../src/lib/kconfig/tree-files.js';
import type { KconfigDb } from '../../../src/lib/kconfig/kconfig-db.js';

export const FIXTURES = new URL('../../fixtures/kconfig', import.meta.url).pathname;
export const fixtureTree = (v: '6.1' | '6.12') => join(FIXTURES, `linux-${v}`);

/** The read-only reference trees of this lab (absent elsewhere: those tests are skipped). */
export const REF_TREES = { '6.1': '/work/ref/linux-source-6.1', '6.12': '/work/ref/linux-source-6.12' } as const;
export const hasRef = (v: '6.1' | '6.12') => existsSync(join(REF_TREES[v], 'Kconfig'));

const cache = new Map<string, KconfigDb>();
export function dbOf(dir: string): KconfigDb {
  let db = cache.get(dir);
  if (!db) cache.set(dir, (db = readKconfig(treeFileReader(dir), { srcarch: 'x86', arch: 'x86_64', macros: { KERNELVERSION: 'test' } })));
  return db;
}
