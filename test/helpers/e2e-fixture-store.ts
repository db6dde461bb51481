// SPDX-License-Identifier: GPL-2.0-only
/**
 * The shared, reusable fixtures of the end-to-end tests: real kernel trees and a real
 * kernel, made by kseries itself, outside the clone, in a cache directory that later runs
 * reuse:
 *
 *   $KSERIES_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/kseries-e2e
 *     k61/state/trees/k61     `kseries tree add k61 --source debian:6.1`      (globalSetup)
 *     k61/ready.json          its marker, written last
 *     k61/cache/build/k61/x86_64-default
 *                             tinyconfig + feature + platform, built by `kseries build --ccache`
 *     k61/kernel.json         its marker (lazily: ensureKernel61(), the VM e2e)
 *     k612/state/trees/k612   `kseries tree add k612 --source debian:6.12`    (lazily: ensureK612())
 *     k612/ready.json
 *     ccache/                 CCACHE_DIR of the fixture builds (and of any e2e build that wants it)
 *     logs/                   stderr of every fixture command
 *     NAME.lock/              held while a fixture is checked or made (several vitest runs may share the cache)
 *
 * A fixture without its marker (an interrupted run) is deleted and made again; a marker
 * whose repository no longer answers, or whose Debian package version is no longer the
 * installed one, too. The kernel is rebuilt (incrementally) when the kconfig fragments change.
 *
 * Tests never write into a fixture's own checkout: they register the repository in their
 * own isolated state as a git tree (`kseries tree add NAME --source k61Repo()`), or a
 * `git clone --shared --bare` of it, so only worktrees and kseries/* refs land in it, and
 * they remove them again (`kseries tree remove NAME`).
 *
 * The fixture commands run under nice -n 10 (a shared machine; a no-op on an idle CI box).
 *
 * This module is loaded by globalSetup, where vitest itself cannot be imported: test files
 * use test/helpers/e2e-fixtures.ts.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** A Debian kernel imported by `kseries tree add NAME --source debian:X.Y`. */
export interface ImportedFixture {
  /** IMPORT_SCHEME of the kseries that made it. */
  scheme?: number;
  name: 'k61' | 'k612';
  source: string;
  /** The git repository (with its checkout): register it as a git tree, never write into it. */
  repo: string;
  /** The KSERIES_HOME it was imported into. */
  state: string;
  commit: string;
  ref: string;
  kernel: string;
  debianVersion: string;
  /** Seconds the import took. */
  seconds: number;
  madeAt: string;
}

/** A kernel built from the k61 fixture: tinyconfig + kconfig/feature-dax-kmem + kconfig/platform-qemu-x86_64. */
export interface KernelFixture {
  /** The source it was built from (the k61 fixture's checkout). */
  srcDir: string;
  /** The O= build directory. */
  buildDir: string;
  /** BUILD/arch/x86/boot/bzImage. */
  kernel: string;
  /** BUILD/usr/gen_init_cpio. */
  genInitCpio: string;
  /** Hash of what it was built from (commit, fragments). */
  key: string;
  seconds: number;
  madeAt: string;
}

export interface E2eFixtures {
  /** The e2e cache directory. */
  root: string;
  k61: ImportedFixture;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kseriesE2e: E2eFixtures;
  }
}

const REPO = resolve(new URL('../..', import.meta.url).pathname);
const BIN = join(REPO, 'bin', 'run.js');
const DEBIAN = { k61: 'debian:6.1', k612: 'debian:6.12' } as const;
/** The kconfig step of the kernel fixture (part of its key: a change rebuilds it). */
const KERNEL_RECIPE = ['kconfig', 'apply', '--tree', 'k61', '--base', 'tinyconfig', '--json'];

/** Where the fixtures live: $KSERIES_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/kseries-e2e. */
export function e2eCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KSERIES_E2E_CACHE) return resolve(env.KSERIES_E2E_CACHE);
  return resolve(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'kseries-e2e');
}

const log = (m: string) => process.stderr.write(`[e2e fixtures] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (t0: number) => Math.round((Date.now() - t0) / 100) / 10;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (a test worker must keep answering vitest's RPC). */
function run(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; logFile?: string } = {}): Promise<Ran> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code, signal) => {
      if (opts.logFile) writeFileSync(opts.logFile, `$ ${cmd} ${args.join(' ')}\n# exit ${code ?? signal}\n${stderr}`);
      res({ code: code ?? 128, stdout, stderr });
    });
  });
}

