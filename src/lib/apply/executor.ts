// SPDX-License-Identifier: GPL-2.0-only
/**
 * The one executor of apply plans: creates the worktree, runs `git am -3` one patch at a
 * time, classifies each outcome (clean, 3-way, already upstream, conflict), parks a conflict
 * with its diagnosis, and records the result. Also resumes a parked conflict (--continue).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup } from '../cli/interrupt.js';
import { checkError, infraError, InterruptedError, usageError } from '../errors.js';
import { Git, type GitRunOptions } from '../git/git.js';
import type { StatePaths } from '../paths.js';
import { parsePatchFile } from '../series/patch-file.js';
import { readWorkspace, treeWorktreeDir, writeWorkspace } from '../workspace.js';
import { parseAmOutput } from './am-output.js';
import { hasConflictMarkers } from './conflict-markers.js';
import { targetOnNewerLine } from './context-diff.js';
import { diagnoseConflict, reverseApplies, ScratchIndex } from './diagnose.js';
import { amAbortArgs, amContinueArgs, amSkipArgs, C_LOCALE, committerEnv } from './git-args.js';
import { amStep, patchRefs, type ApplyPlan, type Step } from './plan.js';
import type { ApplyReport, PatchResult } from './report.js';
import { removeRecord, writeRecord, type ApplyRecord } from './state.js';
import { addWorktree, amInProgress, clearAm, clearStaleLocks, isClean, removeWorktree, unmergedFiles } from './worktree.js';

export interface ExecOptions {
  onStep?: (msg: string) => void;
}

const head = async (g: Git, opts: GitRunOptions = {}) => (await g.ok(['rev-parse', 'HEAD'], opts)).trim();

/** Drops current.json when it points at a worktree that is going away. */
export function forgetWorkspaceAt(paths: StatePaths, tree: string, dir: string): void {
  const w = readWorkspace(paths, tree);
  if (w && w.srcDir === dir) rmSync(join(treeWorktreeDir(paths, tree), 'current.json'), { force: true });
}

function finish(paths: StatePaths, rec: ApplyRecord): void {
  const r = rec.report;
  writeRecord(paths, rec);
  if (r.status !== 'conflict' && r.status !== 'interrupted' && r.head) {
    writeWorkspace(paths, {
      tree: r.tree,
      srcDir: r.worktree,
      series: r.series.base,
      branch: r.branch,
      baseCommit: r.base.commit,
      head: r.head,
      updatedAt: new Date().toISOString(),
    });
  }
}

/** Sets base.step and the 3-way rung once the patches went through (or not). */
function settleLadder(r: ApplyReport): void {
  const usedBase = r.base.ladder.find((x) => x.step === 'base-commit')?.result === 'used';
  const any3 = r.patches.some((p) => p.status === '3way');
  const rung3 = r.base.ladder.find((x) => x.step === '3way');
  if (r.status === 'interrupted') {
    r.base.step = null;
    return;
  }
  if (r.status === 'conflict') {
    r.base.step = null;
    const rungRef = r.base.ladder.find((x) => x.step === 'ref');
    if (rungRef && rungRef.result === 'used') rungRef.result = 'failed';
    if (rung3 && rung3.result === 'used') {
      rung3.result = 'failed';
      rung3.note = `patch ${r.conflict?.patch.index} does not apply, even by 3-way merge`;
    }
    return;
  }
  const rungRef = r.base.ladder.find((x) => x.step === 'ref');
  if (usedBase) r.base.step = 'base-commit';
  else r.base.step = any3 ? '3way' : 'ref';
  if (rungRef && rungRef.result === 'used' && any3) {
    rungRef.result = 'failed';
    rungRef.note = `patch${r.patches.filter((p) => p.status === '3way').length > 1 ? 'es' : ''} ${r.patches.filter((p) => p.status === '3way').map((p) => p.index).join(', ')} did not apply as they are`;
  }
  if (rung3 && rung3.result === 'used' && !any3) {
    rung3.result = 'skipped';
    rung3.note = 'every patch applied without it';
  } else if (rung3 && any3) {
    rung3.note = `needed by patch${r.patches.filter((p) => p.status === '3way').length > 1 ? 'es' : ''} ${r.patches.filter((p) => p.status === '3way').map((p) => p.index).join(', ')}`;
  }
}

/** The commits of a range with their subjects, as `git log --format=%H %s` lists them. */
async function commitSubjects(wt: Git, args: string[], opts?: GitRunOptions): Promise<Array<{ commit: string; subject: string }>> {
  const r = await wt.run(['log', '--format=%H %s', ...args], opts);
  return r.stdout.split('\n').flatMap((l) => {
    const i = l.indexOf(' ');
    return i > 0 ? [{ commit: l.slice(0, i), subject: l.slice(i + 1) }] : [];
  });
}

