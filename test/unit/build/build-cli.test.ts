// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries build` through the built CLI on the fixture tree (test/helpers/fake-kbuild.ts:
 * a tiny kbuild look-alike compiled with the real gcc in well under a second): the
 * executor, the exit codes, the first error located in the broken variant, the log and
 * metadata files, --each-commit and --warnings-delta on a fixture series.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { isolate, runCli, type IsolatedEnv } from '../../helpers/env.js';
import {
  BUS_WITH_WARNINGS,
  FAKE_CONFIG,
  FAKE_MAKEFILE,
  fakeSeriesRepo,
  KMEM_BROKEN,
  KMEM_WITH_HELPER,
  registerFakeTree,
  SOURCES,
  writeFakeBuildDir,
  type FakeSeriesRepo,
} from '../../helpers/fake-kbuild.js';

let env: IsolatedEnv;
let buildDir: string;
afterEach(() => env.cleanup());

function setup(changes: Parameters<typeof fakeSeriesRepo>[1] = [{ subject: 'dax/kmem: add a helper', files: { 'drivers/dax/kmem.c': SOURCES['drivers/dax/kmem.c'].replace('x + 1', 'x + 2') } }], config: string | null = FAKE_CONFIG): FakeSeriesRepo {
  env = isolate();
  const r = fakeSeriesRepo(join(env.root, 'linux'), changes);
  registerFakeTree(env.paths.data, 'k', r);
  buildDir = join(env.paths.cache, 'build', 'k', 'x86_64-default');
  if (config !== null) writeFakeBuildDir(buildDir, config);
  return r;
}

/** ccache is on by default where it is installed: these tests pin it off, the ccache tests below put a double in PATH or take it out. */
const kseries = (args: string[]) => runCli(['build', '--tree', 'k', '-j2', '--no-ccache', ...args]);

/** A PATH of one directory linking every command of the host's PATH except those whose name matches `drop`. */
function pathWithout(drop: RegExp): string {
  const dir = join(env.root, 'path-without');
  mkdirSync(dir, { recursive: true });
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (!d || !existsSync(d)) continue;
    for (const name of readdirSync(d)) if (!drop.test(name) && !existsSync(join(dir, name))) symlinkSync(join(d, name), join(dir, name));
  }
  return dir;
}
const json = (s: string) => JSON.parse(s);

