// SPDX-License-Identifier: GPL-2.0-only
/** The build planner: the make argv for each architecture, LLVM, ccache and W=1 combination. */
import { describe as describeSpec } from '../../../src/lib/exec/runner.js';
import { ARCHES, archInfo, crossPrefix } from '../../../src/lib/build/arches.js';
import { commonAncestor, compilerOf, makeArgs, planBuild, renderBuildPlan } from '../../../src/lib/build/plan.js';
import { defaultTargets, parseTargets, type BuildSpec } from '../../../src/lib/build/spec.js';
import { KseriesError } from '../../../src/lib/errors.js';

const SRC = '/state/worktrees/k61/v6.1';
const B = '/cache/build/k61/x86_64-default';

function spec(over: Partial<BuildSpec> = {}): BuildSpec {
  const arch = over.arch ?? archInfo('x86_64');
  return {
    tree: 'k61',
    srcDir: SRC,
    buildDir: B,
    arch,
    crossCompile: crossPrefix(arch, 'x64'),
    llvm: false,
    ccache: false,
    ccacheDir: null,
    w1: false,
    jobs: 2,
    targets: defaultTargets(arch, true),
    configFile: null,
    nice: 0,
    timeoutMs: 0,
    ...over,
  };
}

describe('arches (data)', () => {
  it.each([
    ['x86_64', 'x86_64', 'bzImage', 'arch/x86/boot/bzImage', null],
    ['i386', 'i386', 'bzImage', 'arch/x86/boot/bzImage', null],
    ['arm64', 'arm64', 'Image', 'arch/arm64/boot/Image', 'aarch64-linux-gnu-'],
    ['arm', 'arm', 'zImage', 'arch/arm/boot/zImage', 'arm-linux-gnueabihf-'],
    ['riscv64', 'riscv', 'Image', 'arch/riscv/boot/Image', 'riscv64-linux-gnu-'],
    ['ppc64le', 'powerpc', 'vmlinux', 'vmlinux', 'powerpc64le-linux-gnu-'],
    ['s390x', 's390', 'bzImage', 'arch/s390/boot/bzImage', 's390x-linux-gnu-'],
  ])('%s on an x86_64 host: ARCH=%s, %s at %s, CROSS_COMPILE=%s', (name, karch, image, path, cross) => {
    const a = archInfo(name);
    expect(a).toMatchObject({ karch, image, imagePath: path });
    expect(crossPrefix(a, 'x64')).toBe(cross);
  });

  it('an arm64 host builds arm64 natively and x86_64 with x86_64-linux-gnu-', () => {
    expect(crossPrefix(archInfo('arm64'), 'arm64')).toBeNull();
    expect(crossPrefix(archInfo('x86_64'), 'arm64')).toBe('x86_64-linux-gnu-');
  });

  it('every cross toolchain names its Debian package', () => {
    for (const a of ARCHES) expect(a.gccPackage).toBe(`gcc-${a.crossCompile.replace(/-$/, '').replace(/_/g, '-')}`);
  });

  it('an unknown architecture is a usage error listing the known ones', () => {
    const e = (() => {
      try {
        archInfo('vax');
      } catch (err) {
        return err as KseriesError;
      }
    })();
    expect(e?.kind).toBe('usage');
    expect(e?.suggestion).toContain('arm64');
  });
});

