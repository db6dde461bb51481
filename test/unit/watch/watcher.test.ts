// SPDX-License-Identifier: GPL-2.0-only
/** TreeWatcher on a real directory: saves are seen (new directories too), an editor's files and .git are not. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TreeWatcher } from '../../../src/lib/watch/watcher.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TreeWatcher', () => {
  let root: string;
  let w: TreeWatcher;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kseries-watch-'));
    for (const d of ['drivers/dax', '.git/objects', 'mm']) mkdirSync(join(root, d), { recursive: true });
    w = new TreeWatcher(root);
  });
  afterEach(() => {
    w.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('watches every directory but .git, and batches a burst of saves into one', async () => {
    expect(w.start()).toBe(4); // root, drivers, drivers/dax, mm
    const batch = w.next(150);
    writeFileSync(join(root, '.git', 'index.lock'), 'x');
    writeFileSync(join(root, 'drivers/dax/.kmem.c.swp'), 'x');
    writeFileSync(join(root, 'drivers/dax/4913'), 'x');
    writeFileSync(join(root, 'drivers/dax/kmem.c'), 'int a;\n');
    await tick(50);
    writeFileSync(join(root, 'mm/memory_hotplug.c'), 'int b;\n');
    expect(await batch).toEqual(['drivers/dax/kmem.c', 'mm/memory_hotplug.c']);
    expect(w.hasPending).toBe(false);
  });

  it('sees files in a directory created after it started', async () => {
    w.start();
    mkdirSync(join(root, 'drivers/new'));
    await tick(100);
    writeFileSync(join(root, 'drivers/new/x.c'), 'int c;\n');
    expect(await w.next(100)).toEqual(['drivers/new/x.c']);
  });

  it('a save during a round is kept for the next one; close() ends a wait with nothing', async () => {
    w.start();
    writeFileSync(join(root, 'mm/a.c'), '1');
    await tick(100);
    expect(w.hasPending).toBe(true);
    expect(await w.next(50)).toEqual(['mm/a.c']);
    const waiting = w.next(50);
    w.close();
    expect(await waiting).toEqual([]);
  });
});
