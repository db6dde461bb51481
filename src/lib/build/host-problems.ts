// SPDX-License-Identifier: GPL-2.0-only
/**
 * Build failures that are not the tree's fault: a host tool or development header is
 * missing, the compiler was killed (out of memory), the disk is full, the compiler
 * crashed. They make `kseries build` exit 3 (infrastructure) instead of 1, with the
 * Debian package to install when there is one. The tables are data.
 */
import type { LogIssue } from './make-log.js';

/** Programs kbuild runs, and the Debian package that provides each. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  flex: 'flex',
  bison: 'bison',
  bc: 'bc',
  perl: 'perl',
  openssl: 'openssl',
  pahole: 'dwarves',
  cpio: 'cpio',
  xz: 'xz-utils',
  zstd: 'zstd',
  lz4: 'lz4',
  lzop: 'lzop',
  gzip: 'gzip',
  rsync: 'rsync',
  python3: 'python3',
  depmod: 'kmod',
  kmod: 'kmod',
  gcc: 'gcc',
  cc: 'gcc',
  ld: 'binutils',
  objcopy: 'binutils',
  make: 'make',
  clang: 'clang',
  'ld.lld': 'lld',
  'llvm-ar': 'llvm',
  'llvm-nm': 'llvm',
  'llvm-objcopy': 'llvm',
  ccache: 'ccache',
};

/** Host headers the build compiles against (objtool, sign-file, menuconfig…), by include name prefix. */
export const HEADER_PACKAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(gelf|libelf)\.h$/, 'libelf-dev'],
  [/^openssl\//, 'libssl-dev'],
  [/^(ncurses|curses)\.h$/, 'libncurses-dev'],
  [/^zlib\.h$/, 'zlib1g-dev'],
  [/^(dwarf|elfutils\/.*)\.h$/, 'libdw-dev'],
  [/^gmp\.h$/, 'libgmp-dev'],
  [/^mpc\.h$/, 'libmpc-dev'],
];

export interface HostProblem {
  message: string;
  /** The Debian package that fixes it, when one does. */
  package: string | null;
}

const stripPrefix = (tool: string) => tool.replace(/^.*\//, '');

/** A cross tool "aarch64-linux-gnu-gcc" → its package through the arch table's naming: gcc-aarch64-linux-gnu. */
function crossPackage(tool: string): string | null {
  const m = /^([a-z0-9_]+-linux-gnu(?:eabihf|eabi)?)-(gcc|ld|as|objcopy|nm|ar)$/.exec(tool);
  if (!m) return null;
  return m[2] === 'gcc' ? `gcc-${m[1].replace(/_/g, '-')}` : `binutils-${m[1].replace(/_/g, '-')}`;
}

/** Is this issue of the log a host problem? null when it is the tree's (a real build error). */
export function hostProblem(issue: LogIssue): HostProblem | null {
  if (issue.tool === 'host' && issue.missing) {
    const tool = stripPrefix(issue.missing);
    const pkg = TOOL_PACKAGES[tool] ?? crossPackage(tool);
    return { message: `the build needs \`${tool}\`, which is not installed (${issue.message})`, package: pkg };
  }
  if (issue.tool === 'compiler' && issue.severity === 'error') {
    const hdr = /^([\w./+-]+\.h): No such file or directory$/.exec(issue.message)?.[1];
    if (hdr) {
      const pkg = HEADER_PACKAGES.find(([re]) => re.test(hdr))?.[1];
      if (pkg) return { message: `the host header ${hdr} is missing (${issue.rel ?? issue.path}:${issue.line})`, package: pkg };
    }
    if (/Killed signal terminated program|virtual memory exhausted|out of memory/i.test(issue.message)) {
      return { message: `the compiler was killed (out of memory?): ${issue.message}`, package: null };
    }
    if (/internal compiler error/.test(issue.message)) return { message: `the compiler crashed: ${issue.message}`, package: null };
    const exec = /cannot execute ['‘]?([^'’:\s]+)['’]?/.exec(issue.message);
    if (exec) return { message: `the compiler cannot run ${exec[1]}: ${issue.message}`, package: null };
  }
  if (/No space left on device/.test(issue.message)) return { message: `the disk is full: ${issue.message}`, package: null };
  return null;
}

/** The first host problem among ISSUES (in log order). */
export function firstHostProblem(issues: readonly LogIssue[]): HostProblem | null {
  for (const i of [...issues].sort((a, b) => a.logLine - b.logLine)) {
    const p = hostProblem(i);
    if (p) return p;
  }
  return null;
}
