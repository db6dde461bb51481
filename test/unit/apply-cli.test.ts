// SPDX-License-Identifier: GPL-2.0-only
/** kseries apply / rebase / export / series through the built CLI: exit codes, --json shapes, human output. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { KMEM, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());

const cli = (args: string[]) => runCliAsync([...args], { env: { KSERIES_PATCHES: fx.patches } });
const json = async (args: string[]) => {
  const r = await cli([...args, '--json']);
  return { ...r, json: JSON.parse(r.stdout) };
};
const addTree = async (name: string, ref: string, source = fx.repo) => expect((await cli(['tree', 'add', name, '--source', source, '--ref', ref])).code).toBe(0);

describe('kseries apply (CLI)', () => {
  it('applies, reports per patch, and is a no-op the second time (exit 0)', async () => {
    await addTree('k', 'shifted');
    const r = await json(['apply', '--tree', 'k']);
    expect(r.code).toBe(0);
    expect(r.json.status).toBe('ok');
    expect(r.json.result.patches.map((p: { status: string }) => p.status)).toEqual(['3way', 'clean']);
    expect(r.json.result.base.step).toBe('3way');
    const again = await cli(['apply', '--tree', 'k']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/series v6.1 already applied \(kseries\/v6.1\/k at [0-9a-f]{12}\)/);
  });

  it('a conflict exits 1 with the whole report in --json; --continue without a resolution exits 1; --abort exits 0', async () => {
    await addTree('k', 'conflict');
    const r = await json(['apply', '--tree', 'k']);
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('fail');
    const rep = r.json.result;
    expect(rep.status).toBe('conflict');
    expect(rep.conflict.files[0]).toMatchObject({ path: KMEM, kind: 'content', blobs: { preimage: '7465e10', treeHasPreimage: true } });
    expect(rep.conflict.files[0].hunks[0]).toMatchObject({ header: '@@ -17,7 +17,7 @@ kmem line 16;', status: 'fails' });
    expect(rep.parked.worktree).toBe(rep.worktree);
    const human = await cli(['apply', '--tree', 'k', '--continue']);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/still unresolved in .*drivers\/dax\/kmem.c/);
    const a = await cli(['apply', '--tree', 'k', '--abort']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/series v6.1 dropped; removed .*worktrees\/k\/v6.1, refs\/heads\/kseries\/v6.1\/k/);
    expect(gitSync(fx.repo, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('prints the conflict for people: file, blobs, hunk, where it is parked', async () => {
    await addTree('k', 'conflict');
    const r = await cli(['apply', '--tree', 'k']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tree k: series v6.1 CONFLICT at patch 1/2');
    expect(r.stdout).toMatch(/drivers\/dax\/kmem.c: content\n\s+blobs: 7465e10..8611997 {2}tree has preimage: yes/);
    expect(r.stdout).toMatch(/@@ -17,7 \+17,7 @@ kmem line 16;\s+FAILS/);
    expect(r.stdout).toMatch(/parked in .*worktrees\/k\/v6.1 on branch kseries\/v6.1\/k/);
    expect(r.stdout).toContain('continue: kseries apply --tree k --series v6.1 --continue');
  });

  it('a corrupt patch exits 2 naming the file; a missing series exits 2', async () => {
    await addTree('k', 'main');
    const p1 = join(fx.seriesDir, '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch');
    writeFileSync(p1, readFileSync(p1, 'utf8').replace(' kmem line 21;\n', ''));
    const r = await cli(['apply', '--tree', 'k']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/0001-dax-kmem-Keep-persistent-memory-across-kexec.patch:\d+: corrupt patch/);
    const j = await json(['apply', '--tree', 'k', '--series', join(env.root, 'nowhere')]);
    expect(j.code).toBe(2);
    expect(j.json.error).toMatchObject({ kind: 'usage', exitCode: 2 });
    writeFileSync(join(fx.seriesDir, 'series'), '0009-missing.patch\n');
    const m = await cli(['apply', '--tree', 'k']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/0009-missing.patch does not exist/);
    expect((await cli(['apply'])).code).toBe(2);
    expect((await cli(['apply', '--tree', 'nope'])).code).toBe(2);
  });

  it('--dry-run prints the plan and creates nothing', async () => {
    await addTree('k', 'offset');
    const r = await cli(['apply', '--tree', 'k', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/series: {2}v6.1 \(exact match for Linux 6.1.10\), 2 patches/);
    expect(r.stdout).toMatch(/base-commit +skipped/);
    expect(r.stdout).toMatch(/git -C \S+ -c core.hooksPath=\/dev\/null .* worktree add --no-track -b kseries\/v6.1\/k /);
    expect(r.stdout).toMatch(/GIT_COMMITTER_NAME=kseries .*git -C \S+worktrees\/k\/v6.1 .* am -3 --no-rerere-autoupdate .*0001-dax-kmem/);
    expect(gitSync(fx.repo, ['branch', '--list', 'kseries/*'])).toBe('');
    const j = await json(['apply', '--tree', 'k', '--dry-run']);
    expect(j.json.result).toMatchObject({ tree: 'k', series: 'v6.1', mode: 'apply', branch: 'kseries/v6.1/k' });
    expect(j.json.result.steps).toHaveLength(4);
  });

  it('--all applies to every tree: {trees, errors}, exit 1 when one conflicts', async () => {
    await addTree('a', 'main');
    await addTree('b', 'conflict');
    await addTree('x', 'main', fx.alien);
    const r = await json(['apply', '--all']);
    expect(r.code).toBe(1);
    expect(r.json.result.trees.map((t: { tree: string; status: string }) => [t.tree, t.status])).toEqual([
      ['a', 'applied'],
      ['b', 'conflict'],
      ['x', 'conflict'],
    ]);
    expect(r.json.result.errors).toEqual([]);
  });
});

describe('kseries rebase + export (CLI)', () => {
  it('rebases onto a newer ref and exports with a range-diff', async () => {
    await addTree('k', 'main');
    const r = await cli(['rebase', '--tree', 'k', '--onto', 'shifted']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('next: kseries export --tree k --as vX.Y');
    const out = join(env.root, 'v6.2');
    const e = await json(['export', '--tree', 'k', '--as', 'v6.2', '--output', out]);
    expect(e.code).toBe(0);
    expect(e.json.result.files).toHaveLength(3);
    expect(e.json.result.rangeDiff.text).toMatch(/2: {2}[0-9a-f]+ = 2: {2}[0-9a-f]+ mm\/memory_hotplug/);
    const human = await cli(['export', '--tree', 'k', '--as', 'v6.2', '--output', out, '--force']);
    expect(human.stdout).toMatch(/range-diff v6.1 \(on [0-9a-f]{12}\) -> v6.2/);
    expect((await cli(['series', 'lint', '--base', out])).code).toBe(0);
  });
});

describe('kseries series (CLI)', () => {
  it('show lists subjects, authors, files and base commit', async () => {
    const r = await json(['series', 'show']);
    expect(r.code).toBe(0);
    expect(r.json.result[0]).toMatchObject({ base: 'v6.1', baseCommit: fx.baseCommit });
    expect(r.json.result[0].patches.map((p: { subject: string }) => p.subject)).toEqual(['dax/kmem: Keep persistent memory across kexec', 'mm/memory_hotplug: Honour persistent ranges']);
    expect((await cli(['series', 'show', '--base', 'v6.1'])).stdout).toContain('[1/2] dax/kmem: Keep persistent memory across kexec');
  });

  it('lint exits 0 on a good series and 1 with findings on a bad one', async () => {
    expect((await cli(['series', 'lint'])).code).toBe(0);
    const p2 = join(fx.seriesDir, '0002-mm-memory_hotplug-Honour-persistent-ranges.patch');
    writeFileSync(p2, readFileSync(p2, 'utf8').replace('[PATCH 2/2] mm/memory_hotplug:', '[PATCH 3/2] memory hotplug'));
    const r = await json(['series', 'lint', '--base', 'v6.1']);
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('fail');
    expect(r.json.result[0].findings.map((f: { rule: string }) => f.rule)).toEqual(expect.arrayContaining(['numbering', 'subject-form']));
    expect((await cli(['series', 'lint'])).stdout).toMatch(/error: 0002-.*: is patch 2 in the series file but numbered 3\/2 \[numbering\]/);
  });

  it('with no series at all: a warning, exit 0', async () => {
    const r = await runCliAsync(['series', 'lint', '--json', '--patches', join(env.root, 'empty')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings[0]).toMatch(/no patch series/);
  });
});
