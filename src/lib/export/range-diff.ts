// SPDX-License-Identifier: GPL-2.0-only
/**
 * `git range-diff` between a series as it was (applied on its own base-commit) and as it is
 * now (our branch). The old commits are made in a throw-away bare repository that borrows
 * the trees' object stores through objects/info/alternates, applying each patch to a
 * scratch index (no checkout, no write to any tree's repository).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Git, KSERIES_IDENTITY } from '../git/git.js';
import type { LoadedSeries } from '../series/load.js';
import { C_LOCALE } from '../apply/git-args.js';

export interface RangeDiffResult {
  old: { repo: string; base: string; head: string } | null;
  new: { repo: string; base: string; head: string };
  /** The range-diff text, null when the old range could not be made. */
  text: string | null;
  note: string | null;
}

async function objectsDir(repo: string): Promise<string | null> {
  const r = await new Git(repo).run(['rev-parse', '--path-format=absolute', '--git-common-dir']);
  return r.exitCode === 0 ? join(r.stdout.trim(), 'objects') : null;
}

/** A repository among CANDIDATES that has the commit, and the commit's full id. */
async function findCommit(candidates: string[], id: string): Promise<{ repo: string; commit: string } | null> {
  for (const repo of candidates) {
    const c = await new Git(repo).resolve(id);
    if (c) return { repo, commit: c };
  }
  return null;
}

export async function seriesRangeDiff(opts: {
  series: LoadedSeries;
  newRange: { repo: string; base: string; head: string };
  /** Repositories that may hold the series' base-commit, in order of preference. */
  candidates: string[];
}): Promise<RangeDiffResult> {
  const { series, newRange } = opts;
  const result: RangeDiffResult = { old: null, new: newRange, text: null, note: null };
  if (!series.baseCommit) {
    result.note = `series ${series.base} has no base-commit: no range-diff`;
    return result;
  }
  const found = await findCommit([newRange.repo, ...opts.candidates.filter((c) => c !== newRange.repo)], series.baseCommit);
  if (!found) {
    result.note = `no registered tree has ${series.base}'s base-commit ${series.baseCommit.slice(0, 12)}: no range-diff`;
    return result;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'kseries-rangediff-'));
  try {
    const g = new Git(scratch);
    await g.ok(['init', '-q', '--bare', scratch]);
    const alts = [...new Set([await objectsDir(newRange.repo), await objectsDir(found.repo)].filter((x): x is string => !!x))];
    writeFileSync(join(scratch, 'objects', 'info', 'alternates'), `${alts.join('\n')}\n`);
    const env = { ...C_LOCALE, GIT_INDEX_FILE: join(scratch, 'scratch-index') };
    await g.ok(['read-tree', found.commit], { env });
    let parent = found.commit;
    for (const p of series.patches) {
      const a = await g.run(['apply', '--cached', p.path], { env });
      if (a.exitCode !== 0) {
        result.note = `${p.file} does not apply on the series' own base ${found.commit.slice(0, 12)}: no range-diff (${a.stderr.trim().split('\n')[0]})`;
        return result;
      }
      const tree = (await g.ok(['write-tree'], { env })).trim();
      const msg = `${p.patch.subject.summary}\n\n${p.patch.message}\n`;
      const date = p.patch.date ?? '@0 +0000';
      const cenv = {
        ...env,
        GIT_AUTHOR_NAME: p.patch.author?.name || 'unknown',
        GIT_AUTHOR_EMAIL: p.patch.author?.email || 'unknown',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: KSERIES_IDENTITY.GIT_COMMITTER_NAME,
        GIT_COMMITTER_EMAIL: KSERIES_IDENTITY.GIT_COMMITTER_EMAIL,
        GIT_COMMITTER_DATE: date,
      };
      const msgFile = join(scratch, 'msg');
      writeFileSync(msgFile, msg);
      parent = (await g.ok(['-c', 'commit.gpgSign=false', 'commit-tree', tree, '-p', parent, '-F', msgFile], { env: cenv })).trim();
    }
    result.old = { repo: found.repo, base: found.commit, head: parent };
    const rd = await g.run(['range-diff', '--no-color', `${found.commit}..${parent}`, `${newRange.base}..${newRange.head}`], { env: C_LOCALE });
    if (rd.exitCode !== 0) result.note = `git range-diff failed: ${rd.stderr.trim().split('\n')[0]}`;
    else result.text = rd.stdout;
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
