// SPDX-License-Identifier: GPL-2.0-only
/**
 * Writing a ci run's results directory:
 *
 *   RESULTS/results.json  summary.md  junit.xml  commands.sh      all trees (ci-results.ts)
 *   RESULTS/<tree>/results.json  summary.md  junit.xml  commands.sh  logs/  selftest/
 *
 * Every report is written from the results alone (results.json), so that reading a
 * results.json back gives the same summary.md and junit.xml.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatePaths } from '../paths.js';
import { renderCiSummary } from '../report/ci-summary.js';
import { toCiResults, treeResultsOf, type CiResults } from '../report/ci-results.js';
import { stagesToReport } from '../report/from-stages.js';
import { renderJUnit } from '../report/junit.js';
import type { PipelineResults } from '../report/results.js';
import { renderSummary } from '../report/summary.js';
import { renderCommandsSh } from './commands-sh.js';
import type { CiRun } from './executor.js';

export interface ReportFiles {
  results: string;
  summary: string;
  junit: string;
  commands: string;
}

export interface WrittenReports {
  ci: CiResults;
  top: ReportFiles;
  trees: Record<string, ReportFiles>;
}

/** The files' contents (pure). */
export function renderTreeReports(r: PipelineResults, sh: string): Record<keyof ReportFiles, string> {
  return {
    results: `${JSON.stringify(r, null, 2)}\n`,
    summary: renderSummary(r),
    junit: renderJUnit(stagesToReport(`kseries ci ${r.tree}`, [r])),
    commands: sh,
  };
}

export function renderCiReports(ci: CiResults, sh: string): Record<keyof ReportFiles, string> {
  return {
    results: `${JSON.stringify(ci, null, 2)}\n`,
    summary: renderCiSummary(ci),
    junit: renderJUnit(stagesToReport('kseries ci', treeResultsOf(ci))),
    commands: sh,
  };
}

function write(dir: string, files: Record<keyof ReportFiles, string>): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const paths: ReportFiles = {
    results: join(dir, 'results.json'),
    summary: join(dir, 'summary.md'),
    junit: join(dir, 'junit.xml'),
    commands: join(dir, 'commands.sh'),
  };
  for (const k of Object.keys(paths) as Array<keyof ReportFiles>) writeFileSync(paths[k], files[k], k === 'commands' ? { mode: 0o755 } : undefined);
  return paths;
}

export function writeCiReports(resultsDir: string, run: CiRun, o: { paths: StatePaths; cwd: string; argv: readonly string[] }): WrittenReports {
  const ci = toCiResults(run.trees, run);
  const trees: Record<string, ReportFiles> = {};
  for (const r of run.trees) trees[r.tree] = write(join(resultsDir, r.tree), renderTreeReports(r, renderCommandsSh([r], o)));
  const top = write(resultsDir, renderCiReports(ci, renderCommandsSh(run.trees, o)));
  return { ci, top, trees };
}