describe('makeArgs: one row per combination', () => {
  const tail = ['-j2', 'bzImage', 'modules'];
  it.each<[string, Partial<BuildSpec>, string[]]>([
    ['gcc', {}, ['ARCH=x86_64', ...tail]],
    ['gcc W=1', { w1: true }, ['ARCH=x86_64', 'W=1', ...tail]],
    ['gcc ccache', { ccache: true, ccacheDir: '/c' }, ['ARCH=x86_64', 'CC=ccache gcc', 'HOSTCC=ccache gcc', ...tail]],
    ['gcc ccache W=1', { ccache: true, ccacheDir: '/c', w1: true }, ['ARCH=x86_64', 'CC=ccache gcc', 'HOSTCC=ccache gcc', 'W=1', ...tail]],
    ['llvm', { llvm: true }, ['ARCH=x86_64', 'LLVM=1', ...tail]],
    ['llvm ccache W=1', { llvm: true, ccache: true, ccacheDir: '/c', w1: true }, ['ARCH=x86_64', 'LLVM=1', 'CC=ccache clang', 'HOSTCC=ccache clang', 'W=1', ...tail]],
  ])('x86_64, %s', (_name, over, want) => {
    expect(makeArgs(spec(over))).toEqual(['-C', SRC, `O=${B}`, ...want]);
  });

  it.each<[string, Partial<BuildSpec>, string[]]>([
    ['gcc', {}, ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-']],
    ['gcc ccache', { ccache: true, ccacheDir: '/c' }, ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-', 'CC=ccache aarch64-linux-gnu-gcc', 'HOSTCC=ccache gcc']],
    ['llvm', { llvm: true }, ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-', 'LLVM=1']],
    ['llvm ccache', { llvm: true, ccache: true, ccacheDir: '/c' }, ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-', 'LLVM=1', 'CC=ccache clang', 'HOSTCC=ccache clang']],
  ])('arm64 cross, %s: Image and modules', (_name, over, want) => {
    const a = archInfo('arm64');
    expect(makeArgs(spec({ arch: a, crossCompile: crossPrefix(a, 'x64'), targets: defaultTargets(a, true), ...over }))).toEqual([
      '-C',
      SRC,
      `O=${B}`,
      ...want,
      '-j2',
      'Image',
      'modules',
    ]);
  });

  it.each(['riscv64', 'arm', 'ppc64le', 's390x', 'i386'])('%s: ARCH=karch, CROSS_COMPILE when cross, the image target', (name) => {
    const a = archInfo(name);
    const args = makeArgs(spec({ arch: a, crossCompile: crossPrefix(a, 'x64'), targets: defaultTargets(a, false) }));
    expect(args).toContain(`ARCH=${a.karch}`);
    expect(args.some((x) => x.startsWith('CROSS_COMPILE='))).toBe(name !== 'i386');
    expect(args[args.length - 1]).toBe(a.image);
  });

  it('the compiler and linker --version is asked of', () => {
    expect(compilerOf({ llvm: false, crossCompile: null })).toEqual({ cc: 'gcc', ld: 'ld', hostcc: 'gcc' });
    expect(compilerOf({ llvm: false, crossCompile: 'aarch64-linux-gnu-' })).toEqual({ cc: 'aarch64-linux-gnu-gcc', ld: 'aarch64-linux-gnu-ld', hostcc: 'gcc' });
    expect(compilerOf({ llvm: true, crossCompile: 'aarch64-linux-gnu-' })).toEqual({ cc: 'clang', ld: 'ld.lld', hostcc: 'clang' });
  });
});

describe('planBuild', () => {
  it('a plain build: one make, streamed (buffer off), logged under BUILD/logs, CCACHE_DIR only with ccache', () => {
    const p = planBuild(spec(), '2024-01-01T00-00-00-000Z');
    expect(p.prepare).toEqual([]);
    expect(p.make).toMatchObject({ cmd: 'make', buffer: false, env: undefined, timeoutMs: undefined });
    expect(p.commandLine).toBe(`make -C ${SRC} O=${B} ARCH=x86_64 -j2 bzImage modules`);
    expect(p.logPath).toBe(`${B}/logs/build-2024-01-01T00-00-00-000Z.log`);
    expect(p.layout).toMatchObject({ lastLog: `${B}/build.log`, metadata: `${B}/metadata.json`, config: `${B}/.config` });
    const c = planBuild(spec({ ccache: true, ccacheDir: '/cache/ccache' }), 's');
    expect(c.make.env).toEqual({ CCACHE_DIR: '/cache/ccache' });
    expect(c.commandLine).toBe(`CCACHE_DIR=/cache/ccache make -C ${SRC} O=${B} ARCH=x86_64 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j2 bzImage modules`);
  });

  it('ccache: the source and O= dir under one root make it the base dir (hits from another state dir of the same layout)', () => {
    const c = planBuild(spec({ ccache: true, ccacheDir: '/cc', srcDir: '/ci/run1/state/worktrees/k61/v6.1', buildDir: '/ci/run1/cache/build/k61/x86_64-default' }), 's');
    expect(c.make.env).toEqual({ CCACHE_DIR: '/cc', CCACHE_BASEDIR: '/ci/run1', CCACHE_NOHASHDIR: 'true' });
    expect(c.commandLine).toMatch(/^CCACHE_DIR=\/cc CCACHE_BASEDIR=\/ci\/run1 CCACHE_NOHASHDIR=true make -C /);
    expect(planBuild(spec({ srcDir: '/ci/run1/state/x', buildDir: '/ci/run1/cache/y' }), 's').make.env).toBeUndefined();
  });

  it.each([
    ['/a/b/c', '/a/b/d', '/a/b'],
    ['/a/b', '/a/b/c', '/a/b'],
    ['/ab/c', '/a/c', '/'],
    ['/x', '/y', '/'],
    ['/a/b/', '/a/b/c/', '/a/b'],
  ])('commonAncestor(%s, %s) = %s', (a, b, want) => {
    expect(commonAncestor(a, b)).toBe(want);
  });

  it('--config FILE: mkdir, cp, then olddefconfig with the same toolchain variables (Kconfig reads the compiler), no W=1 or -j', () => {
    const p = planBuild(spec({ configFile: '/tmp/my.config', llvm: true, w1: true }), 's');
    expect(p.prepare.map((s) => describeSpec(s.spec))).toEqual([
      `mkdir -p ${B}`,
      `cp -- /tmp/my.config ${B}/.config`,
      `make -C ${SRC} O=${B} ARCH=x86_64 LLVM=1 olddefconfig`,
    ]);
    expect(renderBuildPlan(p).split('\n')).toHaveLength(4);
  });

  it('nice and the time limit', () => {
    const p = planBuild(spec({ nice: 10, timeoutMs: 60_000 }), 's');
    expect(p.make).toMatchObject({ cmd: 'nice', timeoutMs: 60_000 });
    expect(p.make.args.slice(0, 3)).toEqual(['-n', '10', 'make']);
    expect(p.makeArgs[0]).toBe('-C');
    expect(p.commandLine).toBe(`nice -n 10 make -C ${SRC} O=${B} ARCH=x86_64 -j2 bzImage modules`);
  });

  it('never writes into the source tree: O= always, no in-tree targets', () => {
    for (const a of ARCHES) {
      const p = planBuild(spec({ arch: a, configFile: '/x.config' }), 's');
      for (const s of [...p.prepare.map((x) => x.spec), p.make]) {
        if (s.args.includes('make') || s.cmd === 'make') expect(s.args).toContain(`O=${B}`);
      }
    }
  });
});

describe('parseTargets / defaultTargets', () => {
  it.each([
    ['bzImage,modules', ['bzImage', 'modules']],
    ['bzImage modules bzImage', ['bzImage', 'modules']],
    ['drivers/dax/', ['drivers/dax/']],
    ['drivers/dax/kmem.o', ['drivers/dax/kmem.o']],
  ])('%s', (s, want) => expect(parseTargets(s)).toEqual(want));

  it.each(['', 'bzImage;rm', '../x', 'menuconfig', 'olddefconfig', 'clean', 'mrproper', '-j9'])('rejects %j (usage error)', (s) => {
    expect(() => parseTargets(s)).toThrow(KseriesError);
  });

  it('no --targets: the image, plus modules when CONFIG_MODULES=y', () => {
    expect(parseTargets(undefined)).toBeNull();
    expect(defaultTargets(archInfo('x86_64'), true)).toEqual(['bzImage', 'modules']);
    expect(defaultTargets(archInfo('arm64'), false)).toEqual(['Image']);
  });
});
