// SPDX-License-Identifier: GPL-2.0-only
/**
 * The test initramfs, built by kseries (no root image, no root privileges) and cached by
 * content: a hash of the file list and of every file's content names the cache
 * directory <cache>/initramfs/<hash>/, so a rebuild with the same inputs is a hit.
 *
 * resolveInitramfsInputs() looks at the host (busybox applets, ldd, directory listings);
 * initramfsPlan() (pure) turns that into entries; buildInitramfs() packs them with the
 * kernel's usr/gen_init_cpio and gzip.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renameIntoPlace, tempPathFor } from '../atomic-write.js';
import { infraError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { findInPath } from '../doctor/doctor.js';
import { isStaticElf } from '../elf.js';
import { initramfsRoot, type StatePaths } from '../paths.js';
import { renderCpioList, type CpioEntry } from './cpio-list.js';
import { fileSha256, listTree } from './host-files.js';
import { HostMemo, statKey } from '../host-memo.js';
import { initScript } from './init-script.js';
import { initramfsPlan, type InitramfsInputs, type PlanEntry } from './initramfs-plan.js';
import { sharedLibraries } from './ldd.js';

export interface InitramfsSources {
  /** <INSTALL_MOD_PATH>/lib/modules/<release>, or null. */
  modulesDir: string | null;
  /** An installed kselftest dir (has run_kselftest.sh), or null. */
  kselftestDir: string | null;
  scenarios: Array<{ name: string; dir: string }>;
  busybox?: string;
}

/** Dynamic host binaries the guest needs, and where they go. */
export const GUEST_BINARIES = [
  { name: 'ndctl', path: '/usr/bin/ndctl' },
  { name: 'daxctl', path: '/usr/bin/daxctl' },
  { name: 'bash', path: '/bin/bash' },
  // kselftest's runner calls /usr/bin/timeout --foreground, which busybox rejects
  { name: 'timeout', path: '/usr/bin/timeout' },
  // ext4 on the BLK device (busybox's mke2fs makes no journal, and it has no e2fsck)
  { name: 'mke2fs', path: '/sbin/mke2fs' },
  { name: 'e2fsck', path: '/sbin/e2fsck' },
] as const;

function findBusybox(explicit?: string): string {
  const candidates = explicit ? [explicit] : ['/bin/busybox', '/usr/bin/busybox', findInPath('busybox')].filter((p): p is string => !!p);
  for (const c of candidates) if (existsSync(c) && isStaticElf(c) === true) return c;
  throw infraError(
    explicit ? `${explicit} is not a static busybox` : 'no static busybox found',
    'Install busybox-static (`kseries doctor --fix`): the initramfs has no C library for a dynamic one.',
  );
}

export async function resolveInitramfsInputs(runner: Runner, s: InitramfsSources, memo = new HostMemo(null)): Promise<InitramfsInputs> {
  const busybox = findBusybox(s.busybox);
  const applets = await memo.remember(`applets:${busybox}`, statKey(busybox), async () => {
    const r = await runner.run({ cmd: busybox, args: ['--list-full'] });
    if (r.exitCode !== 0) throw infraError(`${busybox} --list-full failed (exit ${r.exitCode})`);
    return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  });
  const binaries = GUEST_BINARIES.map((b) => {
    const src = findInPath(b.name);
    if (!src) throw infraError(`${b.name} not found in PATH: the guest needs it`, 'Run `kseries doctor --fix`.');
    return { src, path: b.path };
  });
  const kselftests = s.kselftestDir ? listTree(s.kselftestDir) : null;
  // selftest programs built on the host are dynamic: their libraries come along too
  const dynamicTests = (kselftests ?? []).filter((f) => f.link === undefined && f.mode & 0o111 && isStaticElf(f.src) === false).map((f) => f.src);
  const libraries = await sharedLibraries(runner, [...binaries.map((b) => b.src), ...dynamicTests], memo);
  let modules: InitramfsInputs['modules'] = null;
  if (s.modulesDir) {
    if (!existsSync(join(s.modulesDir, 'modules.builtin'))) {
      throw infraError(`${s.modulesDir} has no modules.builtin`, 'Run `make O=BUILD INSTALL_MOD_PATH=DIR modules_install` (needs CONFIG_MODULES=y).');
    }
    modules = { release: s.modulesDir.replace(/\/+$/, '').split('/').pop()!, files: listTree(s.modulesDir) };
  }
  const scenarios = s.scenarios.map((sc) => ({ name: sc.name, files: listTree(sc.dir) }));
  return { busybox, applets, binaries, libraries, modules, kselftests, scenarios, init: initScript() };
}

