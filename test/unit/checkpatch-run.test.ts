// SPDX-License-Identifier: GPL-2.0-only
/** Running checkpatch through the Runner (strict FakeRunner): command lines, cwd, judging, failures to run. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckpatchReport } from '../../src/lib/checkpatch/parser.js';
import { checkPatches, exceeds, looksLikeKernelTree, treeOfScript, type FailOn } from '../../src/lib/checkpatch/run.js';
import { KseriesError } from '../../src/lib/errors.js';
import { FakeRunner } from '../helpers/fake-runner.js';

const FIX = new URL('../fixtures/checkpatch', import.meta.url).pathname;
const TREE = join(FIX, 'fake-tree');
const SCRIPT = join(TREE, 'scripts', 'checkpatch.pl');
const recorded = (name: string, strict: boolean) => readFileSync(join(FIX, 'output', 'linux-source-6.1', `${name}${strict ? '.strict' : ''}.txt`), 'utf8');
const P1 = '0001-dax-kmem-count-onlined-devices';
const P2 = '0002-dax-kmem-remember-the-node-in-probe';
const P3 = '0003-dax-kmem-add-a-persistence-helper';
const patch = (n: string) => join(FIX, 'patches', `${n}.patch`);

describe('checkPatches', () => {
  it('runs perl SCRIPT --show-types [--strict] PATCH in the tree, one patch at a time, in order', async () => {
    const runner = new FakeRunner();
    for (const n of [P1, P2, P3]) {
      runner.expect('perl', { stdout: recorded(n, true), exitCode: n === P1 ? 0 : 1 }, { args: [SCRIPT, '--show-types', '--strict', patch(n)] });
    }
    const seen: string[] = [];
    const run = await checkPatches(runner, [P1, P2, P3].map(patch), {
      script: SCRIPT,
      cwd: TREE,
      strict: true,
      failOn: 'warning',
      onPatch: (f, i, n) => seen.push(`${i + 1}/${n} ${f}`),
    });
    runner.verify();
    expect(runner.calls.every((c) => c.cwd === TREE)).toBe(true);
    expect(runner.calls.some((c) => c.args.includes('--no-tree'))).toBe(false);
    expect(seen).toEqual([`1/3 ${P1}.patch`, `2/3 ${P2}.patch`, `3/3 ${P3}.patch`]);
    expect(run.patches.map((p) => [p.file, p.report.errors.length, p.report.warnings.length, p.report.checks.length])).toEqual([
      [`${P1}.patch`, 0, 0, 0],
      [`${P2}.patch`, 4, 4, 0],
      [`${P3}.patch`, 0, 4, 2],
    ]);
    expect(run.totals).toEqual({ errors: 4, warnings: 8, checks: 2, patches: 3, failed: 2 });
    expect(run.failed).toBe(true);
  });

  it('leaves --strict out unless asked', async () => {
    const runner = new FakeRunner().expect('perl', { stdout: recorded(P1, false) }, { args: [SCRIPT, '--show-types', patch(P1)] });
    const run = await checkPatches(runner, [patch(P1)], { script: SCRIPT, cwd: TREE, strict: false, failOn: 'warning' });
    runner.verify();
    expect(run.failed).toBe(false);
  });

  const infra: Array<[string, object, RegExp]> = [
    ['no totals (not a kernel tree)', { stdout: '', stderr: 'Must be run from the top-level dir. of a kernel tree\n', exitCode: 2 }, /did not finish.*exit 2[\s\S]*Must be run from the top-level/],
    ['a perl error after partial output', { stdout: 'total: 0 errors, 0 warnings, 1 lines checked\n', stderr: 'Died', exitCode: 255 }, /did not finish.*exit 255/],
    ['a timeout', { stdout: '', timedOut: true, exitCode: 143 }, /timed out/],
  ];
  it.each(infra)('exits 3 on %s', async (_what, reply, message) => {
    const runner = new FakeRunner().expect('perl', reply);
    const err = await checkPatches(runner, [patch(P1)], { script: SCRIPT, cwd: TREE, strict: true, failOn: 'warning' }).catch((e) => e);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).exitCode).toBe(3);
    expect((err as KseriesError).message).toMatch(message);
    expect((err as KseriesError).suggestion).toMatch(/Run it by hand/);
  });

  it('exits 2 when the script does not exist, before running anything', async () => {
    const err = await checkPatches(new FakeRunner(), [patch(P1)], { script: '/nonexistent/checkpatch.pl', cwd: TREE, strict: true, failOn: 'warning' }).catch((e) => e);
    expect((err as KseriesError).exitCode).toBe(2);
  });
});

describe('--fail-on', () => {
  const report = (e: number, w: number, c: number) =>
    parseCheckpatchReport(`total: ${e} errors, ${w} warnings, ${c} checks, 10 lines checked\n`);
  const table: Array<[number, number, number, FailOn, boolean]> = [
    [0, 0, 0, 'check', false],
    [1, 0, 0, 'error', true],
    [0, 1, 0, 'error', false],
    [0, 1, 0, 'warning', true],
    [0, 0, 1, 'warning', false],
    [0, 0, 1, 'check', true],
    [1, 0, 0, 'check', true],
  ];
  it.each(table)('%i errors, %i warnings, %i checks with --fail-on %s: %s', (e, w, c, on, want) => {
    expect(exceeds(report(e, w, c), on)).toBe(want);
  });
});

describe('where checkpatch runs', () => {
  it('knows a kernel tree and the tree of a script', () => {
    expect(looksLikeKernelTree(TREE)).toBe(true);
    expect(looksLikeKernelTree(FIX)).toBe(false);
    expect(treeOfScript(SCRIPT)).toBe(TREE);
    expect(treeOfScript(join(FIX, 'record-checkpatch.sh'))).toBeNull();
  });
});
