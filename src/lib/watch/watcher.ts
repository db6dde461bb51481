// SPDX-License-Identifier: GPL-2.0-only
/**
 * Watches a worktree for saved files: one inotify watch per directory (fs.watch, not
 * recursive: Node's recursive mode on Linux walks and stats every file, 80,000 in a kernel
 * tree), directories created later included, .git and the like left out. Events are
 * collected as paths relative to the root; next() waits for the first source change, then
 * until DEBOUNCE ms pass without another (an editor's save is several events), and returns
 * the batch.
 */
import { watch, readdirSync, statSync, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { IGNORED_DIRS, inIgnoredDir, isSourceChange } from './changes.js';

export class TreeWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending = new Set<string>();
  private lastEventAt = 0;
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(readonly root: string) {}

  /** Starts watching ROOT and every directory under it; returns how many are watched. */
  start(): number {
    this.add(this.root);
    return this.watchers.size;
  }

  private add(dir: string): void {
    if (this.closed || this.watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, name) => name && this.seen(join(dir, name.toString())));
    } catch {
      return; // gone already, or not a directory
    }
    w.on('error', () => this.drop(dir));
    this.watchers.set(dir, w);
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && !IGNORED_DIRS.has(e.name)) this.add(join(dir, e.name));
  }

  private drop(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
  }

  private seen(path: string): void {
    const rel = relative(this.root, path);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      if (this.watchers.has(path)) this.drop(path); // a watched directory removed
    }
    if (isDir) {
      if (!inIgnoredDir(rel)) this.add(path);
      return;
    }
    if (!isSourceChange(rel)) return;
    this.pending.add(rel);
    this.lastEventAt = Date.now();
    this.wake?.();
  }

  /** The next batch of source changes (waits for one, then for DEBOUNCE ms of quiet); [] once closed. */
  async next(debounceMs: number): Promise<string[]> {
    while (!this.closed && this.pending.size === 0) await new Promise<void>((r) => (this.wake = r));
    for (let quiet = 0; !this.closed && quiet < debounceMs; quiet = Date.now() - this.lastEventAt) {
      await new Promise((r) => setTimeout(r, debounceMs - quiet));
    }
    const batch = [...this.pending].sort();
    this.pending = new Set();
    return this.closed ? [] : batch;
  }

  /** Whether changes arrived since the last next() (a save during a round). */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  close(): void {
    this.closed = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.wake?.();
  }
}
