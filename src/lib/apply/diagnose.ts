// SPDX-License-Identifier: GPL-2.0-only
/**
 * Explaining a conflict: for each file of the failing patch, the blob ids of its index line
 * and whether the tree has them, the target's blob, each hunk checked alone against the
 * target (applies / applies at an offset / fails), and the conflict regions git left in the
 * worktree. Checks run against a temporary index of HEAD, never the worktree's own.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Git } from '../git/git.js';
import { singleHunkPatch } from '../series/diff.js';
import type { PatchFile } from '../series/patch-file.js';
import { parseGitApplyLines, type AmOutput } from './am-output.js';
import { parseConflictMarkers } from './conflict-markers.js';
import { aloneHeader, placeHunk, shiftAround } from './hunk-check.js';
import { explainFailingHunk, noHistoryReason, type HistoryRange } from './prerequisites.js';
import { C_LOCALE } from './git-args.js';
import type { ConflictFile, ConflictReport, HunkCheck } from './report.js';

const ZERO = /^0+$/;

/** A throw-away index holding HEAD's tree, for `git apply --cached --check` without touching the worktree. */
export class ScratchIndex {
  private constructor(
    readonly dir: string,
    readonly env: Record<string, string>,
  ) {}

  static async create(wt: Git, rev = 'HEAD'): Promise<ScratchIndex> {
    const dir = mkdtempSync(join(tmpdir(), 'kseries-index-'));
    const env = { ...C_LOCALE, GIT_INDEX_FILE: join(dir, 'index') };
    await wt.ok(['read-tree', rev], { env });
    return new ScratchIndex(dir, env);
  }

  async check(wt: Git, patchText: string, extra: string[] = []): Promise<{ exitCode: number; out: AmOutput }> {
    const f = join(this.dir, 'check.patch');
    writeFileSync(f, patchText);
    return this.checkFile(wt, f, extra);
  }

  async checkFile(wt: Git, path: string, extra: string[] = []): Promise<{ exitCode: number; out: AmOutput }> {
    const r = await wt.run(['apply', '--cached', '--check', '-v', ...extra, path], { env: this.env });
    return { exitCode: r.exitCode, out: parseGitApplyLines(`${r.stdout}\n${r.stderr}`.split('\n'), r.exitCode) };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Does the patch apply in reverse to HEAD, i.e. is its change already there? */
export async function reverseApplies(wt: Git, index: ScratchIndex, patchPath: string): Promise<boolean> {
  const r = await index.checkFile(wt, patchPath, ['--reverse']);
  return r.exitCode === 0;
}

async function blobAt(wt: Git, path: string): Promise<string | null> {
  const r = await wt.run(['rev-parse', '--verify', '--quiet', `HEAD:${path}`]);
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

async function has(wt: Git, id: string | null): Promise<boolean | null> {
  if (!id || ZERO.test(id)) return null;
  return wt.hasObject(id);
}

/** The lines of a blob, null when the repository does not have it. */
async function blobLines(wt: Git, id: string | null): Promise<string[] | null> {
  if (!id) return null;
  const text = await wt.blob(id);
  return text === null ? null : text.replace(/\n$/, '').split('\n');
}

export async function diagnoseConflict(
  wt: Git,
  p: { index: number; file: string; patch: PatchFile },
  am: AmOutput,
  gitOutput: string,
  index: ScratchIndex,
  history: HistoryRange | null = null,
): Promise<ConflictReport> {
  const files: ConflictFile[] = [];
  let noHistory: Promise<string | null> | undefined;
  for (const f of p.patch.files) {
    const srcPath = f.oldPath ?? f.path;
    const target = f.status === 'added' ? await blobAt(wt, f.path) : await blobAt(wt, srcPath);
    const pre = f.oldBlob && !ZERO.test(f.oldBlob) ? f.oldBlob : null;
    const post = f.newBlob && !ZERO.test(f.newBlob) ? f.newBlob : null;
    const hunks: HunkCheck[] = [];
    for (const h of f.hunks) {
      const base = { header: h.header, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, section: h.section };
      if (f.status !== 'added' && target === null) {
        hunks.push({ ...base, status: 'fails' });
        continue;
      }
      // checked alone, with its new start moved to its old start: placed and measured from where its preimage was (hunk-check.ts)
      const checked = aloneHeader(h);
      const c = await index.check(wt, singleHunkPatch(f, h, checked));
      hunks.push({ ...base, ...placeHunk(h, checked, { exitCode: c.exitCode, hunkOffsets: c.out.hunkOffsets }) });
    }
    // failing hunks: how the target differs from the series' base there, and which commit changed it
    const failing = f.hunks.filter((_, k) => hunks[k].status === 'fails');
    const targetFile = failing.length && history && target ? await blobLines(wt, target) : null;
    if (history && targetFile) {
      noHistory ??= noHistoryReason(wt, history);
      const baseFile = pre ? await blobLines(wt, pre) : null;
      const paths = [...new Set([srcPath, f.path])];
      for (const [k, h] of f.hunks.entries()) {
        if (hunks[k].status === 'fails') hunks[k].context = { ...(await explainFailingHunk(wt, history, await noHistory, paths, h, baseFile, targetFile)), shift: shiftAround(hunks, k) };
      }
    }
    const conflictLine = am.conflicts.find((c) => c.path === f.path || c.path === srcPath);
    const failedByGit =
      am.lackingBlobs.includes(srcPath) || am.doesNotApply.includes(srcPath) || am.patchFailed.some((x) => x.path === srcPath) || am.missingFiles.includes(srcPath);
    let kind: string;
    if (conflictLine) kind = conflictLine.kind;
    else if (f.status !== 'added' && target === null) kind = 'missing';
    else if (f.status === 'added' && target !== null) kind = 'already-exists';
    else if (failedByGit || hunks.some((h) => h.status === 'fails')) kind = 'does-not-apply';
    else kind = 'ok';
    const wtFile = join(wt.dir, f.path);
    const markers = conflictLine && existsSync(wtFile) ? parseConflictMarkers(readFileSync(wtFile, 'utf8')) : [];
    files.push({
      path: f.path,
      oldPath: f.oldPath !== f.path ? f.oldPath : null,
      kind,
      blobs: {
        preimage: pre,
        postimage: post,
        treeHasPreimage: await has(wt, pre),
        treeHasPostimage: await has(wt, post),
        target,
        targetIsPreimage: !!(target && pre && target.startsWith(pre)),
      },
      hunks,
      markers,
    });
  }
  const attempted = am.usedIndexInfo || am.lackingBlobs.length > 0 || am.couldNotBuildFakeAncestor || am.fellBackTo3way;
  let reason: string | null = null;
  if (am.couldNotBuildFakeAncestor || am.lackingBlobs.length) {
    reason = `the tree lacks the preimage blob${am.lackingBlobs.length === 1 ? '' : 's'} of ${am.lackingBlobs.join(', ') || 'the patched files'} (the patch was made against file versions this tree never had)`;
  } else if (am.fellBackTo3way && am.conflicts.length) {
    reason = 'the 3-way merge left conflicts';
  } else if (!attempted) {
    reason = 'git am did not try a 3-way merge';
  }
  return {
    patch: { index: p.index, file: p.file, subject: p.patch.subject.summary },
    threeWay: { attempted, ran: am.fellBackTo3way, reason },
    files,
    gitOutput,
  };
}
