// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Markdown summary of a ci run over several trees (pure): one row per tree (tree |
 * kernel | status | duration | stages), the exit code and what it means, then each tree's
 * own summary (summary.ts) one heading level down.
 */
import type { CiResults } from './ci-results.js';
import { RESULTS_SCHEMA } from './results.js';
import { badge, cell, code, formatDuration, renderSummary } from './summary.js';

const EXIT_MEANING: Record<number, string> = {
  0: 'everything passed',
  1: 'a check failed',
  3: 'nothing failed, but something could not run (infrastructure)',
};

const ms = (a: string, b: string) => Math.max(0, Date.parse(b) - Date.parse(a)) || 0;

export function renderCiSummary(ci: CiResults): string {
  const out: string[] = [];
  out.push(`# kseries ci: ${badge(ci.overall)} on ${ci.trees.length} tree${ci.trees.length === 1 ? '' : 's'}`);
  out.push('');
  out.push(
    `exit code ${code(String(ci.exitCode))}: ${ci.interrupted ? 'interrupted' : (EXIT_MEANING[ci.exitCode] ?? 'see the stages')} · time: ${formatDuration(ms(ci.startedAt, ci.finishedAt))}`,
  );
  out.push('');
  out.push('| Tree | Kernel | Status | Duration | Stages |');
  out.push('| --- | --- | --- | --- | --- |');
  for (const t of ci.trees) {
    const stages = ci.stages.filter((s) => s.tree === t.tree);
    const counts = (['pass', 'fail', 'error', 'skip'] as const).map((k) => [k, stages.filter((s) => s.status === k).length] as const).filter(([, n]) => n);
    out.push(
      `| ${cell(t.tree)} | ${t.kernel ? cell(t.kernel) : '-'} | ${badge(t.overall)} | ${formatDuration(ms(t.startedAt, t.finishedAt))} | ${counts.map(([k, n]) => `${n} ${k}`).join(', ') || 'none'} |`,
    );
  }
  out.push('');
  // Each tree's table, with paths as seen from the top directory.
  for (const t of ci.trees) {
    const stages = ci.stages.filter((s) => s.tree === t.tree).map(({ tree: _tree, ...s }) => s);
    out.push(renderSummary({ schema: RESULTS_SCHEMA, ...t, stages }, '##'));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
