// SPDX-License-Identifier: GPL-2.0-only
/**
 * Why a hunk fails, line by line: compareContext() over the real case of issue 16 — patch 2 of
 * the v6.1 series (made on Debian 6.1.192, whose drivers/dax/kmem.c is the patch's preimage
 * blob 0d824ba) against 6.1.170's kmem.c (blob 1a33616), which lacks the check "range was
 * never added during probe" in dev_dax_kmem_remove() (test/fixtures/context-diff: both files
 * as the Debian tarballs have them, and the failing hunk) — and over small made-up files.
 * The expectations are read off the files by hand (6.1.192 lines 196-200 are the check;
 * 6.1.170 line 196 is "rc = remove_memory(...)", right after "if (rc) continue;" and a blank).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareContext, explainDifference, pickaxeNeedle, targetOnNewerLine, type ContextComparison } from '../../src/lib/apply/context-diff.js';
import { parseDiff } from '../../src/lib/series/diff.js';

const DIR = new URL('../fixtures/context-diff', import.meta.url).pathname;
const lines = (f: string) => readFileSync(join(DIR, f), 'utf8').replace(/\n$/, '').split('\n');
const OLD = lines('kmem-6.1.170.c');
const BASE = lines('kmem-6.1.192.c');
const HUNK = parseDiff(lines('kmem-hunk.patch'), 1).files[0].hunks[0];
const PREIMAGE = HUNK.lines.filter((l) => l.startsWith(' ') || l.startsWith('-')).map((l) => l.slice(1));
const n = (line: number, text: string) => ({ line, text });
const num = (first: number, ...texts: string[]) => texts.map((t, i) => n(first + i, t));

describe('compareContext on the real kmem.c of 6.1.192 (the base) and 6.1.170 (the target)', () => {
  it('reads the fixture as described', () => {
    expect(HUNK).toMatchObject({ oldStart: 199, oldLines: 7 });
    expect(PREIMAGE.slice(0, 2)).toEqual(['\t\t\tcontinue;', '\t\t}']);
    expect(BASE.slice(195, 200)).toEqual(['\t\t/* range was never added during probe */', '\t\tif (!data->res[i]) {', '\t\t\tsuccess++;', '\t\t\tcontinue;', '\t\t}']);
    expect(OLD.slice(192, 196)).toEqual(['\t\tif (rc)', '\t\t\tcontinue;', '', '\t\trc = remove_memory(range.start, range_len(&range));']);
  });

  it('from the hunk alone: the target lacks its first two lines, the end of the check', () => {
    // anchored on "rc = remove_memory(...)" (base 202, target 196); the blank before it matches;
    // "}" does not, and from there on nothing bounds the target, so "continue;" is lacking too;
    // they would be before the target's blank line 195
    expect(compareContext(PREIMAGE, 199, HUNK, OLD)).toEqual<ContextComparison>({
      targetAt: 193,
      differences: [{ kind: 'lacking', base: num(199, '\t\t\tcontinue;', '\t\t}'), target: [], targetAt: 195 }],
    });
  });

  it('from the whole base file: the target lacks the whole check (and a blank line)', () => {
    expect(compareContext(BASE, 1, HUNK, OLD)).toEqual<ContextComparison>({
      targetAt: 193,
      differences: [
        {
          kind: 'lacking',
          base: num(196, '\t\t/* range was never added during probe */', '\t\tif (!data->res[i]) {', '\t\t\tsuccess++;', '\t\t\tcontinue;', '\t\t}', ''),
          target: [],
          targetAt: 196,
        },
      ],
    });
  });

  it('the base against itself: no difference, the hunk is where it was', () => {
    expect(compareContext(BASE, 1, HUNK, BASE)).toEqual({ targetAt: 199, differences: [] });
  });
});

