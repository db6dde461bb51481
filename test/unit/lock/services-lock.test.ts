// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which service takes which lock, before it reads or changes anything: with another live
 * run holding the lock (a record naming this test's parent process) and --no-wait, each
 * service fails with exit 3 at once — before the usage error it would give for the bogus
 * tree — and runs nothing. Dry runs take no lock. A selftest holds its results directory
 * for the run, the build directory while preparing, each scenario's image while booting.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortTree, applyTree, continueTree } from '../../../src/lib/apply/apply.js';
import { KseriesError } from '../../../src/lib/errors.js';
import { ExecaRunner, type CommandSpec } from '../../../src/lib/exec/runner.js';
import { exportSeries } from '../../../src/lib/export/export.js';
import { kconfigApply } from '../../../src/lib/kconfig/apply.js';
import { holderRecord, procStartOf } from '../../../src/lib/lock/file-lock.js';
import { configureLocks, heldLocks, heldSharedLocks, resetLocks, type LockTarget } from '../../../src/lib/lock/locks.js';
import { buildDirLock, imageLock, resultsDirLock, treeLock } from '../../../src/lib/lock/targets.js';
import type { StatePaths } from '../../../src/lib/paths.js';
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { executeSelftest } from '../../../src/lib/selftest/execute.js';
import { planSelftest } from '../../../src/lib/selftest/plan.js';
import { addTree } from '../../../src/lib/trees/import.js';
import type { TreeRecord } from '../../../src/lib/trees/registry.js';
import { removeTree } from '../../../src/lib/trees/remove.js';
import { buildDirFor } from '../../../src/lib/workspace.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { isolate } from '../../helpers/env.js';
import { fakeSeriesRepo, registerFakeTree, writeFakeBuildDir } from '../../helpers/fake-kbuild.js';
import { OPTIONS } from '../ci/options.js';
import { executeCi, type StageImpl } from '../../../src/lib/ci/executor.js';
import { planCi } from '../../../src/lib/ci/plan.js';
import { buildStage } from '../../../src/lib/ci/stages/build.js';
import { selftestResultsDir } from '../../../src/lib/ci/stages/selftest.js';
import { NO_SLOWDOWN } from '../../../src/lib/selftest/slowdown.js';

let dir: string;
let paths: StatePaths;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-services-lock-'));
  paths = { data: join(dir, 'data'), cache: join(dir, 'cache') };
  configureLocks({ wait: false, command: 'kseries test', notify: () => {} });
});
afterEach(() => {
  resetLocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Another run, alive (this test's parent process), holds the lock. */
function heldElsewhere(t: LockTarget): void {
  mkdirSync(join(t.path, '..'), { recursive: true });
  writeFileSync(t.path, JSON.stringify({ ...holderRecord('kseries build --tree k61'), pid: process.ppid, procStart: procStartOf(process.ppid) }));
}

async function refused(p: Promise<unknown>, what: string): Promise<void> {
  const err = (await p.catch((e: unknown) => e)) as KseriesError;
  expect(err).toBeInstanceOf(KseriesError);
  expect({ exitCode: err.exitCode, message: err.message }).toEqual({ exitCode: 3, message: expect.stringMatching(new RegExp(`^${what} is in use by kseries build --tree k61 \\(pid ${process.ppid} `)) });
}

const tree: TreeRecord = {
  name: 'k61', kind: 'git', repo: '/nonexistent/linux', source: '/nonexistent/linux', ref: 'HEAD', commit: '0'.repeat(40),
  kernel: { version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' }, tags: [], addedAt: '2024-01-01T00:00:00Z',
};

describe('the tree lock', () => {
  beforeEach(() => heldElsewhere(treeLock(paths, 'k61')));

  it('apply, --continue, --abort, export, tree add and tree remove wait for it (here: refuse, --no-wait)', async () => {
    const runner = new FakeRunner();
    await refused(applyTree(paths, tree, { patchesRoot: join(dir, 'patches') }), 'tree k61');
    await refused(continueTree(paths, tree, undefined), 'tree k61');
    await refused(abortTree(paths, tree, undefined), 'tree k61');
    await refused(exportSeries(paths, tree, { as: 'v6.12', patchesRoot: join(dir, 'patches'), candidates: [] }), 'tree k61');
    await refused(removeTree(paths, 'k61'), 'tree k61');
    await refused(addTree(runner, paths, { name: 'k61', source: '/nonexistent/linux' }), 'tree k61');
    runner.verify();
  });

  it('another tree is not held up', async () => {
    const err = (await removeTree(paths, 'k612').catch((e: unknown) => e)) as KseriesError;
    expect(err.kind).toBe('usage'); // unknown tree: it got past the lock
  });
});

describe('the build directory lock', () => {
  const request = (dryRun: boolean) => ({
    tree: 'k61', base: 'tinyconfig', arch: 'x86_64', profile: 'default', dryRun,
    feature: true, platform: null, debug: false, module: false, persist: [], selftests: [], fragments: [],
  });

  it('kconfig apply waits for it (here: refuses); its dry run takes none', async () => {
    heldElsewhere(buildDirLock(paths, buildDirFor(paths, 'k61')));
    await refused(kconfigApply(new FakeRunner(), paths, request(false)), `build directory ${buildDirFor(paths, 'k61')}`);
    const err = (await kconfigApply(new FakeRunner(), paths, request(true)).catch((e: unknown) => e)) as KseriesError;
    expect(err.kind).toBe('usage'); // the unknown tree, past no lock
  });
});

describe('selftest', () => {
  const plan = () => {
    mkdirSync(join(dir, 'build'), { recursive: true });
    writeFileSync(join(dir, 'bzImage'), '');
    return planSelftest({
      tree: 't', srcDir: join(dir, 'src'), buildDir: join(dir, 'build'), kernel: join(dir, 'bzImage'),
      scenarios: [{ scenario: parseScenario('pp', { boots: [{ script: 'a.sh' }] }, ['a.sh']), dir: join(dir, 'sc') }],
      kselftestTargets: [], accel: 'tcg', timeoutSec: 10, resultsDir: join(dir, 'res'), imageDir: join(dir, 'vm'), bootTimeoutSec: 5, kernelRelease: null, slowdown: NO_SLOWDOWN,
    });
  };
  const opts = (runner: FakeRunner, initramfs: () => void = () => {}) => ({
    runner,
    paths,
    judge: null,
    info: { kernelVersion: '6.1.5', base: null, seriesHead: null, rerun: (s: string) => `kseries selftest --tree t --scenario ${s}` },
    chooseAccel: async () => ({ accel: 'tcg' as const, reason: 'test' }),
    initramfs: async () => {
      initramfs();
      return { path: join(dir, 'initrd'), hash: 'h', cached: true, dir, entries: 1 };
    },
  });

  it('another run on the same results directory: refused (--no-wait), nothing run, nothing written', async () => {
    const p = plan();
    heldElsewhere(resultsDirLock(paths, p.resultsDir));
    const runner = new FakeRunner();
    await refused(executeSelftest(p, opts(runner)), `results directory ${join(dir, 'res')}`);
    runner.verify();
    expect(existsSync(join(dir, 'res'))).toBe(false);
  });

  it('holds the results directory for the run, the tree (shared) while preparing, the build directory until the last boot, the image while booting', async () => {
    const p = plan();
    const results = resultsDirLock(paths, p.resultsDir).path;
    const tree = treeLock(paths, 't').path;
    const build = buildDirLock(paths, p.buildDir).path;
    const image = imageLock(paths, p.scenarios[0].image!).path;
    const seen: Record<string, string[]> = {};
    const runner = new FakeRunner().expect('qemu-system-x86_64', (_s: CommandSpec) => {
      seen.boot = heldLocks();
      return {};
    });
    await executeSelftest(p, opts(runner, () => ((seen.prepare = heldLocks()), (seen.shared = heldSharedLocks()))));
    expect(seen.prepare.sort()).toEqual([build, results, tree].sort());
    expect(seen.shared).toEqual([tree]);
    expect(seen.boot.sort()).toEqual([build, image, results].sort());
    expect(heldLocks()).toEqual([]);
    expect([results, build, image].filter((f) => existsSync(f))).toEqual([]);
    expect(readdirSync(join(paths.data, 'locks'))).toEqual([]);
  });
});

describe('ci', () => {
  it('its build stage keeps the selftest results directory, the tree (shared) and the build directory until the tree\'s last stage: the selftests boot the kernel it built; a tree held by apply is an error naming it', async () => {
    const env = isolate();
    try {
      const p: StatePaths = env.paths;
      registerFakeTree(p.data, 'k', fakeSeriesRepo(join(env.root, 'linux'), []));
      writeFakeBuildDir(buildDirFor(p, 'k'));
      const plan = planCi({ trees: [{ name: 'k', register: null }], resultsDir: join(env.root, 'results'), keepGoing: false, options: { ...OPTIONS, jobs: 2, scenarios: ['pmem-persistence'] } });
      const pass: StageImpl = async (ctx) => ({ results: ctx.stage.results.map((name) => ({ name, status: 'pass' as const, durationMs: 0, summary: 'ok', logs: [], command: null })) });
      const seen: Record<string, { held: string[]; shared: string[] }> = {};
      const looking = (stage: string): StageImpl => async (ctx) => {
        seen[stage] = { held: heldLocks().sort(), shared: heldSharedLocks() };
        return pass(ctx);
      };
      const impls = { 'tree-add': pass, apply: looking('apply'), kconfig: pass, build: buildStage({ runner: new ExecaRunner(), paths: p, patchesRoot: join(env.root, 'patches') }), checkpatch: looking('checkpatch'), selftest: looking('selftest') };
      const run = await executeCi(plan, impls);
      expect(run.trees[0].stages.map((s) => [s.name, s.status])).toEqual([['apply', 'pass'], ['kconfig', 'pass'], ['build', 'pass'], ['checkpatch', 'pass'], ['selftest:pmem-persistence', 'pass']]);
      const tree = treeLock(p, 'k').path;
      const build = buildDirLock(p, buildDirFor(p, 'k')).path;
      const results = resultsDirLock(p, selftestResultsDir(plan.trees[0])).path;
      expect(seen.apply).toEqual({ held: [], shared: [] });
      expect(seen.checkpatch).toEqual({ held: [build, results, tree].sort(), shared: [tree] });
      expect(seen.selftest).toEqual({ held: [build, results, tree].sort(), shared: [tree] });
      expect(heldLocks()).toEqual([]);
      expect([...readdirSync(join(p.data, 'locks')), ...readdirSync(join(p.cache, 'locks'))]).toEqual([]);

      // apply holds the tree elsewhere: the build stage is an error naming it, and builds nothing
      heldElsewhere(treeLock(p, 'k'));
      const again = await executeCi(plan, impls);
      expect(again.trees[0].stages.map((s) => [s.name, s.status, s.summary])).toEqual([
        ['apply', 'pass', 'ok'],
        ['kconfig', 'pass', 'ok'],
        ['build', 'error', expect.stringMatching(new RegExp(`^tree k is in use by kseries build --tree k61 \\(pid ${process.ppid} `))],
        ['checkpatch', 'pass', 'ok'],
        ['selftest:pmem-persistence', 'skip', expect.stringContaining('not run')],
      ]);
      expect(heldLocks()).toEqual([]);
    } finally {
      env.cleanup();
    }
  });

  it('its build stage takes the build directory: held by another run and --no-wait, the stage is an error naming the holder, the selftests skip', async () => {
    const env = isolate();
    try {
      const p: StatePaths = env.paths;
      registerFakeTree(p.data, 'k', fakeSeriesRepo(join(env.root, 'linux'), []));
      writeFakeBuildDir(buildDirFor(p, 'k'));
      heldElsewhere(buildDirLock(p, buildDirFor(p, 'k')));
      const plan = planCi({ trees: [{ name: 'k', register: null }], resultsDir: join(env.root, 'results'), keepGoing: false, options: { ...OPTIONS, scenarios: ['pmem-persistence'] } });
      const pass: StageImpl = async (ctx) => ({ results: ctx.stage.results.map((name) => ({ name, status: 'pass' as const, durationMs: 0, summary: 'ok', logs: [], command: null })) });
      const runner = new FakeRunner();
      const run = await executeCi(plan, { 'tree-add': pass, apply: pass, kconfig: pass, build: buildStage({ runner, paths: p, patchesRoot: join(env.root, 'patches') }), checkpatch: pass, selftest: pass });
      const stages = run.trees[0].stages.map((s) => [s.name, s.status, s.summary]);
      expect(stages).toEqual([
        ['apply', 'pass', 'ok'],
        ['kconfig', 'pass', 'ok'],
        ['build', 'error', expect.stringMatching(new RegExp(`^build directory ${buildDirFor(p, 'k')} is in use by kseries build --tree k61 \\(pid ${process.ppid} .*\\) \\(Let it finish`))],
        ['checkpatch', 'pass', 'ok'],
        ['selftest:pmem-persistence', 'skip', expect.stringContaining('not run')],
      ]);
      runner.verify();
    } finally {
      env.cleanup();
    }
  });
});
