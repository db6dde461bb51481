// SPDX-License-Identifier: GPL-2.0-only
/** Which trees kseries ci runs on, and the default tree. */
import { chooseTrees } from '../../../src/lib/ci/trees.js';
import { KseriesError } from '../../../src/lib/errors.js';

const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KseriesError);
    expect((e as KseriesError).exitCode).toBe(2);
    return e as KseriesError;
  }
  throw new Error('no error');
};

describe('chooseTrees', () => {
  it('on a fresh machine (no tree registered) registers k61 from debian:6.1', () => {
    expect(chooseTrees([], {})).toEqual([{ name: 'k61', register: { source: 'debian:6.1' } }]);
    expect(chooseTrees([], { all: true })).toEqual([{ name: 'k61', register: { source: 'debian:6.1' } }]);
  });

  it('with trees registered and no --tree, uses k61 when it is one of them', () => {
    expect(chooseTrees(['k612', 'k61'], {})).toEqual([{ name: 'k61', register: null }]);
  });

  it('with trees registered but no k61, says which trees exist (usage error)', () => {
    const e = usage(() => chooseTrees(['a', 'b'], {}));
    expect(e.message).toBe('which tree? k61 is not registered, and 2 other trees are: a, b');
    expect(e.suggestion).toMatch(/--tree NAME .*--all/);
  });

  it('--tree names registered trees, once each, in the given order', () => {
    expect(chooseTrees(['a', 'b', 'c'], { tree: ['c', 'a', 'c'] }).map((t) => t.name)).toEqual(['c', 'a']);
  });

  it('--tree with an unknown name is a usage error listing the registered ones', () => {
    const e = usage(() => chooseTrees(['a'], { tree: ['zz'] }));
    expect(e.message).toBe('unknown tree "zz"');
    expect(e.suggestion).toBe('Registered trees: a.');
  });

  it('--all runs every registered tree', () => {
    expect(chooseTrees(['a', 'b'], { all: true }).map((t) => t.name)).toEqual(['a', 'b']);
  });
});
