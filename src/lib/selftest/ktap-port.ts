// SPDX-License-Identifier: GPL-2.0-only
/**
 * How the selftest runner judges a KTAP document, behind a small interface: the KTAP
 * parser (src/lib/ktap/) does the parsing; this module only names what the runner needs.
 */
import type { TestSuite } from '../report/model.js';

export interface KtapJudgement {
  status: 'pass' | 'fail' | 'skip' | 'no-tests';
  /** pass and skip */
  ok: boolean;
  summary: string;
  failures: string[];
  /** The tests as report suites (for JUnit), when the judge provides them. */
  suites?: TestSuite[];
}

export type KtapJudge = (ktap: string) => KtapJudgement;
