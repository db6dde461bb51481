// SPDX-License-Identifier: GPL-2.0-only
/** Loading a patch directory, choosing the series for a kernel, and lint rules, on a real format-patch series. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseBase, listBases, resolveSeries } from '../../src/lib/series/choose.js';
import { lintSeries } from '../../src/lib/series/lint.js';
import { assertApplicable, loadSeries } from '../../src/lib/series/load.js';
import { renderLint, renderSeries, summarizeSeries } from '../../src/lib/series/render.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { makeSeriesFixture, renamePatch, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeAll(() => {
  env = isolate();
  fx = makeSeriesFixture(join(env.root, 'template'));
});
afterAll(() => env.cleanup());

const P1 = '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch';
const P2 = '0002-mm-memory_hotplug-Honour-persistent-ranges.patch';
let dir: string;
let n = 0;
beforeEach(() => {
  dir = join(env.root, `copy${n++}`, 'v6.1');
  mkdirSync(dir, { recursive: true });
  for (const f of ['series', '0000-cover-letter.patch', P1, P2]) writeFileSync(join(dir, f), readFileSync(join(fx.seriesDir, f)));
});
const edit = (f: string, fn: (s: string) => string) => writeFileSync(join(dir, f), fn(readFileSync(join(dir, f), 'utf8')));
const rules = () => lintSeries(loadSeries(dir)).findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.file}: ${f.message}`);

describe('loadSeries', () => {
  it('reads the series in order with its cover letter and base-commit', () => {
    const s = loadSeries(dir);
    expect(s.base).toBe('v6.1');
    expect(s.patches.map((p) => [p.index, p.file])).toEqual([
      [1, P1],
      [2, P2],
    ]);
    expect(s.cover?.file).toBe('0000-cover-letter.patch');
    expect(s.baseCommit).toBe(fx.baseCommit);
    expect(s.missing).toEqual([]);
    expect(s.unlisted).toEqual([]);
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSeries(dir).hash).toBe(s.hash);
    expect(() => assertApplicable(s)).not.toThrow();
  });

  it('a directory without a series file is a usage error', () => {
    rmSync(join(dir, 'series'));
    expect(() => loadSeries(dir)).toThrow(/has no series file/);
  });

  it('summarises for series show', () => {
    const sum = summarizeSeries(loadSeries(dir));
    expect(sum.patches[0]).toMatchObject({
      index: 1,
      subject: 'dax/kmem: Keep persistent memory across kexec',
      author: 'Test Author <author@example.org>',
      files: ['drivers/dax/kmem.c'],
      diffstat: { files: 1, insertions: 1, deletions: 1 },
      signedOffBy: ['Test Author <author@example.org>'],
      authorSignedOff: true,
    });
    expect(sum.cover?.subject).toBe('dax/kmem: Persistent memory hotplug');
    const text = renderSeries(sum);
    expect(text).toContain(`base-commit: ${fx.baseCommit}`);
    expect(text).toContain('[2/2] mm/memory_hotplug: Honour persistent ranges');
    expect(text).toContain('signed-off-by: Test Author <author@example.org>');
  });
});

describe('lintSeries', () => {
  it('passes a well-formed series', () => {
    const r = lintSeries(loadSeries(dir));
    expect(r.errors).toBe(0);
    expect(renderLint(r)).toMatch(/^series v6.1: 2 patches, 0 errors/);
  });

  it.each<[string, () => void, RegExp]>([
    ['numbering against the series order', () => writeFileSync(join(dir, 'series'), `${P2}\n${P1}\n`), /numbering .*is patch 1 in the series file but numbered 2\/2/],
    ['a total that is not N', () => edit(P2, (s) => s.replace('[PATCH 2/2]', '[PATCH 2/3]')), /numbering .*says 2\/3 but the series has 2 patches/],
    ['a missing number', () => edit(P2, (s) => s.replace('[PATCH 2/2]', '[PATCH]')), /numbering .*has no \[PATCH 2\/2\] number/],
    ['duplicate subjects', () => edit(P2, (s) => s.replace('mm/memory_hotplug: Honour persistent ranges', 'dax/kmem: Keep persistent memory across kexec')), /subject-unique .*same subject as 0001/],
    ['a subject without subsystem', () => edit(P1, (s) => s.replace('dax/kmem: Keep', 'Keep')), /subject-form .*not in "subsystem: Summary" form/],
    ['no Signed-off-by', () => edit(P1, (s) => s.replace(/\nSigned-off-by: .*\n/, '\n')), /signed-off-by .*no Signed-off-by \(expected one from Test Author/],
    ['a Signed-off-by of someone else', () => edit(P1, (s) => s.replace('Signed-off-by: Test Author <author@example.org>', 'Signed-off-by: Other <other@example.org>')), /no Signed-off-by matches the author/],
    ['a listed file that does not exist', () => writeFileSync(join(dir, 'series'), `${P1}\n${P2}\n0003-gone.patch\n`), /series-missing-file series: 0003-gone.patch is listed but does not exist/],
    ['an unlisted patch file', () => writeFileSync(join(dir, 'series'), `${P1}\n`), /series-unlisted-file 0002-.*is not listed/],
    ['a corrupt hunk', () => edit(P1, (s) => s.replace(' kmem line 21;\n', '')), /malformed-patch 0001-.*is corrupt/],
    ['a patch without a diff', () => edit(P2, (s) => s.slice(0, s.indexOf('diff --git'))), /malformed-patch 0002-.*no diff/],
    ['a cover letter without base-commit', () => edit('0000-cover-letter.patch', (s) => s.replace(/^base-commit: .*\n/m, '')), /base-commit 0000-cover-letter.patch: cover letter has no "base-commit:" line/],
    ['cover letter placeholders', () => edit('0000-cover-letter.patch', (s) => s.replace('dax/kmem: Persistent memory hotplug', '*** SUBJECT HERE ***')), /cover-letter .*placeholders/],
  ])('finds %s', (_what, mutate, expected) => {
    mutate();
    expect(rules().join('\n')).toMatch(expected);
  });

  it('renaming a file with the series file in sync stays clean', () => {
    renamePatch(dir, P2, '0002-renamed.patch');
    expect(rules()).toEqual([]);
  });
});

describe('choosing the series for a kernel', () => {
  const root = () => join(env.root, 'bases');
  beforeAll(() => {
    for (const b of ['v6.1', 'v6.12', 'v5.15', 'notabase']) {
      mkdirSync(join(root(), b), { recursive: true });
      writeFileSync(join(root(), b, 'series'), '');
    }
    mkdirSync(join(root(), 'v6.6'), { recursive: true }); // no series file: not a base
  });
  const k = (version: number, patchlevel: number) => ({ version, patchlevel });

  it('lists vX.Y directories with a series file, oldest first', () => {
    expect(listBases(root()).map((b) => b.base)).toEqual(['v5.15', 'v6.1', 'v6.12']);
  });
  it.each([
    [k(6, 1), 'v6.1', 'exact'],
    [k(6, 12), 'v6.12', 'exact'],
    [k(6, 6), 'v6.1', 'nearest-lower'],
    [k(6, 19), 'v6.12', 'nearest-lower'],
    [k(7, 0), 'v6.12', 'nearest-lower'],
    [k(6, 0), 'v5.15', 'nearest-lower'],
  ])('Linux %o gets %s (%s)', (kv, base, how) => {
    expect(chooseBase(kv, listBases(root()))).toMatchObject({ base, chosenBy: how });
  });
  it('has nothing for a kernel older than every base', () => {
    expect(chooseBase(k(4, 19), listBases(root()))).toBeNull();
    expect(() => resolveSeries(root(), k(4, 19))).toThrow(/no patch series fits Linux 4.19: the oldest is v5.15/);
  });
  it('takes --series as a base name or a directory', () => {
    expect(resolveSeries(root(), k(6, 1), 'v6.12')).toMatchObject({ base: 'v6.12', chosenBy: 'override' });
    expect(resolveSeries(root(), k(6, 1), join(root(), 'notabase'))).toMatchObject({ base: 'notabase', chosenBy: 'override' });
    expect(() => resolveSeries(root(), k(6, 1), 'v9.9')).toThrow(/no patch series "v9.9"/);
  });
});
