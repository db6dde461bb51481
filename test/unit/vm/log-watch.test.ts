// SPDX-License-Identifier: GPL-2.0-only
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchLog } from '../../../src/lib/vm/log-watch.js';

describe('watchLog', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kseries-watch-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports whole lines as the file grows, the last partial line on stop', () => {
    const f = join(dir, 'console.log');
    const seen: string[] = [];
    const w = watchLog(f, (l) => seen.push(l), 10_000);
    w.poll(); // no file yet
    writeFileSync(f, 'one\r\ntw');
    w.poll();
    expect(seen).toEqual(['one']);
    appendFileSync(f, 'o\nthree');
    w.poll();
    expect(seen).toEqual(['one', 'two']);
    w.stop();
    expect(seen).toEqual(['one', 'two', 'three']);
  });

  it('starts over when the file is truncated', () => {
    const f = join(dir, 'c.log');
    const seen: string[] = [];
    writeFileSync(f, 'aaaa\nbbbb\n');
    const w = watchLog(f, (l) => seen.push(l), 10_000);
    w.poll();
    writeFileSync(f, 'c\n');
    w.poll();
    w.stop();
    expect(seen).toEqual(['aaaa', 'bbbb', 'c']);
  });
});
