// SPDX-License-Identifier: GPL-2.0-only
/**
 * Pipeline results as test suites (pure): one suite per tree and stage ("k61/checkpatch"),
 * whose cases are the stage's own tests (a patch, a Kconfig symbol, a build error, a boot, a
 * kselftest). A stage without tests is one case. A stage that failed or errored while none
 * of its cases did gets a case saying so, and a skipped stage's cases are skipped: the
 * report is never greener than the stage's verdict.
 */
import type { TestCase, TestReport, TestSuite } from './model.js';
import type { PipelineResults, StageResult } from './results.js';

function stageCase(s: StageResult): TestCase {
  return { name: s.name, classname: s.name, status: s.status, message: s.status === 'pass' ? undefined : s.summary || undefined, durationMs: s.durationMs };
}

export function stageSuite(tree: string, s: StageResult): TestSuite {
  let cases: TestCase[] = s.tests?.length ? s.tests.map((c) => ({ ...c })) : [stageCase(s)];
  if (s.status === 'skip') cases = cases.map((c) => ({ ...c, status: 'skip', message: s.summary || 'skipped', details: undefined }));
  else if ((s.status === 'fail' || s.status === 'error') && !cases.some((c) => c.status === s.status || c.status === 'fail')) cases.push(stageCase(s));
  const properties: Record<string, string> = { tree, stage: s.name, status: s.status };
  if (s.summary) properties.summary = s.summary;
  if (s.command) properties.command = s.command;
  return { name: `${tree}/${s.name}`, cases, durationMs: s.durationMs, properties };
}

export function stagesToReport(name: string, trees: readonly PipelineResults[]): TestReport {
  return { name, suites: trees.flatMap((t) => t.stages.map((s) => stageSuite(t.tree, s))) };
}
