// SPDX-License-Identifier: GPL-2.0-only
/**
 * The shared libraries a dynamic executable needs, as `ldd` names them (the loader
 * resolves DT_NEEDED through the real search paths, so we ask it instead of guessing).
 */
import { infraError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { HostMemo, statKey } from '../host-memo.js';

export interface LddLibrary {
  /** The soname ("libc.so.6"), or the loader's path. */
  name: string;
  /** Where the loader found it; the same path is used inside the initramfs. */
  path: string;
}

/** Parses `ldd` output. Throws on "not found"; drops the vDSO. Pure. */
export function parseLdd(output: string): LddLibrary[] {
  const libs: LddLibrary[] = [];
  const missing: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line || /statically linked/.test(line)) continue;
    let m = /^(\S+)\s+=>\s+not found/.exec(line);
    if (m) {
      missing.push(m[1]);
      continue;
    }
    m = /^(\S+)\s+=>\s+(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (m) {
      libs.push({ name: m[1], path: m[2] });
      continue;
    }
    m = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (m) {
      libs.push({ name: m[1], path: m[1] });
      continue;
    }
    // linux-vdso.so.1 (0x...) and anything without a file
  }
  if (missing.length) throw new Error(`shared libraries not found: ${missing.join(', ')}`);
  return libs;
}

async function ldd(runner: Runner, bin: string): Promise<LddLibrary[]> {
  const r = await runner.run({ cmd: 'ldd', args: [bin] });
  if (r.exitCode !== 0) {
    if (/not a dynamic executable/.test(r.stdout + r.stderr)) return [];
    throw infraError(`ldd ${bin} failed (exit ${r.exitCode}): ${r.stderr.trim()}`, 'Install the package that provides it (`kseries doctor`).');
  }
  try {
    return parseLdd(r.stdout);
  } catch (e) {
    throw infraError(`${bin}: ${(e as Error).message}`, 'Reinstall the package that provides it (`kseries doctor --fix`).');
  }
}

/**
 * Runs ldd on each binary; returns the union of their libraries (stable order, no
 * duplicates). An answer is remembered by MEMO while the binary, the loader's cache,
 * LD_LIBRARY_PATH and every library it named are the same files (size, times, inode).
 */
export async function sharedLibraries(runner: Runner, binaries: readonly string[], memo = new HostMemo(null)): Promise<LddLibrary[]> {
  const seen = new Map<string, LddLibrary>();
  const loader = `${statKey('/etc/ld.so.cache')} ${process.env.LD_LIBRARY_PATH ?? ''}`;
  const withKeys = async (bin: string) => (await ldd(runner, bin)).map((l) => ({ ...l, key: statKey(l.path) }));
  for (const bin of binaries) {
    const name = `ldd:${bin}`;
    const key = `${statKey(bin)} ${loader}`;
    let libs = await memo.remember(name, key, () => withKeys(bin));
    // a library upgraded, moved or removed since: ask the loader again
    if (libs.some((l) => statKey(l.path) !== l.key)) {
      libs = await withKeys(bin);
      memo.set(name, key, libs);
    }
    for (const l of libs) if (!seen.has(l.path)) seen.set(l.path, { name: l.name, path: l.path });
  }
  return [...seen.values()];
}
