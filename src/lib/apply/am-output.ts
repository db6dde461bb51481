// SPDX-License-Identifier: GPL-2.0-only
/**
 * Parsing what `git am -3` and `git apply --check -v` print (LC_ALL=C), so that a conflict
 * is reported as data: which files failed, at which hunk, whether the 3-way fallback ran
 * and why it could not. Pure: the input is the captured stdout + stderr and exit code.
 */

export interface AmConflictLine {
  /** "content", "modify/delete", "add/add", ... */
  kind: string;
  path: string;
  message: string;
}

export interface ApplyFailure {
  path: string;
  /** The line git reports: the failing hunk's start line in the preimage. */
  line: number;
  /** The preimage lines git searched for (apply -v only). */
  searchedFor: string[];
}

export interface HunkOffset {
  path: string | null;
  hunk: number;
  at: number;
  offset: number;
}

export type AmOutcome = 'applied' | 'already-applied' | 'conflict' | 'corrupt' | 'failed';

export interface AmOutput {
  outcome: AmOutcome;
  exitCode: number;
  /** Subjects of "Applying: ..." lines. */
  applying: string[];
  /** "Using index info to reconstruct a base tree...": the patch's index lines were usable. */
  usedIndexInfo: boolean;
  /** The files of the reconstructed base ("M\tpath"). */
  fakeAncestor: Array<{ status: string; path: string }>;
  /** "Falling back to patching base and 3-way merge...": plain application failed, 3-way ran. */
  fellBackTo3way: boolean;
  /** "No changes -- Patch already applied." */
  noChanges: boolean;
  autoMerging: string[];
  conflicts: AmConflictLine[];
  /** "error: patch failed: FILE:LINE" (with the searched lines when -v). */
  patchFailed: ApplyFailure[];
  /** "error: FILE: patch does not apply" */
  doesNotApply: string[];
  /** "error: sha1 information is lacking or useless (FILE)." */
  lackingBlobs: string[];
  couldNotBuildFakeAncestor: boolean;
  failedToMerge: boolean;
  /** "error: FILE: does not exist in index" / "No such file or directory" */
  missingFiles: string[];
  /** "error: FILE: already exists in index/working directory" */
  alreadyExists: string[];
  /** "Patch failed at 0002 subject" */
  patchFailedAt: { number: number; subject: string } | null;
  corrupt: { line: number | null; message: string } | null;
  emptyPatch: boolean;
  /** apply -v: "Hunk #N succeeded at L (offset K lines)." */
  hunkOffsets: HunkOffset[];
  /** apply -v: "Checking patch FILE..." */
  checked: string[];
  /** Every "error:" / "fatal:" line, verbatim. */
  errors: string[];
}

export function parseAmOutput(stdout: string, stderr: string, exitCode: number): AmOutput {
  return parseGitApplyLines(`${stdout}\n${stderr}`.split('\n'), exitCode);
}

function conflictPath(kind: string, msg: string): string {
  const inFile = /Merge conflict in (.+)$/.exec(msg);
  if (inFile) return inFile[1].trim();
  const del = /^(.+?) deleted in /.exec(msg);
  if (del) return del[1].trim();
  const renamed = /^(?:Rename|rename) (.+?)->/.exec(msg);
  if (renamed) return renamed[1].trim();
  return (kind.includes('/') ? msg.split(/\s+/)[0] : msg.split(/\s+/).pop() ?? '').replace(/[.,]$/, '');
}

