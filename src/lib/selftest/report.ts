// SPDX-License-Identifier: GPL-2.0-only
/**
 * A selftest run in the project's report formats (pure): results.json as
 * `kseries-results/1` with one stage per scenario (the boot details ride along under
 * `selftest`), and a JUnit report with one case per boot plus the kselftests' own cases.
 */
import { relative } from 'node:path';
import type { TestCase, TestReport, TestSuite } from '../report/model.js';
import { overallOf, RESULTS_SCHEMA, type PipelineResults, type StageResult, type StageStatus } from '../report/results.js';
import type { BootResult, SelftestResults } from './results.js';

export const JUNIT_FILE = 'junit/selftest.xml';

const stageStatus = (s: SelftestResults['status']): StageStatus => (s === 'ok' ? 'pass' : s === 'fail' ? 'fail' : 'error');

function caseOf(b: BootResult): TestCase {
  const c: TestCase = { name: `boot${b.index} ${b.script}`, classname: b.scenario, status: 'pass', durationMs: b.timings?.elapsedMs };
  if (b.status === 'pass') return c;
  c.status = b.status === 'fail' ? 'fail' : b.status === 'error' ? 'error' : 'skip';
  c.message = b.reason;
  const splat = b.console?.findings[0]?.excerpt;
  if (splat) c.details = splat;
  if (b.logs) c.file = b.logs.console;
  return c;
}

export interface RunInfo {
  kernelVersion: string | null;
  base: string | null;
  seriesHead: string | null;
  /** The kseries command that reruns one scenario. */
  rerun: (scenario: string) => string;
}

export function toPipelineResults(r: SelftestResults, info: RunInfo, finishedAt: string): PipelineResults & { selftest: SelftestResults } {
  const rel = (p: string) => relative(r.resultsDir, p);
  const stages: StageResult[] = r.scenarios.map((s) => {
    const bad = s.boots.find((b) => b.status === 'fail' || b.status === 'error');
    const ran = s.boots.filter((b) => b.status !== 'not-run');
    return {
      name: `selftest:${s.name}`,
      status: stageStatus(s.status),
      durationMs: ran.reduce((a, b) => a + (b.timings?.elapsedMs ?? 0), 0),
      summary: bad ? `boot${bad.index} (${bad.script}): ${bad.reason}` : `${ran.length} boot(s): ${ran.map((b) => b.status).join(', ')}`,
      logs: ran.flatMap((b) => (b.logs ? [rel(b.logs.console), rel(b.logs.output)] : [])),
      command: info.rerun(s.name),
      junit: JUNIT_FILE,
    };
  });
  return {
    schema: RESULTS_SCHEMA,
    tree: r.tree,
    kernel: info.kernelVersion,
    base: info.base,
    seriesHead: info.seriesHead,
    startedAt: r.startedAt,
    finishedAt,
    stages,
    overall: overallOf(stages),
    selftest: r,
  };
}

/** `ktapSuites`: the suites of each boot's KTAP, by boot name. */
export function toTestReport(r: SelftestResults, ktapSuites: ReadonlyMap<string, TestSuite[]> = new Map()): TestReport {
  const suites: TestSuite[] = r.scenarios.map((s) => ({ name: `selftest:${s.name}`, cases: s.boots.map(caseOf), properties: { accel: r.accel.used, kernel: r.kernel } }));
  for (const s of r.scenarios) for (const b of s.boots) for (const x of ktapSuites.get(b.name) ?? []) suites.push({ ...x, name: `${b.name}:${x.name}` });
  return { name: `kseries selftest ${r.tree}`, suites };
}
