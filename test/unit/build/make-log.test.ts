// SPDX-License-Identifier: GPL-2.0-only
/**
 * The make-log parser over recorded real logs (test/fixtures/build/README.md says how each
 * was made), then a table of single lines for formats this host cannot produce (clang, lld).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectOf, parseMakeLog, warningFlag, type MakeLog } from '../../../src/lib/build/make-log.js';

const FIX = new URL('../../fixtures/build', import.meta.url).pathname;
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

/** Where each recorded log was built: its source and O= directories. */
const LEAD = { srcDir: '/srv/kseries/worktrees/k61/dev', buildDir: '/srv/build/dev61' };
const MINE = { srcDir: '/tmp/kb/src', buildDir: '/tmp/kb/o-w1' };
const FAKE = { srcDir: '/tmp/kb/fake-rec/src', buildDir: '/tmp/kb/fake-rec/build' };

const summary = (r: MakeLog) => ({
  compiled: r.compiled.length,
  linked: r.linked,
  warnings: r.warnings.length,
  errors: r.errors.length,
  first: r.firstError ? `${r.firstError.tool} ${r.firstError.rel ?? '-'}:${r.firstError.line ?? '-'}: ${r.firstError.message}` : null,
});

describe('recorded kernel logs (Debian 6.1.192, gcc 12, O= builds)', () => {
  it('the lead\'s dev build: 1088 objects, one -Wformat= warning located in kmem_persist.c with its include chain and notes', () => {
    const r = parseMakeLog(read('k61-dev-gcc12.log'), LEAD);
    expect(summary(r)).toEqual({ compiled: 1088, linked: true, warnings: 1, errors: 0, first: null });
    expect(r.lines).toBe(1651);
    expect(r.makeErrors).toEqual([]);
    const w = r.warnings[0];
    expect(w).toMatchObject({
      tool: 'compiler',
      severity: 'warning',
      rel: 'drivers/dax/kmem_persist.c',
      file: `${LEAD.srcDir}/drivers/dax/kmem_persist.c`,
      line: 629,
      column: 26,
      flag: '-Wformat=',
      message: 'format ‘%lu’ expects argument of type ‘long unsigned int’, but argument 4 has type ‘unsigned int’',
      unit: 'drivers/dax/kmem_persist.c',
      logLine: 1351,
    });
    // include chain (5) + "In function" + the warning + excerpt + 4 notes with their excerpts
    expect(w.context[0]).toMatch(/^In file included from .*\/include\/linux\/device\.h:15,$/);
    expect(w.context[5]).toMatch(/kmem_persist\.c: In function ‘dax_kmem_persist_probe’:$/);
    expect(w.context.filter((l) => / note: /.test(l))).toHaveLength(4);
    expect(w.context[w.context.length - 1]).toMatch(/^\s+\|\s+%u$/);
    expect(r.compiled).toContain('drivers/dax/kmem_persist.o');
    expect(r.compiled).toContain('tools/objtool/str_error_r.o');
  });
});