/** `nice -n 10 kseries ARGS` with the fixture's state, cache and ccache; throws with its stderr on a non-zero exit. */
async function kseries(root: string, args: string[], env: Record<string, string>, logName: string): Promise<unknown> {
  if (!existsSync(join(REPO, 'dist', 'commands'))) throw new Error('dist/ is not built: run `npm run build` first');
  mkdirSync(join(root, 'logs'), { recursive: true });
  const logFile = join(root, 'logs', `${logName}.log`);
  const r = await run('nice', ['-n', '10', process.execPath, BIN, ...args], {
    env: { KSERIES_NO_PROGRESS: '1', CCACHE_DIR: join(root, 'ccache'), ...env },
    logFile,
  });
  if (r.code !== 0) {
    throw new Error(`e2e fixture: kseries ${args.join(' ')} exited ${r.code} (log: ${logFile})\n${r.stderr.split('\n').slice(-30).join('\n')}\n${r.stdout.slice(-4000)}`);
  }
  return (JSON.parse(r.stdout) as { result: unknown }).result;
}

/** The start time of a process (field 22 of /proc/PID/stat), so that a reused pid is not taken for the lock's owner. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Runs FN holding ROOT/NAME.lock (a directory): other vitest runs on the same cache wait; a dead owner's lock is taken over. */
async function withLock<T>(root: string, name: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(root, `${name}.lock`);
  const owner = join(dir, 'owner');
  const me = `${process.pid} ${startTime(process.pid)}`;
  let waited = 0;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, me);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = '';
      try {
        holder = readFileSync(owner, 'utf8');
      } catch {
        // just created, owner not written yet
      }
      const [pid, start] = holder.split(' ');
      if (holder && startTime(Number(pid)) !== start) {
        log(`${name}: taking over the lock of process ${pid}, which is gone`);
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (waited % 60_000 === 0) log(`${name}: waiting for process ${pid || '?'} to finish it`);
      await sleep(2000);
      waited += 2000;
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Writes the marker last and atomically: a fixture without it is half-made. */
function writeMarker(file: string, data: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The installed version of a Debian package, or null. */
async function installedVersion(pkg: string): Promise<string | null> {
  const r = await run('dpkg-query', ['-W', '-f=${Status}\t${Version}', pkg]).catch(() => null);
  if (!r || r.code !== 0 || !/install ok installed\t/.test(r.stdout)) return null;
  return r.stdout.split('\t')[1]?.trim() || null;
}

/**
 * Makes (or checks and reuses) the Debian import NAME: `kseries tree add NAME --source debian:X.Y`
 * into ROOT/NAME/state. Installs linux-source-X.Y when missing (kseries does, as root).
 */
/** How kseries imports: 2 = content-derived commit ids and one object store per line. */
const IMPORT_SCHEME = 2;

export async function ensureImported(root: string, name: 'k61' | 'k612'): Promise<ImportedFixture> {
  mkdirSync(root, { recursive: true });
  const dir = join(root, name);
  const marker = join(dir, 'ready.json');
  return withLock(root, name, async () => {
    const m = readJson<ImportedFixture>(marker);
    if (m) {
      const head = await run('git', ['-C', m.repo, 'rev-parse', '--verify', '-q', 'HEAD^{commit}']);
      const installed = await installedVersion(`linux-source-${DEBIAN[name].slice('debian:'.length)}`);
      if (m.scheme === IMPORT_SCHEME && head.code === 0 && head.stdout.trim() === m.commit && (installed === null || installed === m.debianVersion)) {
        // worktrees of test runs that were killed before their cleanup: their directories are gone
        await run('git', ['-C', m.repo, 'worktree', 'prune']);
        log(`${name}: reusing ${m.repo} (Linux ${m.kernel}, Debian ${m.debianVersion})`);
        return m;
      }
      const why = m.scheme !== IMPORT_SCHEME ? 'made by an older kseries import (commit ids are content-derived since scheme 2)' : head.code !== 0 || head.stdout.trim() !== m.commit ? 'the repository is damaged' : `Debian ${installed} is installed now, not ${m.debianVersion}`;
      log(`${name}: ${why}: importing again`);
    } else if (existsSync(dir)) {
      log(`${name}: half-made (no ready.json): importing again`);
    }
    await rm(dir, { recursive: true, force: true });
    const state = join(dir, 'state');
    mkdirSync(state, { recursive: true });
    const t0 = Date.now();
    log(`${name}: kseries tree add ${name} --source ${DEBIAN[name]} (KSERIES_HOME=${state})`);
    const rec = (await kseries(root, ['tree', 'add', name, '--source', DEBIAN[name], '--json'], { KSERIES_HOME: state, KSERIES_CACHE: join(dir, 'cache') }, `${name}-import`)) as {
      repo: string;
      commit: string;
      ref: string;
      kernel: { string: string };
      debianVersion: string;
    };
    const made: ImportedFixture = {
      scheme: IMPORT_SCHEME,
      name,
      source: DEBIAN[name],
      repo: rec.repo,
      state,
      commit: rec.commit,
      ref: rec.ref,
      kernel: rec.kernel.string,
      debianVersion: rec.debianVersion,
      seconds: seconds(t0),
      madeAt: new Date().toISOString(),
    };
    writeMarker(marker, made);
    log(`${name}: imported Linux ${made.kernel} (Debian ${made.debianVersion}) in ${made.seconds} s`);
    return made;
  });
}

/** What the kernel fixture is built from: a change rebuilds it. */
function kernelKey(k61: ImportedFixture): string {
  const h = createHash('sha256').update(`${k61.commit}\n${KERNEL_RECIPE.join(' ')}\n`);
  for (const f of ['feature-dax-kmem.config', 'platform-qemu-x86_64.config']) h.update(readFileSync(join(REPO, 'kconfig', f)));
  return h.digest('hex').slice(0, 16);
}

/**
 * Makes (or reuses) a bzImage of the k61 fixture for the VM tests, with kseries itself:
 * `kseries kconfig apply --tree k61 --base tinyconfig` (feature + platform fragments),
 * then `kseries build --tree k61 --ccache --nice 10`, in the fixture's own state (its
 * checkout is the source, O= keeps it clean). Cold: 4-11 min on 2 cores; with the
 * ccache of an earlier run ~1 min; reused: nothing.
 */
export async function ensureKernel61(root: string, k61: ImportedFixture): Promise<KernelFixture> {
  const dir = join(root, 'k61');
  const cache = join(dir, 'cache');
  const buildDir = join(cache, 'build', 'k61', 'x86_64-default');
  const marker = join(dir, 'kernel.json');
  const key = kernelKey(k61);
  return withLock(root, 'k61-kernel', async () => {
    const m = readJson<KernelFixture>(marker);
    if (m && m.key === key && existsSync(m.kernel) && existsSync(m.genInitCpio)) {
      log(`kernel: reusing ${m.kernel}`);
      return m;
    }
    if (m) {
      log(`kernel: ${m.key !== key ? 'its fragments or tree changed' : 'an artifact is missing'}: building again (incrementally)`);
    } else if (existsSync(buildDir)) {
      log('kernel: half-made (no kernel.json): building again from scratch (ccache keeps it short)');
      await rm(buildDir, { recursive: true, force: true });
    }
    rmSync(marker, { force: true });
    const env = { KSERIES_HOME: k61.state, KSERIES_CACHE: cache };
    const t0 = Date.now();
    await kseries(root, KERNEL_RECIPE, env, 'k61-kconfig');
    log(`kernel: kconfig apply took ${seconds(t0)} s; building (kseries build --ccache)`);
    const b = (await kseries(root, ['build', '--tree', 'k61', '--ccache', '--nice', '10', '--json'], env, 'k61-build')) as { status: string; compiled?: number };
    const made: KernelFixture = {
      srcDir: k61.repo,
      buildDir,
      kernel: join(buildDir, 'arch', 'x86', 'boot', 'bzImage'),
      genInitCpio: join(buildDir, 'usr', 'gen_init_cpio'),
      key,
      seconds: seconds(t0),
      madeAt: new Date().toISOString(),
    };
    for (const f of [made.kernel, made.genInitCpio]) if (!existsSync(f)) throw new Error(`e2e fixture: kseries build said ${b.status} but ${f} is missing`);
    writeMarker(marker, made);
    log(`kernel: built in ${made.seconds} s (${b.compiled ?? '?'} objects compiled): ${made.kernel}`);
    return made;
  });
}