describe('compareContext on made-up files', () => {
  const file = (...l: string[]) => l;
  const hunk = { oldStart: 3, oldLines: 5 };
  // base lines 1-9; the hunk is lines 3-7
  const base = file('a();', 'b();', 'c();', 'd();', 'e();', 'f();', 'g();', 'h();', 'i();');
  const cases: Array<[string, string[], ContextComparison | null]> = [
    ['the same file 10 lines further down', [...Array.from({ length: 10 }, (_, i) => `top${i}();`), ...base], { targetAt: 13, differences: [] }],
    ['line 5 changed', file('a();', 'b();', 'c();', 'd();', 'E(1);', 'f();', 'g();', 'h();', 'i();'), { targetAt: 3, differences: [{ kind: 'changed', base: [n(5, 'e();')], target: [n(5, 'E(1);')], targetAt: 6 }] }],
    ['lines 4-5 missing', file('a();', 'b();', 'c();', 'f();', 'g();', 'h();', 'i();'), { targetAt: 3, differences: [{ kind: 'lacking', base: num(4, 'd();', 'e();'), target: [], targetAt: 4 }] }],
    ['a line added after line 4', file('a();', 'b();', 'c();', 'd();', 'new();', 'e();', 'f();', 'g();', 'h();', 'i();'), { targetAt: 3, differences: [{ kind: 'added', base: [], target: [n(5, 'new();')], targetAt: 6 }] }],
    ['a line added after line 8, outside the hunk: not reported', file('a();', 'b();', 'c();', 'd();', 'e();', 'f();', 'g();', 'h();', 'new();', 'i();'), { targetAt: 3, differences: [] }],
    ['line 1 missing, outside the hunk: not reported', file('b();', 'c();', 'd();', 'e();', 'f();', 'g();', 'h();', 'i();'), { targetAt: 2, differences: [] }],
    ['nothing of it in the target', file('x();', 'y();'), null],
    ['only lines that occur twice in the target', file('a();', 'b();', 'c();', 'd();', 'e();', 'f();', 'g();', 'h();', 'i();', 'a();', 'b();', 'c();', 'd();', 'e();', 'f();', 'g();', 'h();', 'i();'), null],
  ];
  it.each(cases)('%s', (_name, target, want) => {
    expect(compareContext(base, 1, hunk, target)).toEqual(want);
  });

  it('blank lines and braces never anchor', () => {
    expect(compareContext(['{', '', '}'], 1, { oldStart: 1, oldLines: 3 }, ['x', '{', '', '}'])).toBeNull();
  });

  it('a hunk without preimage lines has nothing to compare', () => {
    expect(compareContext(base, 1, { oldStart: 0, oldLines: 0 }, base)).toBeNull();
  });
});

describe('targetOnNewerLine', () => {
  it.each<[string | null, string, boolean | null]>([
    ['6.12.118', 'v6.1', true],
    ['6.1.170', 'v6.1', false],
    ['6.1.192', 'v6.1', false],
    ['6.0.19', 'v6.1', false],
    ['7.0.1', 'v6.12', true],
    ['5.15.1', 'v6.1', false],
    [null, 'v6.1', null],
    ['6.12.1', 'mine', null],
  ])('target %s, series %s: %s', (kernel, base, want) => {
    expect(targetOnNewerLine(kernel, base)).toBe(want);
  });
});

describe('explainDifference and pickaxeNeedle', () => {
  it('words for each kind; lacking lines on a newer kernel line are more likely removed there than a missing fix', () => {
    expect(explainDifference('lacking')).toBe(
      'the series was made on a tree that has these lines; the target lacks them: a change between the two kernels, probably a fix the target does not have',
    );
    expect(explainDifference('lacking', false)).toBe(explainDifference('lacking'));
    expect(explainDifference('lacking', true)).toBe(
      'the series was made on a tree that has these lines; the target lacks them: a change between the two kernels, probably removed or rewritten in the newer kernel line of the target',
    );
    expect(explainDifference('changed')).toBe('the series was made on a tree that has these lines where the target has others: the code changed between the two kernels');
    expect(explainDifference('added')).toBe('the target has lines here that the tree the series was made on did not have: a change between the two kernels');
  });

  it("the pickaxe looks for the base's lines, whole and joined; for lines only the target has, for those", () => {
    expect(pickaxeNeedle({ kind: 'lacking', base: num(199, '\t\t\tcontinue;', '\t\t}'), target: [], targetAt: 195 })).toBe('\t\t\tcontinue;\n\t\t}');
    expect(pickaxeNeedle({ kind: 'changed', base: [n(5, 'e();')], target: [n(5, 'E(1);')], targetAt: 6 })).toBe('e();');
    expect(pickaxeNeedle({ kind: 'added', base: [], target: [n(5, 'new();'), n(6, 'more();')], targetAt: 7 })).toBe('new();\nmore();');
  });
});
