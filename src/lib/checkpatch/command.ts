// SPDX-License-Identifier: GPL-2.0-only
/**
 * What `kseries checkpatch` checks and with which checkpatch.pl (resolved from its flags),
 * and the JSON and JUnit it writes: the command only parses flags and renders.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import type { StatePaths } from '../paths.js';
import { checkpatchToReport } from '../report/from-checkpatch.js';
import { renderJUnit } from '../report/junit.js';
import { resolveSeries } from '../series/choose.js';
import { seriesRoot } from '../series/root.js';
import { Registry, type TreeRecord } from '../trees/registry.js';
import { sourceDirFor } from '../workspace.js';
import { issueCounts } from './parser.js';
import { treeOfScript, type CheckpatchRun } from './run.js';
import { seriesPatchFiles } from './series-patches.js';

export interface CheckpatchTarget {
  tree: TreeRecord | null;
  script: string;
  cwd: string;
  series: { base: string; dir: string } | null;
  paths: string[];
  warnings: string[];
}

export interface CheckpatchRequest {
  tree?: string;
  checkpatch?: string;
  series?: string;
  patches?: string;
  files: string[];
}

/** The tree whose checkpatch.pl runs, where it runs, and the patches it checks. */
export function resolveCheckpatch(state: StatePaths, req: CheckpatchRequest): CheckpatchTarget {
  const registry = new Registry(state);
  let tree: TreeRecord | null = req.tree ? registry.get(req.tree) : null;
  if (!tree && !req.checkpatch) {
    const trees = registry.list();
    if (trees.length !== 1) {
      throw usageError(
        trees.length ? `which tree's checkpatch.pl? ${trees.length} trees are registered` : 'no tree is registered to take checkpatch.pl from',
        trees.length ? `Give --tree NAME (one of: ${trees.map((t) => t.name).join(', ')}) or --checkpatch PATH.` : 'Add one (kseries tree add NAME --source debian:6.1) or give --checkpatch PATH.',
      );
    }
    tree = trees[0];
  }
  const treeDir = tree ? checkedOutSource(state, tree) : null;
  const script = req.checkpatch ? resolve(req.checkpatch) : join(treeDir!, 'scripts', 'checkpatch.pl');
  const cwd = treeDir ?? treeOfScript(script) ?? process.cwd();
  const warnings = !treeDir && !treeOfScript(script) ? [`${script} is not inside a kernel tree: it runs in ${cwd}`] : [];

  if (req.files.length) {
    const paths = req.files.map((f) => resolve(f));
    for (const p of paths) if (!existsSync(p) || !statSync(p).isFile()) throw usageError(`no patch file ${p}`);
    return { tree, script, cwd, series: null, paths, warnings };
  }
  const choice = resolveSeries(seriesRoot(req.patches), tree?.kernel ?? null, req.series);
  return { tree, script, cwd, series: { base: choice.base, dir: choice.dir }, paths: seriesPatchFiles(choice.dir), warnings };
}

function checkedOutSource(state: StatePaths, tree: TreeRecord): string {
  const { srcDir } = sourceDirFor(state, tree);
  if (!existsSync(srcDir)) {
    throw usageError(`the source of tree "${tree.name}" is not checked out at ${srcDir}`, 'Apply the series to the tree first, or give --checkpatch PATH.');
  }
  return srcDir;
}

/** Writes the JUnit report of the run to FILE; returns its absolute path. */
export function writeCheckpatchJUnit(run: CheckpatchRun, file: string): string {
  const out = resolve(file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderJUnit(checkpatchToReport(run)));
  return out;
}

/** The --json result. */
export function checkpatchJson(run: CheckpatchRun, target: CheckpatchTarget, junit: string | null) {
  return {
    tree: target.tree?.name ?? null,
    series: target.series,
    script: run.script,
    cwd: run.cwd,
    strict: run.strict,
    failOn: run.failOn,
    failed: run.failed,
    totals: run.totals,
    junit,
    patches: run.patches.map((p) => ({
      file: p.file,
      path: p.path,
      ...issueCounts(p.report),
      lines: p.report.totals?.lines ?? null,
      clean: p.report.clean,
      exitCode: p.exitCode,
      durationMs: p.durationMs,
      command: p.command,
      issues: p.report.issues,
      problems: p.report.problems,
    })),
  };
}
