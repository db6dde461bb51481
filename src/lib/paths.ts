// SPDX-License-Identifier: GPL-2.0-only
/**
 * Where kseries keeps its state. Nothing is ever written inside a user's kernel tree
 * except through worktrees and refs under refs/heads/kseries/ and refs/tags/kseries/.
 *
 *   data  ($KSERIES_HOME, else $XDG_DATA_HOME/kseries, else ~/.local/share/kseries)
 *         trees.json         the registry of named trees
 *         trees/NAME/        git repositories kseries imported itself (tarballs, debian:X)
 *         worktrees/NAME/... worktrees where series are applied
 *         locks/tree-NAME.lock  the lock of a tree (src/lib/lock/)
 *   cache ($KSERIES_CACHE, else $XDG_CACHE_HOME/kseries, else ~/.cache/kseries)
 *         build/KEY/         O= build directories, keyed by tree and config
 *         ccache/            the compiler cache when --ccache is used
 *         initramfs/HASH/    initramfs images, keyed by content
 *         vm/                persistent-memory backing files of scenarios
 *         locks/             locks of build dirs, results dirs and VM images (src/lib/lock/)
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StatePaths {
  data: string;
  cache: string;
}

export function statePaths(env: NodeJS.ProcessEnv = process.env, override?: { data?: string; cache?: string }): StatePaths {
  const home = env.HOME || homedir();
  const data =
    override?.data ?? env.KSERIES_HOME ?? (env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, 'kseries') : join(home, '.local', 'share', 'kseries'));
  const cache =
    override?.cache ?? env.KSERIES_CACHE ?? (env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'kseries') : join(home, '.cache', 'kseries'));
  return { data: resolve(data), cache: resolve(cache) };
}

export const registryFile = (p: StatePaths) => join(p.data, 'trees.json');
export const importedTreeDir = (p: StatePaths, name: string) => join(p.data, 'trees', name);
export const worktreeRoot = (p: StatePaths) => join(p.data, 'worktrees');
export const buildRoot = (p: StatePaths) => join(p.cache, 'build');
export const ccacheDir = (p: StatePaths) => join(p.cache, 'ccache');
export const initramfsRoot = (p: StatePaths) => join(p.cache, 'initramfs');
export const vmRoot = (p: StatePaths) => join(p.cache, 'vm');

/**
 * The repository this kseries checkout lives in: the nearest directory above this module
 * with package.json and patches/ (dist/lib/paths.js, or a chunk of dist/bundle/ at another
 * depth; dist/bundle/package.json has no patches/ beside it).
 */
export function repoRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'patches'))) return dir;
  }
  return resolve(fileURLToPath(new URL('../..', import.meta.url)));
}
export const patchesRoot = () => join(repoRoot(), 'patches');
export const kconfigRoot = () => join(repoRoot(), 'kconfig');