class Upstream {
  private subjects: Map<string, string> | null = null;
  constructor(
    private readonly wt: Git,
    private readonly since: string | null,
    private readonly until: string,
  ) {}
  async bySubject(subject: string): Promise<string | null> {
    if (!this.since) return null;
    if (!this.subjects) {
      this.subjects = new Map();
      for (const c of await commitSubjects(this.wt, ['--no-merges', `${this.since}..${this.until}`])) this.subjects.set(c.subject, c.commit);
    }
    return this.subjects.get(subject) ?? null;
  }
}

type AmStep = Extract<Step, { kind: 'am' }>;

/**
 * Intent, written (atomically) before every git step that changes the worktree or branch: if
 * this run dies now, even by SIGKILL, the next one finds the series interrupted before patch
 * NEXT, with the results so far; --continue reconciles that with git (see recoverInterrupted)
 * and --abort removes it all. CREATING: the worktree and branch may be half made.
 */
function checkpoint(paths: StatePaths, rec: ApplyRecord, next: number, creating = false): void {
  const r = rec.report;
  const done = r.patches.filter((p) => p.commit);
  const sel = `--tree ${r.tree} --series ${r.series.base}`;
  writeRecord(paths, {
    ...rec,
    creating: creating || undefined,
    report: {
      ...r,
      status: 'interrupted',
      head: null,
      conflict: null,
      base: { ...r.base, step: null },
      parked: {
        worktree: r.worktree,
        branch: r.branch,
        head: done.length ? done[done.length - 1].commit! : r.base.commit,
        next,
        resolve: 'nothing to resolve: the run was interrupted',
        continue: `kseries apply ${sel} --continue`,
        abort: `kseries apply ${sel} --abort`,
      },
    },
  });
}

/** Runs the am steps in order; returns after the last one or at the first conflict. SAVE(next) records the intent before each patch. */
async function runPatches(rec: ApplyRecord, steps: AmStep[], opts: ExecOptions, save: (next: number) => void): Promise<void> {
  const r = rec.report;
  const wt = new Git(r.worktree);
  const upstream = new Upstream(wt, rec.upstreamSince, r.base.commit);
  const total = rec.patches.length;
  for (const step of steps) {
    const p = step.patch;
    const res = r.patches[p.index - 1];
    opts.onStep?.(`[${p.index}/${total}] ${p.subject}`);
    save(p.index);
    const am = await wt.run(step.args, { env: step.env });
    const out = parseAmOutput(am.stdout, am.stderr, am.exitCode);
    if (out.outcome === 'corrupt') {
      await wt.run(amAbortArgs(), { ignoreInterrupt: true, env: C_LOCALE });
      throw usageError(`${p.path}: git am rejects the patch: ${out.corrupt?.message ?? 'empty patch'}`, 'Regenerate it with git format-patch, or check it with: kseries series lint');
    }
    if (out.outcome === 'applied') {
      // HEAD first: an interrupt in between must not leave a patch done without its commit
      res.commit = await head(wt);
      res.status = out.fellBackTo3way ? '3way' : 'clean';
      continue;
    }
    if (out.outcome === 'already-applied') {
      res.status = 'already-upstream';
      res.upstream = { by: 'am-no-changes' };
      continue;
    }
    if (!(await amInProgress(wt))) {
      throw infraError(`git am failed on ${p.file} in ${r.worktree} (exit ${am.exitCode}): ${(am.stderr || am.stdout).trim().split('\n').slice(-3).join(' ')}`);
    }
    const patch = parsePatchFile(readFileSync(p.path, 'utf8'), p.file);
    const index = await ScratchIndex.create(wt);
    try {
      const bySubject = await upstream.bySubject(p.subject);
      const reverse = await reverseApplies(wt, index, p.path);
      if (reverse || bySubject) {
        const skip = await wt.run(amSkipArgs(), { env: C_LOCALE });
        if (skip.exitCode !== 0) throw infraError(`git am --skip failed in ${r.worktree}: ${skip.stderr.trim()}`);
        res.status = 'already-upstream';
        res.upstream = reverse ? { by: 'reverse-apply' } : { by: 'subject', commit: bySubject! };
        continue;
      }
      const gitOutput = [am.stdout.trimEnd(), am.stderr.trimEnd()].filter(Boolean).join('\n');
      const history = { target: r.base.commit, seriesBaseId: r.series.baseCommit, seriesBase: rec.seriesBase ?? null, seriesBaseTag: rec.seriesBaseTag ?? null, newerLine: targetOnNewerLine(r.target.kernel, r.series.base) };
      r.conflict = await diagnoseConflict(wt, { index: p.index, file: p.file, patch }, out, gitOutput, index, history);
    } finally {
      index.dispose();
    }
    res.status = 'conflict';
    r.status = 'conflict';
    const sel = `--tree ${r.tree} --series ${r.series.base}`;
    const noMerge = !r.conflict.threeWay.ran;
    r.parked = {
      worktree: r.worktree,
      branch: r.branch,
      head: await head(wt),
      next: p.index,
      resolve: noMerge
        ? `cd ${r.worktree} && git am --show-current-patch=diff | git apply --reject; fix the *.rej hunks, git add the files, rm the *.rej files`
        : `cd ${r.worktree}, fix the conflict markers, git add the files`,
      continue: `kseries apply ${sel} --continue`,
      abort: `kseries apply ${sel} --abort`,
    };
    return;
  }
  r.status = 'applied';
  r.head = await head(wt);
}