describe('recorded kernel logs of the series with W=1, and failures (incremental builds in one O= dir)', () => {
  it('the full W=1 build: 1091 objects, 235 warnings (197 kernel-doc), none in a file the series touches', () => {
    const r = parseMakeLog(read('k61-series-w1-gcc12.log'), MINE);
    expect(summary(r)).toEqual({ compiled: 1091, linked: true, warnings: 235, errors: 0, first: null });
    const byFlag: Record<string, number> = {};
    for (const w of r.warnings) byFlag[w.flag ?? '-'] = (byFlag[w.flag ?? '-'] ?? 0) + 1;
    expect(byFlag).toEqual({
      'kernel-doc': 197,
      '-Wmissing-prototypes': 29,
      '-Woverride-init': 4,
      '-Wsuggest-attribute=format': 3,
      '-Wunused-but-set-variable': 1,
      '-Wunused-const-variable=': 1,
    });
    const series = ['mm/memory_hotplug.c', 'drivers/base/memory.c', 'include/linux/memory.h', 'include/linux/memory_hotplug.h', 'drivers/dax/bus.c', 'drivers/dax/kmem.c', 'drivers/dax/kmem_persist.c', 'drivers/dax/kmem_persist_blk.c'];
    expect(r.warnings.filter((w) => series.includes(w.rel!))).toEqual([]);
    expect(r.warnings.filter((w) => w.rel!.startsWith('drivers/dax/')).map((w) => `${w.rel}:${w.line} ${w.flag}`)).toEqual([
      'drivers/dax/super.c:345 -Wmissing-prototypes',
      'drivers/dax/super.c:486 kernel-doc',
      'drivers/dax/device.c:399 -Wmissing-prototypes',
    ]);
    // every warning is filed under the unit being compiled
    expect(r.warnings.every((w) => w.unit === w.rel)).toBe(true);
  });

  it('a compile error in a series file: the first error, not the W=1 warning before it, nor -Werror=return-type after it', () => {
    const r = parseMakeLog(read('k61-error-compile-w1.log'), MINE);
    expect(summary(r)).toEqual({
      compiled: 1,
      linked: false,
      warnings: 1,
      errors: 2,
      first: 'compiler drivers/dax/kmem_persist.c:718: ‘kseries_fixture_undeclared’ undeclared (first use in this function); did you mean ‘kseries_fixture_broken’?',
    });
    expect(r.errors[1]).toMatchObject({ line: 719, flag: '-Wreturn-type', severity: 'error' });
    expect(r.firstError!.context).toHaveLength(6);
    expect(r.makeErrors.map((e) => [e.level, e.target, e.code])).toEqual([
      [4, 'drivers/dax/kmem_persist.o', 1],
      [3, 'drivers/dax', 2],
      [2, 'drivers', 2],
      [1, '.', 2],
      [0, '__sub-make', 2],
    ]);
  });

  it('a link error: the object and function, the undefined symbol', () => {
    const r = parseMakeLog(read('k61-error-link.log'), MINE);
    expect(summary(r)).toEqual({
      compiled: 3,
      linked: true,
      warnings: 0,
      errors: 1,
      first: "linker drivers/dax/kmem.o:-: undefined reference to `kseries_fixture_missing' (in kseries_fixture_link, kmem.c:(.text+0x57f))",
    });
    expect(r.firstError).toMatchObject({ file: '/tmp/kb/o-w1/drivers/dax/kmem.o', logLine: 19 });
    expect(r.makeErrors[0]).toMatchObject({ level: 2, target: 'vmlinux', recipe: '/tmp/kb/src/scripts/Makefile.vmlinux:34' });
  });

  it('a modpost error: the undefined symbol and the module', () => {
    const r = parseMakeLog(read('k61-error-modpost.log'), MINE);
    expect(r.firstError).toMatchObject({ tool: 'modpost', rel: 'drivers/thermal/intel/x86_pkg_temp_thermal.ko', message: '"kseries_fixture_missing" [drivers/thermal/intel/x86_pkg_temp_thermal.ko] undefined!', logLine: 16 });
    expect(r.makeErrors[0]).toMatchObject({ level: 2, target: 'Module.symvers', code: 1 });
  });
});

describe('recorded fixture-tree log (tiny kbuild look-alike, real gcc 12)', () => {
  it('a compile error: first error located at file:line:col with the function line, the excerpt and the note', () => {
    const r = parseMakeLog(read('fake-broken-gcc12.log'), FAKE);
    expect(summary(r)).toEqual({
      compiled: 2,
      linked: false,
      warnings: 1,
      errors: 1,
      first: 'compiler drivers/dax/kmem.c:5: ‘undeclared_thing’ undeclared (first use in this function)',
    });
    expect(r.firstError).toMatchObject({ column: 20, flag: null, logLine: 4, unit: 'drivers/dax/kmem.c' });
    expect(r.firstError!.context).toEqual([
      '/tmp/kb/fake-rec/src/drivers/dax/kmem.c: In function ‘kmem_probe’:',
      '/tmp/kb/fake-rec/src/drivers/dax/kmem.c:5:20: error: ‘undeclared_thing’ undeclared (first use in this function)',
      '    5 |         return x + undeclared_thing;',
      '      |                    ^~~~~~~~~~~~~~~~',
      '/tmp/kb/fake-rec/src/drivers/dax/kmem.c:5:20: note: each undeclared identifier is reported only once for each function it appears in',
    ]);
    expect(r.warnings[0]).toMatchObject({ rel: 'drivers/dax/kmem.c', line: 6, column: 1, flag: '-Wreturn-type' });
    expect(r.makeErrors).toEqual([
      { level: 0, target: '/tmp/kb/fake-rec/build/drivers/dax/kmem.o', recipe: 'Makefile:60', code: 1, text: 'make: *** [Makefile:60: /tmp/kb/fake-rec/build/drivers/dax/kmem.o] Error 1', logLine: 12 },
    ]);
  });
});

