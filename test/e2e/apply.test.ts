// SPDX-License-Identifier: GPL-2.0-only
/**
 * kseries apply on a real kernel tree: the e2e fixture k61 (Debian 6.1 imported by kseries,
 * test/helpers/e2e-fixture-store.ts), registered as a user's git tree in an ISOLATED state
 * directory (read-only use through a worktree). Applies a
 * small real series made here (drivers/dax/kmem.c, mm/memory_hotplug.c), a series whose
 * context does not match (a conflict), and the project's patches/v6.1 when it exists; then
 * checks that the tree's worktrees, branches and checkout are exactly as before.
 * Each apply checks out the kernel (~1.5 GB, 10-20 s): run with nice -n 10.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli-async.js';
import { k61Repo } from '../helpers/e2e-fixtures.js';
import { killAfter } from '../helpers/kill.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';

const K61 = k61Repo();
/**
 * Not "k61": branches are kseries/<base>/<tree> in the shared repository, and other states
 * (the fixture's own, another e2e run on the same cache) may have a tree k61 there (and
 * kseries/v6.1/k61). A name of our own keeps the states from meeting.
 */
const TREE = `e2e-k61-${process.pid}`;
const REAL_SERIES = join(new URL('../..', import.meta.url).pathname, 'patches', 'v6.1');
const git = (cwd: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}) =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...(opts.env ?? {}) }, input: opts.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

interface Edit {
  path: string;
  subject: string;
  body: string;
  edit: (text: string) => string;
}

/**
 * Makes a series with git format-patch in a scratch bare repository that borrows K61's objects
 * (objects/info/alternates): no checkout, nothing written to K61. `pre` first makes an
 * "upstream" commit the patches are then made on (so their context is not K61's).
 */
function makeSeries(root: string, name: string, base: string, edits: Edit[], pre?: Edit): string {
  const scratch = join(root, `scratch-${name}`);
  git(root, ['init', '-q', '--bare', scratch]);
  writeFileSync(join(scratch, 'objects', 'info', 'alternates'), `${K61}/.git/objects\n`);
  const env = { GIT_INDEX_FILE: join(scratch, 'idx'), GIT_AUTHOR_NAME: 'Kseries Test', GIT_AUTHOR_EMAIL: 'test@kseries.dev' };
  let parent = base;
  const commitEdit = (e: Edit, date: string) => {
    git(scratch, ['read-tree', parent], { env });
    const text = git(scratch, ['show', `${parent}:${e.path}`]);
    const blob = git(scratch, ['hash-object', '-w', '--stdin'], { input: e.edit(text) }).trim();
    git(scratch, ['update-index', '--cacheinfo', `100644,${blob},${e.path}`], { env });
    const tree = git(scratch, ['write-tree'], { env }).trim();
    const msg = `${e.subject}\n\n${e.body}\n\nSigned-off-by: Kseries Test <test@kseries.dev>\n`;
    parent = git(scratch, ['commit-tree', tree, '-p', parent, '-F', '-'], { env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, input: msg }).trim();
  };
  if (pre) commitEdit(pre, '2024-01-01T00:00:00Z');
  const from = parent;
  edits.forEach((e, i) => commitEdit(e, `2024-01-0${i + 2}T00:00:00Z`));
  const dir = join(root, name, 'v6.1');
  mkdirSync(dir, { recursive: true });
  git(scratch, ['format-patch', '-q', '--cover-letter', `--base=${from}`, '-o', dir, `${from}..${parent}`]);
  const cover = join(dir, '0000-cover-letter.patch');
  writeFileSync(cover, readFileSync(cover, 'utf8').replace('*** SUBJECT HERE ***', `kseries e2e: ${name}`).replace('*** BLURB HERE ***', 'A small series for the e2e test.'));
  const files = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter((f) => /^000[1-9].*\.patch$/.test(f));
  writeFileSync(join(dir, 'series'), `${files.join('\n')}\n`);
  return dir;
}

