// SPDX-License-Identifier: GPL-2.0-only
/**
 * The fixtures of the SIGKILL and SIGINT loops of `kseries build` and `kseries tree add`
 * (test/unit/build/build-{kill,interrupt}.test.ts, test/unit/tree-add-{kill,interrupt}.test.ts):
 * what they run, what a whole result looks like, and every trace kseries may leave behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from './cli-async.js';
import { gitSync, type IsolatedEnv } from './env.js';
import { fakeSeriesRepo, KMEM_WITH_HELPER, registerFakeTree, SOURCES, writeFakeBuildDir, type FakeSeriesRepo } from './fake-kbuild.js';
import { packTarball, writeFakeKernel } from './fake-kernel.js';

const files = (d: string) => (existsSync(d) ? readdirSync(d) : []);

/** `*.tmp-PID` files (src/lib/atomic-write.ts) anywhere under DIR: a killed write's leftover. */
function temps(dir: string, rel = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (/\.tmp-\d+$/.test(e.name)) return [`temporary ${r}`];
    return e.isDirectory() && !e.isSymbolicLink() && e.name !== '.git' ? temps(join(dir, e.name), r) : [];
  });
}

export interface BuildFixture {
  r: FakeSeriesRepo;
  buildDir: string;
  args: Record<'build' | 'each-commit', string[]>;
  /** What kseries may have left in the repository and the state. */
  traces: () => string[];
  /** What a build reports, without what differs from run to run (times, logs, how much was compiled). */
  outcome: (mode: 'build' | 'each-commit', stdout: string) => unknown;
}

/** The fixture kbuild tree k (test/helpers/fake-kbuild.ts) with a 3-commit series, registered, its build directory configured. */
export function buildFixture(env: IsolatedEnv): BuildFixture {
  const r = fakeSeriesRepo(join(env.root, 'linux'), [
    { subject: 'dax/kmem: add a helper', files: { 'drivers/dax/kmem.c': KMEM_WITH_HELPER } },
    { subject: 'dax/bus: double differently', files: { 'drivers/dax/bus.c': SOURCES['drivers/dax/bus.c'].replace('x * 2', 'x * 3') } },
    { subject: 'dax: a header change', files: { 'include/kmem.h': SOURCES['include/kmem.h'].replace('#endif', 'int kmem_helper(void);\n#endif') } },
  ]);
  registerFakeTree(env.paths.data, 'k', r);
  const buildDir = join(env.paths.cache, 'build', 'k', 'x86_64-default');
  writeFakeBuildDir(buildDir);
  const worktreeDir = () => join(env.paths.data, 'worktrees', 'k', 'build-commits');
  const traces = () => {
    const out: string[] = [];
    for (const d of [join(env.paths.data, 'locks'), join(env.paths.cache, 'locks')]) out.push(...files(d).map((f) => `lock file ${f}`));
    out.push(...temps(env.paths.data), ...temps(env.paths.cache));
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
  };
  const outcome = (mode: 'build' | 'each-commit', stdout: string): unknown => {
    const res = JSON.parse(stdout).result;
    if (mode === 'build') {
      expect(JSON.parse(readFileSync(join(buildDir, 'metadata.json'), 'utf8'))).toMatchObject({ status: 'ok', head: r.commits[2] });
      expect(readFileSync(join(buildDir, 'build.log'), 'utf8')).toMatch(/^# reproduce: (\S+=\S+ )*make /m);
      return { status: res.status, errors: res.errors, artifacts: res.artifacts.map((a: { path: string }) => a.path), commit: res.commit };
    }
    expect(gitSync(worktreeDir(), ['status', '--porcelain'])).toBe('');
    return { ok: res.ok, commits: res.commits.map((c: { commit: string; status: string; newWarnings: unknown[] }) => [c.commit, c.status, c.newWarnings.length]) };
  };
  const args = { build: ['build', '--tree', 'k', '-j2', '--json'], 'each-commit': ['build', '--tree', 'k', '-j2', '--json', '--each-commit'] };
  return { r, buildDir, args, traces, outcome };
}

export interface TreeAddFixture {
  /** `kseries tree add k --source TARBALL`. */
  add: string[];
  /** Every trace of tree k in the state directory. */
  traces: () => string[];
  /** Tree k is registered and whole: its repository at the recorded commit, tagged, nothing uncommitted. */
  assertWhole: (why: string) => Promise<void>;
}

/** A fake kernel tarball with enough files (600) that tar and git take a moment, to import as tree k. */
export function treeAddFixture(env: IsolatedEnv): TreeAddFixture {
  const dir = join(env.root, 'src');
  const top = join(dir, 'linux-source-6.1');
  writeFakeKernel(top);
  for (let d = 0; d < 6; d++) {
    mkdirSync(join(top, 'drivers', `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(top, 'drivers', `d${d}`, `f${f}.c`), `// file ${d}/${f}\nint f${d}_${f}(void) { return ${f}; }\n`);
  }
  const tarball = packTarball(dir, 'linux-source-6.1', join(dir, 'linux-source-6.1.tar.gz'));
  const traces = () => {
    const out: string[] = [];
    const reg = join(env.paths.data, 'trees.json');
    if (existsSync(reg) && JSON.parse(readFileSync(reg, 'utf8')).trees.k) out.push('registry entry');
    const trees = join(env.paths.data, 'trees');
    if (existsSync(trees)) out.push(...readdirSync(trees).filter((e) => e === 'k' || e.startsWith('k.')).map((e) => `trees/${e}`));
    if (existsSync(join(env.paths.data, 'worktrees', 'k'))) out.push('worktrees/k');
    const locks = join(env.paths.data, 'locks');
    if (existsSync(locks)) out.push(...readdirSync(locks).map((e) => `locks/${e}`));
    out.push(...temps(env.paths.data));
    return out;
  };
  const assertWhole = async (why: string) => {
    const show = await runCliAsync(['tree', 'show', 'k', '--json']);
    expect(show.code, `${why}: tree show: ${show.stderr}`).toBe(0);
    const rec = JSON.parse(show.stdout).result;
    expect(rec, why).toMatchObject({ name: 'k', kind: 'imported', ref: 'v6.1.5', tags: ['v6.1.5'] });
    expect(gitSync(rec.repo, ['rev-parse', 'v6.1.5^{commit}']).trim(), why).toBe(rec.commit);
    expect(gitSync(rec.repo, ['status', '--porcelain']), why).toBe('');
    expect(gitSync(rec.repo, ['ls-files']).split('\n').filter(Boolean), why).toHaveLength(600 + 7);
  };
  return { add: ['tree', 'add', 'k', '--source', tarball], traces, assertWhole };
}
