// SPDX-License-Identifier: GPL-2.0-only
/**
 * The generic test result model every report is written from: a report holds suites,
 * a suite holds cases, a case passed, failed, was skipped or hit an error. KTAP trees and
 * checkpatch results are turned into it by adapters (from-ktap.ts, from-checkpatch.ts);
 * writers (junit.ts) only know this model.
 */

export type CaseStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface TestCase {
  name: string;
  /** Dotted or slash-separated grouping shown by CI (JUnit's classname); defaults to the suite name. */
  classname?: string;
  status: CaseStatus;
  /** One line: why it failed, errored or was skipped. */
  message?: string;
  /** The body of the failure: diagnostics, quoted code. */
  details?: string;
  /** What the test printed. */
  output?: string;
  durationMs?: number;
  /** Where the problem is, when known. */
  file?: string;
  line?: number;
}

export interface TestSuite {
  name: string;
  cases: TestCase[];
  durationMs?: number;
  /** ISO 8601, when the suite started. */
  timestamp?: string;
  /** Output that belongs to the suite rather than a case. */
  output?: string;
  properties?: Record<string, string>;
}

export interface TestReport {
  name: string;
  suites: TestSuite[];
}

export interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  passed: number;
}

export function tallyCases(cases: readonly TestCase[]): Tally {
  const t: Tally = { tests: cases.length, failures: 0, errors: 0, skipped: 0, passed: 0 };
  for (const c of cases) {
    if (c.status === 'fail') t.failures++;
    else if (c.status === 'error') t.errors++;
    else if (c.status === 'skip') t.skipped++;
    else t.passed++;
  }
  return t;
}

export function tallyReport(r: TestReport): Tally {
  return tallyCases(r.suites.flatMap((s) => s.cases));
}

/** Failed when any case failed or errored. */
export const reportFailed = (r: TestReport): boolean => {
  const t = tallyReport(r);
  return t.failures + t.errors > 0;
};