describe('kseries build (fixture tree)', () => {
  it('builds bzImage and modules, writes the log (build.log → logs/) and metadata.json; a rebuild is incremental', () => {
    setup();
    const r = kseries(['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ status: 'ok', warnings: [] });
    const res = out.result;
    expect(res).toMatchObject({ status: 'ok', compiled: 4, errors: 0, firstError: null, buildDir });
    expect(res.command).toBe(`make -C ${join(env.root, 'linux')} O=${buildDir} ARCH=x86_64 -j2 bzImage modules`);
    expect(res.artifacts.map((a: { kind: string; path: string }) => `${a.kind} ${a.path}`)).toEqual([
      'image arch/x86/boot/bzImage',
      'vmlinux vmlinux',
      'System.map System.map',
      'module drivers/dax/mod.ko',
    ]);
    expect(lstatSync(join(buildDir, 'build.log')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(buildDir, 'build.log'))).toMatch(/^logs\/build-.*\.log$/);
    const log = readFileSync(join(buildDir, 'build.log'), 'utf8');
    expect(log).toContain(`# reproduce: ${res.command}`);
    expect(log).toContain('  CC      drivers/dax/kmem.o');
    const meta = json(readFileSync(join(buildDir, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({
      tree: 'k',
      status: 'ok',
      command: res.command,
      compiled: 4,
      series: 'v6.1',
      configSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      toolchain: { make: expect.stringMatching(/^GNU Make/), cc: expect.stringMatching(/^gcc/), ld: expect.stringMatching(/^GNU ld/), ccache: null },
      options: { w1: false, llvm: false, ccache: false, jobs: 2, targets: ['bzImage', 'modules'] },
    });
    expect(meta.head).toMatch(/^[0-9a-f]{40}$/);
    expect(meta.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(meta.artifacts[0]).toMatchObject({ kind: 'image', bytes: expect.any(Number) });

    const again = json(kseries(['--json']).stdout).result;
    expect(again.compiled).toBe(0);
    const future = new Date(Date.now() + 5000);
    utimesSync(join(env.root, 'linux', 'drivers/dax/kmem.c'), future, future);
    const touched = json(kseries(['--json']).stdout).result;
    expect(touched.compiled).toBe(1);
    expect(readdirSync(join(buildDir, 'logs'))).toHaveLength(3);
  });

  it('the deliberately broken tree: exit 1, the first error at file:line:col with its context and the source lines around it', () => {
    setup([{ subject: 'dax/kmem: break it', files: { 'drivers/dax/kmem.c': KMEM_BROKEN } }]);
    const r = kseries([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED: k (x86_64');
    expect(r.stdout).toContain('drivers/dax/kmem.c:5:20: error: ‘undeclared_thing’ undeclared (first use in this function)');
    expect(r.stdout).toContain('| /'); // the log context (include/function lines, the compiler's excerpt)
    expect(r.stdout).toMatch(/^ {4}> 5 \| \treturn x \+ undeclared_thing;$/m);
    expect(r.stdout).toMatch(/^ {6}4 \| \{$/m);
    expect(r.stdout).toMatch(/log: .*\/logs\/build-.*\.log:\d+$/m);
    const j = json(kseries(['--json']).stdout);
    expect(j.status).toBe('fail');
    expect(j.result.firstError).toMatchObject({ tool: 'compiler', rel: 'drivers/dax/kmem.c', line: 5, column: 20, source: { line: 5 } });
    expect(j.result.firstError.context[0]).toMatch(/kmem\.c: In function ‘kmem_probe’:$/);
    expect(json(readFileSync(join(buildDir, 'metadata.json'), 'utf8'))).toMatchObject({ status: 'failed', firstError: { rel: 'drivers/dax/kmem.c', line: 5 } });
  });

  it('no .config: a usage error (exit 2) that says to run kconfig apply or pass --config', () => {
    setup(undefined, null);
    const r = kseries([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no .config');
    expect(r.stderr).toContain('kseries kconfig apply --tree k');
    expect(r.stderr).toContain('--config FILE');
  });

  it('--config FILE: copied in, make olddefconfig, then built', () => {
    setup(undefined, null);
    const cfg = join(env.root, 'my.config');
    writeFileSync(cfg, FAKE_CONFIG);
    const r = kseries(['--config', cfg, '--json']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(buildDir, '.config'), 'utf8')).toBe(FAKE_CONFIG);
    const log = readFileSync(join(buildDir, 'build.log'), 'utf8');
    expect(log).toContain(`# prepare: cp -- ${cfg} ${buildDir}/.config`);
    expect(log).toContain('# configuration written to .config');
  });

  it('--dry-run prints the commands and runs nothing', () => {
    setup();
    const r = kseries(['--dry-run', '--W1', '--targets', 'bzImage', '--json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).result).toMatchObject({ dryRun: true, mode: 'build', commands: [`make -C ${join(env.root, 'linux')} O=${buildDir} ARCH=x86_64 W=1 -j2 bzImage`] });
    expect(existsSync(join(buildDir, 'logs'))).toBe(false);
  });

  it.each([
    [['--targets', 'bzImage;reboot'], /not a make target/],
    [['--targets', 'menuconfig'], /not a build target/],
    [['--arch', 'vax'], /arch/],
    [['--jobs', '0'], /jobs/],
    [['--each-commit', '--warnings-delta'], /cannot also be provided|exclusive/],
  ])('usage error (exit 2): %j', (args, re) => {
    setup();
    const r = kseries(args);
    expect(r.stderr).toMatch(re);
    expect(r.code).toBe(2);
  });

  it('a missing cross compiler is an infrastructure error (exit 3) naming the package', () => {
    setup();
    writeFakeBuildDir(join(env.paths.cache, 'build', 'k', 'arm64-default'));
    // the host's PATH without any aarch64-linux-gnu-* tool, so this holds where a cross compiler is installed too
    const r = runCli(['build', '--tree', 'k', '--arch', 'arm64', '--json'], { env: { PATH: pathWithout(/^aarch64-linux-gnu-/) } });
    expect(r.code).toBe(3);
    expect(json(r.stdout).error).toMatchObject({
      kind: 'infra',
      message: expect.stringContaining('aarch64-linux-gnu-gcc'),
      suggestion: expect.stringContaining('apt-get install gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu'),
    });
  });

  it('a host tool missing in the middle of the build is an infrastructure error (exit 3), metadata says "error"', () => {
    setup([{ subject: 'build: needs a tool', files: { Makefile: FAKE_MAKEFILE.replace('\t@echo "  LD      vmlinux"', '\t@echo "  LEX     x"; kseries-no-such-tool x') } }]);
    const r = kseries(['--json']);
    expect(r.code).toBe(3);
    expect(json(r.stdout).error.message).toContain('needs `kseries-no-such-tool`');
    expect(json(readFileSync(join(buildDir, 'metadata.json'), 'utf8')).status).toBe('error');
  });

  it('make running into --timeout is an infrastructure error (exit 3)', () => {
    setup([{ subject: 'build: slow', files: { Makefile: FAKE_MAKEFILE.replace('\t@echo "  LD      vmlinux"', '\t@sleep 30') } }]);
    const r = kseries(['--timeout', '1', '--json']);
    expect(r.code).toBe(3);
    expect(json(r.stdout).error.message).toMatch(/time limit of 1 s/);
  }, 40_000);

  it('Ctrl-C stops make and exits 130; the log of the run stays', async () => {
    setup([{ subject: 'build: slow', files: { Makefile: FAKE_MAKEFILE.replace('\t@echo "  LD      vmlinux"', '\t@sleep 30') } }]);
    const bin = new URL('../../../bin/run.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'build', '--tree', 'k', '-j2', '--no-ccache'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const t = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(buildDir, 'build.log')) && readFileSync(join(buildDir, 'build.log'), 'utf8').includes('  CC      drivers/dax/bus.o')) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 100);
      child.on('close', (c) => {
        clearInterval(poll);
        resolve(c);
      });
    });
    expect(code).toBe(130);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(stderr).toContain('interrupted');
    expect(readFileSync(join(buildDir, 'build.log'), 'utf8')).toContain('# reproduce: make');
  }, 30_000);

  /** A ccache of our own first in PATH (hosts without ccache run this too; the real one is in the e2e build test): it logs its environment and command, then runs the command. */
  function ccacheDouble(): { PATH: string; log: string } {
    const bin = join(env.root, 'fake-bin');
    const log = join(env.root, 'ccache.log');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'ccache'),
      `#!/bin/sh\nif [ "$1" = --version ]; then echo 'ccache version 4.8.2 (test double)'; exit 0; fi\necho "CCACHE_DIR=$CCACHE_DIR CCACHE_BASEDIR=$CCACHE_BASEDIR $*" >> ${log}\nexec "$@"\n`,
      { mode: 0o755 },
    );
    return { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, log };
  }

  it.each<[string, string[], 'double' | 'none', boolean, string[]]>([
    ['no flag, ccache installed: on (the default)', [], 'double', true, []],
    ['--ccache, ccache installed: on', ['--ccache'], 'double', true, []],
    ['--no-ccache, ccache installed: off', ['--no-ccache'], 'double', false, []],
    ['no flag, no ccache: off, without a warning', [], 'none', false, []],
    ['--ccache, no ccache: off, with a warning', ['--ccache'], 'none', false, ['ccache is not installed (kseries doctor --fix, or apt-get install ccache): building without it']],
  ])('%s', (_what, flags, host, on, warnings) => {
    setup();
    const PATH = host === 'double' ? ccacheDouble().PATH : pathWithout(/^ccache$/);
    const r = runCli(['build', '--tree', 'k', '-j2', ...flags, '--dry-run', '--json'], { env: { PATH } });
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.stdout);
    expect(j.warnings).toEqual(warnings);
    const vars = on ? `ARCH=x86_64 'CC=ccache gcc' 'HOSTCC=ccache gcc'` : 'ARCH=x86_64';
    expect(j.result.commands).toEqual([`${on ? `CCACHE_DIR=${env.paths.cache}/ccache CCACHE_BASEDIR=${env.root} CCACHE_NOHASHDIR=true ` : ''}make -C ${join(env.root, 'linux')} O=${buildDir} ${vars} -j2 bzImage modules`]);
  });

  it('--ccache: CC and HOSTCC under ccache, CCACHE_DIR in the cache dir, its version recorded', () => {
    setup();
    const { PATH, log } = ccacheDouble();
    const r = runCli(['build', '--tree', 'k', '-j2', '--ccache', '--json'], { env: { PATH } });
    expect(r.code).toBe(0);
    const res = json(r.stdout).result;
    expect(res.command).toBe(`CCACHE_DIR=${env.paths.cache}/ccache CCACHE_BASEDIR=${env.root} CCACHE_NOHASHDIR=true make -C ${join(env.root, 'linux')} O=${buildDir} ARCH=x86_64 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j2 bzImage modules`);
    // every compile of the fixture tree went through ccache, with CCACHE_DIR in kseries' cache dir
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.filter((c) => / gcc .* -c -o \S+\/drivers\/dax\/kmem\.o\.tmp /.test(c))).toHaveLength(1);
    for (const c of calls) expect(c).toMatch(new RegExp(`^CCACHE_DIR=${env.paths.cache}/ccache CCACHE_BASEDIR=${env.root} gcc `));
    expect(json(readFileSync(join(buildDir, 'metadata.json'), 'utf8')).toolchain.ccache).toBe('ccache version 4.8.2 (test double)');
  });

  it('the toolchain\'s --version lines are asked once per binary: a rebuild spawns no probe, a changed binary is asked again; a wrapper script each time', () => {
    setup();
    const { PATH } = ccacheDouble();
    // make: a copy of the host's binary beside the ccache double, to be replaced below
    const hostMake = execFileSync('sh', ['-c', 'command -v make'], { encoding: 'utf8' }).trim();
    const make = join(env.root, 'fake-bin', 'make');
    copyFileSync(hostMake, make);
    chmodSync(make, 0o755);
    const probes = (stderr: string) => stderr.split('\n').filter((l) => /^\+ LC_ALL=C \S+ --version$/.test(l)).map((l) => l.replace('LC_ALL=C ', '')).sort();
    const build = () => runCli(['build', '--tree', 'k', '-j2', '--ccache', '--verbose', '--json'], { env: { PATH } });
    const first = build();
    expect(first.code, first.stderr).toBe(0);
    expect(probes(first.stderr)).toEqual(['+ ccache --version', '+ gcc --version', '+ ld --version', '+ make --version']);
    // the binaries are remembered; the ccache double is a script (#!), a wrapper whose answer
    // depends on what it runs: asked every time
    const again = build();
    expect(again.code, again.stderr).toBe(0);
    expect(probes(again.stderr)).toEqual(['+ ccache --version']);
    expect(json(readFileSync(join(buildDir, 'metadata.json'), 'utf8')).toolchain).toMatchObject({ ccache: 'ccache version 4.8.2 (test double)', cc: expect.stringMatching(/^gcc/) });
    // make upgraded (a new binary at the same path) and the wrapper's answer changed
    rmSync(make);
    copyFileSync(hostMake, make);
    chmodSync(make, 0o755);
    const bin = join(env.root, 'fake-bin', 'ccache');
    writeFileSync(bin, readFileSync(bin, 'utf8').replace('4.8.2', '4.9.1'), { mode: 0o755 });
    const upgraded = build();
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(probes(upgraded.stderr)).toEqual(['+ ccache --version', '+ make --version']);
    expect(json(readFileSync(join(buildDir, 'metadata.json'), 'utf8')).toolchain.ccache).toBe('ccache version 4.9.1 (test double)');
  });
});

describe('kseries build --each-commit / --warnings-delta (fixture series)', () => {
  const SERIES = [
    { subject: 'dax/kmem: add a helper', files: { 'drivers/dax/kmem.c': KMEM_WITH_HELPER } },
    { subject: 'dax/kmem: break the build', files: { 'drivers/dax/kmem.c': KMEM_BROKEN } },
    { subject: 'dax/kmem: fix the build', files: { 'drivers/dax/kmem.c': SOURCES['drivers/dax/kmem.c'] } },
  ];

  it('--each-commit --W1: per commit built / failed with the first error / new warnings; exit 1; incremental in its own worktree and O= dir', () => {
    const r0 = setup(SERIES);
    const r = kseries(['--each-commit', '--W1', '--json']);
    expect(r.code).toBe(1);
    const res = json(r.stdout).result;
    expect(res.commits.map((c: { role: string; status: string; subject: string }) => `${c.role} ${c.status} ${c.subject}`)).toEqual([
      'base built (base of the series)',
      'patch built dax/kmem: add a helper',
      'patch failed dax/kmem: break the build',
      'patch built dax/kmem: fix the build',
    ]);
    expect(res.commits.map((c: { commit: string }) => c.commit)).toEqual([r0.base, ...r0.commits]);
    expect(res.commits[1].newInSeriesFiles).toEqual([
      { tool: 'compiler', rel: 'drivers/dax/kmem.c', line: 8, column: 5, flag: '-Wmissing-prototypes', message: 'no previous prototype for ‘kmem_helper’', count: 1 },
    ]);
    expect(res.commits[2].firstError).toMatchObject({ rel: 'drivers/dax/kmem.c', line: 5, column: 20 });
    expect(res.commits[3].newWarnings).toEqual([]);
    expect(res.commits.map((c: { compiled: number }) => c.compiled)).toEqual([4, 1, 1, 1]);
    expect(res.commits[2].newInSeriesFiles.map((w: { flag: string }) => w.flag)).toEqual(['-Wreturn-type']);
    expect(res).toMatchObject({ ok: false, failed: 1, withNewWarnings: 2, w1: true, worktree: join(env.paths.data, 'worktrees', 'k', 'build-commits'), buildDir: `${buildDir}.commits` });
    // the user's checkout and the main build directory are untouched
    expect(existsSync(join(buildDir, 'logs'))).toBe(false);
    const text = kseries(['--each-commit', '--W1']).stdout;
    expect(text).toMatch(/^ {2}2\/3 {3}[0-9a-f]{12} {2}FAILED/m);
    expect(text).toContain('FAILED: 1 commit does not build, 2 commits add warnings in the series\' files');
  });

  it('--each-commit --from 3: patch 2 is built as the reference (a reference that does not build fails too), then 3; --from out of range: exit 2; --from without --each-commit: exit 2', () => {
    const r0 = setup(SERIES);
    const r = kseries(['--each-commit', '--from', '3', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const res = json(r.stdout).result;
    expect(res.commits.map((c: { role: string; index: number; status: string; subject: string }) => `${c.role} ${c.index} ${c.status} ${c.subject}`)).toEqual([
      'reference 2 failed dax/kmem: break the build',
      'patch 3 built dax/kmem: fix the build',
    ]);
    expect(res.commits.map((c: { commit: string }) => c.commit)).toEqual(r0.commits.slice(1));
    expect(res).toMatchObject({ ok: false, from: 3, failed: 1, withNewWarnings: 0 });
    const text = kseries(['--each-commit', '--from', '3']).stdout;
    expect(text).toMatch(/, from patch 3, /);
    expect(text).toMatch(/^ {2}ref {3}[0-9a-f]{12} {2}FAILED/m);
    expect(text).toMatch(/^ {2}3\/3 {3}[0-9a-f]{12} {2}built/m);
    expect(text).toContain('FAILED: 1 commit does not build');
    const ok = kseries(['--each-commit', '--from', '2']);
    expect(ok.code).toBe(1); // patch 2 itself breaks the build
    const dry = kseries(['--each-commit', '--from', '2', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n').filter((l) => /checkout/.test(l)).map((l) => l.split(' ').pop())).toEqual(r0.commits);
    const far = kseries(['--each-commit', '--from', '4']);
    expect(far.code).toBe(2);
    expect(far.stderr).toContain('--from 4: the series has 3 commits');
    expect(kseries(['--from', '2']).code).toBe(2);
    setup();
    expect(kseries(['--each-commit', '--from', '1']).stdout).toContain('OK: every commit builds and none adds');
  });

  it('--each-commit on a clean series: exit 0', () => {
    setup();
    const r = kseries(['--each-commit', '--W1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK: every commit builds with W=1 and none adds a warning in the files the series touches');
  });

  it('--warnings-delta --W1: only the warnings the series introduced, matched by file+flag+message; exit 1 for those in its files', () => {
    setup([
      { subject: 'dax/bus: a warning', files: { 'drivers/dax/bus.c': BUS_WITH_WARNINGS } },
      { subject: 'dax/kmem: a helper', files: { 'drivers/dax/kmem.c': KMEM_WITH_HELPER } },
    ]);
    const r = kseries(['--warnings-delta', '--W1', '--json']);
    expect(r.code).toBe(1);
    const res = json(r.stdout).result;
    expect(res.touched).toEqual(['drivers/dax/bus.c', 'drivers/dax/kmem.c']);
    expect(res.newInSeriesFiles.map((w: { rel: string; line: number; flag: string }) => `${w.rel}:${w.line} ${w.flag}`).sort()).toEqual([
      'drivers/dax/bus.c:10 -Wunused-variable',
      'drivers/dax/bus.c:3 -Wmissing-prototypes',
      'drivers/dax/kmem.c:8 -Wmissing-prototypes',
    ]);
    expect(res.baseBuild).toMatchObject({ status: 'ok', buildDir: `${buildDir}.base`, srcDir: join(env.paths.data, 'worktrees', 'k', 'build-base') });
    expect(res.headBuild).toMatchObject({ status: 'ok', buildDir });
    // both directories stay incremental
    const again = json(kseries(['--warnings-delta', '--W1', '--json']).stdout).result;
    expect([again.headBuild.compiled, again.baseBuild.compiled]).toEqual([0, 0]);
    expect(again.newInSeriesFiles).toHaveLength(3);
  });

  it('--warnings-delta on a tree without an applied series is a usage error', () => {
    setup();
    writeFileSync(join(env.paths.data, 'worktrees', 'k', 'current.json'), JSON.stringify({ tree: 'k', srcDir: join(env.root, 'linux'), series: null, branch: null, baseCommit: 'x', head: 'x', updatedAt: '' }));
    const r = kseries(['--warnings-delta']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('kseries apply --tree k');
  });
});
