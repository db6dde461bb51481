// SPDX-License-Identifier: GPL-2.0-only
/**
 * The series on the oldest 6.1 point release apt offers (Debian 6.1.170-3), which lacks a
 * stable fix (dax/kmem: account for partial discontiguous resource upon removal) that patch 2
 * of patches/v6.1 changes: kseries applies the series' prerequisite there first, and the
 * whole series after it. The import is content-derived: imported twice, by its pinned Debian
 * version and by its tarball's path under another name, it is one commit, and the second
 * import writes no object of its own (the line's store has them). ~3 min: a 140 MB
 * download, two imports and a checkout. The build and the scenarios on every point release
 * run outside CI: ci/point-releases/run.sh (README, "Point releases").
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { runCliAsync } from '../helpers/run-cli-async.js';

const VERSION = '6.1.170-3';
const SERIES = new URL('../../patches/v6.1/', import.meta.url).pathname;

describe(`the series on Debian ${VERSION} (an older point release)`, () => {
  let env: IsolatedEnv;
  beforeAll(() => {
    env = isolate('kseries-e2e-point-');
  });
  // ~300k files (two imports, a worktree, the store): removed without blocking the worker's
  // event loop, which vitest's RPC needs (onTaskUpdate times out)
  afterAll(async () => {
    await rm(env.root, { recursive: true, force: true });
    env.cleanup();
  });

  it('imports the release by version and by path as one commit, in one object store', async () => {
    const a = await runCliAsync(['tree', 'add', 'old', '--source', `debian:6.1=${VERSION}`, '--json'], { timeoutMs: 1_800_000 });
    expect(a.code, a.stderr).toBe(0);
    const old = JSON.parse(a.stdout).result;
    expect(old).toMatchObject({ kernel: { string: '6.1.170' }, debianVersion: VERSION, tags: ['v6.1.170', `debian/${VERSION}`] });
    const tarball = join(env.paths.cache, 'debian', `linux-source-6.1_${VERSION}`, 'usr', 'src', 'linux-source-6.1.tar.xz');
    expect(existsSync(tarball)).toBe(true);
    const copy = join(env.root, 'elsewhere', 'linux-6.1.170.tar.xz');
    mkdirSync(join(env.root, 'elsewhere'));
    copyFileSync(tarball, copy);
    const b = await runCliAsync(['tree', 'add', 'copy', '--source', copy, '--json'], { timeoutMs: 1_800_000 });
    expect(b.code, b.stderr).toBe(0);
    const byPath = JSON.parse(b.stdout).result;
    expect(byPath.commit).toBe(old.commit);
    expect(gitSync(byPath.repo, ['count-objects']).trim()).toMatch(/^1 objects/);
    const rm = await runCliAsync(['tree', 'remove', 'copy'], { timeoutMs: 1_800_000 });
    expect(rm.code).toBe(0);
  });

  it('applies the prerequisite first, then all five patches', async () => {
    const pre = readFileSync(join(SERIES, 'prerequisites', 'series'), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l));
    const own = readFileSync(join(SERIES, 'series'), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l));
    const r = await runCliAsync(['apply', '--tree', 'old', '--json'], { timeoutMs: 1_800_000 });
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout).result;
    expect(rep.status).toBe('applied');
    expect(rep.patches.map((p: { file: string; status: string; prerequisite?: boolean }) => [p.file, !!p.prerequisite, p.status])).toEqual([
      ...pre.map((f) => [`prerequisites/${f}`, true, 'clean']),
      ...own.map((f) => [f, false, expect.stringMatching(/^(clean|3way)$/)]),
    ]);
    // the fix is in the worktree, and the series' change of it on top
    const kmem = readFileSync(join(rep.worktree, 'drivers', 'dax', 'kmem.c'), 'utf8');
    expect(kmem).toMatch(/range too small to add, or never added during probe/);
    const text = await runCliAsync(['apply', '--tree', 'old']);
    expect(text.stdout).toMatch(/already applied/);
  });
});
