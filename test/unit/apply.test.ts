// SPDX-License-Identifier: GPL-2.0-only
/**
 * kseries apply on small fixture repositories: clean, offset, 3-way, conflict (with its
 * report, --continue and --abort), already upstream, corrupt and missing series,
 * idempotence, and a user's dirty checkout left byte-identical.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { abortTree, applyTree, continueTree, planTree } from '../../src/lib/apply/apply.js';
import { runPerTree } from '../../src/lib/apply/multi.js';
import { recordsOf } from '../../src/lib/apply/state.js';
import { KseriesError } from '../../src/lib/errors.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { addTree } from '../../src/lib/trees/import.js';
import { removeTree } from '../../src/lib/trees/remove.js';
import { statePaths } from '../../src/lib/paths.js';
import type { TreeRecord } from '../../src/lib/trees/registry.js';
import { readWorkspace, seriesWorktreeDir } from '../../src/lib/workspace.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { hashTree } from '../helpers/fake-kernel.js';
import { KMEM, makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

let env: IsolatedEnv;
let fx: SeriesFixture;
beforeEach(() => {
  env = isolate();
  fx = makeSeriesFixture(env.root);
});
afterEach(() => env.cleanup());

const add = (name: string, ref?: string, source = fx.repo) => addTree(new ExecaRunner(), env.paths, { name, source, ref });
const apply = (t: TreeRecord, o: { ref?: string; series?: string; force?: boolean; patches?: string } = {}) =>
  applyTree(env.paths, t, { patchesRoot: o.patches ?? fx.patches, ref: o.ref, series: o.series, force: o.force });
const SUBJECTS = ['dax/kmem: Keep persistent memory across kexec', 'mm/memory_hotplug: Honour persistent ranges'];

/** What must be the same before and after: the user's files, index state, HEAD, branches and worktrees. */
function userState(repo: string) {
  return {
    files: hashTree(repo),
    status: gitSync(repo, ['status', '--porcelain=v1', '--untracked-files=all']),
    head: gitSync(repo, ['rev-parse', 'HEAD']),
    symbolic: gitSync(repo, ['symbolic-ref', '-q', 'HEAD']),
    refs: gitSync(repo, ['for-each-ref', '--format=%(refname) %(objectname)']),
    worktrees: gitSync(repo, ['worktree', 'list', '--porcelain']),
    index: readFileSync(join(repo, '.git', 'index')).toString('hex').length,
  };
}

async function expectKseriesError(p: Promise<unknown>, kind: string, message: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KseriesError);
  expect((e as KseriesError).kind).toBe(kind);
  expect((e as KseriesError).message).toMatch(message);
  return e as KseriesError;
}

