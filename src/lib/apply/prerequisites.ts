// SPDX-License-Identifier: GPL-2.0-only
/**
 * Prerequisites named: for a hunk that fails, how the target differs from the series' base
 * where the hunk belongs (context-diff.ts: lines the base has and the target lacks, ...), and,
 * when the tree has the history between the target and the series' base-commit (a user's
 * linux-stable clone) — or the version tag the series file says the series was made on — the
 * commits that changed those lines: `git log -S` over TARGET...BASE, limited to the file. All git access goes through the Git of the worktree.
 */
import type { Git } from '../git/git.js';
import type { Hunk } from '../series/diff.js';
import { compareContext, explainDifference, pickaxeNeedle } from './context-diff.js';
import type { ContextFinding, HunkContext } from './report.js';

export interface HistoryRange {
  /** The commit the series is applied on. */
  target: string;
  /** The series' base-commit as the patches name it (null: none). */
  seriesBaseId: string | null;
  /**
   * The same, resolved in the tree's repository; when the tree lacks it, the commit of the
   * version tag the series file says the series was made on (seriesBaseTag); else null.
   */
  seriesBase: string | null;
  seriesBaseTag?: string | null;
  /** Is the target of a newer kernel line than the series (targetOnNewerLine)? */
  newerLine?: boolean | null;
}

const short = (id: string) => id.slice(0, 12);
const baseName = (h: HistoryRange) => (h.seriesBaseTag ? `${h.seriesBaseTag} (the tag the series file names; the tree lacks the base-commit)` : short(h.seriesBase ?? ''));

/** Why no commit can be named (in words), or null when the history between the target and the series' base can be searched. */
export async function noHistoryReason(wt: Git, h: HistoryRange): Promise<string | null> {
  if (h.seriesBase) return null;
  if (!(await wt.hasParent(h.target))) {
    return `no commit named: the tree has no history before the target ${short(h.target)} (an imported tarball is a single commit); in a tree with history that has the series' base-commit or the version tag its series file names (a linux-stable clone), git log -S names the commit`;
  }
  if (!h.seriesBaseId) return 'no commit named: the series has no base-commit, so there is no range of history to search';
  return `no commit named: the tree has neither the series' base-commit ${short(h.seriesBaseId)} nor a version tag the series file names, so there is no range of history to search`;
}

/**
 * Explains one failing hunk of the file at PATHS: BASE_FILE is the series' base version of the
 * file when the repository has it (else only the hunk's own lines are compared), TARGET_FILE
 * the target's. REASON is noHistoryReason(): when null, the range is searched per difference.
 */
export async function explainFailingHunk(
  wt: Git,
  history: HistoryRange,
  reason: string | null,
  paths: string[],
  hunk: Pick<Hunk, 'oldStart' | 'oldLines' | 'lines'>,
  baseFile: string[] | null,
  targetFile: string[],
): Promise<HunkContext> {
  const preimage = hunk.lines.filter((l) => l.startsWith(' ') || l.startsWith('-')).map((l) => l.slice(1));
  const cmp = baseFile ? compareContext(baseFile, 1, hunk, targetFile) : compareContext(preimage, hunk.oldStart, hunk, targetFile);
  const from = baseFile ? 'base-file' : 'hunk';
  if (!cmp) return { from, targetAt: null, differences: [], shift: null };
  const differences: ContextFinding[] = [];
  for (const d of cmp.differences) {
    let commits: ContextFinding['commits'] = [];
    let commitsNote = reason;
    if (!reason && history.seriesBase) {
      const found = await wt.pickaxe(pickaxeNeedle(d), history.target, history.seriesBase, paths);
      commits = found.map((c) => ({ commit: c.commit, subject: c.subject, in: c.side === 'left' ? ('target' as const) : ('base' as const) }));
      if (!commits.length) commitsNote = `no commit between the target ${short(history.target)} and the series' base ${baseName(history)} changes these lines (git log -S)`;
    }
    differences.push({ ...d, explanation: explainDifference(d.kind, history.newerLine ?? null), commits, commitsNote });
  }
  return { from, targetAt: cmp.targetAt, differences, shift: null };
}
