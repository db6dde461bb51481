// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL at a random moment of `kseries build` and `kseries build --each-commit` on the
 * fixture tree (test/helpers/fake-kbuild.ts: a tiny kbuild look-alike built with the real
 * gcc), node, git, make and gcc killed together: no cleanup runs. A rerun of the same command
 * then succeeds with the same result as an uninterrupted run, and nothing kseries made is
 * left behind in the tree's repository or the state: no lock file (tree, build directory,
 * worktree), no git lock file, no branch or ref, no worktree but the build-commits one that
 * --each-commit keeps on purpose (whole: not locked, not prunable), the user's checkout
 * untouched.
 *
 * KSERIES_INTERRUPT_RUNS sets the number of kills (default 5, for CI); the documented full
 * run is KSERIES_INTERRUPT_RUNS=200 (README, testing).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fakeSeriesRepo, KMEM_WITH_HELPER, registerFakeTree, SOURCES, writeFakeBuildDir, type FakeSeriesRepo } from '../../helpers/fake-kbuild.js';
import { KILL_RUNS, killAfter, randomDelay } from '../../helpers/kill.js';

let env: IsolatedEnv;
let r: FakeSeriesRepo;
let buildDir: string;
beforeEach(() => {
  env = isolate();
  r = fakeSeriesRepo(join(env.root, 'linux'), [
    { subject: 'dax/kmem: add a helper', files: { 'drivers/dax/kmem.c': KMEM_WITH_HELPER } },
    { subject: 'dax/bus: double differently', files: { 'drivers/dax/bus.c': SOURCES['drivers/dax/bus.c'].replace('x * 2', 'x * 3') } },
    { subject: 'dax: a header change', files: { 'include/kmem.h': SOURCES['include/kmem.h'].replace('#endif', 'int kmem_helper(void);\n#endif') } },
  ]);
  registerFakeTree(env.paths.data, 'k', r);
  buildDir = join(env.paths.cache, 'build', 'k', 'x86_64-default');
  writeFakeBuildDir(buildDir);
});
afterEach(() => env.cleanup());

const worktreeDir = () => join(env.paths.data, 'worktrees', 'k', 'build-commits');
const files = (d: string) => (existsSync(d) ? readdirSync(d) : []);

/** What kseries may have left in the repository and the state. */
function traces(): string[] {
  const out: string[] = [];
  for (const d of [join(env.paths.data, 'locks'), join(env.paths.cache, 'locks')]) out.push(...files(d).map((f) => `lock file ${f}`));
  const git = join(r.repo, '.git');
  out.push(...files(git).filter((f) => f.endsWith('.lock')).map((f) => `git lock ${f}`));
  for (const id of files(join(git, 'worktrees'))) {
    if (id !== 'build-commits') out.push(`worktree entry ${id}`);
    out.push(...files(join(git, 'worktrees', id)).filter((f) => f.endsWith('.lock') || f === 'locked').map((f) => `${id}/${f}`));
  }
  const entries = gitSync(r.repo, ['worktree', 'list', '--porcelain']).trim().split('\n\n').slice(1);
  for (const e of entries) {
    const lines = e.split('\n');
    if (lines[0] !== `worktree ${worktreeDir()}`) out.push(`worktree ${lines[0]}`);
    if (lines.some((l) => l.startsWith('locked') || l.startsWith('prunable') || l.startsWith('branch '))) out.push(`worktree state: ${lines.slice(1).join(' ')}`);
  }
  const refs = gitSync(r.repo, ['for-each-ref', '--format=%(refname)']).trim().split('\n');
  if (refs.join(' ') !== 'refs/heads/main refs/heads/series') out.push(`refs: ${refs.join(' ')}`);
  if (gitSync(r.repo, ['status', '--porcelain']) !== '' || gitSync(r.repo, ['rev-parse', 'HEAD']).trim() !== r.commits[2]) out.push('the user checkout changed');
  return out;
}

/** What a build reports, without what differs from run to run (times, logs, how much was compiled). */
function outcome(mode: 'build' | 'each-commit', stdout: string): unknown {
  const res = JSON.parse(stdout).result;
  if (mode === 'build') {
    expect(JSON.parse(readFileSync(join(buildDir, 'metadata.json'), 'utf8'))).toMatchObject({ status: 'ok', head: r.commits[2] });
    expect(readFileSync(join(buildDir, 'build.log'), 'utf8')).toContain('# reproduce: make');
    return { status: res.status, errors: res.errors, artifacts: res.artifacts.map((a: { path: string }) => a.path), commit: res.commit };
  }
  expect(gitSync(worktreeDir(), ['status', '--porcelain'])).toBe('');
  return { ok: res.ok, commits: res.commits.map((c: { commit: string; status: string; newWarnings: unknown[] }) => [c.commit, c.status, c.newWarnings.length]) };
}

it(`SIGKILL at a random moment of build and build --each-commit: the rerun succeeds alike, nothing is left behind (${KILL_RUNS} runs)`, async () => {
  const args = { build: ['build', '--tree', 'k', '-j2', '--json'], 'each-commit': ['build', '--tree', 'k', '-j2', '--json', '--each-commit'] } as const;
  const full: Record<string, { ms: number; outcome: unknown }> = {};
  for (const mode of ['build', 'each-commit'] as const) {
    const t0 = Date.now();
    const run = await runCliAsync([...args[mode]]);
    expect(run.code, run.stderr).toBe(0);
    full[mode] = { ms: Date.now() - t0, outcome: outcome(mode, run.stdout) };
    expect(traces(), mode).toEqual([]);
  }
  expect(full['each-commit'].outcome).toEqual({
    ok: true,
    commits: [
      [r.base, 'built', 0],
      [r.commits[0], 'built', 0],
      [r.commits[1], 'built', 0],
      [r.commits[2], 'built', 0],
    ],
  });

  const killed = { build: 0, 'each-commit': 0 };
  for (let run = 0; run < KILL_RUNS; run++) {
    const mode = run % 2 === 0 ? 'build' : 'each-commit';
    const delay = randomDelay(full[mode].ms);
    const why = `run ${run} (${mode}), killed after ${delay} ms of ${full[mode].ms}`;
    if ((await killAfter([...args[mode]], delay)).killed) killed[mode]++;
    const again = await runCliAsync([...args[mode]]);
    expect(again.code, `${why}: the rerun: ${again.stderr} ${again.stdout.slice(0, 3000)}`).toBe(0);
    expect(outcome(mode, again.stdout), why).toEqual(full[mode].outcome);
    expect(traces(), why).toEqual([]);
  }
  console.log(`build: ${KILL_RUNS} runs, killed before the end: ${killed.build} of build (${full.build.ms} ms), ${killed['each-commit']} of --each-commit (${full['each-commit'].ms} ms)`);
}, 120_000 + KILL_RUNS * 30_000);
