// SPDX-License-Identifier: GPL-2.0-only
/**
 * The series on the oldest 6.1 point release apt offers (Debian 6.1.170-3), which lacks a
 * stable fix (dax/kmem: account for partial discontiguous resource upon removal) that patch 2
 * of patches/v6.1 changes: kseries applies the series' prerequisite there first, and the
 * whole series after it. ~2.5 min: a 140 MB download, an import and a checkout. The build and the scenarios on every point release
 * run outside CI: ci/point-releases/run.sh (README, "Point releases").
 */
import { readFileSync } from 'node:fs';
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

  it('imports the release by its pinned Debian version', async () => {
    const a = await runCliAsync(['tree', 'add', 'old', '--source', `debian:6.1=${VERSION}`, '--json'], { timeoutMs: 1_800_000 });
    expect(a.code, a.stderr).toBe(0);
    const old = JSON.parse(a.stdout).result;
    expect(old).toMatchObject({ kernel: { string: '6.1.170' }, debianVersion: VERSION, tags: ['v6.1.170', `debian/${VERSION}`] });
    // its commit is the content's (tree-debian.test.ts shows a path import giving the same one)
    expect(gitSync(old.repo, ['log', '-1', '--format=%s']).trim()).toBe('Linux 6.1.170');
    expect(readFileSync(join(old.repo, '.git', 'objects', 'info', 'alternates'), 'utf8')).toBe(`${join(env.paths.data, 'objects', 'linux-6.1.git', 'objects')}\n`);
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
