// SPDX-License-Identifier: GPL-2.0-only
/** kseries rebase + export: carrying the series onto a newer base and writing it out with its range-diff. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyTree, continueTree } from '../../src/lib/apply/apply.js';
import { KseriesError } from '../../src/lib/errors.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { coverBlurb, fillCoverLetter } from '../../src/lib/export/cover.js';
import { exportSeries } from '../../src/lib/export/export.js';
import { lintSeries } from '../../src/lib/series/lint.js';
import { loadSeries } from '../../src/lib/series/load.js';
import { parsePatchFile } from '../../src/lib/series/patch-file.js';
import { addTree } from '../../src/lib/trees/import.js';
import type { TreeRecord } from '../../src/lib/trees/registry.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { KMEM, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());

const add = (name: string, ref?: string) => addTree(new ExecaRunner(), env.paths, { name, source: fx.repo, ref });
const rebase = (t: TreeRecord, onto: string) => applyTree(env.paths, t, { patchesRoot: fx.patches, ref: onto, series: 'v6.1', rebase: true });
const exp = (t: TreeRecord, out: string, force = false) =>
  exportSeries(env.paths, t, { as: 'v6.2', output: out, patchesRoot: fx.patches, force, candidates: [] });

describe('rebase + export', () => {
  it('carries the series onto a newer base, writes it with the cover letter carried over, and shows the range-diff', async () => {
    const t = await add('k', 'main');
    const r = await rebase(t, 'shifted');
    expect(r.status).toBe('applied');
    expect(r.origin).toMatchObject({ series: 'v6.1', baseCommit: fx.baseCommit });
    expect(r.target).toMatchObject({ ref: 'shifted', kernel: '6.1.10' });
    const out = join(env.root, 'out', 'v6.2');
    const e = await exp(t, out);
    const shifted = gitSync(fx.repo, ['rev-parse', 'shifted']).trim();
    expect(e.range).toMatchObject({ base: shifted, head: r.head, branch: 'kseries/v6.1/k' });
    expect(e.files).toEqual(['0000-cover-letter.patch', '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch', '0002-mm-memory_hotplug-Honour-persistent-ranges.patch']);
    expect(readdirSync(out).sort()).toEqual([...e.files, 'series'].sort());
    expect(readFileSync(join(out, 'series'), 'utf8')).toBe(
      `# v6.2: carried by kseries from v6.1 (k, shifted)\n# base-commit: ${shifted}\n${e.files.slice(1).join('\n')}\n`,
    );
    const cover = parsePatchFile(readFileSync(join(out, '0000-cover-letter.patch'), 'utf8'), 'c');
    expect(cover.subject.raw).toBe('[PATCH 0/2] dax/kmem: Persistent memory hotplug');
    // the blurb is carried over, followed by the range-diff against the series it came from
    const blurb = coverBlurb(cover);
    expect(blurb.startsWith('Keep persistent memory ranges onlined by dax/kmem across kexec.\n\nRange-diff against the v6.1 series:\n\n')).toBe(true);
    expect(blurb).toMatch(/^1: {2}[0-9a-f]+ [!=] 1: {2}[0-9a-f]+ /m);
    // the cover letter's From and Date are the source cover letter's
    const src = loadSeries(fx.seriesDir).cover!.patch;
    expect(cover.author).toEqual(src.author);
    expect(cover.date).toBe(src.date);
    expect(cover.baseCommit).toBe(shifted);
    const s = loadSeries(out);
    expect(s.patches.map((p) => p.patch.subject.raw)).toEqual(['[PATCH 1/2] dax/kmem: Keep persistent memory across kexec', '[PATCH 2/2] mm/memory_hotplug: Honour persistent ranges']);
    expect(s.patches[0].patch.author).toEqual({ name: 'Test Author', email: 'author@example.org' });
    expect(lintSeries(s).findings.filter((f) => f.severity === 'error')).toEqual([]);
    // the range-diff: patch 1's context changed (the 3-way merge), patch 2 is the same
    expect(e.rangeDiff.old?.base).toBe(fx.baseCommit);
    expect(e.rangeDiff.note).toBeNull();
    expect(e.rangeDiff.text).toMatch(/1: {2}[0-9a-f]+ ! 1: {2}[0-9a-f]+ dax\/kmem: Keep persistent memory across kexec/);
    expect(e.rangeDiff.text).toMatch(/2: {2}[0-9a-f]+ = 2: {2}[0-9a-f]+ mm\/memory_hotplug: Honour persistent ranges/);
    expect(e.rangeDiff.text).toContain('kmem line 18 changed upstream;');
  });

  it('the exported series applies on its new base exactly (base-commit), and exporting again is byte-identical', async () => {
    const t = await add('k', 'main');
    await rebase(t, 'shifted');
    const out = join(env.root, 'out', 'v6.2');
    const e1 = await exp(t, out);
    const bytes = () => e1.files.map((f) => readFileSync(join(out, f), 'utf8'));
    const first = bytes();
    await expect(exp(t, out)).rejects.toThrow(/already holds a series/);
    await exp(t, out, true);
    expect(bytes()).toEqual(first);
    const t2 = await add('k2', 'shifted');
    const r2 = await applyTree(env.paths, t2, { patchesRoot: fx.patches, series: out });
    expect(r2.status).toBe('applied');
    expect(r2.base.step).toBe('base-commit');
    expect(r2.patches.map((p) => p.status)).toEqual(['clean', 'clean']);
    expect(r2.series.base).toBe('v6.2');
  });

  it('exports after a conflict was resolved and --continue, not while it is parked', async () => {
    const t = await add('k', 'main');
    const r = await rebase(t, 'conflict');
    expect(r.status).toBe('conflict');
    const out = join(env.root, 'out', 'v6.2');
    const err = await exp(t, out).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).message).toMatch(/no applied series to export|parked on a conflict/);
    const file = join(r.worktree, KMEM);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/<<<<<<< HEAD\n[^]*?>>>>>>> [^\n]*\n/, 'kmem line 20 rewritten upstream, persistent;\n'));
    gitSync(r.worktree, ['add', KMEM]);
    const c = await continueTree(env.paths, t, undefined);
    expect(c.status).toBe('applied');
    expect(c.origin?.series).toBe('v6.1');
    const e = await exp(t, out);
    expect(e.files).toHaveLength(3);
    expect(readFileSync(join(out, e.files[1]), 'utf8')).toContain('+kmem line 20 rewritten upstream, persistent;');
    expect(e.rangeDiff.text).toMatch(/1: {2}[0-9a-f]+ ! 1: {2}[0-9a-f]+ dax\/kmem/);
  });

  it('refuses a bad --as and a tree without an applied series', async () => {
    const t = await add('k', 'main');
    await expect(exportSeries(env.paths, t, { as: '6.2', patchesRoot: fx.patches, candidates: [] })).rejects.toThrow(/give a kernel base like v6.12/);
    await expect(exp(t, join(env.root, 'o'))).rejects.toThrow(/no applied series to export/);
  });
});

describe('cover letter carry-over', () => {
  it('fills the placeholders and adds MIME headers for non-ASCII text', () => {
    const text = 'From x Mon Sep 17 00:00:00 2001\nFrom: A <a@x>\nSubject: [PATCH 0/1] *** SUBJECT HERE ***\n\n*** BLURB HERE ***\n\nA (1):\n  x: y\n';
    const out = fillCoverLetter(text, 'dax: Persistenz', 'Grüße.');
    expect(out).toContain('Subject: [PATCH 0/1] dax: Persistenz\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\nGrüße.\n');
    expect(fillCoverLetter(text, 'a: b', 'c')).not.toContain('MIME-Version');
  });
});