export async function executePlan(plan: ApplyPlan, paths: StatePaths, opts: ExecOptions = {}): Promise<ApplyReport> {
  const started = Date.now();
  const f = plan.facts;
  const repo = new Git(f.tree.repo);
  const patches = patchRefs(f.series);
  const report: ApplyReport = {
    tree: f.tree.name,
    repo: f.tree.repo,
    status: plan.mode === 'noop' ? 'already-applied' : 'applied',
    series: { base: f.choice.base, dir: f.series.dir, chosenBy: f.choice.chosenBy, baseCommit: f.series.baseCommit, patches: patches.length, hash: f.series.hash },
    target: { ref: f.target.ref, commit: f.target.commit, kernel: f.target.kernel },
    base: { step: null, commit: plan.baseCommit, ladder: plan.ladder.map((x) => ({ ...x })) },
    worktree: f.worktree,
    branch: f.branch,
    head: null,
    patches: patches.map<PatchResult>((p) => ({ index: p.index, file: p.file, subject: p.subject, status: 'pending', commit: null, ...(p.prerequisite ? { prerequisite: true } : {}) })),
    conflict: null,
    parked: null,
    origin: f.origin,
    durationMs: 0,
  };
  const upstreamSince = await upstreamBase(repo, f.seriesBase.resolved, plan.baseCommit);
  const byTag = !f.seriesBase.resolved && f.seriesBase.tag ? f.seriesBase.tag : null;
  const rec: ApplyRecord = { version: 1, report, patches, upstreamSince, seriesBase: f.seriesBase.resolved ?? byTag?.commit ?? null, seriesBaseTag: byTag?.name ?? null };

  if (plan.mode === 'noop') {
    const prev = f.existing.record!.report;
    report.patches = prev.patches.map((p) => ({ ...p }));
    report.head = prev.head;
    report.base = { ...prev.base, ladder: prev.base.ladder.map((x) => ({ ...x })) };
    report.origin = f.origin ?? prev.origin;
    report.durationMs = Date.now() - started;
    finish(paths, { ...rec, report: { ...report, status: 'applied' } });
    return report;
  }

  let unregister: (() => void) | null = null;
  const save = (next: number) => checkpoint(paths, rec, next);
  try {
    // Ctrl-C (or a failure) from here on removes the worktree, branch and record: nothing half-applied is left
    unregister = onCleanup(async () => {
      await removeWorktree(repo, f.worktree, f.branch);
      removeRecord(paths, f.tree.name, f.choice.base);
    });
    // SIGKILL runs no cleanup: the record says what was under way before git starts
    checkpoint(paths, rec, 1, true);
    for (const step of plan.steps) {
      if (step.kind === 'remove-worktree') {
        opts.onStep?.(`removing ${step.dir} (${step.reason})`);
        forgetWorkspaceAt(paths, f.tree.name, step.dir);
        await removeWorktree(repo, step.dir, step.branch);
      } else if (step.kind === 'add-worktree') {
        opts.onStep?.(`creating worktree ${step.dir} at ${step.commit.slice(0, 12)}`);
        await addWorktree(repo, step.dir, step.branch, step.commit);
        save(1);
      } else if (step.kind === 'am') {
        // the am steps run as one sequence, so that a conflict stops the rest
        await runPatches(rec, plan.steps.filter((s): s is AmStep => s.kind === 'am'), opts, save);
        break;
      }
    }
    settleLadder(report);
    report.durationMs = Date.now() - started;
    finish(paths, rec);
    unregister?.();
    return report;
  } catch (err) {
    if (unregister) {
      unregister();
      await removeWorktree(repo, f.worktree, f.branch);
      removeRecord(paths, f.tree.name, f.choice.base);
    }
    throw err;
  }
}