describe('apply: outcomes per patch', () => {
  it('applies cleanly on the base-commit, in its own worktree and branch, and records the workspace', async () => {
    const t = await add('k', 'main');
    const r = await apply(t);
    expect(r.status).toBe('applied');
    expect(r.patches.map((p) => [p.subject, p.status])).toEqual(SUBJECTS.map((s) => [s, 'clean']));
    expect(r.base).toMatchObject({ step: 'base-commit', commit: fx.baseCommit });
    expect(r.series).toMatchObject({ base: 'v6.1', chosenBy: 'exact', baseCommit: fx.baseCommit, patches: 2 });
    expect(r.worktree).toBe(seriesWorktreeDir(env.paths, 'k', 'v6.1'));
    expect(r.branch).toBe('kseries/v6.1/k');
    expect(gitSync(fx.repo, ['rev-parse', 'refs/heads/kseries/v6.1/k']).trim()).toBe(r.head);
    expect(gitSync(r.worktree, ['log', '--format=%s|%an|%cn <%ce>|%ad|%cd', '--date=iso-strict', `${fx.baseCommit}..HEAD`]).trim().split('\n')).toEqual(
      [...SUBJECTS].reverse().map((s) => `${s}|Test Author|kseries <kseries@localhost>|2024-01-01T00:00:00+00:00|2024-01-01T00:00:00+00:00`),
    );
    expect(readWorkspace(env.paths, 'k')).toMatchObject({ tree: 'k', srcDir: r.worktree, series: 'v6.1', branch: r.branch, baseCommit: fx.baseCommit, head: r.head });
    expect(r.conflict).toBeNull();
    expect(r.parked).toBeNull();
  });

  it('applies at an offset with plain git am: step "ref"', async () => {
    const r = await apply(await add('k', 'offset'));
    expect(r.patches.map((p) => p.status)).toEqual(['clean', 'clean']);
    expect(r.base.step).toBe('ref');
    expect(r.base.ladder.map((x) => [x.step, x.result])).toEqual([
      ['base-commit', 'skipped'],
      ['ref', 'used'],
      ['3way', 'skipped'],
    ]);
    expect(r.base.ladder[0].note).toContain(KMEM);
  });

  it('falls back to a 3-way merge when the context changed: step "3way"', async () => {
    const r = await apply(await add('k', 'shifted'));
    expect(r.patches.map((p) => p.status)).toEqual(['3way', 'clean']);
    expect(r.base.step).toBe('3way');
    expect(r.base.ladder.map((x) => x.result)).toEqual(['skipped', 'failed', 'used']);
    expect(gitSync(r.worktree, ['show', `HEAD~1:${KMEM}`])).toMatch(/kmem line 18 changed upstream;\nkmem line 19;\nkmem line 20 persistent;/);
  });

  it('reports already-upstream patches (git am: no changes) and skips them', async () => {
    const r = await apply(await add('k', 'upstream'));
    expect(r.status).toBe('applied');
    expect(r.patches.map((p) => [p.status, p.upstream?.by])).toEqual([
      ['already-upstream', 'am-no-changes'],
      ['clean', undefined],
    ]);
    expect(r.patches[0].commit).toBeNull();
    expect(gitSync(r.worktree, ['rev-list', '--count', 'upstream..HEAD']).trim()).toBe('1');
  });

  it('recognises an upstream patch that was changed later by its subject in the log since the base', async () => {
    const r = await apply(await add('k', 'upstream-modified'));
    expect(r.status).toBe('applied');
    expect(r.patches[0]).toMatchObject({ status: 'already-upstream', upstream: { by: 'subject' } });
    expect(r.patches[0].upstream?.commit).toBe(gitSync(fx.repo, ['rev-parse', 'upstream']).trim());
    expect(await gitSync(r.worktree, ['status', '--porcelain'])).toBe('');
  });
});

