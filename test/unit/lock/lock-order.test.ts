// SPDX-License-Identifier: GPL-2.0-only
/**
 * One global lock order (src/lib/lock/order.ts): results directory → tree → build directory
 * → build worktree → scenario image. Every acquisition of `ci` (its results directory, then
 * its stages: kconfig, build, selftest) and of a standalone `selftest`, `build` and `kconfig
 * apply` is recorded through the lock layer (configureLocks onAcquire) and checked against
 * it; and an acquisition out of order is refused at once as an internal error instead of
 * waiting — so a standalone `selftest --results RESULTS/k/selftest` and a `ci` on the same
 * tree can no longer each hold what the other waits for.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLocks } from '../../../src/lib/build/context.js';
import { executeCi, type StageImpl } from '../../../src/lib/ci/executor.js';
import { planCi } from '../../../src/lib/ci/plan.js';
import { buildStage } from '../../../src/lib/ci/stages/build.js';
import { selftestResultsDir } from '../../../src/lib/ci/stages/selftest.js';
import { ExecaRunner } from '../../../src/lib/exec/runner.js';
import { kconfigLocks } from '../../../src/lib/kconfig/apply.js';
import { acquireLock, configureLocks, heldLocks, resetLocks, withLock, type LockTarget } from '../../../src/lib/lock/locks.js';
import { LOCK_ORDER, orderProblem } from '../../../src/lib/lock/order.js';
import { buildDirLock, imageLock, resultsDirLock, treeLock, worktreeLock } from '../../../src/lib/lock/targets.js';
import type { StatePaths } from '../../../src/lib/paths.js';
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { executeSelftest } from '../../../src/lib/selftest/execute.js';
import { planSelftest } from '../../../src/lib/selftest/plan.js';
import { buildDirFor } from '../../../src/lib/workspace.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fakeSeriesRepo, registerFakeTree, writeFakeBuildDir } from '../../helpers/fake-kbuild.js';
import { OPTIONS } from '../ci/options.js';
import { NO_SLOWDOWN } from '../../../src/lib/selftest/slowdown.js';

let env: IsolatedEnv;
let p: StatePaths;
/** Every acquisition that was not reentrant: what was taken (kind, shared, key) and whether it kept the order. */
let taken: Array<{ lock: string; problem: string | null }>;

const label = (t: LockTarget) => `${t.kind}${t.shared ? ' (shared)' : ''} ${t.key}`;

beforeEach(() => {
  env = isolate('kseries-lock-order-');
  p = env.paths;
  taken = [];
  configureLocks({ wait: false, command: 'kseries test', notify: () => {}, onAcquire: (t, held) => void taken.push({ lock: label(t), problem: orderProblem(held, t) }) });
});
afterEach(() => {
  resetLocks();
  env.cleanup();
});

describe('the order itself', () => {
  const paths: StatePaths = { data: '/s', cache: '/c' };
  const results = resultsDirLock(paths, '/r/ci-1');
  const inner = resultsDirLock(paths, '/r/ci-1/k/selftest');
  const tree = treeLock(paths, 'k');
  const build = buildDirLock(paths, '/c/build/k/x86_64-default');
  const worktree = worktreeLock(paths, '/s/worktrees/k/build-commits');
  const image = imageLock(paths, '/c/vm/a.img');

  it('is results → tree → build → worktree → image; each lock may follow those before it', () => {
    expect(LOCK_ORDER).toEqual(['results', 'tree', 'build', 'worktree', 'image']);
    const chain = [results, tree, build, worktree, image];
    for (let i = 0; i < chain.length; i++) expect(orderProblem(chain.slice(0, i), chain[i]), chain[i].what).toBeNull();
  });

  it('refuses a lock earlier in the order than one held, and a second one of a kind but a results directory inside a held one', () => {
    expect(orderProblem([build], tree)).toBe(`lock order: tree k taken while holding build directory /c/build/k/x86_64-default (the order is results → tree → build → worktree → image)`);
    expect(orderProblem([tree, build], inner)).toMatch(/^lock order: results directory \/r\/ci-1\/k\/selftest taken while holding tree k /);
    expect(orderProblem([image], worktree)).toMatch(/^lock order: worktree /);
    expect(orderProblem([results], inner)).toBeNull();
    expect(orderProblem([inner], results)).toMatch(/another results lock/);
    expect(orderProblem([tree], treeLock(paths, 'k2'))).toMatch(/^lock order: tree k2 taken while holding tree k, another tree lock/);
    expect(orderProblem([image], imageLock(paths, '/c/vm/b.img'))).toMatch(/another image lock/);
    // locks without a kind (tests' own) are not ordered
    expect(orderProblem([build], { what: 'x' } as LockTarget)).toBeNull();
  });

  it('acquireLock refuses out of order at once, as an internal error, and holds nothing more', async () => {
    mkdirSync(join(p.cache, 'build'), { recursive: true });
    const release = await acquireLock(buildDirLock(p, join(p.cache, 'build')));
    const err = (await acquireLock(treeLock(p, 'k')).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^internal error: lock order: tree k taken while holding build directory /);
    expect(heldLocks()).toEqual([buildDirLock(p, join(p.cache, 'build')).path]);
    release();
    expect(existsSync(join(p.data, 'locks'))).toBe(false); // the tree lock was never tried
    expect(readdirSync(join(p.cache, 'locks'))).toEqual([]);
  });
});

