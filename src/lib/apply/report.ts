// SPDX-License-Identifier: GPL-2.0-only
/** The apply report: what `kseries apply --json` prints as its result, per tree. */
import type { ConflictRegion } from './conflict-markers.js';

export type BaseStep = 'base-commit' | 'ref' | '3way';

export type PatchStatus =
  /** applied with plain `git am` (context matched, maybe at an offset) */
  | 'clean'
  /** needed the 3-way fallback (the patch's preimage blobs were in the tree) */
  | '3way'
  /** the change is already in the tree: skipped */
  | 'already-upstream'
  /** stopped here; the state is parked */
  | 'conflict'
  /** resolved by the user after a conflict (apply --continue) */
  | 'resolved'
  /** dropped by the user after a conflict (git am --skip, then apply --continue) */
  | 'skipped'
  /** not reached because an earlier patch conflicted */
  | 'pending';

export interface PatchResult {
  index: number;
  file: string;
  subject: string;
  status: PatchStatus;
  /** The commit made for this patch, null when none was. */
  commit: string | null;
  /** How an already-upstream patch was recognised. */
  upstream?: { by: 'am-no-changes' | 'reverse-apply' | 'subject'; commit?: string };
  /** A backport from the series' prerequisites/: already-upstream means the target has it. */
  prerequisite?: boolean;
}

export interface HunkCheck {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  section: string;
  /** Applying this hunk alone to the target: applies at its line, applies at an offset, or fails. */
  status: 'applies' | 'offset' | 'fails' | 'unchecked';
  /** When status is "offset": the target line where the hunk's preimage (context and removed lines) begins. */
  appliesAt?: number;
  /** appliesAt - oldStart: how far from the line the series' base had it (as GNU patch counts for a hunk alone). */
  offset?: number;
  /** For a hunk that fails: how the target differs from the series' base where the hunk belongs. */
  context?: HunkContext;
}

export interface HunkContext {
  /** What the target was compared with: the series' base file (the repository has the preimage blob), or only the hunk's own lines. */
  from: 'base-file' | 'hunk';
  /** The target line where the hunk's first line would be; null when its place was not found. */
  targetAt: number | null;
  differences: ContextFinding[];
  /** The hunks placed around it apply LINES apart from the base: between base lines FROM_LINE and TO_LINE the target has that many more (fewer when negative); null when not known. */
  shift: { fromLine: number; toLine: number; lines: number } | null;
}

export interface ContextFinding {
  /** lacking: the base has these lines, the target nothing in their place; changed: the target has others; added: only the target has them. */
  kind: 'lacking' | 'changed' | 'added';
  /** The series' base lines (line numbers of the base's file). */
  base: Array<{ line: number; text: string }>;
  /** The target's lines in their place (line numbers of the target's file). */
  target: Array<{ line: number; text: string }>;
  /** The target line before which the base's lines would be. */
  targetAt: number;
  /** What this means, in words. */
  explanation: string;
  /** Commits between the target and the series' base that change these lines (git log -S), with the side that has them. */
  commits: Array<{ commit: string; subject: string; in: 'base' | 'target' }>;
  /** Why no commit is named, in words (null when some is). */
  commitsNote: string | null;
}

export interface ConflictFile {
  path: string;
  oldPath: string | null;
  /** "content", "modify/delete", ... from git's CONFLICT lines; "does-not-apply" without a 3-way merge; "missing" when the target lacks the file; "ok" for files of the patch that would apply. */
  kind: string;
  blobs: {
    /** The patch's "index PRE..POST" ids. */
    preimage: string | null;
    postimage: string | null;
    /** Does the target repository have the preimage blob (git cat-file -e)? Needed for the 3-way fallback. */
    treeHasPreimage: boolean | null;
    treeHasPostimage: boolean | null;
    /** The file's blob in the target (HEAD:path), null when absent. */
    target: string | null;
    /** The target still has the exact preimage: the file did not change since the series' base. */
    targetIsPreimage: boolean;
  };
  hunks: HunkCheck[];
  /** Conflict regions left in the worktree file by the 3-way merge. */
  markers: ConflictRegion[];
}

export interface ConflictReport {
  patch: { index: number; file: string; subject: string };
  /** Was the 3-way fallback attempted, and why could it not run? */
  threeWay: { attempted: boolean; ran: boolean; reason: string | null };
  files: ConflictFile[];
  /** git am's own output (stdout then stderr). */
  gitOutput: string;
}

export interface ParkedState {
  worktree: string;
  branch: string;
  /** The commit before the conflicting patch. */
  head: string;
  /** The patch to resume at: the conflicting one, or the first not yet applied after a Ctrl-C. */
  next: number;
  /** Shell commands for the user. */
  resolve: string;
  continue: string;
  abort: string;
}

export interface LadderRung {
  step: BaseStep;
  /** available: could be tried; used: the series went through at this step. */
  result: 'used' | 'unavailable' | 'skipped' | 'failed';
  note: string;
}

export interface ApplyReport {
  tree: string;
  repo: string;
  /** interrupted: Ctrl-C during --continue; the patches done so far stay, --continue resumes. */
  status: 'applied' | 'already-applied' | 'conflict' | 'interrupted';
  series: {
    base: string;
    dir: string;
    chosenBy: 'exact' | 'nearest-lower' | 'override';
    baseCommit: string | null;
    patches: number;
    hash: string;
  };
  target: { ref: string; commit: string; kernel: string | null };
  base: {
    /** The rung of the ladder the series went through (null on a conflict). */
    step: BaseStep | null;
    /** The commit the series was applied on. */
    commit: string;
    ladder: LadderRung[];
  };
  worktree: string;
  branch: string;
  head: string | null;
  patches: PatchResult[];
  conflict: ConflictReport | null;
  parked: ParkedState | null;
  /** Where this series came from when it was carried to a newer base (rebase). */
  origin: { series: string; dir: string; baseCommit: string | null } | null;
  durationMs: number;
}

/** The series' own patches by status (prerequisites apart: prerequisitesText). */
export function summaryCounts(r: Pick<ApplyReport, 'patches'>): Record<PatchStatus, number> {
  const c: Record<PatchStatus, number> = { clean: 0, '3way': 0, 'already-upstream': 0, conflict: 0, resolved: 0, skipped: 0, pending: 0 };
  for (const p of r.patches) if (!p.prerequisite) c[p.status]++;
  return c;
}

/** "prerequisites: 1 applied (the tree lacked it)", "... 1 in the tree already"; '' without prerequisites. */
export function prerequisitesText(r: Pick<ApplyReport, 'patches'>): string {
  const pre = r.patches.filter((p) => p.prerequisite);
  if (!pre.length) return '';
  const applied = pre.filter((p) => p.commit).length;
  const present = pre.filter((p) => p.status === 'already-upstream').length;
  const parts = [applied ? `${applied} applied (the tree lacked ${applied > 1 ? 'them' : 'it'})` : '', present ? `${present} in the tree already` : ''].filter(Boolean);
  return `prerequisites: ${parts.join(', ') || `${pre.length} not applied yet`}`;
}