describe('apply: conflicts', () => {
  it('reports file, hunk, blob ids and markers, and parks the worktree', async () => {
    const t = await add('k', 'conflict');
    const r = await apply(t);
    expect(r.status).toBe('conflict');
    expect(r.patches.map((p) => p.status)).toEqual(['conflict', 'pending']);
    expect(r.base.step).toBeNull();
    const c = r.conflict!;
    expect(c.patch).toMatchObject({ index: 1, subject: SUBJECTS[0] });
    expect(c.threeWay).toEqual({ attempted: true, ran: true, reason: 'the 3-way merge left conflicts' });
    expect(c.files).toHaveLength(1);
    const f = c.files[0];
    expect(f).toMatchObject({ path: KMEM, kind: 'content' });
    expect(f.blobs).toMatchObject({ preimage: '7465e10', postimage: '8611997', treeHasPreimage: true, targetIsPreimage: false });
    expect(f.blobs.target).toBe(gitSync(fx.repo, ['rev-parse', `conflict:${KMEM}`]).trim());
    // the hunk fails alone; the repository has the base's file and the history: line 20 was rewritten by the target's own commit
    const rewrite = gitSync(fx.repo, ['rev-parse', 'conflict']).trim();
    expect(f.hunks).toEqual([
      {
        header: '@@ -17,7 +17,7 @@ kmem line 16;',
        oldStart: 17,
        oldLines: 7,
        newStart: 17,
        newLines: 7,
        section: 'kmem line 16;',
        status: 'fails',
        context: {
          from: 'base-file',
          targetAt: 17,
          differences: [
            {
              kind: 'changed',
              base: [{ line: 20, text: 'kmem line 20;' }],
              target: [{ line: 20, text: 'kmem line 20 rewritten upstream;' }],
              targetAt: 21,
              explanation: 'the series was made on a tree that has these lines where the target has others: the code changed between the two kernels',
              commits: [{ commit: rewrite, subject: 'dax/kmem: Upstream rewrite of line 20', in: 'target' }],
              commitsNote: null,
            },
          ],
          // the file's only hunk: no hunks around it to measure a shift by
          shift: null,
        },
      },
    ]);
    expect(f.markers).toHaveLength(1);
    expect(f.markers[0]).toMatchObject({ ours: ['kmem line 20 rewritten upstream;'], base: ['kmem line 20;'], theirs: ['kmem line 20 persistent;'] });
    expect(c.gitOutput).toContain('CONFLICT (content): Merge conflict in drivers/dax/kmem.c');
    expect(r.parked).toMatchObject({ worktree: r.worktree, branch: 'kseries/v6.1/k', continue: 'kseries apply --tree k --series v6.1 --continue', abort: 'kseries apply --tree k --series v6.1 --abort' });
    expect(readFileSync(join(r.worktree, KMEM), 'utf8')).toContain('<<<<<<< HEAD');
    expect(readWorkspace(env.paths, 'k')).toBeNull();
    // a second apply refuses while parked
    await expectKseriesError(apply(t), 'usage', /parked on a conflict/);
  });

  it('--abort leaves no trace: no worktree, no branch, worktree list and refs unchanged', async () => {
    const before = userState(fx.repo);
    const t = await add('k', 'conflict');
    const r = await apply(t);
    expect(existsSync(r.worktree)).toBe(true);
    const a = await abortTree(env.paths, t, undefined);
    expect(a.removed).toEqual([r.worktree, 'refs/heads/kseries/v6.1/k']);
    expect(existsSync(r.worktree)).toBe(false);
    expect(userState(fx.repo)).toEqual(before);
    expect(existsSync(join(fx.repo, '.git', 'worktrees'))).toBe(false);
    expect(existsSync(join(fx.repo, '.git', 'refs', 'heads', 'kseries'))).toBe(false);
    expect(recordsOf(env.paths, 'k')).toEqual([]);
    await expectKseriesError(abortTree(env.paths, t, undefined), 'usage', /nothing to abort/);
    // what a git killed between deleting our ref and its directories leaves: --abort of the series clears it, and still says there was nothing
    mkdirSync(join(fx.repo, '.git', 'refs', 'heads', 'kseries'));
    await expectKseriesError(abortTree(env.paths, t, 'v6.1'), 'usage', /nothing to abort: no series v6.1 on tree k/);
    expect(existsSync(join(fx.repo, '.git', 'refs', 'heads', 'kseries'))).toBe(false);
  });

  it('explains a conflict where no 3-way merge is possible: the tree lacks the preimage blobs', async () => {
    const r = await apply(await add('alien', undefined, fx.alien));
    expect(r.status).toBe('conflict');
    const c = r.conflict!;
    expect(c.threeWay.ran).toBe(false);
    expect(c.threeWay.reason).toMatch(/lacks the preimage blob of drivers\/dax\/kmem.c/);
    expect(c.files[0]).toMatchObject({ path: KMEM, kind: 'does-not-apply', markers: [] });
    expect(c.files[0].blobs).toMatchObject({ preimage: '7465e10', treeHasPreimage: false, treeHasPostimage: false });
    expect(c.files[0].hunks[0].status).toBe('fails');
    expect(r.parked?.resolve).toMatch(/git apply --reject/);
    expect(r.base.ladder[0]).toMatchObject({ step: 'base-commit', result: 'unavailable' });
  });

  it('--continue after the user resolved the conflict applies the rest', async () => {
    const t = await add('k', 'conflict');
    const r = await apply(t);
    await expectKseriesError(continueTree(env.paths, t, undefined), 'check', /still unresolved in .*drivers\/dax\/kmem.c/);
    const file = join(r.worktree, KMEM);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/<<<<<<< HEAD\n[^]*?>>>>>>> [^\n]*\n/, 'kmem line 20 rewritten upstream, persistent;\n'));
    gitSync(r.worktree, ['add', KMEM]);
    const c = await continueTree(env.paths, t, undefined);
    expect(c.status).toBe('applied');
    expect(c.patches.map((p) => p.status)).toEqual(['resolved', 'clean']);
    expect(c.conflict).toBeNull();
    expect(c.parked).toBeNull();
    expect(gitSync(r.worktree, ['log', '--format=%s', 'conflict..HEAD']).trim().split('\n')).toEqual([...SUBJECTS].reverse());
    expect(readWorkspace(env.paths, 'k')).toMatchObject({ head: c.head, srcDir: r.worktree });
    await expectKseriesError(continueTree(env.paths, t, undefined), 'usage', /nothing to continue/);
  });

  it('--continue after the user dropped the patch with git am --skip reports it skipped', async () => {
    const t = await add('k', 'conflict');
    const r = await apply(t);
    gitSync(r.worktree, ['am', '--skip']);
    const c = await continueTree(env.paths, t, 'v6.1');
    expect(c.patches.map((p) => p.status)).toEqual(['skipped', 'clean']);
  });

  it('--continue refuses staged files that still hold conflict markers', async () => {
    const t = await add('k', 'conflict');
    const r = await apply(t);
    gitSync(r.worktree, ['add', KMEM]);
    await expectKseriesError(continueTree(env.paths, t, undefined), 'check', /conflict markers are still in drivers\/dax\/kmem.c/);
  });
});