/** A selftest plan of tree k booting one scenario on the fake runner (one qemu run), writing to RESULTS. */
function selftestOf(resultsDir: string) {
  const dir = join(env.root, 'sc');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(env.root, 'bzImage'), '');
  return planSelftest({
    tree: 'k', srcDir: join(env.root, 'linux'), buildDir: buildDirFor(p, 'k'), kernel: join(env.root, 'bzImage'),
    scenarios: [{ scenario: parseScenario('pp', { boots: [{ script: 'a.sh' }] }, ['a.sh']), dir }],
    kselftestTargets: [], accel: 'tcg', timeoutSec: 10, resultsDir, imageDir: join(env.root, 'vm'), bootTimeoutSec: 5, kernelRelease: null, slowdown: NO_SLOWDOWN,
  });
}

const selftestOptions = () => ({
  runner: new FakeRunner().expect('qemu-system-x86_64', {}),
  paths: p,
  judge: null,
  info: { kernelVersion: '6.1.5', base: null, seriesHead: null, rerun: (s: string) => `kseries selftest --tree k --scenario ${s}` },
  chooseAccel: async () => ({ accel: 'tcg' as const, reason: 'test' }),
  initramfs: async () => ({ path: join(env.root, 'initrd'), hash: 'h', cached: true, dir: env.root, entries: 1 }),
});

