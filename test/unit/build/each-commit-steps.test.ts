// SPDX-License-Identifier: GPL-2.0-only
/** The steps of --each-commit (--from N): a table over a three-commit range. */
import { eachCommitSteps } from '../../../src/lib/build/each-commit.js';
import type { SeriesRange } from '../../../src/lib/build/series-range.js';

const range: SeriesRange = {
  base: 'b0',
  head: 'c3',
  commits: [1, 2, 3].map((i) => ({ commit: `c${i}`, subject: `patch ${i}`, files: [] })),
  touched: [],
};
const show = (from?: number) => eachCommitSteps(range, from).map((s) => `${s.role} ${s.index} ${s.commit}`);

it.each([
  [undefined, ['base 0 b0', 'patch 1 c1', 'patch 2 c2', 'patch 3 c3']],
  [1, ['base 0 b0', 'patch 1 c1', 'patch 2 c2', 'patch 3 c3']],
  [2, ['reference 1 c1', 'patch 2 c2', 'patch 3 c3']],
  [3, ['reference 2 c2', 'patch 3 c3']],
])('--from %s: %j', (from, steps) => {
  expect(show(from)).toEqual(steps);
});

it.each([0, 4, 1.5, -1])('--from %s is a usage error naming the range', (from) => {
  expect(() => eachCommitSteps(range, from)).toThrow(expect.objectContaining({ kind: 'usage', message: `--from ${from}: the series has 3 commits` }));
});
