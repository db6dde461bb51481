// SPDX-License-Identifier: GPL-2.0-only
/**
 * Writing a ci run's results directory:
 *
 *   RESULTS/results.json  summary.md  junit.xml  commands.sh      all trees (ci-results.ts)
 *   RESULTS/<tree>/results.json  summary.md  junit.xml  commands.sh  logs/  selftest/
 *
 * Every report is rendered from the top-level results.json alone (renderReports is pure),
 * so that reading a results.json back reproduces every file byte for byte.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { StatePaths } from '../paths.js';
import { renderCiSummary } from '../report/ci-summary.js';
import { parseCiResults, toCiResults, treeResultsOf, type CiResults } from '../report/ci-results.js';
import { stagesToReport } from '../report/from-stages.js';
import { renderJUnit } from '../report/junit.js';
import { renderSummary } from '../report/summary.js';
import { renderCommandsSh } from './commands-sh.js';
import type { CiRun } from './executor.js';

export const REPORT_FILES = ['results.json', 'summary.md', 'junit.xml', 'commands.sh'] as const;

/** Every report file of a run, by path relative to the results directory. Pure. */
export function renderReports(ci: CiResults): Map<string, string> {
  const trees = treeResultsOf(ci);
  const files = new Map<string, string>([
    ['results.json', `${JSON.stringify(ci, null, 2)}\n`],
    ['summary.md', renderCiSummary(ci)],
    ['junit.xml', renderJUnit(stagesToReport('kseries ci', trees))],
    ['commands.sh', renderCommandsSh(trees, ci.invocation)],
  ]);
  for (const r of trees) {
    const dir = ci.trees.find((t) => t.tree === r.tree)!.dir;
    files.set(`${dir}/results.json`, `${JSON.stringify(r, null, 2)}\n`);
    files.set(`${dir}/summary.md`, renderSummary(r));
    files.set(`${dir}/junit.xml`, renderJUnit(stagesToReport(`kseries ci ${r.tree}`, [r])));
    files.set(`${dir}/commands.sh`, renderCommandsSh([r], ci.invocation));
  }
  return files;
}

export function writeCiReports(resultsDir: string, run: CiRun, o: { paths: StatePaths; cwd: string; argv: readonly string[] }): { ci: CiResults; files: string[] } {
  // Written as a reader sees it (validated, in the reader's field order): reading it back renders the same files.
  const ci = parseCiResults(
    JSON.parse(JSON.stringify(toCiResults(run.trees, { ...run, invocation: { argv: [...o.argv], cwd: o.cwd, stateDir: o.paths.data, cacheDir: o.paths.cache } }))),
  );
  const files: string[] = [];
  for (const [rel, text] of renderReports(ci)) {
    const f = join(resultsDir, rel);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text, rel.endsWith('.sh') ? { mode: 0o755 } : undefined);
    files.push(f);
  }
  return { ci, files };
}