describe('apply: bad input', () => {
  it('a corrupt patch file is a usage error naming the file, and nothing is created', async () => {
    const p1 = join(fx.seriesDir, '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch');
    writeFileSync(p1, readFileSync(p1, 'utf8').replace(' kmem line 21;\n', ''));
    const t = await add('k', 'main');
    const e = await expectKseriesError(apply(t), 'usage', /0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch:\d+: corrupt patch: hunk "@@ -17,7 \+17,7 @@ kmem line 16;" of drivers\/dax\/kmem.c is corrupt/);
    expect(e.exitCode).toBe(2);
    expect(existsSync(seriesWorktreeDir(env.paths, 'k', 'v6.1'))).toBe(false);
    expect(gitSync(fx.repo, ['branch', '--list', 'kseries/*'])).toBe('');
  });

  it('a missing series is a usage error', async () => {
    const t = await add('k', 'main');
    writeFileSync(join(fx.seriesDir, 'series'), '0001-nope.patch\n');
    await expectKseriesError(apply(t), 'usage', /series:1: 0001-nope.patch does not exist/);
    await expectKseriesError(apply(t, { patches: join(env.root, 'none') }), 'usage', /no patch series in/);
    await expectKseriesError(apply(t, { series: 'v9.9' }), 'usage', /no patch series "v9.9"/);
  });

  it('an unknown ref is a usage error', async () => {
    await expectKseriesError(apply(await add('k', 'main'), { ref: 'no-such-ref' }), 'usage', /ref "no-such-ref" does not exist/);
  });
});

