// SPDX-License-Identifier: GPL-2.0-only
/**
 * Where a hunk checked alone applies, over real `git apply --cached --check -v` output
 * (test/fixtures/hunk-check/record.sh): the hunk @@ -47,7 +57,7 @@ (its preimage is lines
 * 47-53 of the base, "kmem line 47;" to "kmem line 53;"), checked with its own header
 * ("as-is") and with the header kseries uses for a hunk alone, @@ -47,7 +47,7 @@ ("alone").
 * The expectations are written from how each target was made, not from the code: the offset
 * is where the preimage is minus 47, the line the series' base had it at (GNU patch -F0 on
 * the same one-hunk patch reports the same offsets: +5 on plus5, +10 on plus10, none on twice).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmOutput } from '../../src/lib/apply/am-output.js';
import { aloneHeader, placeHunk, shiftAround } from '../../src/lib/apply/hunk-check.js';
import { parseDiff } from '../../src/lib/series/diff.js';

const DIR = new URL('../fixtures/hunk-check', import.meta.url).pathname;
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const hunkOf = (patch: string) => parseDiff(read(patch).trimEnd().split('\n'), 1).files[0].hunks[0];
const AS_IS = hunkOf('hunk-as-is.patch');
const ALONE_HEADER = '@@ -47,7 +47,7 @@ kmem line 46;';

type Placed = ReturnType<typeof placeHunk>;
const applies: Placed = { status: 'applies' };
const at = (line: number): Placed => ({ status: 'offset', appliesAt: line, offset: line - 47 });

// target: where its preimage is (made by record.sh)
const cases: Array<[target: string, how: string, alone: Placed, asIsGitSaid: string | null]> = [
  ['same', 'the base itself: at 47', applies, 'Hunk #1 succeeded at 47 (offset -10 lines).'],
  ['plus5', '5 lines added at the top: at 52', { status: 'offset', appliesAt: 52, offset: 5 }, 'Hunk #1 succeeded at 52 (offset -5 lines).'],
  ['plus10', '10 lines added at the top: at 57, the hunk\'s new start', { status: 'offset', appliesAt: 57, offset: 10 }, null],
  ['minus3', '3 lines removed at the top: at 44', { status: 'offset', appliesAt: 44, offset: -3 }, 'Hunk #1 succeeded at 44 (offset -13 lines).'],
  ['changed', 'line 49 rewritten: nowhere', { status: 'fails' }, null],
  ['twice', 'lines 47-53 also at 61: at 47 (nearest to 47)', applies, 'Hunk #1 succeeded at 61 (offset 4 lines).'],
];

const load = (name: string) => parseAmOutput(read(`${name}.stdout`), read(`${name}.stderr`), Number(read(`${name}.exit`).trim()));

describe('aloneHeader', () => {
  it('moves the new start of a hunk to its old start, keeping the counts and the section', () => {
    expect(AS_IS.header).toBe('@@ -47,7 +57,7 @@ kmem line 46;');
    expect(aloneHeader(AS_IS)).toBe(ALONE_HEADER);
    // the recorded "alone" patch is the as-is patch with exactly that header
    expect(read('hunk-alone.patch')).toBe(read('hunk-as-is.patch').replace(AS_IS.header, ALONE_HEADER));
  });

  it.each([
    ['a first hunk (same start)', { header: '@@ -10,6 +10,7 @@ f', oldStart: 10, oldLines: 6, newStart: 10, newLines: 7, section: 'f' }, '@@ -10,6 +10,7 @@ f'],
    ['a hunk without a section', { header: '@@ -49,12 +53,16 @@', oldStart: 49, oldLines: 12, newStart: 53, newLines: 16, section: '' }, '@@ -49,12 +49,16 @@'],
    ['a hunk that removes lines', { header: '@@ -30,8 +20,2 @@ g', oldStart: 30, oldLines: 8, newStart: 20, newLines: 2, section: 'g' }, '@@ -30,8 +30,2 @@ g'],
    ['a new file (no preimage): as it is', { header: '@@ -0,0 +1,48 @@', oldStart: 0, oldLines: 0, newStart: 1, newLines: 48, section: '' }, '@@ -0,0 +1,48 @@'],
    ['a -U0 insertion (no preimage): as it is', { header: '@@ -10,0 +11,3 @@', oldStart: 10, oldLines: 0, newStart: 11, newLines: 3, section: '' }, '@@ -10,0 +11,3 @@'],
  ])('%s', (_name, h, want) => {
    expect(aloneHeader(h)).toBe(want);
  });
});

describe('placeHunk over recorded git apply -v output', () => {
  it.each(cases)('%s (%s), checked alone', (target, _how, want) => {
    expect(placeHunk(AS_IS, ALONE_HEADER, load(`${target}-alone`))).toEqual(want);
  });

  it.each(cases)('%s (%s), checked with its own header: git measured from line 57', (target, _how, _want, said) => {
    const out = load(`${target}-as-is`);
    // what git itself said, searching from the new start line 57
    expect([...read(`${target}-as-is.stderr`).split('\n')].find((l) => l.startsWith('Hunk #')) ?? null).toBe(said);
    // read against the header git saw, the place is still measured from 47 ...
    const placed = placeHunk(AS_IS, AS_IS.header, out);
    if (target === 'twice') {
      // ... but git started its search at 57 and took the copy at 61: why kseries checks with aloneHeader()
      expect(placed).toEqual(at(61));
    } else {
      expect(placed).toEqual(cases.find((c) => c[0] === target)![2]);
    }
  });

  it('a hunk without preimage lines applies wherever git put it', () => {
    expect(placeHunk({ oldStart: 0, oldLines: 0 }, '@@ -0,0 +1,48 @@', { exitCode: 0, hunkOffsets: [] })).toEqual(applies);
    expect(placeHunk({ oldStart: 0, oldLines: 0 }, '@@ -0,0 +1,48 @@', { exitCode: 1, hunkOffsets: [] })).toEqual({ status: 'fails' });
  });
});

describe('shiftAround', () => {
  type H = Parameters<typeof shiftAround>[0][number];
  const ok = (oldStart: number, oldLines: number): H => ({ oldStart, oldLines, status: 'applies' });
  const off = (oldStart: number, oldLines: number, offset: number): H => ({ oldStart, oldLines, status: 'offset', offset });
  const fails = (oldStart: number, oldLines: number): H => ({ oldStart, oldLines, status: 'fails' });
  // patch 2's kmem.c hunks on 6.1.170: -178,12 applies, -199,7 fails, -213,6 and -231,6 at offset -6
  const kmem = [ok(178, 12), fails(199, 7), off(213, 6, -6), off(231, 6, -6)];
  it.each<[string, H[], number, ReturnType<typeof shiftAround>]>([
    ['kmem.c on 6.1.170: 6 lines fewer between base lines 190 and 212', kmem, 1, { fromLine: 190, toLine: 212, lines: -6 }],
    ['lines added: 4 more', [off(10, 5, 2), fails(30, 6), off(50, 6, 6)], 1, { fromLine: 15, toLine: 49, lines: 4 }],
    ['the nearest placed hunks count, failing ones are passed over', [ok(10, 5), fails(20, 5), fails(30, 6), off(50, 6, -1)], 2, { fromLine: 15, toLine: 49, lines: -1 }],
    ['both moved alike', [off(10, 5, 3), fails(20, 5), off(50, 6, 3)], 1, null],
    ['no hunk before it', [fails(10, 5), off(50, 6, 3)], 0, null],
    ['no hunk after it', [ok(10, 5), fails(50, 6)], 1, null],
  ])('%s', (_name, hunks, k, want) => {
    expect(shiftAround(hunks, k)).toEqual(want);
  });
});
