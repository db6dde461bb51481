// SPDX-License-Identifier: GPL-2.0-only
/**
 * checkpatch results as a test suite: one case per patch, failed when it has an issue at
 * or above --fail-on; every issue is listed in the failure body, checkpatch's own output
 * goes to system-out.
 */
import { allIssues, issueCounts, type CheckpatchIssue } from '../checkpatch/parser.js';
import { exceeds, type CheckpatchRun } from '../checkpatch/run.js';
import type { TestReport } from './model.js';

export function formatIssue(i: CheckpatchIssue): string {
  const where = i.file ? `${i.file}:${i.line}` : i.patchLine !== null ? `patch line ${i.patchLine}` : 'whole patch';
  const head = `${i.level.toUpperCase()}${i.type ? `:${i.type}` : ''}: ${i.message} (${where})`;
  return [head, ...i.context.map((c) => `    ${c}`)].join('\n');
}

export function countsText(c: { errors: number; warnings: number; checks: number }): string {
  const p = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${p(c.errors, 'error')}, ${p(c.warnings, 'warning')}, ${p(c.checks, 'check')}`;
}

export function checkpatchToReport(run: CheckpatchRun, name = 'checkpatch'): TestReport {
  const cases = run.patches.map((p) => {
    const failed = exceeds(p.report, run.failOn);
    const issues = allIssues(p.report);
    return {
      name: p.file,
      classname: name,
      status: failed ? ('fail' as const) : ('pass' as const),
      message: failed ? countsText(issueCounts(p.report)) : undefined,
      details: failed ? issues.map(formatIssue).join('\n\n') : undefined,
      output: p.output,
      durationMs: p.durationMs,
      file: p.path,
    };
  });
  return {
    name,
    suites: [
      {
        name,
        cases,
        properties: { script: run.script, tree: run.cwd, strict: String(run.strict), 'fail-on': run.failOn },
      },
    ],
  };
}
