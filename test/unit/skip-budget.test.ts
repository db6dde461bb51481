// SPDX-License-Identifier: GPL-2.0-only
/** test/skip-budget.mjs, the skip budget `npm test` checks, on vitest JSON reports made up here. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'test', 'skip-budget.mjs');
const budget = JSON.parse(readFileSync(join(ROOT, 'test', 'skip-budget.json'), 'utf8')) as { allowance: number; skips: Record<string, string> };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-skip-budget-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const report = (statuses: string[]) => ({
  numTotalTests: statuses.length,
  testResults: [
    {
      name: join(ROOT, 'test', 'unit', 'x.test.ts'),
      assertionResults: statuses.map((status, i) => ({ ancestorTitles: ['suite'], title: `test ${i}`, status })),
    },
  ],
});
const check = (r: unknown) => {
  const f = join(dir, 'results.json');
  writeFileSync(f, JSON.stringify(r));
  const p = spawnSync(process.execPath, [SCRIPT, f], { encoding: 'utf8' });
  return { code: p.status, stdout: p.stdout, stderr: p.stderr };
};

describe('the skip budget', () => {
  it('the recorded allowance covers exactly the listed skips', () => {
    expect(Object.keys(budget.skips)).toHaveLength(budget.allowance);
  });

  it('within the allowance: exit 0, prints the count and each skipped test, unlisted ones marked', () => {
    const r = check(report(['passed', ...Array(budget.allowance).fill('skipped')]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`skip budget: ${budget.allowance} of ${budget.allowance + 1} tests skipped (allowance ${budget.allowance}`);
    if (budget.allowance) expect(r.stdout).toMatch(/skipped: test\/unit\/x\.test\.ts > suite test 1\n {4}NOT LISTED/);
  });

  it('one skip (or todo) more than the allowance: exit 1', () => {
    const r = check(report(['passed', ...Array(budget.allowance).fill('skipped'), 'todo']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`skip budget exceeded: ${budget.allowance + 1} skipped tests, ${budget.allowance} allowed`));
  });

  it('no report, or not JSON: exit 2', () => {
    expect(spawnSync(process.execPath, [SCRIPT, join(dir, 'none.json')], { encoding: 'utf8' }).status).toBe(2);
    expect(spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' }).status).toBe(2);
  });
});