const KMEM_ADD: Edit = {
  path: 'drivers/dax/kmem.c',
  subject: 'dax/kmem: Count hot-remove failures',
  body: 'Count the ranges that failed to hot-remove, for the e2e test.',
  edit: (t) => t.replace('static bool any_hotremove_failed;\n', 'static bool any_hotremove_failed;\n/* Ranges that failed to hot-remove. */\nstatic unsigned int kmem_hotremove_failures;\n'),
};
const HOTPLUG_DOC: Edit = {
  path: 'mm/memory_hotplug.c',
  subject: 'mm/memory_hotplug: Note the dax/kmem caller',
  body: 'Say who calls add_memory_driver_managed(), for the e2e test.',
  edit: (t) => t.replace('\nint add_memory_driver_managed(', '\n/* Called by dax/kmem to online device memory as System RAM. */\nint add_memory_driver_managed('),
};
const UPSTREAM_CHANGE: Edit = {
  path: 'drivers/dax/kmem.c',
  subject: 'dax/kmem: Mark any_hotremove_failed read-mostly',
  body: 'An upstream change that K61 does not have.',
  edit: (t) => t.replace('static bool any_hotremove_failed;\n', 'static bool any_hotremove_failed __read_mostly;\n'),
};

describe('kseries apply on the real Debian 6.1 tree', () => {
  let env: IsolatedEnv;
  let before: ReturnType<typeof snapshot>;
  let base: string;
  let foreignRefs: string[];
  /**
   * What kseries may touch in the fixture repository, and the checkout it must not: our worktrees
   * (under the isolated state dir), the kseries/*\/TREE branches, HEAD and status. (Worktrees and
   * branches another run makes meanwhile are not ours to compare.)
   */
  const snapshot = () => ({
    ourWorktrees: git(K61, ['worktree', 'list', '--porcelain'])
      .split('\n')
      .filter((l) => l.startsWith(`worktree ${env.paths.data}/`)),
    ourRefs: git(K61, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/kseries/'])
      .split('\n')
      .filter((l) => l.split(' ')[0].endsWith(`/${TREE}`)),
    mainWorktree: git(K61, ['worktree', 'list', '--porcelain']).split('\n\n')[0],
    status: git(K61, ['status', '--porcelain=v1']),
    head: git(K61, ['rev-parse', 'HEAD']),
  });
  const cli = (args: string[], timeoutMs = 900_000) => runCliAsync(args, { timeoutMs });
  const json = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    let parsed: { status: string; result: Record<string, unknown> & { patches: Array<{ index: number; status: string }> }; error?: { message: string } };
    try {
      parsed = JSON.parse(r.stdout);
    } catch {
      throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
    }
    return { ...r, json: parsed };
  };

  beforeAll(() => {
    env = isolate('kseries-e2e-apply-');
    before = snapshot();
    foreignRefs = git(K61, ['for-each-ref', '--format=%(refname)', 'refs/heads/']).split('\n').filter((r) => r && !r.endsWith(`/${TREE}`));
    base = git(K61, ['rev-parse', 'HEAD']).trim();
  });

  afterAll(() => {
    // whatever happened above: our worktrees and kseries/*/TREE branches must not stay in the fixture repository
    const wts = git(K61, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith(`worktree ${env.paths.data}/`));
    for (const l of wts) git(K61, ['worktree', 'remove', '--force', '--force', l.slice('worktree '.length)]);
    for (const ref of git(K61, ['for-each-ref', '--format=%(refname)', 'refs/heads/kseries/']).split('\n').filter((r) => r.endsWith(`/${TREE}`) && !before.ourRefs.some((l) => l.startsWith(`${r} `)))) {
      git(K61, ['update-ref', '-d', ref]);
    }
    env.cleanup();
  });

  it('registers the tree as a git tree (no copy)', async () => {
    const r = await json(['tree', 'add', TREE, '--source', K61]);
    expect(r.code).toBe(0);
    expect(r.json.result).toMatchObject({ name: TREE, kind: 'git', repo: K61, commit: base, kernel: { version: 6, patchlevel: 1 } });
  });

  it('SIGKILL of apply on the real tree, in the checkout and in git am: --abort leaves no branch or worktree, and the next apply succeeds', async () => {
    const dir = makeSeries(env.root, 'killed', base, [KMEM_ADD, HOTPLUG_DOC]);
    const apply = ['apply', '--tree', TREE, '--series', dir];
    const full = await killAfter(apply, 900_000);
    expect(full.code).toBe(0);
    expect((await cli(['apply', '--tree', TREE, '--abort'])).code).toBe(0);
    // the worktree's checkout of the kernel is most of a run; git am and the record its end
    for (const frac of [0.4, 0.9]) {
      const k = await killAfter(apply, Math.floor(full.ms * frac));
      const why = `killed after ${Math.floor(full.ms * frac)} ms of ${full.ms} (${k.killed ? 'killed' : 'done first'})`;
      const a = await cli(['apply', '--tree', TREE, '--series', dir, '--abort']);
      if (a.code !== 0) expect(a.stderr, why).toMatch(/nothing to abort/);
      expect(snapshot(), why).toEqual(before);
      console.log(`apply on the real tree: ${why}; --abort exit ${a.code}`);
    }
    const again = await cli(apply);
    expect(again.code, again.stderr).toBe(0);
    expect((await cli(['apply', '--tree', TREE, '--abort'])).code).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('applies a small real series cleanly on its base-commit, in a worktree of its own', async () => {
    const dir = makeSeries(env.root, 'small', base, [KMEM_ADD, HOTPLUG_DOC]);
    expect((await cli(['series', 'lint', '--base', dir])).code).toBe(0);
    const t0 = Date.now();
    const r = await json(['apply', '--tree', TREE, '--series', dir]);
    console.log(`apply (small series, with a kernel checkout) took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.code).toBe(0);
    const rep = r.json.result as unknown as { worktree: string; branch: string; head: string; base: { step: string; commit: string }; patches: Array<{ status: string; subject: string }> };
    expect(rep.patches.map((p) => [p.subject, p.status])).toEqual([
      [KMEM_ADD.subject, 'clean'],
      [HOTPLUG_DOC.subject, 'clean'],
    ]);
    expect(rep.base).toMatchObject({ step: 'base-commit', commit: base });
    expect(rep.branch).toBe(`kseries/v6.1/${TREE}`);
    expect(rep.worktree).toBe(join(env.paths.data, 'worktrees', TREE, 'v6.1'));
    expect(readFileSync(join(rep.worktree, 'drivers/dax/kmem.c'), 'utf8')).toContain('static unsigned int kmem_hotremove_failures;');
    expect(git(K61, ['rev-parse', `refs/heads/kseries/v6.1/${TREE}`]).trim()).toBe(rep.head);
    // the fixture's checkout is untouched
    expect(git(K61, ['status', '--porcelain=v1'])).toBe(before.status);
    expect(git(K61, ['rev-parse', 'HEAD'])).toBe(before.head);
    // again: nothing to do, same HEAD
    const again = await json(['apply', '--tree', TREE, '--series', dir]);
    expect(again.code).toBe(0);
    expect(again.json.result).toMatchObject({ status: 'already-applied', head: rep.head });
    const a = await cli(['apply', '--tree', TREE, '--abort']);
    expect(a.code).toBe(0);
    expect(existsSync(rep.worktree)).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('reports a conflict when the context does not match: file, hunk, missing preimage blob; --abort leaves no trace', async () => {
    const dir = makeSeries(env.root, 'conflict', base, [{ ...KMEM_ADD, edit: (t) => t.replace('static bool any_hotremove_failed __read_mostly;\n', 'static bool any_hotremove_failed __read_mostly;\nstatic unsigned int kmem_hotremove_failures;\n') }], UPSTREAM_CHANGE);
    const r = await json(['apply', '--tree', TREE, '--series', dir]);
    expect(r.code).toBe(1);
    expect(r.json.status).toBe('fail');
    const rep = r.json.result as unknown as {
      status: string;
      worktree: string;
      base: { ladder: Array<{ step: string; result: string }> };
      conflict: { threeWay: { ran: boolean; reason: string }; files: Array<{ path: string; kind: string; blobs: { treeHasPreimage: boolean; targetIsPreimage: boolean }; hunks: Array<{ header: string; status: string }> }> };
      parked: { worktree: string; branch: string };
    };
    expect(rep.status).toBe('conflict');
    expect(rep.base.ladder[0]).toMatchObject({ step: 'base-commit', result: 'unavailable' });
    expect(rep.conflict.threeWay.ran).toBe(false);
    expect(rep.conflict.threeWay.reason).toMatch(/lacks the preimage blob of drivers\/dax\/kmem.c/);
    expect(rep.conflict.files).toHaveLength(1);
    expect(rep.conflict.files[0]).toMatchObject({ path: 'drivers/dax/kmem.c', kind: 'does-not-apply', blobs: { treeHasPreimage: false, targetIsPreimage: false } });
    expect(rep.conflict.files[0].hunks.map((h) => h.status)).toEqual(['fails']);
    expect(rep.conflict.files[0].hunks[0].header).toMatch(/^@@ -2\d,\d+ \+2\d,\d+ @@/);
    expect(rep.parked).toMatchObject({ worktree: rep.worktree, branch: `kseries/v6.1/${TREE}` });
    expect(existsSync(rep.worktree)).toBe(true);
    const human = await cli(['apply', '--tree', TREE, '--continue']);
    expect(human.code).toBe(1);
    expect((await cli(['apply', '--tree', TREE, '--abort'])).code).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it("applies the project's own patches/v6.1", async () => {
    expect(existsSync(join(REAL_SERIES, 'series'))).toBe(true);
    const plan = await cli(['apply', '--tree', TREE, '--dry-run']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/series: {2}v6.1 \(exact match for Linux 6.1.\d+\)/);
    const t0 = Date.now();
    const r = await json(['apply', '--tree', TREE]);
    console.log(`apply (patches/v6.1) took ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.json.result.patches.map((p) => p.status).join(', ')}`);
    expect(r.code).toBe(0);
    expect(r.json.result.status).toBe('applied');
    // one result per patch of patches/v6.1/series, in its order, each applied (clean or by 3-way merge)
    const series = readFileSync(join(REAL_SERIES, 'series'), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l.trim()));
    expect(series).toHaveLength(7);
    // its prerequisites (backports for older 6.1 releases) come first; 6.1.192 has them
    const pre = readFileSync(join(REAL_SERIES, 'prerequisites', 'series'), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l.trim()));
    const all = r.json.result.patches as Array<{ index: number; status: string; prerequisite?: boolean }>;
    expect(all.filter((p) => p.prerequisite).map((p) => [p.index, p.status])).toEqual(pre.map((_, i) => [i + 1, 'already-upstream']));
    const own = all.filter((p) => !p.prerequisite);
    expect(own.map((p) => p.index)).toEqual(series.map((_, i) => pre.length + i + 1));
    for (const p of own) expect(['clean', '3way'], `patch ${p.index}`).toContain(p.status);
    expect((await cli(['apply', '--tree', TREE, '--abort'])).code).toBe(0);
  });

  it('tree remove leaves the repository as it was: worktrees, branches, checkout', async () => {
    const r = await cli(['tree', 'remove', TREE]);
    expect(r.code).toBe(0);
    expect(snapshot()).toEqual(before);
    expect(before.ourWorktrees).toEqual([]);
    // and nobody else's kseries branch went with it (another state's kseries/v6.1/k61, say)
    const now = git(K61, ['for-each-ref', '--format=%(refname)', 'refs/heads/']).split('\n');
    expect(foreignRefs.filter((r) => !now.includes(r))).toEqual([]);
    expect(existsSync(K61)).toBe(true);
  });
});
