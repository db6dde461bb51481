// SPDX-License-Identifier: GPL-2.0-only
/**
 * A KTAP tree as test suites and cases.
 *
 * - KUnit: each top-level suite (a test with subtests) is a suite; its leaves are cases,
 *   named by their path below the suite ("case / param").
 * - kselftest: run_kselftest.sh's "selftests: DIR: NAME" tests are grouped into one suite
 *   per DIR; a test with nested TAP gives one case per subtest ("NAME / subtest").
 * - Top-level tests without subtests go to the default suite.
 * A parent that failed on its own while its subtests did not (a non-zero exit, no result
 * line) is a case too, so the report never looks greener than the verdict.
 */
import { displayName, type KtapResult, type KtapTest } from '../ktap/parser.js';
import { deriveStatus, isFailing } from '../ktap/verdict.js';
import type { TestCase, TestReport, TestSuite } from './model.js';

export interface KtapReportOptions {
  /** The report's name (default "ktap"). */
  name?: string;
  /** The suite for top-level tests without subtests (default: the report's name). */
  defaultSuite?: string;
  /** Put each test's diagnostics into the report (default true). */
  diagnostics?: boolean;
}

const KSELFTEST_RE = /^selftests: ([^:]+): (.+)$/;

function caseOf(t: KtapTest, name: string, withDiagnostics: boolean): TestCase {
  const text = withDiagnostics && t.diagnostics.length ? t.diagnostics.join('\n') : undefined;
  const reason = t.directive?.reason;
  const c: TestCase = { name, status: 'pass' };
  switch (t.status) {
    case 'pass':
      c.output = text;
      break;
    case 'skip':
      c.status = 'skip';
      c.message = reason || 'skipped';
      c.output = text;
      break;
    case 'todo':
      c.status = 'skip';
      c.message = `TODO${reason ? `: ${reason}` : ''}`;
      c.output = text;
      break;
    case 'fail':
      c.status = 'fail';
      c.message =
        t.directive?.kind === 'TIMEOUT' ? `timed out${reason ? ` (${reason})` : ''}` : `not ok${t.comment ? ` (${t.comment})` : ''}`;
      c.details = text;
      break;
    case 'error':
      c.status = 'error';
      c.message = reason || (t.reported ? 'the test reported an error' : 'not run');
      c.details = text;
      break;
    case 'crashed':
      c.status = 'error';
      c.message = 'crashed: the test never reported a result';
      c.details = text;
      break;
  }
  if (t.errors.length) c.details = [c.details, ...t.errors.map((e) => `parser: ${e}`)].filter(Boolean).join('\n');
  return c;
}

export function ktapToReport(result: KtapResult, opts: KtapReportOptions = {}): TestReport {
  const name = opts.name ?? 'ktap';
  const defaultSuite = opts.defaultSuite ?? name;
  const withDiag = opts.diagnostics !== false;
  const suites = new Map<string, TestSuite>();
  const suite = (n: string) => {
    let s = suites.get(n);
    if (!s) suites.set(n, (s = { name: n, cases: [] }));
    return s;
  };

  const emit = (t: KtapTest, s: TestSuite, path: string[]) => {
    if (!t.subtests.length) {
      s.cases.push(caseOf(t, path.join(' / ') || displayName(t), withDiag));
      return;
    }
    for (const c of t.subtests) emit(c, s, [...path, displayName(c)]);
    const below = deriveStatus(t.subtests);
    if (isFailing(t.status) && !(below && isFailing(below))) s.cases.push(caseOf(t, path.join(' / ') || displayName(t), withDiag));
  };

  const top = (parent: KtapTest, fallback: string) => {
    for (const t of parent.subtests) {
      const k = KSELFTEST_RE.exec(t.name);
      const named = t.subtests.filter((c) => c.name);
      if (k) emit(t, suite(k[1]), [k[2]]);
      else if (t.reported === null && named.length && named.every((c) => KSELFTEST_RE.test(c.name))) top(t, t.name);
      else if (t.subtests.length) emit(t, suite(displayName(t)), []);
      else suite(fallback).cases.push(caseOf(t, displayName(t), withDiag));
    }
  };
  top(result.root, defaultSuite);

  if (!result.found || result.counts.total === 0) {
    const why = result.problems.map((p) => p.message).join('; ') || 'no tests ran';
    suite(defaultSuite).cases.push({ name: '(no tests)', status: 'error', message: why });
  }
  return { name, suites: [...suites.values()] };
}