describe('apply: idempotence, dry run, the user checkout', () => {
  it('applying twice gives the same HEAD; the second run reports already applied; --force recreates identically', async () => {
    const t = await add('k', 'shifted');
    const a = await apply(t);
    const b = await apply(t);
    expect(b.status).toBe('already-applied');
    expect(b.head).toBe(a.head);
    expect(b.patches).toEqual(a.patches);
    const c = await apply(t, { force: true });
    expect(c.status).toBe('applied');
    expect(c.head).toBe(a.head);
    // a different tree on the same base gets the same commits too
    const d = await apply(await add('k2', 'shifted'));
    expect(d.head).toBe(a.head);
  });

  it('recreates the branch when the series files change', async () => {
    const t = await add('k', 'main');
    const a = await apply(t);
    const p2 = join(fx.seriesDir, '0002-mm-memory_hotplug-Honour-persistent-ranges.patch');
    writeFileSync(p2, readFileSync(p2, 'utf8').replace('Do not offline', 'Never offline'));
    const b = await apply(t);
    expect(b.status).toBe('applied');
    expect(b.head).not.toBe(a.head);
  });

  it('refuses to recreate a branch the user added commits to, unless --force', async () => {
    const t = await add('k', 'main');
    const a = await apply(t);
    writeFileSync(join(a.worktree, 'mine.txt'), 'mine\n');
    gitSync(a.worktree, ['add', 'mine.txt']);
    gitSync(a.worktree, ['commit', '-q', '-m', 'mine']);
    const p2 = join(fx.seriesDir, '0002-mm-memory_hotplug-Honour-persistent-ranges.patch');
    writeFileSync(p2, readFileSync(p2, 'utf8').replace('Do not offline', 'Never offline'));
    await expectKseriesError(apply(t), 'usage', /has moved since kseries applied it/);
    expect((await apply(t, { force: true })).status).toBe('applied');
  });

  it('--dry-run plans the ladder and the git commands and changes nothing', async () => {
    const t = await add('k', 'offset');
    const before = userState(fx.repo);
    const p = await planTree(env.paths, t, { patchesRoot: fx.patches });
    expect(p.mode).toBe('apply');
    expect(p.steps.map((s) => s.kind)).toEqual(['add-worktree', 'am', 'am', 'record']);
    expect(p.ladder[0].result).toBe('skipped');
    expect(userState(fx.repo)).toEqual(before);
    expect(existsSync(p.facts.worktree)).toBe(false);
  });

  it("leaves a user's dirty checkout byte-identical: modified and untracked files, a checked-out branch", async () => {
    gitSync(fx.repo, ['checkout', '-q', '-b', 'work', 'shifted']);
    writeFileSync(join(fx.repo, KMEM), `${readFileSync(join(fx.repo, KMEM), 'utf8')}uncommitted line;\n`);
    writeFileSync(join(fx.repo, 'untracked.txt'), 'not added\n');
    gitSync(fx.repo, ['add', 'Kconfig']); // nothing to stage, but the index is touched
    writeFileSync(join(fx.repo, 'staged.txt'), 'staged\n');
    gitSync(fx.repo, ['add', 'staged.txt']);
    const before = userState(fx.repo);
    expect(before.status).toMatch(/^ M drivers\/dax\/kmem.c$/m);
    const t = await add('k', 'work');
    const r = await apply(t);
    expect(r.patches.map((p) => p.status)).toEqual(['3way', 'clean']);
    // the uncommitted line is not in our worktree: it was built from the commit
    expect(readFileSync(join(r.worktree, KMEM), 'utf8')).not.toContain('uncommitted line');
    const after = userState(fx.repo);
    expect(after.files).toEqual(before.files);
    expect(after.status).toEqual(before.status);
    expect(after.head).toEqual(before.head);
    expect(after.symbolic).toEqual(before.symbolic);
    expect(after.refs.replace(/^refs\/heads\/kseries\/.*\n/gm, '')).toEqual(before.refs);
    const c = await apply(await add('c', 'conflict'));
    expect(c.status).toBe('conflict');
    await abortTree(env.paths, t, undefined);
    await abortTree(env.paths, new (await import('../../src/lib/trees/registry.js')).Registry(env.paths).get('c'), undefined);
    expect(userState(fx.repo)).toEqual(before);
  });
});

describe('apply: two state directories on one repository (another user, an isolated test)', () => {
  it('the same tree name elsewhere neither takes over nor removes our branch and worktree', async () => {
    const mine = await add('k', 'main');
    const r = await apply(mine);
    const other = statePaths(process.env, { data: join(env.root, 'other-state'), cache: join(env.root, 'other-cache') });
    const theirs = await addTree(new ExecaRunner(), other, { name: 'k', source: fx.repo, ref: 'main' });
    await expectKseriesError(applyTree(other, theirs, { patchesRoot: fx.patches }), 'usage', /already exists but kseries has no record of it/);
    const removed = await removeTree(other, 'k');
    expect(removed.removed).toEqual([]);
    expect(gitSync(fx.repo, ['rev-parse', 'refs/heads/kseries/v6.1/k']).trim()).toBe(r.head);
    expect(existsSync(r.worktree)).toBe(true);
    // our own remove does take them
    const ours = await removeTree(env.paths, 'k');
    expect(ours.removed).toEqual([r.worktree, 'refs/heads/kseries/v6.1/k']);
    expect(gitSync(fx.repo, ['branch', '--list', 'kseries/*'])).toBe('');
  });
});

describe('apply: several trees', () => {
  it('runs trees sharing one object store one after the other, each on its own branch', async () => {
    const trees = [await add('a', 'main'), await add('b', 'shifted'), await add('c', 'conflict'), await add('x', undefined, fx.alien)];
    const out = await runPerTree(trees, (t) => apply(t), { quiet: true, title: (t) => t.name, done: (t) => t.name });
    expect(out.map((o) => [o.tree, o.result?.status, o.error?.kind])).toEqual([
      ['a', 'applied', undefined],
      ['b', 'applied', undefined],
      ['c', 'conflict', undefined],
      ['x', 'conflict', undefined],
    ]);
    expect(gitSync(fx.repo, ['branch', '--list', 'kseries/*', '--format=%(refname:short)']).trim().split('\n')).toEqual(['kseries/v6.1/a', 'kseries/v6.1/b', 'kseries/v6.1/c']);
  });
});
