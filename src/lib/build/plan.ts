// SPDX-License-Identifier: GPL-2.0-only
/**
 * Planning a kernel build: a pure function from a BuildSpec to the exact commands, so
 * that --dry-run prints what would run, the log and metadata.json record a command
 * line that reproduces the build, and tests check the argv without running make.
 *
 *   mkdir -p BUILD                                                   (with --config FILE)
 *   cp -- FILE BUILD/.config                                         (with --config FILE)
 *   make -C SRC O=BUILD ARCH=… [TOOLCHAIN] olddefconfig              (with --config FILE)
 *   [CCACHE_DIR=… CCACHE_BASEDIR=… CCACHE_NOHASHDIR=true] [nice -n N] make -C SRC O=BUILD ARCH=… [TOOLCHAIN] [W=1] -jN TARGETS
 *
 * TOOLCHAIN is CROSS_COMPILE=… when the host cannot build ARCH natively, LLVM=1 with
 * --llvm, and CC/HOSTCC wrapped in ccache with --ccache. olddefconfig gets the same
 * toolchain variables as the build: Kconfig reads the compiler's version.
 */
import type { CommandSpec } from '../exec/runner.js';
import { describe } from '../exec/runner.js';
import { buildLayout, runLogPath, type BuildLayout } from './layout.js';
import type { BuildSpec } from './spec.js';

export interface PlannedStep {
  title: string;
  spec: CommandSpec;
}

export interface BuildPlan {
  spec: BuildSpec;
  layout: BuildLayout;
  /** Steps before the build (only with a --config file). */
  prepare: PlannedStep[];
  /** The build itself. */
  make: CommandSpec;
  /** make's own argv (without nice): what bench/ and users can run by hand. */
  makeArgs: string[];
  /** The shell command line that reproduces the build. */
  commandLine: string;
  /** This run's log file. */
  logPath: string;
  /** The boot image, relative to BUILD. */
  imagePath: string;
}

/** The compiler kbuild will call: what `--version` is asked of and what ccache wraps. */
export function compilerOf(spec: Pick<BuildSpec, 'llvm' | 'crossCompile'>): { cc: string; ld: string; hostcc: string } {
  if (spec.llvm) return { cc: 'clang', ld: 'ld.lld', hostcc: 'clang' };
  const p = spec.crossCompile ?? '';
  return { cc: `${p}gcc`, ld: `${p}ld`, hostcc: 'gcc' };
}

/** ARCH, CROSS_COMPILE, LLVM and the ccache-wrapped compilers: the variables every make of this build gets. */
export function toolchainVars(spec: BuildSpec): string[] {
  const vars = [`ARCH=${spec.arch.karch}`];
  if (spec.crossCompile) vars.push(`CROSS_COMPILE=${spec.crossCompile}`);
  if (spec.llvm) vars.push('LLVM=1');
  if (spec.ccache) {
    const { cc, hostcc } = compilerOf(spec);
    vars.push(`CC=ccache ${cc}`, `HOSTCC=ccache ${hostcc}`);
  }
  return vars;
}

export function makeArgs(spec: BuildSpec): string[] {
  return ['-C', spec.srcDir, `O=${spec.buildDir}`, ...toolchainVars(spec), ...(spec.w1 ? ['W=1'] : []), `-j${spec.jobs}`, ...spec.targets];
}

/** The deepest directory holding both paths ("/" when they share nothing else). */
export function commonAncestor(a: string, b: string): string {
  const pa = a.split('/').filter(Boolean);
  const pb = b.split('/').filter(Boolean);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return `/${pa.slice(0, i).join('/')}`;
}

/**
 * ccache's environment. Besides CCACHE_DIR: kbuild hands the compiler absolute paths of
 * the source (-I, -include, -fmacro-prefix-map, the file itself) when building with O=,
 * so by default every worktree or state directory has a cache of its own. CCACHE_BASEDIR
 * (the deepest directory holding both the source and the O= directory) makes ccache hash
 * those paths relative to the O= directory, and CCACHE_NOHASHDIR leaves the working
 * directory out of the hash (there is no debug info to carry it): a build of the same
 * commit and .config under another state directory with the same layout (state/ and
 * cache/ side by side) then hits the cache. Never "/": system headers would be rewritten too.
 */
const env = (spec: BuildSpec): Record<string, string> | undefined => {
  if (!spec.ccache || !spec.ccacheDir) return undefined;
  const base = commonAncestor(spec.srcDir, spec.buildDir);
  return base === '/' ? { CCACHE_DIR: spec.ccacheDir } : { CCACHE_DIR: spec.ccacheDir, CCACHE_BASEDIR: base, CCACHE_NOHASHDIR: 'true' };
};

const niced = (spec: BuildSpec, args: string[]): Pick<CommandSpec, 'cmd' | 'args'> =>
  spec.nice > 0 ? { cmd: 'nice', args: ['-n', String(spec.nice), 'make', ...args] } : { cmd: 'make', args };

export function planBuild(spec: BuildSpec, stamp: string): BuildPlan {
  const layout = buildLayout(spec.buildDir);
  const prepare: PlannedStep[] = [];
  if (spec.configFile) {
    prepare.push({ title: 'create the build directory', spec: { cmd: 'mkdir', args: ['-p', spec.buildDir] } });
    prepare.push({ title: `use ${spec.configFile} as .config`, spec: { cmd: 'cp', args: ['--', spec.configFile, layout.config] } });
    prepare.push({
      title: 'resolve the config (make olddefconfig)',
      spec: { ...niced(spec, ['-C', spec.srcDir, `O=${spec.buildDir}`, ...toolchainVars(spec), 'olddefconfig']), env: env(spec) },
    });
  }
  const args = makeArgs(spec);
  const make: CommandSpec = {
    ...niced(spec, args),
    env: env(spec),
    buffer: false,
    timeoutMs: spec.timeoutMs > 0 ? spec.timeoutMs : undefined,
  };
  return {
    spec,
    layout,
    prepare,
    make,
    makeArgs: args,
    commandLine: describe(make),
    logPath: runLogPath(layout, stamp),
    imagePath: spec.arch.imagePath,
  };
}

/** One command line per step, as --dry-run prints them (they can be pasted into a shell). */
export const renderBuildPlan = (p: BuildPlan): string => [...p.prepare.map((s) => describe(s.spec)), p.commandLine].join('\n');
