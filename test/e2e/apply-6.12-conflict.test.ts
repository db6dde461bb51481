// SPDX-License-Identifier: GPL-2.0-only
/**
 * The v6.1 series tried on Debian's linux-source-6.12: a real conflict. The structured
 * report (which patch, why git could not 3-way merge, every file with its blob ids, every
 * hunk with where it applies or that it fails) is compared, field by field, with a recording
 * of the same real run: test/fixtures/apply-real/v6.1-on-debian-6.12.json. That recording is
 * kseries' own output, so the report is also checked against facts found without kseries:
 * the patch files' subjects, index lines and hunks (test/helpers/patch-facts.ts), the tree's
 * blobs (git hash-object, git cat-file -e) and where each hunk's preimage lines occur in the
 * tree's file (a plain line search, which GNU patch -F0 agrees with). Then --abort must
 * leave no trace in the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stableApplyReport } from '../helpers/apply-normalize.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { ensureK612 } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { hunkPlacement, patchFiles, patchSubject } from '../helpers/patch-facts.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const RECORDING = join(ROOT, 'test', 'fixtures', 'apply-real', 'v6.1-on-debian-6.12.json');
const TREE = `e2e-k612-${process.pid}`;
const SERIES_DIR = join(ROOT, 'patches', 'v6.1');
const git = (repo: string, args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
/** Does the repository have this object (git cat-file -e)? */
const hasObject = (repo: string, id: string) => {
  try {
    execFileSync('git', ['-C', repo, 'cat-file', '-e', id], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('apply v6.1 on Debian 6.12 (real conflict, recorded)', () => {
  let env: IsolatedEnv;
  let repo: string;
  let before: { worktrees: string; branches: string };

  beforeAll(async () => {
    const k612 = await ensureK612();
    repo = k612.repo;
    env = isolate('kseries-e2e-612-');
    before = { worktrees: git(repo, ['worktree', 'list', '--porcelain']), branches: git(repo, ['branch', '--list']) };
    const add = await runCliAsync(['tree', 'add', TREE, '--source', repo]);
    expect(add.code).toBe(0);
  });

  afterAll(async () => {
    await runCliAsync(['tree', 'remove', TREE]);
    env?.cleanup();
  });

  it('reports the conflict exactly as recorded, exits 1, and --abort leaves no trace', async () => {
    const recorded = JSON.parse(readFileSync(RECORDING, 'utf8'));
    const r = await runCliAsync(['apply', '--tree', TREE, '--series', 'v6.1', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('fail');
    const got = stableApplyReport(out.result);
    // the recording is of one Debian package version: say so plainly if the machine has another
    expect(got.target, `the recording is of Linux ${recorded.target.kernel}; re-record (test/fixtures/apply-real/README.md)`).toEqual(recorded.target);
    expect(got).toEqual(recorded);

    // --- the same report against facts found without kseries ---
    const seriesText = readFileSync(join(SERIES_DIR, 'series'), 'utf8');
    const patchNames = seriesText.split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l));
    expect(patchNames).toEqual(readdirSync(SERIES_DIR).filter((f) => /^000[1-9].*\.patch$/.test(f)).sort());
    const texts = patchNames.map((f) => readFileSync(join(SERIES_DIR, f), 'utf8'));
    const baseCommit = /^# base-commit: ([0-9a-f]{40})$/m.exec(seriesText)![1];
    const res = out.result;
    // the tree: its HEAD, its Makefile's version, and no v6.1 base commit to fall back on
    const makefile = readFileSync(join(repo, 'Makefile'), 'utf8');
    const mk = (v: string) => new RegExp(`^${v} = (\\d+)$`, 'm').exec(makefile)![1];
    expect(res.target).toMatchObject({ commit: git(repo, ['rev-parse', 'HEAD']).trim(), kernel: `${mk('VERSION')}.${mk('PATCHLEVEL')}.${mk('SUBLEVEL')}` });
    // the series' prerequisites (backports older 6.1 releases lack) come first: 6.12 has them
    const preDir = join(SERIES_DIR, 'prerequisites');
    const preTexts = existsSync(join(preDir, 'series'))
      ? readFileSync(join(preDir, 'series'), 'utf8').split('\n').filter((l) => /^\d{4}-.*\.patch$/.test(l)).map((f) => readFileSync(join(preDir, f), 'utf8'))
      : [];
    const np = preTexts.length;
    expect(res.series).toMatchObject({ base: 'v6.1', baseCommit, patches: np + patchNames.length });
    expect(hasObject(repo, baseCommit)).toBe(false);
    expect(res.base.ladder[0]).toMatchObject({ step: 'base-commit', result: 'unavailable' });
    // patch 1 conflicts, the others never ran; subjects as the patch files give them
    expect(res.patches.map((p: { index: number; subject: string; status: string }) => [p.index, p.subject, p.status])).toEqual([
      ...preTexts.map((t, i) => [i + 1, patchSubject(t), 'already-upstream']),
      ...texts.map((t, i) => [np + i + 1, patchSubject(t), i === 0 ? 'conflict' : 'pending']),
    ]);
    const c = res.conflict;
    expect(c.patch).toEqual({ index: np + 1, file: patchNames[0], subject: patchSubject(texts[0]) });
    // why no 3-way merge: git am -3 stops at the first file whose preimage blob the tree does not have
    const files = patchFiles(texts[0]);
    const lacking = files.filter((f) => !hasObject(repo, f.preimage)).map((f) => f.path);
    expect(lacking.length).toBeGreaterThan(0);
    expect(c.threeWay).toMatchObject({ attempted: true, ran: false });
    expect(c.threeWay.reason).toContain(`the tree lacks the preimage blob of ${lacking[0]} `);
    // every file of the patch, in its order, with the blob ids of its index line and of the tree's file
    expect(c.files.map((f: { path: string }) => f.path)).toEqual(files.map((f) => f.path));
    for (const [i, f] of files.entries()) {
      const rf = c.files[i];
      const target = execFileSync('git', ['hash-object', join(repo, f.path)], { encoding: 'utf8' }).trim();
      const lines = readFileSync(join(repo, f.path), 'utf8').split('\n');
      const placed = f.hunks.map((h) => hunkPlacement(lines, h));
      expect(rf, f.path).toMatchObject({
        oldPath: null,
        // no 3-way merge ran and some hunk of it fails: the file does not apply (and has no conflict markers)
        kind: placed.some((p) => p.status === 'fails') ? 'does-not-apply' : 'ok',
        blobs: {
          preimage: f.preimage,
          postimage: f.postimage,
          treeHasPreimage: hasObject(repo, f.preimage),
          treeHasPostimage: hasObject(repo, f.postimage),
          target,
          targetIsPreimage: target.startsWith(f.preimage),
        },
        markers: [],
      });
      // each hunk alone: applies where the patch says, at another line (where its preimage lines are), or fails;
      // the offset is counted from the line the series' base had the preimage at (@@ -OLD), as GNU patch counts it
      expect(
        rf.hunks.map((h: { header: string; oldStart: number; oldLines: number; newStart: number; newLines: number; status: string; appliesAt?: number; offset?: number }) => ({
          header: h.header, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, status: h.status, appliesAt: h.appliesAt, offset: h.offset,
        })),
        f.path,
      ).toEqual(
        f.hunks.map((h, k) => {
          const at = placed[k].status === 'offset' ? (placed[k] as { appliesAt: number }).appliesAt : undefined;
          return { header: h.header, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, ...placed[k], appliesAt: at, offset: at === undefined ? undefined : at - h.oldStart };
        }),
      );
    }

    const abort = await runCliAsync(['apply', '--tree', TREE, '--series', 'v6.1', '--abort']);
    expect(abort.code).toBe(0);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).toBe(before.worktrees);
    expect(git(repo, ['branch', '--list'])).toBe(before.branches);
  });
});
