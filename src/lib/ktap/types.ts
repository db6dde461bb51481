// SPDX-License-Identifier: GPL-2.0-only
/** The values of a parsed KTAP/TAP stream, shared by the parser and the verdict (neither imports the other's module for them). */

export type KtapStatus = 'pass' | 'fail' | 'skip' | 'todo' | 'crashed' | 'error';
export type DirectiveKind = 'SKIP' | 'TODO' | 'XFAIL' | 'TIMEOUT' | 'ERROR';

export interface KtapDirective {
  kind: DirectiveKind;
  reason: string;
}

export interface KtapTest {
  name: string;
  /** The test number; null for the root. */
  number: number | null;
  status: KtapStatus;
  /** What the test's own result line said; null when there was none (crashed, root, a document). */
  reported: 'ok' | 'not ok' | null;
  directive: KtapDirective | null;
  /** A `# ...` comment after the description that is not a directive (`exit=1`). */
  comment: string | null;
  /** Subtests the plan announced; null without a plan. */
  plan: number | null;
  diagnostics: string[];
  subtests: KtapTest[];
  /** Problems found while parsing this test. */
  errors: string[];
  /** Input line of the result line (or the first line seen for a test without one). */
  line: number | null;
}

export interface KtapProblem {
  /** The test's path, names joined by " / ". */
  test: string;
  message: string;
}

export interface KtapResult {
  /** Any KTAP/TAP output was found. */
  found: boolean;
  format: 'KTAP' | 'TAP' | null;
  version: number | null;
  root: KtapTest;
  counts: KtapCounts;
  problems: KtapProblem[];
}

export interface KtapCounts {
  pass: number;
  fail: number;
  skip: number;
  todo: number;
  crashed: number;
  error: number;
  total: number;
}

/** A test's name for people: its description, else "#N". */
export const displayName = (t: KtapTest): string => t.name || (t.number !== null ? `#${t.number}` : '(unnamed)');
