// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries build` on the real Debian 6.1 tree with the series of patches/v6.1 applied and
 * the verified config (tinyconfig + platform + feature + persist-blk, persist-fs):
 *   - bzImage and the modules of every =m symbol are produced;
 *   - a rebuild after touching drivers/dax/kmem.c recompiles only a handful of objects;
 *   - kseries watch with one scenario: round 1 at once; a save that adds a warning prints
 *     the build line, that warning and "tests unchanged" (and runs no modules_install: the
 *     guest files are up to date); undoing it prints it gone; Ctrl-C 130;
 *   - two runs at once: a second build and an apply with --no-wait exit 3 naming the build;
 *     Ctrl-C during make exits 130 and leaves no lock or process; bad input (a fragment line
 *     that is not an assignment under --strict: 1; --continue with nothing parked: 2) changes nothing;
 *   - --each-commit --from 4 --W1 builds patch 3 as the reference, then patches 4 and 5,
 *     without a new warning in the files the series touches (the bisectability check,
 *     one full W=1 build); the whole walk from the base only with KSERIES_E2E_EACH_COMMIT=full
 *     (two full W=1 builds: the base, and patch 1, which changes memory_hotplug.h);
 *   - --warnings-delta --W1 (only with KSERIES_E2E_DELTA=1: two more full W=1 builds).
 *
 * The tree is the e2e fixture k61 (Debian 6.1 imported by kseries, test/helpers/e2e-fixture-store.ts),
 * reached through a `git clone --shared --bare --single-branch` (the fixture is never
 * written to: worktrees and kseries/* refs land in the clone); `tree remove` cleans up at
 * the end. State, build dirs and the clone live under a STABLE path (<e2e cache>/build-e2e,
 * wiped at the start) and ccache in the e2e cache's ccache/ (kept): compiler command lines
 * hold absolute paths, so a later run of this file hits the cache. Every make runs under
 * nice -n 10 with -j2. A first run took 58 min on 2 busy cores (three full builds, two of
 * them W=1); a rerun with a warm cache a fraction of that.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { e2eCcacheDir, e2eRoot, k61Repo } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { startGroup } from '../helpers/kill.js';

const K61_SOURCE = k61Repo();
const ROOT = join(e2eRoot(), 'build-e2e');
const CCACHE = e2eCcacheDir();
const STATE = join(ROOT, 'state');
const CACHE_DIR = join(ROOT, 'cache');
const CLONE = join(ROOT, 'k61.git');
const BUILD = join(CACHE_DIR, 'build', 'k61', 'x86_64-default');
const BUILD_FLAGS = ['-j2', '--nice', '10', '--ccache'];
const SERIES = readFileSync(new URL('../../patches/v6.1/series', import.meta.url), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l.trim()));

let env: IsolatedEnv;
const kseries = (args: string[], timeoutMs = 3_600_000) =>
  runCliAsync(args, { env: { KSERIES_HOME: STATE, KSERIES_CACHE: CACHE_DIR, CCACHE_DIR: CCACHE, KSERIES_NO_PROGRESS: '1' }, timeoutMs });
const json = (s: string) => JSON.parse(s);
const log = (m: string) => process.stderr.write(`[build e2e] ${m}\n`);
const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const t = Date.now();
  const r = await fn();
  log(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r;
};

describe('kseries build on Debian 6.1 with the series (real tree)', () => {
  let srcDir: string;

  beforeAll(async () => {
    env = isolate('kseries-e2e-build-');
    // asynchronously: deleting GBs of worktrees must not block the test worker (vitest's RPC times out)
    await rm(ROOT, { recursive: true, force: true });
    mkdirSync(ROOT, { recursive: true });
    mkdirSync(CCACHE, { recursive: true });
    // only the checked-out branch: the fixture may hold kseries/* branches of other states
    await promisify(execFile)('git', ['clone', '-q', '--shared', '--bare', '--single-branch', K61_SOURCE, CLONE]);
    const add = await kseries(['tree', 'add', 'k61', '--source', CLONE, '--json']);
    expect(add.code, add.stderr).toBe(0);
    const apply = await timed('apply', () => kseries(['apply', '--tree', 'k61', '--json']));
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    srcDir = json(apply.stdout).result.worktree;
    // the config of `kseries ci` (ci.test.ts, .ci/run's main job): same commit, .config and layout, so ccache hits across them
    const kc = await timed('kconfig apply', () => kseries(['kconfig', 'apply', '--tree', 'k61', '--base', 'tinyconfig', '--platform', 'qemu-x86_64', '--persist', 'blk,fs', '--selftests', 'memory-hotplug,dax', '--json']));
    expect(kc.code, kc.stderr + kc.stdout).toBe(0);
    const config = readFileSync(join(BUILD, '.config'), 'utf8');
    for (const l of ['CONFIG_DEV_DAX_KMEM_PERSIST=y', 'CONFIG_DEV_DAX_KMEM_BLK=y', 'CONFIG_64BIT=y']) expect(config).toContain(`\n${l}\n`);
  });

  afterAll(async () => {
    if (existsSync(join(STATE, 'trees.json'))) await kseries(['tree', 'remove', 'k61']);
    env?.cleanup();
  });

  it('builds bzImage and the modules of every =m symbol; metadata.json says how to reproduce it', async () => {
    const r = await timed('cold build', () => kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--json']));
    expect(r.code).toBe(0);
    const res = json(r.stdout).result;
    log(`cold build: ${res.compiled} objects, make ${(res.durationMs / 1000).toFixed(1)} s, ${res.buildWarnings} warnings`);
    expect(res.status).toBe('ok');
    const image = res.artifacts.find((a: { kind: string }) => a.kind === 'image');
    expect(image).toMatchObject({ path: 'arch/x86/boot/bzImage' });
    expect(image.bytes).toBeGreaterThan(1_000_000);
    expect(existsSync(join(BUILD, 'arch/x86/boot/bzImage'))).toBe(true);
    // Known without the output under test: kconfig/platform-qemu-x86_64.config keeps CONFIG_MODULES=y, and the
    // memory-hotplug selftest config (tools/testing/selftests/memory-hotplug/config) asks for
    // CONFIG_MEMORY_NOTIFIER_ERROR_INJECT=m, which lib/Makefile builds as lib/memory-notifier-error-inject.ko.
    const config = readFileSync(join(BUILD, '.config'), 'utf8');
    expect(config).toMatch(/^CONFIG_MODULES=y$/m);
    expect(config).toMatch(/^CONFIG_MEMORY_NOTIFIER_ERROR_INJECT=m$/m);
    const modules: string[] = res.artifacts.filter((a: { kind: string }) => a.kind === 'module').map((a: { path: string }) => a.path);
    expect(modules).toContain('lib/memory-notifier-error-inject.ko');
    // the reported modules are exactly the .ko files make left in the (wiped at the start) build dir
    const onDisk = (await promisify(execFile)('find', ['.', '-name', '*.ko', '-type', 'f'], { cwd: BUILD })).stdout
      .split('\n').filter(Boolean).map((p) => p.replace(/^\.\//, ''));
    expect([...modules].sort()).toEqual(onDisk.sort());
    const meta = json(readFileSync(join(BUILD, 'metadata.json'), 'utf8'));
    expect(meta).toMatchObject({ tree: 'k61', series: 'v6.1', status: 'ok', toolchain: { cc: expect.stringMatching(/^gcc/), ccache: expect.stringMatching(/ccache/) } });
    expect(meta.command).toBe(`CCACHE_DIR=${CCACHE} CCACHE_BASEDIR=${ROOT} CCACHE_NOHASHDIR=true nice -n 10 make -C ${srcDir} O=${BUILD} ARCH=x86_64 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j2 bzImage modules`);
  });

  it('a rebuild after touching drivers/dax/kmem.c recompiles only what changed', async () => {
    const future = new Date(Date.now() + 2000);
    utimesSync(join(srcDir, 'drivers/dax/kmem.c'), future, future);
    const r = await timed('incremental build', () => kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--json']));
    expect(r.code).toBe(0);
    const res = json(r.stdout).result;
    const text = readFileSync(res.log, 'utf8');
    const cc = text.split('\n').filter((l) => /^ {2}CC(?: \[M\])? /.test(l));
    log(`incremental: ${cc.length} CC lines: ${cc.map((l) => l.trim().split(/\s+/).pop()).join(', ')}`);
    expect(cc).toContainEqual(expect.stringMatching(/^ {2}CC\s+drivers\/dax\/kmem\.o$/));
    expect(res.compiled).toBe(cc.length);
    expect(cc.length).toBeLessThanOrEqual(6);
  });

  it('watch: a first round, then a save that adds a warning prints only that warning (the scenario unchanged), the undo prints it gone; Ctrl-C exits 130 and leaves no lock or process', async () => {
    const file = join(srcDir, 'drivers/dax/kmem.c');
    const original = readFileSync(file, 'utf8');
    const env = { KSERIES_HOME: STATE, KSERIES_CACHE: CACHE_DIR, CCACHE_DIR: CCACHE, KSERIES_NO_PROGRESS: '1' };
    const results = join(ROOT, 'watch-results');
    const run = startGroup(['watch', '--tree', 'k61', '--scenario', 'kmem-persist-exclusive', '--accel', 'tcg', '-j2', '--debounce', '500', '--results', results], env);
    const until = async (re: RegExp, what: string, limitMs = 1_200_000) => {
      const t0 = Date.now();
      while (!re.test(run.stdout()) && Date.now() - t0 < limitMs) await new Promise((r) => setTimeout(r, 250));
      expect(run.stdout(), `${what}\nstderr:\n${run.stderr()}`).toMatch(re);
      log(`watch: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    };
    try {
      await until(/^ {2}kmem-persist-exclusive:boot1: pass \(/m, 'round 1 built and passed');
      expect(run.stdout()).toMatch(/^round 1 \(start\), [\d.]+ s: build ok: \d+ objects? in [\d.]+ s$/m);
      writeFileSync(file, `${original}\nstatic int kseries_watch_probe;\n`);
      const probeLine = original.split('\n').length + 1;
      await until(/^ {2}tests unchanged: 1 boot, pass$/m, 'round 2 (a warning added)');
      const round2 = run.stdout().slice(run.stdout().indexOf('round 2 '));
      expect(round2.split('\n').slice(0, 3)).toEqual([
        expect.stringMatching(/^round 2 \(drivers\/dax\/kmem\.c\), [\d.]+ s: build ok: [1-6] objects? in [\d.]+ s$/),
        expect.stringMatching(new RegExp(`^ {2}\\+ warning drivers/dax/kmem\\.c:${probeLine}: .kseries_watch_probe. defined but not used \\[-Wunused-variable\\]$`)),
        '  tests unchanged: 1 boot, pass',
      ]);
      // kmem.c is built in: the relink rewrote modules.builtin.modinfo with the same content, so no modules_install
      expect(readFileSync(join(results, 'round-2', 'prepare.log'), 'utf8')).toMatch(/^modules: up to date \(/m);
      writeFileSync(file, original);
      await until(/^round 3 [^\n]*\n {2}- 1 warning gone \(\d+ left\)\n {2}tests unchanged: 1 boot, pass$/m, 'round 3 (the warning gone)');
      expect(existsSync(join(results, 'round-3', 'results.json'))).toBe(true);
    } finally {
      if (readFileSync(file, 'utf8') !== original) writeFileSync(file, original);
      run.signal('SIGINT');
    }
    const end = await run.done;
    expect(end.code, end.stderr).toBe(130);
    expect(end.strays).toBe(false);
    for (const d of [join(CACHE_DIR, 'locks'), join(STATE, 'locks')]) expect(existsSync(d) ? readdirSync(d).filter((f) => !f.startsWith('.')) : [], d).toEqual([]);
  });

  it('two runs at once and Ctrl-C on the real tree: a second build and an apply --no-wait exit 3 naming the build; Ctrl-C in make exits 130 and leaves no lock or process; the rerun builds; bad input changes nothing', async () => {
    // a header many objects include: make runs for a while (ccache hits still preprocess)
    const future = new Date(Date.now() + 2000);
    utimesSync(join(srcDir, 'include/linux/memory_hotplug.h'), future, future);
    const env = { KSERIES_HOME: STATE, KSERIES_CACHE: CACHE_DIR, CCACHE_DIR: CCACHE, KSERIES_NO_PROGRESS: '1' };
    const first = startGroup(['build', '--tree', 'k61', ...BUILD_FLAGS], env);
    const t0 = Date.now();
    while (!first.running('make') && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 100));
    expect(first.running('make'), first.stderr()).toBe(true);

    const second = await kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--no-wait', '--json']);
    expect(second.code, second.stderr).toBe(3);
    expect(json(second.stdout).error.message).toMatch(new RegExp(`^build directory ${BUILD} is in use by kseries build --tree k61 ${BUILD_FLAGS.join(' ')} \\(pid ${first.pid} on `));
    const apply = await kseries(['apply', '--tree', 'k61', '--no-wait', '--json']);
    expect(apply.code, apply.stderr).toBe(3);
    expect(json(apply.stdout).error.message).toMatch(new RegExp(`^tree k61 is in use by kseries build --tree k61 .*\\(pid ${first.pid} on `));
    expect(first.running('make'), 'make still runs: the refusals were made while the build held its locks').toBe(true);

    expect(first.signal('SIGINT')).toBe(true);
    const end = await first.done;
    expect(end.code, end.stderr).toBe(130);
    expect(end.bySignal, 'node died of the signal: kseries had no handler yet').toBe(false);
    expect(end.stderr).toMatch(/SIGINT received/);
    expect(end.strays, 'a process of the interrupted build is still running').toBe(false);
    for (const d of [join(CACHE_DIR, 'locks'), join(STATE, 'locks')]) expect(existsSync(d) ? readdirSync(d).filter((f) => !f.startsWith('.')) : [], d).toEqual([]);
    log(`Ctrl-C in make after ${((Date.now() - t0) / 1000).toFixed(1)} s: exit 130`);

    // bad input on the real tree: a fragment line that is not an assignment (--strict: exit 1, nothing ran); --continue with nothing parked (2)
    const config = readFileSync(join(BUILD, '.config'));
    const bad = join(ROOT, 'bad.config');
    writeFileSync(bad, 'CONFIG_DEV_DAX=y\nDEV_DAX_KMEM y\n');
    const kc = await kseries(['kconfig', 'apply', '--tree', 'k61', '--fragment', bad, '--strict', '--json']);
    expect(kc.code, kc.stderr).toBe(1);
    expect(kc.stdout + kc.stderr).toMatch(/bad\.config:2/);
    expect(readFileSync(join(BUILD, '.config')).equals(config)).toBe(true);
    const cont = await kseries(['apply', '--tree', 'k61', '--continue']);
    expect(cont.code).toBe(2);
    expect(cont.stderr).toMatch(/nothing to continue/);

    const again = await timed('rebuild after Ctrl-C', () => kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--json']));
    expect(again.code, again.stderr).toBe(0);
    expect(json(again.stdout).result.status).toBe('ok');
  });

  /** The --each-commit report: each step in the log, then the checks every walk must pass. */
  const eachCommit = async (what: string, args: string[], steps: number) => {
    const r = await timed(what, () => kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--each-commit', ...args, '--W1', '--json'], 7_200_000));
    const res = json(r.stdout).result;
    for (const c of res.commits) {
      log(`${c.role === 'patch' ? `${c.index}/${SERIES.length}` : c.role} ${c.commit.slice(0, 12)} ${c.status} ${c.compiled} objects ${(c.durationMs / 1000).toFixed(0)} s ${c.subject}`);
      for (const w of c.newWarnings) log(`    new: ${w.rel}:${w.line}:${w.column}: ${w.message} [${w.flag}]`);
      if (c.firstError) log(`    first error: ${c.firstError.rel}:${c.firstError.line}: ${c.firstError.message}`);
    }
    expect(res.commits).toHaveLength(steps);
    expect(res.commits.map((c: { status: string }) => c.status)).toEqual(Array(steps).fill('built'));
    expect(res.commits.flatMap((c: { newInSeriesFiles: unknown[] }) => c.newInSeriesFiles)).toEqual([]);
    expect(r.code).toBe(0);
    return res;
  };

  // CI: patch 4 (the BLK type) and those after it against patch 3 as the reference: one full W=1 build, not two (the base and patch 1, which changes memory_hotplug.h)
  it('--each-commit --from 4 --W1: patch 3 built as the reference, then patches 4 to the last build with no new warning in the series\' files', async () => {
    const res = await eachCommit('each-commit --from 4 W=1', ['--from', '4'], SERIES.length - 2);
    expect(res.commits.map((c: { role: string; index: number }) => `${c.role} ${c.index}`)).toEqual(['reference 3', ...SERIES.slice(3).map((_, i) => `patch ${i + 4}`)]);
    // the reference is built whole; the patches after it only recompile what they change
    expect(res.commits[1].compiled).toBeLessThan(50);
  });

  // the whole walk: two full W=1 builds (the base, and patch 1) — README, testing: KSERIES_E2E_EACH_COMMIT=full
  it.skipIf(process.env.KSERIES_E2E_EACH_COMMIT !== 'full')('--each-commit --W1: the base and every patch of patches/v6.1 build, no new warning in the series\' files', async () => {
    await eachCommit('each-commit W=1', [], SERIES.length + 1);
  });

  it.skipIf(process.env.KSERIES_E2E_DELTA !== '1')('--warnings-delta --W1: the series adds no warning in the files it touches', async () => {
    const r = await timed('warnings delta W=1', () => kseries(['build', '--tree', 'k61', ...BUILD_FLAGS, '--warnings-delta', '--W1', '--json'], 7_200_000));
    const res = json(r.stdout).result;
    for (const w of res.newWarnings) log(`new: ${w.rel}:${w.line}:${w.column}: ${w.message} [${w.flag}]`);
    expect(res.headBuild.status).toBe('ok');
    expect(res.baseBuild.status).toBe('ok');
    expect(res.newInSeriesFiles).toEqual([]);
    expect(r.code).toBe(0);
  });
});
