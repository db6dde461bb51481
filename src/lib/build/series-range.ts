// SPDX-License-Identifier: GPL-2.0-only
/**
 * The applied series as commits: base..HEAD of the tree's applied worktree, each commit
 * with its subject and the files it touches, and the files the whole series touches
 * (`git diff --name-only base..head`, and whatever a commit touches on the way): new
 * warnings there are the series' own.
 */
import { usageError } from '../errors.js';
import { Git } from '../git/git.js';
import type { WorkspaceRecord } from '../workspace.js';

export interface SeriesCommit {
  commit: string;
  subject: string;
  files: string[];
}

export interface SeriesRange {
  base: string;
  head: string;
  commits: SeriesCommit[];
  /** Files the series touches: `git diff --name-only base..head`, plus any file a commit touches on the way. */
  touched: string[];
}

/** Parses `git log --reverse --format=%x00%H%x09%s --name-only BASE..HEAD`. */
export function parseLogWithFiles(out: string): SeriesCommit[] {
  return out
    .split('\0')
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const [first, ...rest] = block.split('\n');
      const tab = first.indexOf('\t');
      return {
        commit: tab >= 0 ? first.slice(0, tab) : first,
        subject: tab >= 0 ? first.slice(tab + 1) : '',
        files: rest.map((l) => l.trim()).filter(Boolean),
      };
    });
}

export async function seriesRange(srcDir: string, workspace: WorkspaceRecord | null, tree: string): Promise<SeriesRange> {
  if (!workspace || !workspace.series) {
    throw usageError(`tree ${tree} has no applied series: nothing to compare or walk`, `Apply it first: kseries apply --tree ${tree}`);
  }
  const git = new Git(srcDir);
  const head = await git.resolve('HEAD');
  const base = await git.resolve(workspace.baseCommit);
  if (!head || !base) throw usageError(`the workspace of ${tree} (${srcDir}) lacks its base ${workspace.baseCommit.slice(0, 12)} or HEAD`, `Re-apply: kseries apply --tree ${tree}`);
  if (head === base) throw usageError(`the series applied to ${tree} has no commits (HEAD is the base)`, `Re-apply: kseries apply --tree ${tree}`);
  const log = await git.ok(['-c', 'core.quotePath=false', 'log', '--reverse', '--no-merges', '--format=%x00%H%x09%s', '--name-only', `${base}..${head}`]);
  const diff = await git.ok(['-c', 'core.quotePath=false', 'diff', '--name-only', `${base}..${head}`]);
  const commits = parseLogWithFiles(log);
  const touched = new Set(diff.split('\n').map((l) => l.trim()).filter(Boolean));
  for (const c of commits) for (const f of c.files) touched.add(f);
  return { base, head, commits, touched: [...touched].sort() };
}
