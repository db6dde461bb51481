#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * The skip budget of `npm test`: reads the JSON report vitest wrote
 * (--reporter=json --outputFile.json=FILE), prints how many tests were skipped and which,
 * and exits 1 when more were skipped than test/skip-budget.json allows. A skip that is not
 * listed there is marked, so a test that starts skipping shows up even within the allowance.
 *
 *   node test/skip-budget.mjs .vitest-cache/results.json
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import process from 'node:process';
import { URL } from 'node:url';

const SKIPPED = new Set(['skipped', 'pending', 'todo', 'disabled']);
const ROOT = new URL('..', import.meta.url).pathname;

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node test/skip-budget.mjs VITEST_JSON_REPORT\n');
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  process.stderr.write(`skip budget: cannot read the vitest JSON report ${file}: ${e.message}\n`);
  process.exit(2);
}
const budget = JSON.parse(readFileSync(new URL('./skip-budget.json', import.meta.url), 'utf8'));

const skipped = (report.testResults ?? []).flatMap((f) =>
  (f.assertionResults ?? []).filter((a) => SKIPPED.has(a.status)).map((a) => ({ file: relative(ROOT, f.name), name: [...(a.ancestorTitles ?? []), a.title].join(' '), status: a.status })),
);
const total = report.numTotalTests ?? (report.testResults ?? []).reduce((n, f) => n + (f.assertionResults ?? []).length, 0);

process.stdout.write(`skip budget: ${skipped.length} of ${total} tests skipped (allowance ${budget.allowance}, test/skip-budget.json)\n`);
for (const s of skipped) {
  const reason = budget.skips?.[s.name];
  process.stdout.write(`  ${s.status}: ${s.file} > ${s.name}\n    ${reason ? `listed: ${reason}` : 'NOT LISTED in test/skip-budget.json and README.md'}\n`);
}
if (skipped.length > budget.allowance) {
  process.stderr.write(
    `skip budget exceeded: ${skipped.length} skipped tests, ${budget.allowance} allowed. Make the new skips run everywhere (fake what they need),\n` +
      'or list each in test/skip-budget.json and README.md with the command that runs it, and raise the allowance.\n',
  );
  process.exit(1);
}
