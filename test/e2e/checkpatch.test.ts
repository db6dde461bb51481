// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries checkpatch` with the real checkpatch.pl of Linux 6.1: the one of the e2e fixture
 * k61 (Debian 6.1 imported by kseries), run in that tree on the committed checkpatch series
 * (test/fixtures/series/checkpatch). The command's other paths run everywhere with a
 * stand-in script: test/unit/checkpatch-cli.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { k61Repo } from '../helpers/e2e-fixtures.js';
import { gitSync, isolate, runCli, type IsolatedEnv } from '../helpers/env.js';
import { childrenNamed, parseXml } from '../helpers/xml.js';

const REPO = new URL('../..', import.meta.url).pathname;
const SERIES_ROOT = join(REPO, 'test', 'fixtures', 'series', 'checkpatch');
const REAL_TREE = k61Repo();
const REAL = join(REAL_TREE, 'scripts', 'checkpatch.pl');
const P1 = '0001-dax-kmem-count-onlined-devices.patch';
const P3 = '0003-dax-kmem-add-a-persistence-helper.patch';
const series = ['--patches', SERIES_ROOT, '--series', 'v6.1'];
const json = (stdout: string) => JSON.parse(stdout) as { status: string; result: Record<string, unknown> & { patches: Array<Record<string, unknown>> } };

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate('kseries-e2e-checkpatch-');
});
afterEach(() => env.cleanup());

describe('kseries checkpatch with the real checkpatch.pl of linux 6.1', () => {
  it('checks the series in order, in the tree, and fails on warnings', () => {
    const junit = join(env.root, 'out', 'checkpatch.xml');
    const r = runCli(['checkpatch', '--checkpatch', REAL, ...series, '--strict', '--json', '--junit', junit]);
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.status).toBe('fail');
    expect(out.result).toMatchObject({ cwd: REAL_TREE, script: REAL, strict: true, failOn: 'warning', series: { base: 'v6.1' } });
    expect(out.result.patches.map((p) => [p.file, p.errors, p.warnings, p.checks, p.clean])).toEqual([
      [P1, 0, 0, 0, true],
      [P3, 0, 4, 2, false],
    ]);
    const doc = parseXml(readFileSync(junit, 'utf8'));
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    expect(childrenNamed(childrenNamed(doc, 'testsuite')[0], 'testcase').map((c) => c.attrs.name)).toEqual([P1, P3]);
  });

  it('passes with --fail-on error', () => {
    const r = runCli(['checkpatch', '--checkpatch', REAL, ...series, '--fail-on', 'error']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 patches: 0 errors, 4 warnings; none at error level or worse/);
  });

  it('writes nothing into the tree (checkpatch runs there; the fixture must stay clean)', () => {
    expect(runCli(['checkpatch', '--checkpatch', REAL, ...series, '--strict']).code).toBe(1);
    expect(gitSync(REAL_TREE, ['status', '--porcelain', '--ignored'])).toBe('');
  });
});
