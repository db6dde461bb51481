// SPDX-License-Identifier: GPL-2.0-only
/**
 * The toolchain a build uses: checked before make runs (a missing compiler is an
 * infrastructure error naming the Debian package, not a build failure deep in the log)
 * and recorded in metadata.json (the first line of each tool's --version).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { findInPath } from '../doctor/doctor.js';
import { infraError, KseriesError } from '../errors.js';
import { HostMemo, statKey } from '../host-memo.js';
import type { Runner } from '../exec/runner.js';
import { LLVM_PACKAGES, type ArchInfo } from './arches.js';
import { compilerOf } from './plan.js';
import type { BuildSpec } from './spec.js';

export interface Toolchain {
  make: string;
  cc: string;
  ld: string;
  ccache: string | null;
}

/** The tools a spec needs, each with the package that provides it. */
export function requiredTools(spec: Pick<BuildSpec, 'llvm' | 'crossCompile' | 'ccache'> & { arch: ArchInfo }): Array<{ role: keyof Toolchain; cmd: string; package: string }> {
  const { cc, ld } = compilerOf(spec);
  const tools: Array<{ role: keyof Toolchain; cmd: string; package: string }> = [{ role: 'make', cmd: 'make', package: 'make' }];
  if (spec.llvm) {
    tools.push({ role: 'cc', cmd: cc, package: LLVM_PACKAGES[0] }, { role: 'ld', cmd: ld, package: LLVM_PACKAGES[1] });
  } else if (spec.crossCompile) {
    tools.push({ role: 'cc', cmd: cc, package: spec.arch.gccPackage }, { role: 'ld', cmd: ld, package: spec.arch.gccPackage.replace(/^gcc-/, 'binutils-') });
  } else {
    tools.push({ role: 'cc', cmd: cc, package: 'gcc' }, { role: 'ld', cmd: ld, package: 'binutils' });
  }
  if (spec.ccache) tools.push({ role: 'ccache', cmd: 'ccache', package: 'ccache' });
  return tools;
}

/** Tools of the spec that are not in PATH (a cheap check, also done for --dry-run). */
export const missingTools = (spec: Parameters<typeof requiredTools>[0], pathEnv?: string) =>
  requiredTools(spec).filter((t) => !findInPath(t.cmd, pathEnv));

export function missingToolError(missing: Array<{ cmd: string; package: string }>, what: string) {
  const pkgs = [...new Set(missing.map((m) => m.package))];
  return infraError(
    `${missing.map((m) => m.cmd).join(', ')} not found: needed to build ${what}`,
    `Install ${pkgs.length > 1 ? 'them' : 'it'}: apt-get install ${pkgs.join(' ')}`,
    { missing },
  );
}

async function versionLine(runner: Runner, t: { cmd: string; package: string }, what: string): Promise<string> {
  try {
    const r = await runner.run({ cmd: t.cmd, args: ['--version'], env: { LC_ALL: 'C' } });
    const first = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.trim())?.trim() ?? '';
    if (r.exitCode !== 0 && !first) throw missingToolError([t], what);
    return first;
  } catch (e) {
    if (e instanceof KseriesError && e.kind === 'infra' && /command not found|could not be started/.test(e.message)) throw missingToolError([t], what);
    throw e;
  }
}

/** Whether PATH is a script (#!): a wrapper whose answer depends on what it runs, not on its own file. */
function isScript(path: string): boolean {
  const head = Buffer.alloc(2);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * The first line of `TOOL --version` for each tool: remembered by MEMO while the binary found
 * in PATH is the same file (size, time, inode), so a rebuild spawns no probe beside make. A
 * wrapper script (a `gcc` that execs gcc-13, distcc's or a toolchain's launcher) is asked
 * every time: what it runs can change while the script itself does not.
 */
export async function probeToolchain(runner: Runner, spec: Parameters<typeof requiredTools>[0], what: string, memo = new HostMemo(null)): Promise<Toolchain> {
  const out: Toolchain = { make: '', cc: '', ld: '', ccache: null };
  for (const t of requiredTools(spec)) {
    const path = findInPath(t.cmd);
    out[t.role] = path && !isScript(path) ? await memo.remember(`version:${path}`, statKey(path), () => versionLine(runner, t, what)) : await versionLine(runner, t, what);
  }
  memo.save();
  return out;
}