export function parseGitApplyLines(lines: string[], exitCode: number): AmOutput {
  const o: AmOutput = {
    outcome: 'failed',
    exitCode,
    applying: [],
    usedIndexInfo: false,
    fakeAncestor: [],
    fellBackTo3way: false,
    noChanges: false,
    autoMerging: [],
    conflicts: [],
    patchFailed: [],
    doesNotApply: [],
    lackingBlobs: [],
    couldNotBuildFakeAncestor: false,
    failedToMerge: false,
    missingFiles: [],
    alreadyExists: [],
    patchFailedAt: null,
    corrupt: null,
    emptyPatch: false,
    hunkOffsets: [],
    checked: [],
    errors: [],
  };
  let searching: string[] | null = null;
  let current: string | null = null;
  let inFakeAncestor = false;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if (searching) {
      if ((m = /^error: patch failed: (.+):(\d+)$/.exec(line))) {
        o.errors.push(line);
        o.patchFailed.push({ path: m[1], line: Number(m[2]), searchedFor: searching.slice(0, searching.length && searching[searching.length - 1] === '' ? -1 : undefined) });
        searching = null;
      } else {
        searching.push(line);
      }
      continue;
    }
    if (inFakeAncestor && (m = /^([AMDRCTU])\t(.+)$/.exec(line))) {
      o.fakeAncestor.push({ status: m[1], path: m[2] });
      continue;
    }
    inFakeAncestor = false;
    if ((m = /^Applying: (.*)$/.exec(line))) o.applying.push(m[1]);
    else if (line === 'Using index info to reconstruct a base tree...') {
      o.usedIndexInfo = true;
      inFakeAncestor = true;
    } else if (line === 'Falling back to patching base and 3-way merge...') o.fellBackTo3way = true;
    else if (/^No changes -- Patch already applied\.?$/.test(line)) o.noChanges = true;
    else if ((m = /^Auto-merging (.+)$/.exec(line))) o.autoMerging.push(m[1]);
    else if ((m = /^CONFLICT \(([^)]+)\): (.*)$/.exec(line))) o.conflicts.push({ kind: m[1], path: conflictPath(m[1], m[2]), message: m[2] });
    else if ((m = /^Patch failed at (\d+) (.*)$/.exec(line))) o.patchFailedAt = { number: Number(m[1]), subject: m[2] };
    else if ((m = /^Checking patch (.+)\.\.\.$/.exec(line))) {
      current = m[1];
      o.checked.push(m[1]);
    } else if ((m = /^Hunk #(\d+) succeeded at (\d+) \(offset (-?\d+) lines?\)\.$/.exec(line))) {
      o.hunkOffsets.push({ path: current, hunk: Number(m[1]), at: Number(m[2]), offset: Number(m[3]) });
    } else if (/^Patch is empty\.?/.test(line)) o.emptyPatch = true;
    else if (/^(error|fatal): /.test(line)) {
      o.errors.push(line);
      if (line === 'error: while searching for:') searching = [];
      else if ((m = /^error: patch failed: (.+):(\d+)$/.exec(line))) o.patchFailed.push({ path: m[1], line: Number(m[2]), searchedFor: [] });
      else if ((m = /^error: (.+): patch does not apply$/.exec(line))) o.doesNotApply.push(m[1]);
      else if ((m = /^error: sha1 information is lacking or useless \((.+)\)\.$/.exec(line))) o.lackingBlobs.push(m[1]);
      else if (line === 'error: could not build fake ancestor') o.couldNotBuildFakeAncestor = true;
      else if (line === 'error: Failed to merge in the changes.') o.failedToMerge = true;
      else if ((m = /^error: (.+): does not exist in index$/.exec(line))) o.missingFiles.push(m[1]);
      else if ((m = /^error: (.+): No such file or directory$/.exec(line))) o.missingFiles.push(m[1]);
      else if ((m = /^error: (.+): already exists in (?:index|working directory)$/.exec(line))) o.alreadyExists.push(m[1]);
      else if ((m = /^(?:error|fatal): corrupt patch at line (\d+)$/.exec(line))) o.corrupt = { line: Number(m[1]), message: line };
      else if (/^(?:error|fatal): (?:Patch format detection failed|No valid patches in input|patch fragment without header|git diff header lacks filename)/.test(line)) {
        o.corrupt = { line: /line (\d+)/.exec(line) ? Number(/line (\d+)/.exec(line)![1]) : null, message: line };
      }
    }
  }
  if (o.corrupt) o.outcome = 'corrupt';
  else if (exitCode === 0) o.outcome = o.noChanges ? 'already-applied' : 'applied';
  else if (o.conflicts.length || o.patchFailed.length || o.doesNotApply.length || o.lackingBlobs.length || o.failedToMerge || o.missingFiles.length || o.alreadyExists.length || o.patchFailedAt) o.outcome = 'conflict';
  else if (o.emptyPatch) o.outcome = 'corrupt';
  return o;
}
