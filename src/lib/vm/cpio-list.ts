// SPDX-License-Identifier: GPL-2.0-only
/**
 * The initramfs as a list of entries, rendered in the format of the kernel's own
 * usr/gen_init_cpio. That tool creates device nodes from the list, so no root is needed.
 */
import { posix } from 'node:path';

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; src: string; mode?: number }
  | { type: 'slink'; path: string; target: string }
  | { type: 'nod'; path: string; mode?: number; dev: 'c' | 'b'; major: number; minor: number };

function checkPath(p: string): void {
  if (!p.startsWith('/') || p.includes('//') || p.split('/').includes('..') || /\s/.test(p)) {
    throw new Error(`bad initramfs path "${p}": it must be absolute, normalized and without blanks`);
  }
}

/**
 * Adds the missing parent directories, drops exact duplicates, and rejects two different
 * entries for one path. Parents come before their contents; the order is otherwise kept.
 */
export function normalizeEntries(entries: readonly CpioEntry[]): CpioEntry[] {
  const byPath = new Map<string, CpioEntry>();
  const out: CpioEntry[] = [];
  const add = (e: CpioEntry) => {
    checkPath(e.path);
    const prev = byPath.get(e.path);
    if (prev) {
      if (JSON.stringify(prev) === JSON.stringify(e) || (prev.type === 'dir' && e.type === 'dir')) return;
      throw new Error(`two different initramfs entries for ${e.path}: ${JSON.stringify(prev)} and ${JSON.stringify(e)}`);
    }
    const parent = posix.dirname(e.path);
    if (parent !== '/' && !byPath.has(parent)) add({ type: 'dir', path: parent });
    byPath.set(e.path, e);
    out.push(e);
  };
  for (const e of entries) add(e);
  return out;
}

const oct = (m: number) => m.toString(8);

/** One line per entry, as usr/gen_init_cpio reads them. Owner is always root (0 0). */
export function renderCpioList(entries: readonly CpioEntry[]): string {
  const lines = normalizeEntries(entries).map((e) => {
    switch (e.type) {
      case 'dir':
        return `dir ${e.path} ${oct(e.mode ?? 0o755)} 0 0`;
      case 'file':
        if (/\s/.test(e.src)) throw new Error(`bad source path "${e.src}": blanks are not allowed by gen_init_cpio`);
        return `file ${e.path} ${e.src} ${oct(e.mode ?? 0o644)} 0 0`;
      case 'slink':
        return `slink ${e.path} ${e.target} 777 0 0`;
      case 'nod':
        return `nod ${e.path} ${oct(e.mode ?? 0o600)} 0 0 ${e.dev} ${e.major} ${e.minor}`;
    }
  });
  return `${lines.join('\n')}\n`;
}
