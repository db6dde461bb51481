// SPDX-License-Identifier: GPL-2.0-only
/**
 * One object store per kernel line. Trees imported from tarballs of the same line (6.1.170,
 * 6.1.192, ...) write their blobs, trees and commit into a shared bare repository,
 * <data>/objects/linux-X.Y.git, and reach it through git's alternates; each import keeps its
 * own index, tags and worktrees. So a worktree of 6.1.170 has the preimage blobs of a series
 * made on 6.1.192 (`git am -3` can merge), the series' base-commit resolves in every import
 * of the line, and the second import of a line writes only the files that changed.
 *
 * The store keeps a ref per imported commit (refs/kseries/imports/ID), so that a `git gc` in
 * it never drops what an import points to; removing the last tree of a commit drops its ref.
 * The store itself is never removed by kseries: other imports depend on it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renameIntoPlace, tempPathFor } from '../atomic-write.js';
import { Git } from '../git/git.js';
import type { StatePaths } from '../paths.js';
import type { KernelVersion } from './registry.js';

/** The kernel line of a version: "6.1". */
export const kernelLine = (k: Pick<KernelVersion, 'version' | 'patchlevel'>) => `${k.version}.${k.patchlevel}`;

export const lineStoreDir = (paths: StatePaths, line: string) => join(paths.data, 'objects', `linux-${line}.git`);

export const importRef = (commit: string) => `refs/kseries/imports/${commit}`;

/** Creates the line's bare store if missing (atomically: made aside, then renamed). */
export async function ensureLineStore(paths: StatePaths, line: string): Promise<string> {
  const store = lineStoreDir(paths, line);
  if (existsSync(join(store, 'objects'))) return store;
  mkdirSync(dirname(store), { recursive: true });
  const tmp = tempPathFor(store);
  rmSync(tmp, { recursive: true, force: true });
  const git = new Git(dirname(store));
  await git.ok(['init', '-q', '--bare', tmp]);
  const t = new Git(tmp);
  // no detached repack behind our back (as in every import); loose objects are fine here
  await t.ok(['config', 'gc.auto', '0']);
  await t.ok(['config', 'maintenance.auto', 'false']);
  try {
    renameIntoPlace(tmp, store);
  } catch (err) {
    // another import of the line made it first
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(store, 'objects'))) throw err;
  }
  return store;
}

/** The objects directory of a repository (a work tree's .git, or a bare one). */
export const objectsDirOf = (repo: string) => (existsSync(join(repo, '.git')) ? join(repo, '.git', 'objects') : join(repo, 'objects'));

/** Makes REPO see the store's objects (idempotent). */
export function linkToStore(repo: string, store: string): void {
  const file = join(objectsDirOf(repo), 'info', 'alternates');
  const line = join(store, 'objects');
  const have = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  if (have.includes(line)) return;
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${line}\n`);
}

/** The environment that makes git write new objects into the store instead of REPO's own. */
export const writeIntoStore = (store: string) => ({ GIT_OBJECT_DIRECTORY: join(store, 'objects') });

/** Records COMMIT as held by an import, so that the store keeps it. */
export async function pinInStore(store: string, commit: string): Promise<void> {
  await new Git(store).ok(['update-ref', importRef(commit), commit]);
}

/** Drops the store's ref of COMMIT when no registered tree uses it any more. */
export async function unpinFromStore(store: string, commit: string, stillUsed: boolean): Promise<boolean> {
  if (stillUsed || !existsSync(store)) return false;
  const r = await new Git(store).run(['update-ref', '-d', importRef(commit)]);
  return r.exitCode === 0;
}

/**
 * Brings an import made before the line had a store (its objects are its own) into the
 * store: its commit is fetched there and it is linked, so that other imports see its blobs.
 */
export async function adoptIntoStore(repo: string, commit: string, store: string): Promise<boolean> {
  const s = new Git(store);
  if ((await s.run(['cat-file', '-e', `${commit}^{commit}`])).exitCode === 0) {
    linkToStore(repo, store);
    return false;
  }
  await s.ok(['-c', 'uploadpack.allowAnySHA1InWant=true', 'fetch', '--quiet', '--no-tags', repo, `+${commit}:${importRef(commit)}`]);
  linkToStore(repo, store);
  return true;
}
