// SPDX-License-Identifier: GPL-2.0-only
/** Which warnings a change introduced (matched by file + flag + message), and the per-build-directory ledger they are taken from. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyLedger, ledgerWarnings, updateLedger } from '../../../src/lib/build/ledger.js';
import { parseMakeLog } from '../../../src/lib/build/make-log.js';
import { buildsDelta, distinctWarnings, inFiles, warningKey, warningsDelta, type WarningLike } from '../../../src/lib/build/warnings-delta.js';

const w = (rel: string, line: number, flag: string | null, message: string, column: number | null = 1): WarningLike => ({ rel, line, column, flag, message });

describe('warningsDelta', () => {
  const base = [w('mm/memory_hotplug.c', 100, '-Wmissing-prototypes', 'no previous prototype for ‘f’'), w('kernel/fork.c', 1974, 'kernel-doc', 'bad line: ', null)];

  it('a warning whose line moved is not new', () => {
    const head = [w('mm/memory_hotplug.c', 117, '-Wmissing-prototypes', 'no previous prototype for ‘f’'), base[1]];
    expect(warningsDelta(base, head)).toEqual({ added: [], removed: [], kept: 2 });
  });

  it('new and removed warnings; same message in another file or under another flag is different', () => {
    const head = [
      base[0],
      w('drivers/dax/kmem_persist.c', 629, '-Wformat=', 'format ‘%lu’ expects argument of type ‘long unsigned int’, but argument 4 has type ‘unsigned int’'),
      w('mm/other.c', 100, '-Wmissing-prototypes', 'no previous prototype for ‘f’'),
      w('mm/memory_hotplug.c', 100, '-Wunused-function', 'no previous prototype for ‘f’'),
    ];
    const d = warningsDelta(base, head);
    expect(d.added.map((x) => `${x.rel}:${x.flag}`)).toEqual(['drivers/dax/kmem_persist.c:-Wformat=', 'mm/other.c:-Wmissing-prototypes', 'mm/memory_hotplug.c:-Wunused-function']);
    expect(d.removed).toEqual([base[1]]);
    expect(d.kept).toBe(1);
  });

  it('multisets: the same warning a second time (another line) is new', () => {
    const m = 'Function parameter or member \'dev\' not described in \'probe\'';
    const d = warningsDelta([w('a.c', 10, 'kernel-doc', m)], [w('a.c', 12, 'kernel-doc', m), w('a.c', 40, 'kernel-doc', m)]);
    expect(d.added).toHaveLength(1);
    expect(d.added[0].line).toBe(40);
  });

  it('positions quoted inside messages do not count', () => {
    expect(warningKey(w('a.c', 1, '-Wshadow', 'declaration shadows a local at a.c:12:3'))).toBe(warningKey(w('a.c', 9, '-Wshadow', 'declaration shadows a local at a.c:20:3')));
    expect(warningKey(w('a.c', 1, 'kernel-doc', 'see line 12'))).toBe(warningKey(w('a.c', 1, 'kernel-doc', 'see line 40')));
  });

  it('buildsDelta: a header warning printed by one more unit is not new (distinct places first)', () => {
    const h = w('include/linux/memory_hotplug.h', 20, '-Wfoo', 'x');
    expect(buildsDelta([h], [h, h]).added).toEqual([]);
    expect(distinctWarnings([h, h, h])).toEqual([{ ...h, count: 3 }]);
  });

  it('inFiles splits by the files the series touches', () => {
    const a = w('drivers/dax/kmem.c', 1, '-Wfoo', 'x');
    const b = w('include/linux/mm.h', 1, '-Wfoo', 'x');
    expect(inFiles([a, b], new Set(['drivers/dax/kmem.c']))).toEqual({ touched: [a], elsewhere: [b] });
  });
});

describe('the warnings ledger', () => {
  const SRC = '/tmp/kb/src';
  const O = '/tmp/kb/o';
  const log = (lines: string[]) => parseMakeLog(lines.join('\n'), { srcDir: SRC, buildDir: O });
  const all = () => true;

  it('files each warning under its unit\'s object; a rebuilt object loses its old warnings; others keep theirs', () => {
    const first = updateLedger(
      null,
      log([
        '  CC      drivers/dax/kmem.o',
        '  CC      drivers/dax/bus.o',
        `${SRC}/drivers/dax/kmem.c:8:5: warning: no previous prototype for ‘kmem_helper’ [-Wmissing-prototypes]`,
        `In file included from ${SRC}/drivers/dax/bus.c:1:`,
        `${SRC}/include/kmem.h:3:5: warning: in a header [-Wfoo]`,
      ]),
      SRC,
      all,
    );
    expect(Object.keys(first.objects).sort()).toEqual(['drivers/dax/bus.o', 'drivers/dax/kmem.o']);
    expect(first.objects['drivers/dax/bus.o'].warnings[0]).toMatchObject({ rel: 'include/kmem.h', unit: 'drivers/dax/bus.c' });
    // an incremental build that recompiles kmem.c cleanly: its warning goes, bus.c's stays (not recompiled)
    const second = updateLedger(first, log(['  CC      drivers/dax/kmem.o']), SRC, all);
    expect(ledgerWarnings(second).map((x) => x.rel)).toEqual(['include/kmem.h']);
    // a no-op build changes nothing
    expect(updateLedger(second, log([]), SRC, all)).toEqual(second);
  });

  it('drops units whose source file is gone (a checkout of a commit without it)', () => {
    const l = updateLedger(null, log(['  CC      drivers/dax/kmem_persist.o', `${SRC}/drivers/dax/kmem_persist.c:1:1: warning: w [-Wfoo]`]), SRC, all);
    expect(ledgerWarnings(updateLedger(l, log([]), SRC, (rel) => rel !== 'drivers/dax/kmem_persist.c'))).toEqual([]);
  });

  it('link-time warnings are replaced whenever the log shows a link', () => {
    const l = updateLedger(null, log(['  LD      vmlinux.o', 'WARNING: modpost: vmlinux.o: section mismatch in reference: a -> b']), SRC, all);
    expect(l.link).toHaveLength(1);
    expect(updateLedger(l, log(['  CC      drivers/dax/kmem.o']), SRC, all).link).toHaveLength(1);
    expect(updateLedger(l, log(['  LD      vmlinux.o']), SRC, all).link).toHaveLength(0);
  });

  it('starts afresh when the build directory is used with another source directory', () => {
    const l = updateLedger(null, log(['  CC      a.o', `${SRC}/a.c:1:1: warning: w [-Wfoo]`]), SRC, all);
    expect(updateLedger(l, log([]), '/elsewhere', all)).toEqual(emptyLedger('/elsewhere'));
  });

  it('the lead\'s full build: one unit with a warning', () => {
    const text = readFileSync(join(new URL('../../fixtures/build', import.meta.url).pathname, 'k61-dev-gcc12.log'), 'utf8');
    const src = '/srv/kseries/worktrees/k61/dev';
    const l = updateLedger(null, parseMakeLog(text, { srcDir: src, buildDir: '/srv/build/dev61' }), src, all);
    expect(Object.keys(l.objects)).toEqual(['drivers/dax/kmem_persist.o']);
  });
});
