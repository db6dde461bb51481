// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries checkpatch` through the built CLI with a stand-in script that replays recorded
 * output (test/fixtures/checkpatch/fake-tree/), so that the command path is tested
 * everywhere. The real checkpatch.pl of Linux 6.1: test/e2e/checkpatch.test.ts.
 */
import { cpSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry, type TreeRecord } from '../../src/lib/trees/registry.js';
import { isolate, runCli, type IsolatedEnv } from '../helpers/env.js';

const REPO = new URL('../..', import.meta.url).pathname;
const FIX = join(REPO, 'test', 'fixtures');
const SERIES_ROOT = join(FIX, 'series', 'checkpatch');
const FAKE_TREE = join(FIX, 'checkpatch', 'fake-tree');
const FAKE = join(FAKE_TREE, 'scripts', 'checkpatch.pl');
const RECORDINGS = { FAKE_CHECKPATCH_RECORDINGS: join(FIX, 'checkpatch', 'output', 'linux-source-6.1') };
const P1 = '0001-dax-kmem-count-onlined-devices.patch';

if (!existsSync(join(REPO, 'dist', 'commands', 'checkpatch.js'))) throw new Error('dist/ is not built: run `npm run build` first');

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate();
});
afterEach(() => env.cleanup());

const series = ['--patches', SERIES_ROOT, '--series', 'v6.1'];
const json = (stdout: string) => JSON.parse(stdout) as { status: string; result: Record<string, unknown> & { patches: Array<Record<string, unknown>> }; warnings: string[]; error?: { kind: string; message: string } };

function addTree(name: string, repo: string): TreeRecord {
  const rec: TreeRecord = {
    name,
    kind: 'imported',
    repo,
    source: 'test',
    ref: 'v6.1.5',
    commit: '0'.repeat(40),
    kernel: { version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' },
    tags: [],
    addedAt: '2024-01-01T00:00:00Z',
  };
  new Registry(env.paths).add(rec);
  return rec;
}

describe('kseries checkpatch (stand-in checkpatch.pl)', () => {
  it.each([
    [[], 1, /1 failed \(fail on warning and worse\)/],
    [['--fail-on', 'error'], 0, /none at error level or worse/],
    [['--strict', '--fail-on', 'check'], 1, /0 errors, 4 warnings, 2 checks; 1 failed \(fail on check and worse\)/],
  ])('%j exits %i', (extra, code, summary) => {
    const r = runCli(['checkpatch', '--checkpatch', FAKE, ...series, ...extra]);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(code);
    expect(r.stdout).toMatch(/^checkpatch( --strict)?: .*fake-tree\/scripts\/checkpatch\.pl \(in .*fake-tree\)/);
    expect(r.stdout).toMatch(new RegExp(`\\n${P1.replace(/\./g, '\\.')} +0 +0 +- +ok\\n|\\n${P1.replace(/\./g, '\\.')} +0 +0 +0 +ok\\n`));
    expect(r.stdout).toMatch(summary);
  });

  it("uses the tree's own checkpatch.pl in its source dir, and picks the series that fits its version", () => {
    const repo = join(env.root, 'linux');
    cpSync(FAKE_TREE, repo, { recursive: true });
    addTree('k61', repo);
    const r = runCli(['checkpatch', '--tree', 'k61', '--patches', SERIES_ROOT, '--json'], { env: RECORDINGS });
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.result).toMatchObject({ tree: 'k61', cwd: repo, script: join(repo, 'scripts', 'checkpatch.pl'), series: { base: 'v6.1' } });
    // the only registered tree is the default
    const again = runCli(['checkpatch', '--patches', SERIES_ROOT, '--json'], { env: RECORDINGS });
    expect(json(again.stdout).result).toMatchObject({ tree: 'k61' });
  });

  it('checks the PATCH files given instead of a series', () => {
    const r = runCli(['checkpatch', '--checkpatch', FAKE, join(SERIES_ROOT, 'v6.1', P1), '--json']);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ status: 'ok', warnings: [] });
    expect(out.result.series).toBeNull();
    expect(out.result.patches.map((p) => p.file)).toEqual([P1]);
  });

  const usage: Array<[string, () => string[], RegExp]> = [
    ['an unknown tree', () => ['--tree', 'nope', ...series], /unknown tree "nope"/],
    ['no tree and no --checkpatch', () => series, /no tree is registered/],
    ['a missing patch file', () => ['--checkpatch', FAKE, '/nonexistent.patch'], /no patch file \/nonexistent\.patch/],
    ['a missing checkpatch script', () => ['--checkpatch', '/nonexistent/checkpatch.pl', ...series], /no checkpatch script at/],
    ['an unknown series', () => ['--checkpatch', FAKE, '--patches', SERIES_ROOT, '--series', 'v9.9'], /no patch series "v9\.9"/],
    ['a bad --fail-on', () => ['--checkpatch', FAKE, ...series, '--fail-on', 'note'], /fail-on/],
  ];
  it.each(usage)('exits 2 on %s', (_what, args, message) => {
    const r = runCli(['checkpatch', ...args()]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 when the series file lists a file that is not there', () => {
    const root = join(env.root, 'patches');
    mkdirSync(join(root, 'v6.1'), { recursive: true });
    cpSync(join(SERIES_ROOT, 'v6.1', P1), join(root, 'v6.1', P1));
    writeFileSync(join(root, 'v6.1', 'series'), `${P1}\n0002-gone.patch\n`);
    const r = runCli(['checkpatch', '--checkpatch', FAKE, '--patches', root, '--series', 'v6.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lists missing files: 0002-gone\.patch \(line 2\)/);
  });

  it('exits 3 when checkpatch itself breaks, with a JSON error', () => {
    const r = runCli(['checkpatch', '--checkpatch', FAKE, ...series, '--json'], { env: { FAKE_CHECKPATCH_CRASH: '1' } });
    expect(r.code).toBe(3);
    const out = json(r.stdout);
    expect(out.status).toBe('error');
    expect(out.error).toMatchObject({ kind: 'infra' });
    expect(out.error!.message).toMatch(/checkpatch did not finish on 0001-.*exit 255[\s\S]*Undefined subroutine/);
  });

  it('warns when the script is not inside a kernel tree', () => {
    const lone = join(env.root, 'checkpatch.pl');
    cpSync(FAKE, lone);
    const r = runCli(['checkpatch', '--checkpatch', lone, ...series, '--json'], { cwd: FAKE_TREE, env: RECORDINGS });
    expect(json(r.stdout).warnings).toEqual([`${lone} is not inside a kernel tree: it runs in ${FAKE_TREE}`]);
    expect(r.code).toBe(1);
  });
});
