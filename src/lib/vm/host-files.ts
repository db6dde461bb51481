// SPDX-License-Identifier: GPL-2.0-only
/** Listing a host directory for the initramfs, and hashing what goes in. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { HostFile } from './initramfs-plan.js';

/** Every file and symbolic link under root (directories are implied), sorted. */
export function listTree(root: string): HostFile[] {
  const out: HostFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isSymbolicLink()) out.push({ rel: relative(root, p), src: p, mode: 0o777, link: readlinkSync(p) });
      else if (st.isFile()) out.push({ rel: relative(root, p), src: p, mode: st.mode & 0o7777 });
    }
  };
  walk(root);
  return out;
}

const fileHashes = new Map<string, { key: string; hash: string }>();

/** sha256 of a file's content (following links), memoized by size and mtime. */
export function fileSha256(path: string): string {
  const st = lstatSync(path, { throwIfNoEntry: true });
  const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const hit = fileHashes.get(path);
  if (hit && hit.key === key && !st.isSymbolicLink()) return hit.hash;
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  fileHashes.set(path, { key, hash });
  return hash;
}