/** The series base-commit when it is a proper ancestor of the base: commits in between may carry our patches upstream. */
async function upstreamBase(repo: Git, seriesBase: string | null, base: string): Promise<string | null> {
  if (!seriesBase || seriesBase === base) return null;
  const r = await repo.run(['merge-base', '--is-ancestor', seriesBase, base]);
  return r.exitCode === 0 ? seriesBase : null;
}

/** Resumes a parked conflict after the user resolved it (or dropped the patch), or a run interrupted by Ctrl-C. */
export async function resumeApply(rec: ApplyRecord, paths: StatePaths, opts: ExecOptions = {}): Promise<ApplyReport> {
  const started = Date.now();
  const r = rec.report;
  if ((r.status !== 'conflict' && r.status !== 'interrupted') || !r.parked) throw usageError(`series ${r.series.base} on ${r.tree} is not parked`);
  const remake = r.status === 'interrupted' && (rec.creating || (!existsSync(join(r.worktree, '.git')) && !r.patches.some((p) => p.commit)));
  if (!remake && !existsSync(r.worktree)) throw usageError(`the parked worktree ${r.worktree} is gone`, `Start again: kseries apply --tree ${r.tree} --series ${r.series.base} --abort, then apply.`);
  const wt = new Git(r.worktree);
  let from: number;
  if (remake) {
    await remakeWorktree(rec, paths);
    from = 1;
  } else if (r.status === 'interrupted') {
    from = await recoverInterrupted(rec, wt);
  } else {
    await settleParkedPatch(rec, wt);
    from = r.parked.next + 1;
  }
  r.status = 'applied';
  r.conflict = null;
  r.parked = null;
  try {
    await runPatches(rec, rec.patches.filter((x) => x.index >= from).map((x) => amStep(r.worktree, x) as AmStep), opts, (next) => checkpoint(paths, rec, next));
  } catch (err) {
    if (err instanceof InterruptedError) await parkInterrupted(rec, wt, paths);
    throw err;
  }
  settleLadder(r);
  if (r.status === 'applied' && !r.base.step) r.base.step = 'ref';
  r.durationMs += Date.now() - started;
  finish(paths, rec);
  return r;
}

/** The conflicting patch after the user's work: resolved (am --continue) or dropped (HEAD did not move). */
async function settleParkedPatch(rec: ApplyRecord, wt: Git): Promise<void> {
  const r = rec.report;
  const parked = r.parked!;
  const idx = parked.next;
  const p = rec.patches[idx - 1];
  const res = r.patches[idx - 1];
  if (await amInProgress(wt)) {
    const unmerged = await unmergedFiles(wt);
    if (unmerged.length) {
      throw checkError(`still unresolved in ${r.worktree}: ${unmerged.join(', ')}`, `Fix them, git add them, then: ${parked.continue}`, { unresolved: unmerged });
    }
    const withMarkers = (r.conflict?.files ?? [])
      .filter((f) => existsSync(join(r.worktree, f.path)) && hasConflictMarkers(readFileSync(join(r.worktree, f.path), 'utf8')))
      .map((f) => f.path);
    if (withMarkers.length) {
      throw checkError(`conflict markers are still in ${withMarkers.join(', ')}`, `Edit them out, git add, then: ${parked.continue}`, { unresolved: withMarkers });
    }
    const c = await wt.run(amContinueArgs(), { env: committerEnv(p.date) });
    if (c.exitCode !== 0) {
      const msg = `${c.stdout}\n${c.stderr}`;
      if (/did you forget to use 'git add'/.test(msg)) {
        throw checkError(`nothing was staged for patch ${idx} in ${r.worktree}`, `git add the resolved files (or drop the patch with git am --skip there), then: ${parked.continue}`);
      }
      throw checkError(`git am --continue failed in ${r.worktree}: ${msg.trim().split('\n').slice(-3).join(' ')}`, `Fix it there, then: ${parked.continue}`);
    }
    res.commit = await head(wt);
    res.status = 'resolved';
    return;
  }
  const now = await head(wt);
  if (now === parked.head) {
    res.status = 'skipped';
    return;
  }
  const anc = await wt.run(['merge-base', '--is-ancestor', parked.head, now]);
  if (anc.exitCode !== 0) throw usageError(`${r.branch} no longer contains ${parked.head.slice(0, 12)}`, `Start again: ${parked.abort}`);
  res.status = 'resolved';
  res.commit = now;
}

