// SPDX-License-Identifier: GPL-2.0-only
/** `kseries ci`, `ci matrix` and `ci rebase-summary` through the built CLI, on fixture repositories (nothing is built or booted). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { gitSync, isolate, runCli, type IsolatedEnv } from '../../helpers/env.js';
import { makeSeriesFixture, type SeriesFixture } from '../../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;

const register = (trees: Record<string, { ref: string }>) => {
  const recs = Object.fromEntries(
    Object.entries(trees).map(([name, t]) => [
      name,
      {
        name, kind: 'git', repo: fx.repo, source: fx.repo, ref: t.ref, commit: gitSync(fx.repo, ['rev-parse', t.ref]).trim(),
        kernel: { version: 6, patchlevel: 1, sublevel: 10, extraversion: '', string: '6.1.10' }, tags: [], addedAt: '2024-01-01T00:00:00Z',
      },
    ]),
  );
  mkdirSync(env.paths.data, { recursive: true });
  writeFileSync(join(env.paths.data, 'trees.json'), JSON.stringify({ version: 1, trees: recs }));
};

beforeEach(() => {
  env = isolate('kseries-ci-cli-');
  fx = makeSeriesFixture(join(env.root, 'fx'));
});
afterEach(() => env.cleanup());

describe('kseries ci (CLI)', () => {
  it('on a fresh machine, the plan registers k61 from debian:6.1 first (--dry-run --json: nothing runs)', () => {
    const r = runCli(['ci', '--dry-run', '--json', '--results', join(env.root, 'res')]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('ok');
    const t = j.result.plan.trees[0];
    expect(t).toMatchObject({ tree: 'k61', register: { source: 'debian:6.1' }, dir: join(env.root, 'res', 'k61') });
    expect(t.stages.map((s: { id: string }) => s.id)).toEqual(['tree-add', 'apply', 'kconfig', 'build', 'checkpatch', 'selftest']);
    expect(t.stages[5].results).toEqual(['selftest:kmem-persist-suite', 'selftest:kmem-persist-blk', 'selftest:kmem-persist-fs', 'selftest:kmem-persist-pressure', 'selftest:kmem-persist-exclusive', 'selftest:kmem-persist-volatile', 'selftest:kmem-persist-flush', 'selftest:kmem-persist-memmap', 'selftest:kmem-persist-subdevices', 'selftest:pmem-persistence', 'selftest:kselftest']);
    expect(existsSync(join(env.root, 'res'))).toBe(false);
    expect(existsSync(join(env.paths.data, 'trees.json'))).toBe(false);
  });

  it.each<[string, string[], boolean, string, string[]]>([
    ['ccache installed, no flag: the build runs under it, and its command says so', [], true, '--ccache', []],
    ['ccache installed, --no-ccache', ['--no-ccache'], true, '--no-ccache', []],
    ['ccache installed, --ccache (still accepted)', ['--ccache'], true, '--ccache', []],
    ['no ccache, no flag: off, and the command says --no-ccache', [], false, '--no-ccache', []],
    ['no ccache, --ccache: off, with a warning', ['--ccache'], false, '--no-ccache', ['ccache is not installed (kseries doctor --fix, or apt-get install ccache): building without it']],
  ])('one ccache default (as kseries build): %s', (_what, flags, installed, flag, warnings) => {
    // a PATH with a ccache of our own, or none at all (PATH is only looked through here: nothing runs)
    const bin = join(env.root, 'bin');
    mkdirSync(bin);
    if (installed) writeFileSync(join(bin, 'ccache'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const r = runCli(['ci', '--dry-run', '--json', '--results', join(env.root, 'res'), ...flags], { env: { PATH: bin } });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.warnings).toEqual(warnings);
    expect(j.result.plan.trees[0].stages.find((s: { id: string }) => s.id === 'build').commands).toEqual([`kseries build --tree k61 ${flag}`]);
  });

  it('with trees registered but no k61 and no --tree: a usage error naming them (exit 2)', () => {
    register({ a: { ref: 'main' }, b: { ref: 'main' } });
    const r = runCli(['ci', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/which tree\? k61 is not registered, and 2 other trees are: a, b/);
  });

  it('an unknown tree or scenario is a usage error before anything runs (exit 2)', () => {
    register({ a: { ref: 'main' } });
    const repoState = () => ({
      worktrees: gitSync(fx.repo, ['worktree', 'list', '--porcelain']),
      refs: gitSync(fx.repo, ['for-each-ref', '--format=%(refname) %(objectname)']),
    });
    const before = repoState();
    const res = join(env.root, 'res');
    const tree = runCli(['ci', '--tree', 'zz', '--results', res]);
    expect(tree.code).toBe(2);
    expect(tree.stderr).toMatch(/unknown tree "zz"[\s\S]*Registered trees: a\./);
    const r = runCli(['ci', '--tree', 'a', '--scenario', 'nope', '--results', res]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scenario "nope"/);
    // nothing ran: no results directory, no worktree or branch in the tree, no build dir, no VM image
    expect(existsSync(res)).toBe(false);
    expect(repoState()).toEqual(before);
    for (const d of ['build', 'vm']) expect(existsSync(join(env.paths.cache, d)), d).toBe(false);
  });

  it('a series that does not apply: apply FAIL, the rest SKIP, exit 1, the reports written', () => {
    register({ fx: { ref: 'conflict' } });
    const res = join(env.root, 'res');
    const r = runCli(['ci', '--tree', 'fx', '--patches', fx.patches, '--results', res, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.status).toBe('fail');
    expect(j.result).toMatchObject({ schema: 'kseries-results/1', run: 'ci', overall: 'fail', exitCode: 1, trees: [{ tree: 'fx', overall: 'fail', dir: 'fx' }] });
    expect(j.result.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`).slice(0, 4)).toEqual(['apply:fail', 'kconfig:skip', 'build:skip', 'checkpatch:skip']);
    for (const f of ['results.json', 'summary.md', 'junit.xml', 'commands.sh', 'fx/results.json', 'fx/summary.md', 'fx/junit.xml', 'fx/commands.sh', 'fx/logs/apply.log']) {
      expect(existsSync(join(res, f)), f).toBe(true);
    }
    expect(readFileSync(join(res, 'summary.md'), 'utf8')).toMatch(/^# kseries ci: ❌ fail on 1 tree\n\nexit code `1`: a check failed/);
  });

  it('the same run without --json prints a table per tree and where the reports are', () => {
    register({ fx: { ref: 'conflict' } });
    const res = join(env.root, 'res');
    const r = runCli(['ci', '--tree', 'fx', '--patches', fx.patches, '--results', res]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^tree fx \(Linux 6\.1\.10\): FAIL\n {2}apply +FAIL +\S+ \S+ +cannot apply to conflict/);
    expect(r.stdout).toMatch(/^ {2}build +SKIP +0 ms +not run: kconfig was skipped$/m);
    expect(r.stdout).toContain(`FAIL: a check failed (exit 1); results in ${res}`);
  });
});

describe('kseries ci matrix (CLI)', () => {
  it('with no tree registered: the default tree, as GitHub JSON', () => {
    const r = runCli(['ci', 'matrix', '--format', 'github']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ include: [{ tree: 'k61', source: 'debian:6.1', ref: '' }] });
  });

  it('registered trees and --add, as a GitLab child pipeline; a local source is warned about', () => {
    register({ mine: { ref: 'main' } });
    const r = runCli(['ci', 'matrix', '--format', 'gitlab', '--add', 'k612=debian:6.12']);
    expect(r.code).toBe(0);
    expect(parse(r.stdout)['kseries-ci'].parallel.matrix).toEqual([
      { KSERIES_TREE: 'mine', KSERIES_SOURCE: fx.repo, KSERIES_REF: 'main' },
      { KSERIES_TREE: 'k612', KSERIES_SOURCE: 'debian:6.12', KSERIES_REF: '' },
    ]);
    expect(r.stderr).toMatch(/warning: tree mine comes from \/\S+, a path on this machine/);
  });
});

describe('kseries ci rebase-summary (CLI)', () => {
  it('turns a conflicting kseries rebase --json into the conflict report (exit 1)', () => {
    register({ fx: { ref: 'main' } });
    const rb = runCli(['rebase', '--tree', 'fx', '--onto', 'conflict', '--patches', fx.patches, '--json']);
    expect(rb.code).toBe(1);
    const file = join(env.root, 'rebase.json');
    writeFileSync(file, rb.stdout);
    const r = runCli(['ci', 'rebase-summary', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## kseries rebase: ❌ cannot apply to `conflict` \(Linux 6\.1\.10\) on tree fx$/m);
    expect(r.stdout).toContain('stops at patch 1/2: `0001-dax-kmem-Keep-persistent-memory-across-kexec.patch`');
    expect(r.stdout).toMatch(/^\| `drivers\/dax\/kmem\.c` \| content \| `@@ -17,7 \+17,7 @@[^`]*` \| lines \d+-\d+ \|$/m);
    expect(r.stdout).toMatch(/^\| 2 \| `0002-mm-memory_hotplug-Honour-persistent-ranges\.patch` \| ⏸️ not reached \|$/m);
  });

  it('a series that applies: exit 0; a file that is not rebase JSON: exit 2', () => {
    register({ fx: { ref: 'main' } });
    const rb = runCli(['rebase', '--tree', 'fx', '--onto', 'shifted', '--patches', fx.patches, '--json']);
    expect(rb.code).toBe(0);
    const file = join(env.root, 'rebase.json');
    writeFileSync(file, rb.stdout);
    const r = runCli(['ci', 'rebase-summary', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## kseries rebase: ✅ series `v6.1` applies to `shifted`/);
    expect(r.stdout).toContain('1 clean, 1 by 3-way merge');
    writeFileSync(file, '{"x":1}');
    expect(runCli(['ci', 'rebase-summary', file]).code).toBe(2);
  });
});