describe('single lines (formats of other toolchains, and path resolution)', () => {
  const one = (text: string, o = MINE) => parseMakeLog(text, o);

  it.each<[string, string, Record<string, unknown>]>([
    [
      'clang -Werror',
      'drivers/dax/kmem.c:12:6: error: unused variable \'x\' [-Werror,-Wunused-variable]',
      { tool: 'compiler', severity: 'error', rel: 'drivers/dax/kmem.c', file: '/tmp/kb/src/drivers/dax/kmem.c', line: 12, column: 6, flag: '-Wunused-variable' },
    ],
    [
      'gcc -Werror=',
      '/tmp/kb/src/mm/memory_hotplug.c:40:1: error: no previous prototype for ‘f’ [-Werror=missing-prototypes]',
      { severity: 'error', rel: 'mm/memory_hotplug.c', flag: '-Wmissing-prototypes' },
    ],
    ['kernel-doc (W=1)', '/tmp/kb/src/kernel/irq/irqdomain.c:117: warning: Function parameter or member \'fwnode\' not described in \'irq_domain_free_fwnode\'', { tool: 'kernel-doc', flag: 'kernel-doc', line: 117, column: null }],
    ['objtool', 'drivers/dax/kmem.o: warning: objtool: dev_dax_kmem_probe()+0x1a: unreachable instruction', { tool: 'objtool', rel: 'drivers/dax/kmem.o', file: '/tmp/kb/o-w1/drivers/dax/kmem.o', flag: 'objtool' }],
    ['modpost section mismatch', 'WARNING: modpost: vmlinux.o: section mismatch in reference: foo (section: .text) -> bar (section: .init.text)', { tool: 'modpost', severity: 'warning', rel: 'vmlinux.o' }],
    ['in-tree relative path (srcDir = objtree)', 'drivers/dax/bus.c:3:5: warning: no previous prototype for ‘x’ [-Wmissing-prototypes]', { rel: 'drivers/dax/bus.c', file: '/tmp/kb/src/drivers/dax/bus.c' }],
    ['"../" path (O= inside the tree: srctree is ..)', '../drivers/dax/bus.c:3:5: warning: w [-Wextra]', { file: '/tmp/kb/drivers/dax/bus.c' }],
    ['a generated header in the build dir', '/tmp/kb/o-w1/include/generated/autoconf.h:1:1: warning: w [-Wfoo]', { rel: 'include/generated/autoconf.h' }],
  ])('%s', (_name, line, want) => {
    const r = one(`${line}\n`);
    const issue = [...r.errors, ...r.warnings][0];
    expect(issue).toMatchObject(want);
  });

  it('GNU ld: the object and function line, then the undefined reference', () => {
    const r = one(['ld: drivers/dax/kmem.o: in function `dev_dax_kmem_probe\':', 'kmem.c:(.text+0x2c5): undefined reference to `kseries_nope\''].join('\n'));
    expect(r.firstError).toMatchObject({ tool: 'linker', rel: 'drivers/dax/kmem.o', message: "undefined reference to `kseries_nope' (in dev_dax_kmem_probe, kmem.c:(.text+0x2c5))", logLine: 1 });
  });

  it('lld: the symbol, then where it is referenced from (file:line)', () => {
    const r = one(['ld.lld: error: undefined symbol: kseries_nope', '>>> referenced by kmem.c:42 (drivers/dax/kmem.c:42)', '>>>               drivers/dax/kmem.o:(dev_dax_kmem_probe) in archive vmlinux.a'].join('\n'));
    expect(r.firstError).toMatchObject({ tool: 'linker', rel: 'drivers/dax/kmem.c', line: 42, message: 'ld.lld: undefined symbol: kseries_nope' });
    expect(r.firstError!.context).toHaveLength(3);
  });

  it.each([
    ['/bin/sh: 1: flex: not found', 'flex'],
    ['make[2]: bison: No such file or directory', 'bison'],
    ['/bin/sh: line 1: bc: command not found', 'bc'],
    ['scripts/link-vmlinux.sh: line 7: pahole: command not found', 'pahole'],
  ])('a missing host tool: %s', (line, tool) => {
    expect(one(line).firstError).toMatchObject({ tool: 'host', missing: tool });
  });

  it('the first error is the first in log order, not the first make error', () => {
    const r = one(
      [
        '  CC      drivers/dax/bus.o',
        '/tmp/kb/src/drivers/dax/bus.c:3:5: warning: w [-Wextra]',
        '/tmp/kb/src/drivers/dax/kmem.c:5:20: error: first',
        'make[4]: *** [scripts/Makefile.build:250: drivers/dax/kmem.o] Error 1',
        'make[4]: *** Waiting for unfinished jobs....',
        '/tmp/kb/src/drivers/dax/bus.c:9:1: error: second',
        'make[3]: *** [scripts/Makefile.build:500: drivers/dax] Error 2',
        'make: *** [Makefile:2012: .] Error 2',
      ].join('\n'),
    );
    expect(r.firstError?.message).toBe('first');
    expect(r.makeErrors.map((e) => [e.level, e.target, e.code])).toEqual([
      [4, 'drivers/dax/kmem.o', 1],
      [3, 'drivers/dax', 2],
      [0, '.', 2],
    ]);
  });

  it('with no recognised error, the first make error stands in', () => {
    const r = one('make[1]: *** [Makefile:1234: vmlinux] Killed\n');
    expect(r.firstError).toMatchObject({ tool: 'make', message: 'make[1]: *** [Makefile:1234: vmlinux] Killed' });
  });

  it('make\'s own errors ("No rule to make target") are errors', () => {
    const r = one("make[1]: *** No rule to make target 'drivers/dax/nope.o'.  Stop.\n");
    expect(r.firstError).toMatchObject({ tool: 'make', message: "No rule to make target 'drivers/dax/nope.o'." });
  });

  it('colours and CRs are stripped; "cc1: all warnings being treated as errors" is not an error of its own', () => {
    const r = one('\x1b[01m\x1b[K/tmp/kb/src/a.c:1:2:\x1b[m\x1b[K \x1b[01;35m\x1b[Kwarning: \x1b[m\x1b[Kw [-Wfoo]\r\ncc1: all warnings being treated as errors\n');
    expect(r.warnings).toHaveLength(1);
    expect(r.errors).toHaveLength(0);
  });

  it('consecutive diagnostics in a header keep the unit named by the include chain once', () => {
    const r = one(
      [
        'In file included from /tmp/kb/src/drivers/dax/kmem.c:3:',
        '/tmp/kb/src/include/linux/h.h: In function ‘f’:',
        '/tmp/kb/src/include/linux/h.h:3:5: warning: one [-Wfoo]',
        '/tmp/kb/src/include/linux/h.h:4:5: warning: two [-Wfoo]',
        '/tmp/kb/src/drivers/dax/kmem.c: At top level:',
        '/tmp/kb/src/drivers/dax/kmem.c:9:5: warning: three [-Wfoo]',
      ].join('\n'),
    );
    expect(r.warnings.map((w) => [w.rel, w.unit])).toEqual([
      ['include/linux/h.h', 'drivers/dax/kmem.c'],
      ['include/linux/h.h', 'drivers/dax/kmem.c'],
      ['drivers/dax/kmem.c', 'drivers/dax/kmem.c'],
    ]);
  });

  it('quiet lines: CC and CC [M] are counted, absolute objects made relative, vmlinux link seen', () => {
    const r = one(['  CC [M]  drivers/thermal/intel/x86_pkg_temp_thermal.o', '  CC      /tmp/kb/o-w1/tools/objtool/libstring.o', '  AS      arch/x86/entry/entry_64.o', '  HOSTCC  scripts/kallsyms', '  LD      vmlinux.o'].join('\n'));
    expect(r.compiled).toEqual(['drivers/thermal/intel/x86_pkg_temp_thermal.o', 'tools/objtool/libstring.o']);
    expect(r.built).toEqual([...r.compiled, 'arch/x86/entry/entry_64.o', 'scripts/kallsyms']);
    expect(r.linked).toBe(true);
  });
});

describe('helpers', () => {
  it.each([
    ['-Wformat=', '-Wformat='],
    ['-Werror=format=', '-Wformat='],
    ['-Werror,-Wunused-variable', '-Wunused-variable'],
    ['-Wunused-but-set-variable', '-Wunused-but-set-variable'],
  ])('warningFlag(%s) = %s', (raw, want) => expect(warningFlag(raw)).toBe(want));

  it.each([
    ['drivers/dax/kmem.c', 'drivers/dax/kmem.o'],
    ['arch/x86/entry/entry_64.S', 'arch/x86/entry/entry_64.o'],
    ['drivers/dax/kmem.o', 'drivers/dax/kmem.o'],
    ['scripts/kallsyms', 'scripts/kallsyms.o'],
  ])('objectOf(%s) = %s', (u, o) => expect(objectOf(u)).toBe(o));
});
