// SPDX-License-Identifier: GPL-2.0-only
/** checkpatch results for people: a table of patches, then each issue on one line. */
import { allIssues, issueCounts, type CheckpatchIssue } from './parser.js';
import { exceeds, type CheckpatchRun } from './run.js';

function issueLine(i: CheckpatchIssue): string {
  const where = i.file ? `${i.file}:${i.line}` : i.patchLine !== null ? `patch line ${i.patchLine}` : 'patch';
  const msg = i.message.split('\n').join(' ');
  return `  ${i.level.toUpperCase()}${i.type ? `:${i.type}` : ''}  ${where}  ${msg}`;
}

export function renderCheckpatch(run: CheckpatchRun): string {
  const head = ['PATCH', 'ERRORS', 'WARNINGS', 'CHECKS', 'RESULT'];
  const rows = run.patches.map((p) => {
    const c = issueCounts(p.report);
    return [p.file, String(c.errors), String(c.warnings), run.strict ? String(c.checks) : '-', exceeds(p.report, run.failOn) ? 'FAIL' : 'ok'];
  });
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const table = [head, ...rows].map((r) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ').trimEnd());
  const out = [`checkpatch${run.strict ? ' --strict' : ''}: ${run.script} (in ${run.cwd})`, '', ...table];
  for (const p of run.patches) {
    const issues = allIssues(p.report);
    if (!issues.length) continue;
    out.push('', `${p.file}:`, ...issues.map(issueLine));
  }
  const t = run.totals;
  out.push(
    '',
    `${t.patches} patch${t.patches === 1 ? '' : 'es'}: ${t.errors} errors, ${t.warnings} warnings${run.strict ? `, ${t.checks} checks` : ''}; ` +
      (run.failed ? `${t.failed} failed (fail on ${run.failOn} and worse)` : `none at ${run.failOn} level or worse`),
  );
  return out.join('\n');
}
