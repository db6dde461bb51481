// SPDX-License-Identifier: GPL-2.0-only
/**
 * ci/point-releases: the matrix script's argument handling, and its summary (summary.mjs) as a
 * table over results written the way `kseries ci` writes them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module of the ci/ directory, without types
import { summarize } from '../../../ci/point-releases/summary.mjs';

const SCRIPT = new URL('../../../ci/point-releases/run.sh', import.meta.url).pathname;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-matrix-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const stage = (name: string, status: string, s: number, summary = '') => ({ name, status, durationMs: s * 1000, summary, logs: [], command: null });
function run(name: string, tree: string, stages: ReturnType<typeof stage>[]) {
  mkdirSync(join(dir, name, tree), { recursive: true });
  writeFileSync(join(dir, name, 'results.json'), JSON.stringify({ trees: [{ tree, dir: tree }] }));
  writeFileSync(join(dir, name, tree, 'results.json'), JSON.stringify({ tree, stages }));
}

describe('point-release matrix', () => {
  it('summarises each version: stage verdicts and times, ccache hits of its build, a run without results', () => {
    run('d6.1.192-3', 'k61', [
      stage('apply', 'pass', 18, '5 patches of v6.1 applied on v6.1.192 (5 clean); prerequisites: 1 in the tree already'),
      stage('kconfig', 'pass', 21),
      stage('build', 'pass', 420),
      stage('checkpatch', 'pass', 40),
      stage('selftest:kmem-persist-suite', 'pass', 60),
      stage('selftest:kmem-persist-blk', 'fail', 50),
    ]);
    run('d6.1.170-3', 'k61', [stage('apply', 'pass', 20, '5 patches of v6.1 applied on v6.1.170 (5 clean); prerequisites: 1 applied (the tree lacked it)'), stage('build', 'pass', 90)]);
    writeFileSync(
      join(dir, 'runs.tsv'),
      ['6.1\t6.1.192-3\td6.1.192-3\t1\t700\t0 0 0 1200', '6.1\t6.1.170-3\td6.1.170-3\t0\t200\t0 1200 900 1500', '6.12\t6.12.107-1~deb12u1\td6.12.107-1\t3\t5\t9 9 9 9'].join('\n'),
    );
    expect(summarize(dir).split('\n')).toEqual([
      '| line | Debian version | apply | kconfig | build | ccache hits | checkpatch | scenarios | total |',
      '|---|---|---|---|---|---:|---|---|---:|',
      '| 6.1 | 6.1.192-3 | PASS 18 s: (5 clean); prerequisites: 1 in the tree already | PASS 21 s | PASS 420 s | 0/1200 (0 %) | PASS 40 s | 1 of 2 not passed: selftest:kmem-persist-blk FAIL (110 s) | 700 s |',
      '| 6.1 | 6.1.170-3 | PASS 20 s: (5 clean); prerequisites: 1 applied (the tree lacked it) | — | PASS 90 s | 900/1200 (75 %) | — | — | 200 s |',
      '| 6.12 | 6.12.107-1~deb12u1 | no results (exit 3) | | | | | | 5 s |',
      '',
      'Builds: 510 s in all for 3 trees.',
      '',
    ]);
  });

  it('exits 2 on an unknown argument and prints its usage on --help', () => {
    const bad = spawnSync('bash', [SCRIPT, '--bogus'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown argument --bogus/);
    const help = spawnSync('bash', [SCRIPT, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/ci\/point-releases\/run\.sh \[--line 6\.1\|6\.12\]/);
  });
});
