// SPDX-License-Identifier: GPL-2.0-only
/** The patch-file parser, subject and series-file parsers: pure, over real format-patch files and crafted ones. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHeaderValue, parsePerson, splitMbox } from '../../src/lib/series/mail.js';
import { parsePatchFile, parsePatchText, parseTrailers, parseDiffstat } from '../../src/lib/series/patch-file.js';
import { parseDiff, singleHunkPatch } from '../../src/lib/series/diff.js';
import { carriedOntoTag, parseSeriesFile, renderSeriesFile } from '../../src/lib/series/series-file.js';
import { parseSubject, subjectPrefixOf } from '../../src/lib/series/subject.js';

const DIR = join(new URL('../fixtures/am-output/patches', import.meta.url).pathname);
const fixture = (name: string) => parsePatchFile(readFileSync(join(DIR, name), 'utf8'), name);
const P1 = '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch';
const P2 = '0002-mm-memory_hotplug-Honour-persistent-ranges.patch';

describe('parseSubject', () => {
  it.each([
    ['[PATCH 1/2] dax/kmem: Keep memory', { number: 1, total: 2, version: 1, rfc: false, subsystem: 'dax/kmem', title: 'Keep memory', prefix: 'PATCH 1/2' }],
    ['[RFC PATCH v3 07/12] mm/memory_hotplug: Do it', { number: 7, total: 12, version: 3, rfc: true, subsystem: 'mm/memory_hotplug', keywords: ['RFC', 'PATCH'] }],
    ['[PATCH] mm: fix', { number: null, total: null, subsystem: 'mm', title: 'fix' }],
    ['[PATCH 0/2] *** SUBJECT HERE ***', { number: 0, total: 2, subsystem: null, summary: '*** SUBJECT HERE ***' }],
    ['[PATCH net-next v2 1/1] net: x', { number: 1, version: 2, keywords: ['PATCH', 'net-next'] }],
    ['no prefix at all', { prefix: '', subsystem: null, summary: 'no prefix at all' }],
    ['[PATCH 2/3] Revert "mm: x"', { subsystem: null }],
    ['[PATCH 1/2] dax/kmem, mm: Two subsystems', { subsystem: 'dax/kmem, mm' }],
  ])('%s', (raw, expected) => {
    expect(parseSubject(raw)).toMatchObject(expected);
  });

  it('gives back the prefix to reproduce', () => {
    expect(subjectPrefixOf(parseSubject('[RFC PATCH v2 1/3] a: b'))).toBe('RFC PATCH v2');
    expect(subjectPrefixOf(parseSubject('[PATCH 1/3] a: b'))).toBe('PATCH');
    expect(subjectPrefixOf(parseSubject('a: b'))).toBe('PATCH');
  });
});

describe('parsePatchFile on real git format-patch output', () => {
  it('reads a series patch', () => {
    const p = fixture(P1);
    expect(p.problems).toEqual([]);
    expect(p.isCover).toBe(false);
    expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(p.author).toEqual({ name: 'Test Author', email: 'author@example.org' });
    expect(p.date).toBe('Mon, 1 Jan 2024 00:00:00 +0000');
    expect(p.dateIso).toBe('2024-01-01T00:00:00.000Z');
    expect(p.subject).toMatchObject({ number: 1, total: 2, summary: 'dax/kmem: Keep persistent memory across kexec' });
    expect(p.signedOffBy).toEqual([{ name: 'Test Author', email: 'author@example.org' }]);
    expect(p.trailers).toEqual([{ key: 'Signed-off-by', value: 'Test Author <author@example.org>' }]);
    expect(p.diffstat).toMatchObject({ files: 1, insertions: 1, deletions: 1, entries: [{ path: 'drivers/dax/kmem.c', changes: 2, graph: '+-' }] });
    expect(p.files).toHaveLength(1);
    const f = p.files[0];
    expect(f).toMatchObject({ path: 'drivers/dax/kmem.c', oldPath: 'drivers/dax/kmem.c', status: 'modified', oldBlob: '7465e10', newBlob: '8611997', oldMode: '100644' });
    expect(f.hunks.map((h) => [h.header, h.oldStart, h.oldLines, h.newStart, h.newLines, h.added, h.removed, h.section])).toEqual([
      ['@@ -17,7 +17,7 @@ kmem line 16;', 17, 7, 17, 7, 1, 1, 'kmem line 16;'],
    ]);
    expect(p.baseCommit).toBeNull();
  });

  it('reads the second patch (one line replaced by two)', () => {
    const p = fixture(P2);
    expect(p.problems).toEqual([]);
    expect(p.files[0].hunks[0]).toMatchObject({ oldLines: 7, newLines: 8, added: 2, removed: 1 });
  });

  it('reads the cover letter: base-commit, no diff, no problems', () => {
    const p = fixture('0000-cover-letter.patch');
    expect(p.isCover).toBe(true);
    expect(p.problems).toEqual([]);
    expect(p.files).toEqual([]);
    expect(p.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(p.subject).toMatchObject({ number: 0, total: 2 });
    expect(p.diffstat).toMatchObject({ files: 2, insertions: 3, deletions: 2 });
    expect(p.message).toContain('*** BLURB HERE ***');
  });

  it('reads renames, new, deleted, mode-changed and binary files, and an in-body From', () => {
    const p = fixture('special-rename-binary-inbody-from.patch');
    expect(p.problems).toEqual([]);
    expect(p.from).toEqual({ name: 'Sender', email: 'sender@example.org' });
    expect(p.author).toEqual({ name: 'Jörg Müller', email: 'joerg@example.org' });
    expect(p.subject.number).toBeNull();
    expect(p.files.map((f) => [f.path, f.status, f.oldPath, f.newPath, f.binary])).toEqual([
      ['blob.bin', 'added', null, 'blob.bin', true],
      ['drivers/dax/kmem2.c', 'renamed', 'drivers/dax/kmem.c', 'drivers/dax/kmem2.c', false],
      ['drivers/dax/new.c', 'added', null, 'drivers/dax/new.c', false],
      ['mm/memory_hotplug.c', 'deleted', 'mm/memory_hotplug.c', null, false],
      ['run.sh', 'mode', 'run.sh', 'run.sh', false],
    ]);
    expect(p.files[1].similarity).toBe(97);
    expect(p.files[3].hunks[0]).toMatchObject({ oldStart: 1, oldLines: 60, newStart: 0, newLines: 0, removed: 60 });
    expect(p.files[4]).toMatchObject({ oldMode: '100644', newMode: '100755', hunks: [] });
    expect(p.trailers.map((t) => t.key)).toEqual(['Signed-off-by', 'Reviewed-by', 'Link', 'Cc']);
    expect(p.trailers[3].value).toBe('stable@vger.kernel.org # 6.1+');
    expect(p.diffstat?.files).toBe(5);
    expect(p.diffstat?.entries.find((e) => e.path === 'blob.bin')?.changes).toBeNull();
  });
});

const mail = (subject: string, body: string, headers = '') =>
  `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nFrom: A U Thor <a@example.org>\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: ${subject}\n${headers}\n${body}`;
const DIFF = ['diff --git a/f.c b/f.c', 'index 1111111..2222222 100644', '--- a/f.c', '+++ b/f.c', '@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'].join('\n');

describe('parsePatchFile on crafted mails', () => {
  it('unfolds a long subject and decodes RFC 2047 headers', () => {
    const p = parsePatchFile(
      mail('[PATCH 1/1] mm: a very long subject that\n continues here', `Body.\n\nSigned-off-by: A <a@example.org>\n---\n${DIFF}\n-- \n2.39.5\n`).replace(
        'From: A U Thor <a@example.org>',
        'From: =?UTF-8?q?J=C3=B6rg=20M=C3=BCller?= <a@example.org>',
      ),
      'x.patch',
    );
    expect(p.subject.summary).toBe('mm: a very long subject that continues here');
    expect(p.author?.name).toBe('Jörg Müller');
    expect(p.problems).toEqual([]);
  });

  it('decodes a quoted-printable body', () => {
    const qp = mail('[PATCH] mm: x', `Body =C3=A9t=C3=A9.\n\nSigned-off-by: A <a@example.org>\n---\n${DIFF.replace('+B', '+B=3D1')}\n`, 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n');
    const p = parsePatchFile(qp, 'qp.patch');
    expect(p.message).toContain('Body été.');
    expect(p.files[0].hunks[0].lines).toContain('+B=1');
  });

  it.each([
    ['a truncated hunk', mail('[PATCH] mm: x', `msg\n---\n${DIFF.split('\n').slice(0, -2).join('\n')}\n-- \n2.39.5\n`), /hunk "@@ -1,3 \+1,3 @@" of f.c is corrupt/],
    ['garbage inside a hunk', mail('[PATCH] mm: x', `msg\n---\n${DIFF.replace('\n a\n', '\nGARBAGE\n')}\n`), /is corrupt: .* at "GARBAGE"/],
    ['a bad hunk header', mail('[PATCH] mm: x', `msg\n---\n${DIFF.replace('@@ -1,3 +1,3 @@', '@@ -1,x +1 @@')}\n`), /bad hunk header/],
    ['no diff', mail('[PATCH 1/2] mm: x', 'just words\n'), /no diff/],
    ['no headers, no diff', 'hello\nworld\n', /not a patch/],
    ['a bare diff without mail headers', `${DIFF}\n`, /not a mail/],
    ['an empty file', '', /empty/],
  ])('reports %s', (_what, text, problem) => {
    const p = parsePatchFile(text, 'bad.patch');
    expect(p.problems.map((x) => x.message).join('\n')).toMatch(problem);
  });

  it('splits an mbox of several mails', () => {
    const two = `${mail('[PATCH 1/2] a: one', `x\n---\n${DIFF}\n-- \n2.39.5\n`)}\n${mail('[PATCH 2/2] b: two', `y\n---\n${DIFF}\n-- \n2.39.5\n`)}`;
    expect(splitMbox(two)).toHaveLength(2);
    expect(parsePatchText(two, 'm.mbox').map((p) => p.subject.summary)).toEqual(['a: one', 'b: two']);
    expect(parsePatchFile(two, 'm.mbox').problems.map((p) => p.message)).toEqual(['holds 2 mails; a series file lists one patch per file']);
  });

  it('reads base-commit and prerequisite-patch-id lines', () => {
    const p = parsePatchFile(mail('[PATCH] a: b', `x\n---\n${DIFF}\n\nbase-commit: ${'a'.repeat(40)}\nprerequisite-patch-id: ${'b'.repeat(40)}\nprerequisite-patch-id: ${'c'.repeat(40)}\n-- \n2.39.5\n`), 'p');
    expect(p.baseCommit).toBe('a'.repeat(40));
    expect(p.prerequisitePatchIds).toEqual(['b'.repeat(40), 'c'.repeat(40)]);
    expect(p.problems).toEqual([]);
  });

  it('handles "\\ No newline at end of file" and a removed "- " line that looks like a signature', () => {
    const d = ['diff --git a/f b/f', 'index 1..2 100644', '--- a/f', '+++ b/f', '@@ -1,2 +1,1 @@', ' x', '-- ', '\\ No newline at end of file'].join('\n');
    const r = parseDiff(d.split('\n'), 1);
    expect(r.problems).toEqual([]);
    expect(r.files[0].hunks[0]).toMatchObject({ removed: 1, lines: [' x', '-- ', '\\ No newline at end of file'] });
  });

  it('builds a one-hunk patch git can check on its own', () => {
    const f = parseDiff(DIFF.split('\n'), 1).files[0];
    expect(singleHunkPatch(f, f.hunks[0])).toBe(`${DIFF}\n`);
  });
});

describe('small parsers', () => {
  it('parses people', () => {
    expect(parsePerson('"Doe, J" <j@x>')).toEqual({ name: 'Doe, J', email: 'j@x' });
    expect(parsePerson('<j@x>')).toEqual({ name: '', email: 'j@x' });
    expect(parsePerson('j@x (J D)')).toEqual({ name: 'J D', email: 'j@x' });
  });
  it('decodes adjacent encoded words without the space between them', () => {
    expect(decodeHeaderValue('=?UTF-8?B?SsO2cmc=?= =?UTF-8?q?_M=C3=BCller?=')).toBe('Jörg Müller');
  });
  it('only takes a last paragraph of Key: value lines as trailers', () => {
    expect(parseTrailers('Subject body.\n\nNot: a trailer block\nbecause of this line')).toEqual([]);
    expect(parseTrailers('Body.\n\nFixes: 123456789abc ("x")\n[ bp: massaged ]\nSigned-off-by: A <a@x>')).toHaveLength(2);
  });
  it('parses a diffstat with a summary only', () => {
    expect(parseDiffstat(' 1 file changed, 1 insertion(+)')).toMatchObject({ files: 1, insertions: 1, deletions: 0 });
    expect(parseDiffstat('no stat here')).toBeNull();
  });
});

describe('parseSeriesFile', () => {
  it('reads names in order, skipping comments and blank lines', () => {
    const s = parseSeriesFile('# the series\n\n0001-a.patch\n0002-b.patch # trailing comment\n   \n#0003-c.patch\n');
    expect(s.entries).toEqual([
      { file: '0001-a.patch', line: 3 },
      { file: '0002-b.patch', line: 4 },
    ]);
    expect(s.problems).toEqual([]);
  });
  it('reports duplicates, paths and options', () => {
    const s = parseSeriesFile('a.patch\na.patch\nsub/b.patch\nc.patch -p1\n');
    expect(s.problems.map((p) => p.line)).toEqual([2, 3, 4]);
  });
  it('renders a series file', () => {
    expect(renderSeriesFile(['a', 'b'], 'made by kseries')).toBe('# made by kseries\na\nb\n');
  });
  it.each<[string, string, string | null]>([
    ['as kseries export writes it (patches/v6.1/series)', '# v6.1: carried by kseries from v6.1 (k61, v6.1.192)\n# base-commit: 27028ef9c78bc842a15e0ca04c7bf1770ed2fded\n0001-a.patch\n', 'v6.1.192'],
    ['a tag of a release candidate line', '# v6.12: carried by kseries from v6.1 (k612, v6.12)\n', 'v6.12'],
    ['a ref that is no version tag names nothing', '# v6.12: carried by kseries from v6.1 (k612, HEAD)\n', null],
    ['not in a comment', 'carried by kseries from v6.1 (k61, v6.1.192)\n', null],
    ['no such comment', '# DAX KMEM persistence, for v6.1\n0001-a.patch\n', null],
  ])('the version tag a series was carried onto: %s', (_name, text, want) => {
    expect(carriedOntoTag(text)).toBe(want);
  });
});
