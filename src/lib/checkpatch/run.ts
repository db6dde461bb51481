// SPDX-License-Identifier: GPL-2.0-only
/**
 * Running a kernel tree's scripts/checkpatch.pl over patch files, one run per patch, in
 * series order, and judging the results.
 *
 * checkpatch runs with cwd = the kernel source tree (it reads MAINTAINERS, spelling.txt,
 * const_structs.checkpatch and runs spdxcheck.py from there) and never with --no-tree:
 * the tree-aware checks are the point. It runs as `perl SCRIPT` so that a script without
 * its executable bit (a tree unpacked from a tarball) works too.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { infraError, usageError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { issueCounts, parseCheckpatch, type CheckpatchReport } from './parser.js';

export type FailOn = 'error' | 'warning' | 'check';
export const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'check'];

export interface CheckpatchOptions {
  /** Path to checkpatch.pl. */
  script: string;
  /** The kernel tree it runs in. */
  cwd: string;
  strict: boolean;
  /** Per patch; checkpatch on a large patch takes seconds, never minutes. */
  timeoutMs?: number;
}

export interface PatchCheck {
  /** The patch file name. */
  file: string;
  path: string;
  report: CheckpatchReport;
  /** checkpatch's own output, as printed. */
  output: string;
  exitCode: number;
  durationMs: number;
  command: string;
}

export interface CheckpatchRun {
  script: string;
  cwd: string;
  strict: boolean;
  failOn: FailOn;
  patches: PatchCheck[];
  totals: { errors: number; warnings: number; checks: number; patches: number; failed: number };
  /** True when some patch has an issue at or above failOn. */
  failed: boolean;
}

const KERNEL_TREE_MARKERS = ['MAINTAINERS', 'Makefile', 'scripts', 'include', 'kernel'];

export const looksLikeKernelTree = (dir: string) => KERNEL_TREE_MARKERS.every((m) => existsSync(join(dir, m)));

/** The tree a checkpatch.pl belongs to (SCRIPT/../..), if it is one. */
export function treeOfScript(script: string): string | null {
  const dir = resolve(dirname(script), '..');
  return basename(dirname(script)) === 'scripts' && looksLikeKernelTree(dir) ? dir : null;
}

export function checkScript(script: string): void {
  if (!existsSync(script) || !statSync(script).isFile()) {
    throw usageError(`no checkpatch script at ${script}`, 'Give --tree NAME (its scripts/checkpatch.pl is used) or --checkpatch PATH.');
  }
}

/** True when a report has an issue at or above the level. */
export function exceeds(r: CheckpatchReport, failOn: FailOn): boolean {
  const c = issueCounts(r);
  if (c.errors > 0) return true;
  if (failOn !== 'error' && c.warnings > 0) return true;
  return failOn === 'check' && c.checks > 0;
}

export async function checkPatch(runner: Runner, path: string, opts: CheckpatchOptions): Promise<PatchCheck> {
  const args = [opts.script, '--show-types', ...(opts.strict ? ['--strict'] : []), path];
  const r = await runner.run({ cmd: 'perl', args, cwd: opts.cwd, timeoutMs: opts.timeoutMs ?? 120_000 });
  const output = r.stdout + (r.stderr ? (r.stdout.endsWith('\n') || !r.stdout ? '' : '\n') + r.stderr : '');
  if (r.timedOut) throw infraError(`checkpatch timed out on ${basename(path)} after ${Math.round((opts.timeoutMs ?? 120_000) / 1000)} s`, `Run it by hand: ${r.command}`);
  const [report] = parseCheckpatch(r.stdout);
  // checkpatch exits 0 (clean) or 1 (issues) after printing its totals; anything else is it failing to run.
  if (!report.totals || r.exitCode > 1) {
    const tail = output.trim().split('\n').slice(-5).join('\n');
    throw infraError(
      `checkpatch did not finish on ${basename(path)} (exit ${r.exitCode})${tail ? `:\n${tail}` : ''}`,
      `Run it by hand to see why: ${r.command}`,
    );
  }
  report.patch = basename(path);
  return { file: basename(path), path, report, output, exitCode: r.exitCode, durationMs: r.durationMs, command: r.command };
}

/** Checks each patch in order. */
export async function checkPatches(
  runner: Runner,
  paths: readonly string[],
  opts: CheckpatchOptions & { failOn: FailOn; onPatch?: (file: string, index: number, count: number) => void },
): Promise<CheckpatchRun> {
  checkScript(opts.script);
  const patches: PatchCheck[] = [];
  for (const [i, p] of paths.entries()) {
    opts.onPatch?.(basename(p), i, paths.length);
    patches.push(await checkPatch(runner, p, opts));
  }
  const totals = { errors: 0, warnings: 0, checks: 0, patches: patches.length, failed: 0 };
  for (const p of patches) {
    const c = issueCounts(p.report);
    totals.errors += c.errors;
    totals.warnings += c.warnings;
    totals.checks += c.checks;
    if (exceeds(p.report, opts.failOn)) totals.failed++;
  }
  return { script: opts.script, cwd: opts.cwd, strict: opts.strict, failOn: opts.failOn, patches, totals, failed: totals.failed > 0 };
}
