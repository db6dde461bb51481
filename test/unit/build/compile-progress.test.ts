// SPDX-License-Identifier: GPL-2.0-only
/**
 * The build progress estimate (issue 17, point 2): a first build has nothing to estimate
 * from and says so, instead of "276/~276 objects"; kconfig's host programs left in the
 * build directory by `make tinyconfig` are no estimate; an estimate the count overtakes is
 * said to be exceeded.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CompileCounter, countObjects, estimateFor, estimateFrom, renderProgress, type BuildStats, type Estimate, type ProgressSnapshot } from '../../../src/lib/build/compile-progress.js';

describe('estimateFrom', () => {
  it.each<[string, BuildStats | null, number, Estimate]>([
    ['no earlier build, an empty build directory: a first build', null, 0, { total: null, basis: 'first-build' }],
    ['the last build counted its objects', { compiled: 276, objects: 270 }, 0, { total: 270, basis: 'last-build' }],
    ['the last build\'s count wins over a walk of the directory', { compiled: 3, objects: 270 }, 500, { total: 270, basis: 'last-build' }],
    ['no stats, objects in the directory (built by hand, or by a killed first build)', null, 120, { total: 120, basis: 'build-dir' }],
    ['stats without objects (a build that left none), objects now', { compiled: 40, objects: 0 }, 12, { total: 12, basis: 'build-dir' }],
    ['stats without objects, none now: the previous count', { compiled: 40, objects: 0 }, 0, { total: 40, basis: 'previous-count' }],
    ['stats of a build that compiled nothing and left nothing: a first build', { compiled: 0, objects: 0 }, 0, { total: null, basis: 'first-build' }],
  ])('%s', (_what, stats, objects, expected) => {
    expect(estimateFrom(stats, objects)).toEqual(expected);
  });
});

describe('renderProgress', () => {
  const snap = (compiled: number, estimate: number | null, basis: ProgressSnapshot['basis'], dir: string | null = 'drivers/dax'): ProgressSnapshot => ({ compiled, estimate, basis, dir });
  it.each<[string, ProgressSnapshot, string]>([
    ['a first build, as the issue saw it', snap(276, null, 'first-build'), '276 objects compiled (no estimate: first build) · drivers/dax/'],
    ['a first build, before the first object', snap(0, null, 'first-build', null), '0 objects compiled (no estimate: first build)'],
    ['an incremental build against the last build\'s objects', snap(12, 1088, 'last-build'), '12/~1088 objects compiled · drivers/dax/'],
    ['reaching the estimate exactly', snap(1088, 1088, 'last-build'), '1088/~1088 objects compiled · drivers/dax/'],
    ['past the estimate (a bigger config): exceeded, not raised to match', snap(1200, 1088, 'build-dir'), '1200 objects compiled (~1088 estimated: exceeded) · drivers/dax/'],
    ['the previous count', snap(1, 40, 'previous-count', null), '1/~40 objects compiled'],
  ])('%s', (_what, s, text) => {
    expect(renderProgress(s)).toBe(text);
  });
});

describe('on a build directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-progress-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const touch = (...rels: string[]) => {
    for (const rel of rels) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), '');
    }
  };

  it('after kconfig apply only (make tinyconfig built scripts/kconfig/conf): no kernel objects, so a first build', () => {
    touch('.config', 'scripts/kconfig/conf.o', 'scripts/kconfig/confdata.o', 'scripts/kconfig/parser.tab.o', 'scripts/basic/fixdep', 'tools/objtool/objtool.o');
    expect(countObjects(dir)).toBe(0);
    const counter = new CompileCounter(estimateFor(dir, join(dir, 'kseries-build-stats.json')));
    for (let i = 0; i < 276; i++) counter.feed(`  CC      drivers/dax/f${i}.o`);
    expect(renderProgress(counter.snapshot())).toBe('276 objects compiled (no estimate: first build) · drivers/dax/');
  });

  it('kernel objects count, host programs do not (at the top only: drivers/scripts/ is the kernel\'s), logs/ and source/ neither', () => {
    touch('init/main.o', 'drivers/dax/kmem.o', 'drivers/dax/bus.o', 'drivers/x/scripts/a.o', 'scripts/mod/modpost.o', 'logs/x.o', 'source/y.o', 'vmlinux.a');
    expect(countObjects(dir)).toBe(4);
    expect(estimateFor(dir, join(dir, 'kseries-build-stats.json'))).toEqual({ total: 4, basis: 'build-dir' });
    writeFileSync(join(dir, 'kseries-build-stats.json'), JSON.stringify({ compiled: 4, objects: 1088 }));
    expect(estimateFor(dir, join(dir, 'kseries-build-stats.json'))).toEqual({ total: 1088, basis: 'last-build' });
  });
});
