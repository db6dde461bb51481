// SPDX-License-Identifier: GPL-2.0-only
/** `kconfig symbol`: read a tree's Kconfig (and a .config, if there is one) and describe symbols. */
import { existsSync, readFileSync } from 'node:fs';
import { usageError } from '../errors.js';
import type { StatePaths } from '../paths.js';
import { Registry } from '../trees/registry.js';
import { buildDirFor } from '../workspace.js';
import { join } from 'node:path';
import { parseConfig } from './config.js';
import { readKconfig } from './kconfig-reader.js';
import { ensureSourceDir } from './source-dir.js';
import { symbolInfo, type SymbolInfoReport } from './symbol-info.js';
import { srcarchFor, treeFileReader } from './tree-files.js';

export interface SymbolQuery {
  tree: string;
  symbols: string[];
  arch: string;
  profile: string;
  /** A .config to evaluate against (default: the tree's build directory's, when it exists). */
  config?: string;
  onStep?: (m: string) => void;
}

export async function querySymbols(paths: StatePaths, q: SymbolQuery): Promise<{ srcDir: string; config: string | null; symbols: SymbolInfoReport[] }> {
  const tree = new Registry(paths).get(q.tree);
  const { srcDir } = await ensureSourceDir(paths, tree, q.onStep);
  const configPath = q.config ?? join(buildDirFor(paths, tree.name, q.arch, q.profile), '.config');
  if (q.config && !existsSync(q.config)) throw usageError(`--config ${q.config}: no such file`);
  const config = existsSync(configPath) ? parseConfig(readFileSync(configPath, 'utf8'), '.config').config : null;
  const db = readKconfig(treeFileReader(srcDir), { srcarch: srcarchFor(q.arch), arch: q.arch, macros: { KERNELVERSION: tree.kernel.string } });
  return { srcDir, config: config ? configPath : null, symbols: q.symbols.map((s) => symbolInfo(db, s, config)) };
}
