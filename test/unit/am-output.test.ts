// SPDX-License-Identifier: GPL-2.0-only
/** The am-output parser over real `git am -3` / `git apply -v` output (test/fixtures/am-output/record-am.sh). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmOutput, type AmOutput } from '../../src/lib/apply/am-output.js';
import { parseConflictMarkers, hasConflictMarkers } from '../../src/lib/apply/conflict-markers.js';

const DIR = join(new URL('../fixtures/am-output', import.meta.url).pathname);
const load = (name: string) => {
  const r = (ext: string) => readFileSync(join(DIR, `${name}.${ext}`), 'utf8');
  return parseAmOutput(r('stdout'), r('stderr'), Number(r('exit').trim()));
};
const K = 'drivers/dax/kmem.c';

const cases: Array<[string, Partial<AmOutput>]> = [
  ['am-clean', { outcome: 'applied', exitCode: 0, fellBackTo3way: false, usedIndexInfo: false, conflicts: [] }],
  ['am-offset', { outcome: 'applied', fellBackTo3way: false }],
  ['am-3way', { outcome: 'applied', fellBackTo3way: true, usedIndexInfo: true, fakeAncestor: [{ status: 'M', path: K }], autoMerging: [K], conflicts: [] }],
  ['am-already-applied', { outcome: 'already-applied', noChanges: true, fellBackTo3way: true, exitCode: 0 }],
  [
    'am-conflict',
    {
      outcome: 'conflict',
      exitCode: 128,
      fellBackTo3way: true,
      failedToMerge: true,
      conflicts: [{ kind: 'content', path: K, message: `Merge conflict in ${K}` }],
      patchFailedAt: { number: 1, subject: 'dax/kmem: Keep persistent memory across kexec' },
    },
  ],
  ['am-modify-delete', { outcome: 'conflict', fakeAncestor: [{ status: 'A', path: K }], failedToMerge: true }],
  ['am-lacking-blobs', { outcome: 'conflict', lackingBlobs: [K], couldNotBuildFakeAncestor: true, fellBackTo3way: false, usedIndexInfo: false }],
  ['am-plain-fails', { outcome: 'conflict', patchFailed: [{ path: K, line: 17, searchedFor: [] }], doesNotApply: [K] }],
  ['am-corrupt', { outcome: 'corrupt', corrupt: { line: 16, message: 'error: corrupt patch at line 16' } }],
  ['apply-check-offset', { outcome: 'applied', checked: [K], hunkOffsets: [{ path: K, hunk: 1, at: 19, offset: 2 }] }],
  ['apply-check-reverse', { outcome: 'applied', checked: [K], hunkOffsets: [] }],
];

describe('parseAmOutput on recorded git output', () => {
  it.each(cases)('%s', (name, expected) => {
    const o = load(name);
    expect(o).toMatchObject(expected);
    expect(o.applying.length).toBeLessThanOrEqual(1);
  });

  it('reads the subject of "Applying:"', () => {
    expect(load('am-clean').applying).toEqual(['dax/kmem: Keep persistent memory across kexec']);
  });

  it('reads the modify/delete conflict path', () => {
    const o = load('am-modify-delete');
    expect(o.conflicts).toHaveLength(1);
    expect(o.conflicts[0]).toMatchObject({ kind: 'modify/delete', path: K });
  });

  it('keeps the lines git searched for with apply -v', () => {
    const o = load('apply-check-fails');
    expect(o.outcome).toBe('conflict');
    expect(o.patchFailed).toEqual([{ path: K, line: 17, searchedFor: [17, 18, 19, 20, 21, 22, 23].map((n) => `kmem line ${n};`) }]);
    expect(o.doesNotApply).toEqual([K]);
    expect(o.errors).toContain(`error: patch failed: ${K}:17`);
  });

  it('a conflict left by --continue with unmerged paths is not success', () => {
    const o = load('am-continue-nothing-staged');
    expect(o.exitCode).not.toBe(0);
    expect(o.outcome).not.toBe('applied');
  });
});

describe('parseConflictMarkers', () => {
  it('reads diff3-style regions with 1-based lines', () => {
    const text = ['a', '<<<<<<< HEAD', 'ours 1', 'ours 2', '||||||| base', 'base', '=======', 'theirs', '>>>>>>> dax/kmem: x', 'b'].join('\n');
    expect(parseConflictMarkers(text)).toEqual([
      { startLine: 2, endLine: 9, oursLabel: 'HEAD', theirsLabel: 'dax/kmem: x', ours: ['ours 1', 'ours 2'], base: ['base'], theirs: ['theirs'] },
    ]);
  });

  it('reads merge-style regions and several of them', () => {
    const text = ['<<<<<<< HEAD', 'x', '=======', 'y', '>>>>>>> p', 'mid', '<<<<<<< HEAD', '=======', 'z', '>>>>>>> p'].join('\n');
    const r = parseConflictMarkers(text);
    expect(r.map((x) => [x.startLine, x.endLine, x.base, x.ours, x.theirs])).toEqual([
      [1, 5, null, ['x'], ['y']],
      [7, 10, null, [], ['z']],
    ]);
  });

  it('ignores a lone separator line and unterminated regions', () => {
    expect(hasConflictMarkers('a\n=======\nb\n')).toBe(false);
    expect(hasConflictMarkers('<<<<<<< HEAD\nx\n=======\n')).toBe(false);
  });
});
