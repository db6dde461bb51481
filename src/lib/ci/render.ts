// SPDX-License-Identifier: GPL-2.0-only
/** The human rendering of a ci run on stdout (pure): per tree, one line per stage, then the verdict and where the reports are. */
import type { CiResults } from '../report/ci-results.js';
import { formatDuration } from '../report/summary.js';

const WORD = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' } as const;

export function renderCiRun(ci: CiResults, resultsDir: string): string {
  const out: string[] = [];
  for (const t of ci.trees) {
    out.push(`tree ${t.tree}${t.kernel ? ` (Linux ${t.kernel})` : ''}: ${WORD[t.overall]}`);
    const stages = ci.stages.filter((s) => s.tree === t.tree);
    const w = Math.max(...stages.map((s) => s.name.length), 5);
    for (const s of stages) {
      const bad = (s.tests ?? []).filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.name);
      out.push(`  ${s.name.padEnd(w)}  ${WORD[s.status].padEnd(5)}  ${formatDuration(s.durationMs).padStart(10)}  ${s.summary}`);
      if (bad.length) out.push(`  ${''.padEnd(w)}  ${''.padEnd(5)}  ${''.padStart(10)}  failed: ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ` and ${bad.length - 10} more` : ''}`);
    }
    out.push('');
  }
  const why = ci.interrupted ? 'interrupted' : ci.exitCode === 0 ? 'everything passed' : ci.exitCode === 1 ? 'a check failed' : 'something could not run';
  out.push(`${WORD[ci.overall]}: ${why} (exit ${ci.interrupted ? 130 : ci.exitCode}); results in ${resultsDir} (summary.md, results.json, junit.xml, commands.sh)`);
  return out.join('\n');
}