describe('every command takes its locks in the order', () => {
  beforeEach(() => {
    registerFakeTree(p.data, 'k', fakeSeriesRepo(join(env.root, 'linux'), []));
    writeFakeBuildDir(buildDirFor(p, 'k'));
  });

  it('ci: its results directory, then (kconfig) the tree shared and the build directory, then (build) the tree\'s selftest results directory, the tree shared and the build directory, then (selftest) the image', async () => {
    const resultsDir = join(env.root, 'results', 'ci-1');
    const plan = planCi({ trees: [{ name: 'k', register: null }], resultsDir, keepGoing: false, options: { ...OPTIONS, jobs: 2, scenarios: ['pmem-persistence'] } });
    const pass: StageImpl = async (ctx) => ({ results: ctx.stage.results.map((name) => ({ name, status: 'pass' as const, durationMs: 0, summary: 'ok', logs: [], command: null })) });
    const impls = {
      'tree-add': pass,
      apply: pass,
      // what kconfigApply holds around make (test/unit/lock/kconfig-lock.test.ts)
      kconfig: async (ctx: Parameters<StageImpl>[0]) => withLock(kconfigLocks(p, { tree: 'k', arch: 'x86_64', profile: 'default' }), () => pass(ctx)),
      build: buildStage({ runner: new ExecaRunner(), paths: p, patchesRoot: join(env.root, 'patches') }),
      checkpatch: pass,
      // the selftest service, as the selftest stage calls it, on the stage's results directory
      selftest: async (ctx: Parameters<StageImpl>[0]) => {
        const r = await executeSelftest(selftestOf(selftestResultsDir(ctx.tree)), selftestOptions());
        // the fake qemu prints nothing, so the boot's verdict is no pass: what counts here is that it booted
        return { results: ctx.stage.results.map((name) => ({ name, status: 'pass' as const, durationMs: 0, summary: `booted ${r.scenarios[0].boots.length}`, logs: [], command: null })) };
      },
    };
    // as `kseries ci` does (commands/ci/index.ts): its results directory for the whole run
    const run = await withLock(resultsDirLock(p, resultsDir), () => executeCi(plan, impls));
    expect(run.trees[0].stages.map((s) => [s.name, s.status, s.summary.split(':')[0]])).toEqual([
      ['apply', 'pass', 'ok'], ['kconfig', 'pass', 'ok'], ['build', 'pass', expect.any(String)], ['checkpatch', 'pass', 'ok'], ['selftest:pmem-persistence', 'pass', 'booted 1'],
    ]);
    const build = buildDirLock(p, buildDirFor(p, 'k')).key;
    expect(taken).toEqual([
      { lock: `results ${resultsDirLock(p, resultsDir).key}`, problem: null },
      { lock: 'tree (shared) k', problem: null },
      { lock: `build ${build}`, problem: null },
      { lock: `results ${resultsDirLock(p, join(resultsDir, 'k', 'selftest')).key}`, problem: null },
      { lock: 'tree (shared) k', problem: null },
      { lock: `build ${build}`, problem: null },
      { lock: expect.stringMatching(/^image .*\/vm\/pp\.img$/), problem: null },
    ]);
    expect(heldLocks()).toEqual([]);
  });

  it('selftest: its results directory, the tree shared, the build directory, each scenario\'s image', async () => {
    const resultsDir = join(env.root, 'results', 'k', 'selftest-1');
    await executeSelftest(selftestOf(resultsDir), selftestOptions());
    expect(taken.map((t) => t.lock)).toEqual([
      `results ${resultsDirLock(p, resultsDir).key}`,
      'tree (shared) k',
      `build ${buildDirLock(p, buildDirFor(p, 'k')).key}`,
      expect.stringMatching(/^image .*\/vm\/pp\.img$/),
    ]);
    expect(taken.filter((t) => t.problem)).toEqual([]);
  });

  it('build and kconfig apply: the tree shared, then the build directory; --each-commit then its worktree', async () => {
    const wt = worktreeLock(p, join(p.data, 'worktrees', 'k', 'build-commits'));
    await withLock(buildLocks(p, { tree: { name: 'k' } as never, spec: { buildDir: buildDirFor(p, 'k') } as never }), () => withLock(wt, async () => {}));
    await withLock(kconfigLocks(p, { tree: 'k', arch: 'x86_64', profile: 'default' }), async () => {});
    const build = `build ${buildDirLock(p, buildDirFor(p, 'k')).key}`;
    expect(taken.map((t) => t.lock)).toEqual(['tree (shared) k', build, `worktree ${wt.key}`, 'tree (shared) k', build]);
    expect(taken.filter((t) => t.problem)).toEqual([]);
  });
});

describe('the inversion this order rules out', () => {
  it('ci\'s build stage holds the tree\'s selftest results directory before the tree: a selftest run on that directory (--results) waits for ci at its first lock, holding nothing', async () => {
    const resultsDir = join(env.root, 'results', 'ci-2');
    registerFakeTree(p.data, 'k', fakeSeriesRepo(join(env.root, 'linux'), []));
    writeFakeBuildDir(buildDirFor(p, 'k'));
    const plan = planCi({ trees: [{ name: 'k', register: null }], resultsDir, keepGoing: false, options: { ...OPTIONS, jobs: 2, scenarios: ['pmem-persistence'] } });
    let holding: string[] = [];
    const pass: StageImpl = async (ctx) => ({ results: ctx.stage.results.map((name) => ({ name, status: 'pass' as const, durationMs: 0, summary: 'ok', logs: [], command: null })) });
    const look: StageImpl = async (ctx) => ((holding = heldLocks().sort()), pass(ctx));
    await executeCi(plan, { 'tree-add': pass, apply: pass, kconfig: pass, build: buildStage({ runner: new ExecaRunner(), paths: p, patchesRoot: join(env.root, 'patches') }), checkpatch: look, selftest: pass });
    const selftestResults = resultsDirLock(p, selftestResultsDir(plan.trees[0])).path;
    expect(holding).toEqual([selftestResults, treeLock(p, 'k').path, buildDirLock(p, buildDirFor(p, 'k')).path].sort());
    expect(taken.map((t) => t.lock.split(' ')[0])).toEqual(['results', 'tree', 'build']);
  });
});
