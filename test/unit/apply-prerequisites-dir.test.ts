// SPDX-License-Identifier: GPL-2.0-only
/**
 * A series' prerequisites/ (backports that older releases of its line lack): applied before
 * the series where the tree lacks them, recognised where it has them, left out of an export
 * (named as prerequisite-patch-id), out of the series' own counts, and in the series' hash.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyTree } from '../../src/lib/apply/apply.js';
import { renderApplyReport } from '../../src/lib/apply/render.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { exportSeries } from '../../src/lib/export/export.js';
import { applySummary } from '../../src/lib/ci/stages/apply.js';
import { loadSeries } from '../../src/lib/series/load.js';
import { addTree } from '../../src/lib/trees/import.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { HOTPLUG, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
const PRE = 'mm/memory_hotplug: Fix line 50';

beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
  // "older": a release before the fix of line 50 went in; the fix, as the series carries it
  gitSync(fx.repo, ['checkout', '-q', '-b', 'older', 'v6.1.10']);
  const f = join(fx.repo, HOTPLUG);
  const fixed = readFileSync(f, 'utf8');
  writeFileSync(f, fixed.replace('hotplug line 50;', 'hotplug line 50 unfixed;'));
  gitSync(fx.repo, ['commit', '-q', '-am', 'Linux 6.1.9 (before the fix)']);
  gitSync(fx.repo, ['tag', 'v6.1.9']);
  writeFileSync(f, fixed);
  gitSync(fx.repo, ['commit', '-q', '-am', `${PRE}\n\nThe fix.\n\nSigned-off-by: Test Author <author@example.org>`]);
  const dir = join(fx.seriesDir, 'prerequisites');
  mkdirSync(dir);
  gitSync(fx.repo, ['format-patch', '-q', '-1', '-o', dir, 'HEAD']);
  writeFileSync(join(dir, 'series'), `# backports\n${readdirSync(dir).filter((x) => x.endsWith('.patch')).join('\n')}\n`);
  gitSync(fx.repo, ['checkout', '-q', '-f', 'main']);
  gitSync(fx.repo, ['branch', '-D', 'older']);
});
afterEach(() => env.cleanup());

const add = (name: string, ref: string) => addTree(new ExecaRunner(), env.paths, { name, source: fx.repo, ref });
const apply = (name: string, ref: string) => add(name, ref).then((t) => applyTree(env.paths, t, { patchesRoot: fx.patches, series: 'v6.1' }));

describe('prerequisites of a series', () => {
  it('are loaded beside the series, not as its patches, and change its hash', () => {
    const s = loadSeries(fx.seriesDir);
    expect(s.patches.map((p) => p.patch.subject.summary)).not.toContain(PRE);
    expect(s.prerequisites.map((p) => p.patch.subject.summary)).toEqual([PRE]);
    const h = s.hash;
    writeFileSync(join(fx.seriesDir, 'prerequisites', 'series'), '# none\n');
    expect(loadSeries(fx.seriesDir).hash).not.toBe(h);
  });

  it('is applied first on a tree that lacks it, and the series after it', async () => {
    const r = await apply('old', 'v6.1.9');
    expect(r.status).toBe('applied');
    expect(r.patches.map((p) => [p.subject, p.status, !!p.prerequisite])).toEqual([
      [PRE, 'clean', true],
      ['dax/kmem: Keep persistent memory across kexec', 'clean', false],
      ['mm/memory_hotplug: Honour persistent ranges', 'clean', false],
    ]);
    expect(gitSync(r.worktree, ['log', '--format=%s', 'v6.1.9..HEAD']).trim().split('\n').reverse()[0]).toBe(PRE);
    const text = renderApplyReport(r);
    expect(text).toMatch(/applied: 2 clean, 0 by 3-way merge, 0 already upstream; prerequisites: 1 applied \(the tree lacked it\)/);
    expect(text).toMatch(/\[1\/3\] applied \(the tree lacks it\) +[0-9a-f]{12} {2}prerequisite: mm\/memory_hotplug: Fix line 50/);
    expect(applySummary(r)).toBe('2 patches of v6.1 applied on v6.1.9 (2 clean); prerequisites: 1 applied (the tree lacked it)');
  });

  it('is recognised on a tree that has it, and nothing of it is committed', async () => {
    const r = await apply('new', 'main');
    expect(r.patches.map((p) => [p.status, !!p.prerequisite, p.commit === null])).toEqual([
      ['already-upstream', true, true],
      ['clean', false, false],
      ['clean', false, false],
    ]);
    expect(renderApplyReport(r)).toMatch(/\[1\/3\] in the tree already +prerequisite: mm\/memory_hotplug: Fix line 50/);
    expect(applySummary(r)).toBe('2 patches of v6.1 applied on main (2 clean); prerequisites: 1 in the tree already');
  });

  it('leaves the series its own numbering in a conflict report: patch 1/2, not 2/3', async () => {
    const r = await apply('c', 'conflict');
    expect(r.status).toBe('conflict');
    expect(r.patches.map((p) => [p.status, !!p.prerequisite])).toEqual([
      ['already-upstream', true],
      ['conflict', false],
      ['pending', false],
    ]);
    expect(applySummary(r)).toMatch(/^cannot apply to conflict: patch 1\/2 0001-\S+ conflicts in drivers\/dax\/kmem\.c/);
  });

  it('is left out of an export, which names it as a prerequisite-patch-id of the base', async () => {
    const t = await add('old', 'v6.1.9');
    await applyTree(env.paths, t, { patchesRoot: fx.patches, series: 'v6.1' });
    const out = join(env.root, 'out');
    const e = await exportSeries(env.paths, t, { as: 'v6.1', output: out, patchesRoot: fx.patches, candidates: [] });
    expect(e.files.filter((f) => f !== '0000-cover-letter.patch')).toHaveLength(2);
    const all = e.files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(all).not.toMatch(/Subject: .*Fix line 50/);
    expect(all).toMatch(new RegExp(`base-commit: ${gitSync(fx.repo, ['rev-parse', 'v6.1.9^{commit}']).trim()}\\nprerequisite-patch-id: [0-9a-f]{40}`));
  });
});