/** The content hash of a plan: every entry, with file contents instead of host paths. */
export function planHash(plan: readonly PlanEntry[], contentHash: (src: string) => string = fileSha256): string {
  const h = createHash('sha256');
  h.update('kseries-initramfs-v1\n');
  for (const e of plan) {
    if (e.type === 'file') {
      const c = 'content' in e ? createHash('sha256').update(e.content).digest('hex') : contentHash(e.src);
      h.update(`file ${e.path} ${e.mode.toString(8)} ${c}\n`);
    } else {
      h.update(`${JSON.stringify(e)}\n`);
    }
  }
  return h.digest('hex');
}

/** The gen_init_cpio list, with generated files written under stageDir. */
export function stagedEntries(plan: readonly PlanEntry[], stageDir: string): { entries: CpioEntry[]; generated: Array<{ file: string; content: string }> } {
  const generated: Array<{ file: string; content: string }> = [];
  const entries = plan.map((e): CpioEntry => {
    if (e.type !== 'file' || !('content' in e)) return e;
    const file = join(stageDir, `gen${generated.length}${e.path.replace(/\//g, '_')}`);
    generated.push({ file, content: e.content });
    return { type: 'file', path: e.path, src: file, mode: e.mode };
  });
  return { entries, generated };
}

export interface BuiltInitramfs {
  path: string;
  hash: string;
  cached: boolean;
  dir: string;
  entries: number;
}

export const initramfsDir = (paths: StatePaths, hash: string) => join(initramfsRoot(paths), hash.slice(0, 20));

export async function buildInitramfs(runner: Runner, paths: StatePaths, plan: readonly PlanEntry[], genInitCpio: string, contentHash: (src: string) => string = fileSha256): Promise<BuiltInitramfs> {
  const hash = planHash(plan, contentHash);
  const dir = initramfsDir(paths, hash);
  const image = join(dir, 'initramfs.cpio.gz');
  if (existsSync(image)) return { path: image, hash, cached: true, dir, entries: plan.length };
  const tmp = tempPathFor(dir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'stage'), { recursive: true });
  try {
    // generated files live in the final dir, so the list stays valid for a manual rebuild
    const { entries, generated } = stagedEntries(plan, join(dir, 'stage'));
    for (const g of generated) writeFileSync(g.file.replace(dir, tmp), g.content, { mode: 0o755 });
    const list = renderCpioList(entries);
    writeFileSync(join(tmp, 'cpio-list.txt'), list.replaceAll(join(dir, 'stage'), join(tmp, 'stage')));
    const cpio = join(tmp, 'initramfs.cpio');
    const gen = await runner.run({
      cmd: 'sh',
      args: ['-c', 'exec "$0" -t 0 "$1" > "$2"', genInitCpio, join(tmp, 'cpio-list.txt'), cpio],
    });
    if (gen.exitCode !== 0) throw infraError(`gen_init_cpio failed (exit ${gen.exitCode}): ${gen.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const gz = await runner.run({ cmd: 'gzip', args: ['-n', '-6', cpio] });
    if (gz.exitCode !== 0) throw infraError(`gzip failed (exit ${gz.exitCode}): ${gz.stderr.trim()}`);
    writeFileSync(join(tmp, 'cpio-list.txt'), list);
    writeFileSync(join(tmp, 'hash'), `${hash}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameIntoPlace(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { path: image, hash, cached: false, dir, entries: plan.length };
}

/** The gen_init_cpio of a build dir, else one compiled from the source tree into the cache (the tree is not touched). */
export async function findGenInitCpio(runner: Runner, paths: StatePaths, buildDir: string | null, srcDir: string | null): Promise<string> {
  if (buildDir && existsSync(join(buildDir, 'usr', 'gen_init_cpio'))) return join(buildDir, 'usr', 'gen_init_cpio');
  const src = srcDir ? join(srcDir, 'usr', 'gen_init_cpio.c') : null;
  if (!src || !existsSync(src)) {
    throw infraError('no usr/gen_init_cpio in the build dir and no source to build it from', 'Build the kernel with CONFIG_BLK_DEV_INITRD=y first.');
  }
  const out = join(initramfsRoot(paths), 'tools', `gen_init_cpio-${createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12)}`);
  if (existsSync(out)) return out;
  mkdirSync(join(initramfsRoot(paths), 'tools'), { recursive: true });
  const r = await runner.run({ cmd: 'cc', args: ['-O2', '-o', out, src] });
  if (r.exitCode !== 0) throw infraError(`cannot compile ${src}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return out;
}

/** Resolve, plan, build (or hit the cache). */
export async function prepareInitramfs(runner: Runner, paths: StatePaths, sources: InitramfsSources, genInitCpio: string): Promise<BuiltInitramfs> {
  const memo = new HostMemo(join(initramfsRoot(paths), 'host-memo.json'));
  const inputs = await resolveInitramfsInputs(runner, sources, memo);
  const hashOf = (src: string) => memo.rememberSync(`sha256:${src}`, statKey(src), () => fileSha256(src));
  const built = await buildInitramfs(runner, paths, initramfsPlan(inputs), genInitCpio, hashOf);
  memo.save();
  return built;
}
