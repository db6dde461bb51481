// SPDX-License-Identifier: GPL-2.0-only
/**
 * What kseries learns from the host on every run, remembered across runs in a JSON file of
 * the cache, each answer keyed by the size, modification time and inode of the file it was
 * read from (size, times, inode: as ccache's direct mode trusts a header's stat): an upgraded package changes
 * the key and is read again. The initramfs remembers busybox's applets, each binary's
 * libraries (ldd) and each file's sha256 (without them a short scenario spent 0.4 s before
 * its VM started); a build remembers each tool's --version (spawned beside make otherwise).
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';

const VERSION = 1;

/** size:mtime:ctime:inode of PATH (links followed), or "missing"; ctime moves even under `cp -p` or `touch -r`. */
export function statKey(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

export class HostMemo {
  private entries: Record<string, { key: string; value: unknown }> = {};
  private dirty = false;

  /** FILE null: remember within this process only. */
  constructor(private readonly file: string | null) {
    if (!file || !existsSync(file)) return;
    try {
      const j = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; entries?: HostMemo['entries'] };
      if (j.version === VERSION && j.entries && typeof j.entries === 'object') this.entries = j.entries;
    } catch {
      // a torn or foreign file: start afresh, it is only a memo
    }
  }

  /** The value remembered for NAME under KEY, else compute it (and remember it). */
  async remember<T>(name: string, key: string, compute: () => Promise<T> | T): Promise<T> {
    const hit = this.entries[name];
    if (hit && hit.key === key) return hit.value as T;
    const value = await compute();
    this.set(name, key, value);
    return value;
  }

  rememberSync<T>(name: string, key: string, compute: () => T): T {
    const hit = this.entries[name];
    if (hit && hit.key === key) return hit.value as T;
    const value = compute();
    this.set(name, key, value);
    return value;
  }

  set(name: string, key: string, value: unknown): void {
    this.entries[name] = { key, value };
    this.dirty = true;
  }

  /** Written atomically; two runs saving at once keep one of the two, both right. */
  save(): void {
    if (!this.file || !this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify({ version: VERSION, entries: this.entries })}\n`);
    this.dirty = false;
  }
}
