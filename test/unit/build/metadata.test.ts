// SPDX-License-Identifier: GPL-2.0-only
/** metadata.json (pure record + artifact listing) and the host problems that turn a failed build into exit 3. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstHostProblem, hostProblem } from '../../../src/lib/build/host-problems.js';
import { parseMakeLog, type LogIssue } from '../../../src/lib/build/make-log.js';
import { buildMetadata, listArtifacts, sha256File } from '../../../src/lib/build/metadata.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kseries-meta-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('metadata', () => {
  it('counts warnings per tool, keeps the first error without its context, and everything needed to reproduce', () => {
    const log = parseMakeLog(
      ['/s/a.c:1:2: warning: w [-Wfoo]', '/s/b.c:3: warning: Function parameter or member \'x\' not described in \'f\'', '/s/c.c:4:5: error: boom'].join('\n'),
      { srcDir: '/s', buildDir: '/o' },
    );
    const m = buildMetadata({
      tree: 'k61',
      srcDir: '/s',
      buildDir: '/o',
      arch: 'x86_64',
      baseCommit: 'b'.repeat(40),
      head: 'h'.repeat(40),
      series: 'v6.1',
      configSha256: 'c'.repeat(64),
      toolchain: { make: 'GNU Make 4.3', cc: 'gcc (Debian 12.2.0-14+deb12u1) 12.2.0', ld: 'GNU ld (GNU Binutils for Debian) 2.40', ccache: null },
      options: { llvm: false, ccache: false, w1: true, jobs: 2, crossCompile: null, targets: ['bzImage'] },
      command: 'make -C /s O=/o ARCH=x86_64 W=1 -j2 bzImage',
      status: 'failed',
      makeExitCode: 2,
      startedAt: '2024-01-01T00:00:00.000Z',
      durations: { totalMs: 10, prepareMs: 0, makeMs: 9 },
      compiled: 3,
      runWarnings: log.warnings,
      runErrors: log.errors,
      buildWarnings: 7,
      firstError: log.firstError,
      artifacts: [],
      log: '/o/logs/build-x.log',
    });
    expect(m.warnings).toEqual({ run: 2, byTool: { compiler: 1, 'kernel-doc': 1 }, build: 7 });
    expect(m.errors).toBe(1);
    expect(m.firstError).toEqual({ tool: 'compiler', rel: 'c.c', line: 4, column: 5, message: 'boom', logLine: 3 });
    expect(m).toMatchObject({ version: 1, command: 'make -C /s O=/o ARCH=x86_64 W=1 -j2 bzImage', toolchain: { cc: expect.stringContaining('gcc') } });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('lists the image, vmlinux, System.map and the modules of modules.order (6.1 lists .ko, later kernels .o) with sizes', () => {
    const put = (rel: string, n: number) => {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), Buffer.alloc(n));
    };
    put('arch/x86/boot/bzImage', 2500);
    put('vmlinux', 9000);
    put('System.map', 100);
    put('drivers/thermal/intel/x86_pkg_temp_thermal.ko', 30);
    put('drivers/dax/x.ko', 10);
    writeFileSync(join(dir, 'modules.order'), 'drivers/thermal/intel/x86_pkg_temp_thermal.ko\ndrivers/dax/x.o\n');
    expect(listArtifacts(dir, 'arch/x86/boot/bzImage', true)).toEqual([
      { kind: 'image', path: 'arch/x86/boot/bzImage', bytes: 2500 },
      { kind: 'vmlinux', path: 'vmlinux', bytes: 9000 },
      { kind: 'System.map', path: 'System.map', bytes: 100 },
      { kind: 'module', path: 'drivers/thermal/intel/x86_pkg_temp_thermal.ko', bytes: 30 },
      { kind: 'module', path: 'drivers/dax/x.ko', bytes: 10 },
    ]);
    expect(listArtifacts(dir, 'arch/x86/boot/bzImage', false).map((a) => a.kind)).toEqual(['image', 'vmlinux', 'System.map']);
    expect(listArtifacts(join(dir, 'nothing'), 'vmlinux', true)).toEqual([]);
  });

  it('sha256 of .config', () => {
    writeFileSync(join(dir, '.config'), 'CONFIG_A=y\n');
    expect(sha256File(join(dir, '.config'))).toBe('e7e1b2c0a9031fbc9e999438d6d65847f80ddd76244dfc5a1efac71731d40f85');
    expect(sha256File(join(dir, 'none'))).toBeNull();
  });
});

describe('host problems (exit 3, not the tree\'s fault)', () => {
  const issue = (line: string): LogIssue => {
    const r = parseMakeLog(line, { srcDir: '/s', buildDir: '/o' });
    return [...r.errors, ...r.warnings][0];
  };

  it.each<[string, string | null, RegExp]>([
    ['/bin/sh: 1: flex: not found', 'flex', /needs `flex`/],
    ['make[2]: bison: No such file or directory', 'bison', /needs `bison`/],
    ['/bin/sh: 1: aarch64-linux-gnu-gcc: not found', 'gcc-aarch64-linux-gnu', /aarch64-linux-gnu-gcc/],
    ['/s/tools/objtool/elf.c:10:10: fatal error: gelf.h: No such file or directory', 'libelf-dev', /host header gelf\.h/],
    ['/s/scripts/sign-file.c:25:10: fatal error: openssl/opensslv.h: No such file or directory', 'libssl-dev', /openssl\/opensslv\.h/],
    ['gcc: fatal error: Killed signal terminated program cc1', null, /killed/],
    ['/s/a.c:1:1: internal compiler error: Segmentation fault', null, /crashed/],
  ])('%s → %s', (line, pkg, msg) => {
    const p = hostProblem(issue(line));
    expect(p?.package ?? null).toBe(pkg);
    expect(p?.message).toMatch(msg);
  });

  it('a real compile error, or a missing header of the tree itself, is not a host problem', () => {
    expect(hostProblem(issue('/s/drivers/dax/kmem.c:5:20: error: ‘x’ undeclared'))).toBeNull();
    expect(hostProblem(issue('/s/drivers/dax/kmem.c:3:10: fatal error: kmem_persist.h: No such file or directory'))).toBeNull();
  });

  it('the first in log order wins', () => {
    const r = parseMakeLog(['/s/a.c:1:1: error: real', '/bin/sh: 1: bc: not found'].join('\n'), { srcDir: '/s', buildDir: '/o' });
    expect(firstHostProblem(r.errors)?.package).toBe('bc');
  });
});
