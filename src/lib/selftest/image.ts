// SPDX-License-Identifier: GPL-2.0-only
/** Backing files for persistent memory: created sparse, removed when a scenario is done. */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** A fresh sparse file of sizeMiB (an existing one is replaced unless reuse is set and its size fits). */
export function prepareImage(path: string, sizeMiB: number, reuse: boolean): 'created' | 'reused' {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = sizeMiB * 1024 * 1024;
  if (reuse && existsSync(path) && statSync(path).size === bytes) return 'reused';
  rmSync(path, { force: true });
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return 'created';
}

export function removeImage(path: string): void {
  rmSync(path, { force: true });
}
