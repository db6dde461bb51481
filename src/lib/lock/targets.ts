// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which lock protects what, and where its file is:
 *   <data>/locks/tree-NAME.lock               a tree (its worktrees, branches, records, registration)
 *   <cache>/locks/build-…-HASH.lock           an O= build directory (and its .base/.commits siblings)
 *   <data>/locks/worktree-…-HASH.lock         a worktree `kseries build` checks commits out in (build-base, build-commits)
 *   <cache>/locks/results-…-HASH.lock         a selftest or ci results directory
 *   <cache>/locks/image-…-HASH.lock           a scenario's persistent-memory backing file
 * Directories are keyed by their canonical path (symlinks resolved), so two spellings of
 * one directory share a lock. Runs see each other's locks when they use the same state and
 * cache directories (KSERIES_HOME, KSERIES_CACHE, --state-dir, --cache-dir).
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { StatePaths } from '../paths.js';
import type { LockTarget } from './locks.js';

export const locksDir = (root: string) => join(root, 'locks');

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The path with symlinks resolved as far as it exists. */
export function canonicalPath(p: string): string {
  let dir = resolve(p);
  const rest: string[] = [];
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) break;
    rest.unshift(basename(dir));
    dir = up;
  }
  try {
    return join(realpathSync(dir), ...rest);
  } catch {
    return resolve(p);
  }
}

function fileName(kind: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  const slug = key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(-60);
  return `${kind}-${slug}-${hash}.lock`;
}

export function treeLock(paths: StatePaths, name: string): LockTarget {
  return { path: join(locksDir(paths.data), SAFE_NAME.test(name) ? `tree-${name}.lock` : fileName('tree', name)), what: `tree ${name}`, kind: 'tree', key: name };
}

export function buildDirLock(paths: StatePaths, dir: string): LockTarget {
  const key = canonicalPath(dir);
  return { path: join(locksDir(paths.cache), fileName('build', key)), what: `build directory ${key}`, kind: 'build', key };
}

export function resultsDirLock(paths: StatePaths, dir: string): LockTarget {
  const key = canonicalPath(dir);
  return { path: join(locksDir(paths.cache), fileName('results', key)), what: `results directory ${key}`, kind: 'results', key };
}

export function imageLock(paths: StatePaths, image: string): LockTarget {
  const key = canonicalPath(image);
  return { path: join(locksDir(paths.cache), fileName('image', key)), what: `VM image ${key}`, kind: 'image', key };
}

/** A worktree that `kseries build --warnings-delta`/`--each-commit` checks commits out in (one per tree, shared by its build directories). */
export function worktreeLock(paths: StatePaths, dir: string): LockTarget {
  const key = canonicalPath(dir);
  return { path: join(locksDir(paths.data), fileName('worktree', key)), what: `worktree ${key}`, kind: 'worktree', key };
}
