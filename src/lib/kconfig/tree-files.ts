// SPDX-License-Identifier: GPL-2.0-only
/** Reading a kernel source tree's files for the Kconfig reader (read-only). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadFile } from './kconfig-reader.js';

export const treeFileReader =
  (srcDir: string): ReadFile =>
  (path) => {
    try {
      return readFileSync(join(srcDir, path), 'utf8');
    } catch {
      return null;
    }
  };

/** SRCARCH for an ARCH value, as the kernel's top Makefile maps it. */
export function srcarchFor(arch: string): string {
  if (arch === 'x86_64' || arch === 'i386' || arch === 'x86') return 'x86';
  if (arch === 'sparc64') return 'sparc';
  if (arch === 'parisc64') return 'parisc';
  return arch;
}