/**
 * Patches that git am committed before the interrupt reached their record (the window
 * between a commit and its bookkeeping): git is the truth, the record a cache of it. The
 * commits after the last recorded one are matched, oldest first, with the next pending
 * patches by subject, as git am writes them.
 */
async function reconcileCommitted(r: ApplyReport, wt: Git, quiet: GitRunOptions): Promise<void> {
  // what the record cannot vouch for is redone: a conflict no longer parked, a patch marked done without its commit
  for (const p of r.patches) if (p.status === 'conflict' || ((p.status === 'clean' || p.status === '3way' || p.status === 'resolved') && !p.commit)) p.status = 'pending';
  const recorded = r.patches.filter((p) => p.commit);
  const since = recorded.length ? recorded[recorded.length - 1].commit! : r.base.commit;
  let i = r.patches.findIndex((p) => p.status === 'pending');
  for (const c of await commitSubjects(wt, ['--reverse', `${since}..HEAD`], quiet)) {
    const p = r.patches[i];
    if (i < 0 || !p || p.status !== 'pending' || p.subject !== c.subject) break;
    p.status = 'clean';
    p.commit = c.commit;
    i++;
  }
}

/** The run died while it (re)made the worktree (or before any patch, and the worktree is gone): make it again. */
async function remakeWorktree(rec: ApplyRecord, paths: StatePaths): Promise<void> {
  const r = rec.report;
  const repo = new Git(r.repo);
  forgetWorkspaceAt(paths, r.tree, r.worktree);
  await removeWorktree(repo, r.worktree, r.branch);
  for (const p of r.patches) {
    p.status = 'pending';
    p.commit = null;
    delete p.upstream;
  }
  await addWorktree(repo, r.worktree, r.branch, r.base.commit);
  delete rec.creating;
  checkpoint(paths, rec, 1);
}

/**
 * After an interrupt, make the worktree what git says it is: stale git locks dropped (git
 * cleans them up on SIGINT except in a short window, and a SIGKILL leaves them), a half-run
 * git am dropped, and what is not committed reset (an interrupt can land after git am touched
 * the index but before or after its state dir existed, which am --abort cannot undo:
 * everything done is committed, so the rest goes); then the commits made after the last
 * recorded one are taken into the record.
 */
async function settleWorktree(r: ApplyReport, wt: Git, quiet: GitRunOptions): Promise<void> {
  await clearStaleLocks(wt, new Git(r.repo), r.branch);
  await clearAm(wt);
  if (!(await isClean(wt, quiet))) await wt.run(['reset', '-q', '--hard', 'HEAD'], quiet);
  await reconcileCommitted(r, wt, quiet);
}

/**
 * An interrupted run (Ctrl-C, or a SIGKILL that ran no cleanup): git's state is the truth.
 * Drops stale git locks and a half-run git am, resets what is not committed, takes the
 * commits made after the last recorded one (reconcileCommitted), and checks that HEAD is
 * what the record now says. Returns the patch to resume at.
 */
async function recoverInterrupted(rec: ApplyRecord, wt: Git): Promise<number> {
  const r = rec.report;
  const quiet = { ignoreInterrupt: true, env: C_LOCALE };
  await settleWorktree(r, wt, quiet);
  const done = r.patches.filter((p) => p.commit);
  const expected = done.length ? done[done.length - 1].commit! : r.base.commit;
  const now = await head(wt, quiet);
  if (now !== expected) {
    throw usageError(`${r.branch} is at ${now.slice(0, 12)}, not at ${expected.slice(0, 12)} where kseries left it`, `Start again: kseries apply --tree ${r.tree} --series ${r.series.base} --abort, then apply.`);
  }
  return r.patches.find((p) => p.status === 'pending')?.index ?? r.patches.length + 1;
}

/** Ctrl-C during --continue: drop the half-run git am, keep the patches done, and record where to resume. */
async function parkInterrupted(rec: ApplyRecord, wt: Git, paths: StatePaths): Promise<void> {
  const r = rec.report;
  const quiet = { ignoreInterrupt: true, env: C_LOCALE };
  await settleWorktree(r, wt, quiet);
  const next = r.patches.find((p) => p.status === 'pending')?.index ?? r.patches.length + 1;
  const sel = `--tree ${r.tree} --series ${r.series.base}`;
  r.status = 'interrupted';
  r.conflict = null;
  r.parked = {
    worktree: r.worktree,
    branch: r.branch,
    head: await head(wt, quiet),
    next,
    resolve: 'nothing to resolve: the run was interrupted',
    continue: `kseries apply ${sel} --continue`,
    abort: `kseries apply ${sel} --abort`,
  };
  settleLadder(r);
  writeRecord(paths, rec);
}
