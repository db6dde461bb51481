// SPDX-License-Identifier: GPL-2.0-only
/** The KtapJudge backed by the KTAP parser in src/lib/ktap/ and its report adapter. */
import { parseKtap } from '../ktap/parser.js';
import { verdict } from '../ktap/verdict.js';
import { ktapToReport } from '../report/from-ktap.js';
import type { KtapJudge } from './ktap-port.js';

export const ktapJudge: KtapJudge = (ktap) => {
  const parsed = parseKtap(ktap);
  const v = verdict(parsed);
  return { status: v.status, ok: v.ok, summary: v.summary, failures: v.failures, suites: ktapToReport(parsed, { name: 'kselftest' }).suites };
};
