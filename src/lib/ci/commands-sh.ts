// SPDX-License-Identifier: GPL-2.0-only
/**
 * commands.sh (pure): per tree and stage, the kseries command that reruns the stage alone,
 * followed — as comments — by the commands the stage really ran (git, make, perl, qemu).
 * Running the file reruns the pipeline stage by stage with the same state directories.
 */
import { shellQuote } from '../exec/shell-quote.js';
import type { CiInvocation } from '../report/ci-results.js';
import type { PipelineResults } from '../report/results.js';

export function renderCommandsSh(trees: readonly PipelineResults[], o: CiInvocation | null): string {
  const out = [
    '#!/bin/sh',
    '# The commands that reproduce a kseries ci run, stage by stage (see results.json).',
    '# Each stage\'s kseries command reruns it alone; the lines commented out under it are',
    '# the commands it ran. Stages that were skipped are listed too: they need the ones before.',
  ];
  if (o) {
    out.push(
      `# the run: kseries ${o.argv.map(shellQuote).join(' ')}`,
      `cd ${shellQuote(o.cwd)} || exit 2`,
      `export KSERIES_HOME=${shellQuote(o.stateDir)}`,
      `export KSERIES_CACHE=${shellQuote(o.cacheDir)}`,
    );
  }
  for (const t of trees) {
    out.push('', `# ===== tree ${t.tree}${t.kernel ? ` (Linux ${t.kernel})` : ''}: ${t.overall}`);
    const seen = new Set<string>();
    for (const s of t.stages) {
      out.push('', `# --- ${s.name}: ${s.status}${s.summary ? ` — ${s.summary.replace(/\n/g, ' ')}` : ''}`);
      if (s.command && !seen.has(s.command)) {
        seen.add(s.command);
        out.push(s.command);
      }
      for (const c of s.commands ?? []) out.push(`#   ${c.replace(/\n/g, '\n#   ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}
