// SPDX-License-Identifier: GPL-2.0-only
/**
 * The v6.1 series tried on Debian's linux-source-6.12: a real conflict. The structured
 * report (which patch, why git could not 3-way merge, every file with its blob ids, every
 * hunk with where it applies or that it fails) is compared, field by field, with a recording
 * of the same real run: test/fixtures/apply-real/v6.1-on-debian-6.12.json. Then --abort
 * must leave no trace in the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stableApplyReport } from '../helpers/apply-normalize.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { ensureK612 } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const RECORDING = join(ROOT, 'test', 'fixtures', 'apply-real', 'v6.1-on-debian-6.12.json');
const TREE = `e2e-k612-${process.pid}`;
const git = (repo: string, args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });

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

    const abort = await runCliAsync(['apply', '--tree', TREE, '--series', 'v6.1', '--abort']);
    expect(abort.code).toBe(0);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).toBe(before.worktrees);
    expect(git(repo, ['branch', '--list'])).toBe(before.branches);
  });
});
