// SPDX-License-Identifier: GPL-2.0-only
/**
 * One round of `kseries watch` (a build, then the chosen scenarios), reduced to what a
 * developer compares from one save to the next, and the lines that say only what changed
 * since the round before: the build's status, new warnings and the count, boots whose
 * verdict or failing tests moved. Pure.
 */
import type { BuildReport } from '../build/step.js';
import type { SelftestResults } from '../selftest/results.js';
import { describeChanges } from './changes.js';

export interface RoundBuild {
  status: 'ok' | 'failed';
  compiled: number;
  seconds: number;
  /** All warnings of the build as it stands. */
  warnings: number;
  /** Warnings this round added, one line each ("drivers/dax/kmem.c:12: unused variable 'x' [-Wunused-variable]"). */
  newWarnings: string[];
  /** "drivers/dax/kmem.c:40: 'foo' undeclared", when the build failed. */
  firstError: string | null;
}

export interface RoundBoot {
  name: string;
  status: string;
  /** The KTAP summary, or the reason of the verdict. */
  detail: string;
  failures: string[];
}

export interface RoundSummary {
  index: number;
  changes: string[];
  build: RoundBuild | null;
  /** Null: the scenarios did not run (none chosen, or the build failed). */
  boots: RoundBoot[] | null;
  status: 'ok' | 'fail' | 'infra';
  seconds: number;
  /** The round's selftest results directory. */
  results: string | null;
}

const where = (rel: string | null, line: number | null) => (rel ? `${rel}${line ? `:${line}` : ''}: ` : '');

export function summarizeBuild(r: BuildReport): RoundBuild {
  const e = r.firstError;
  return {
    status: r.status,
    compiled: r.compiled,
    seconds: r.durationMs / 1000,
    warnings: r.buildWarnings,
    newWarnings: r.newWarnings.map((w) => `${where(w.rel, w.line)}${w.message}${w.flag ? ` [${w.flag}]` : ''}`),
    firstError: e ? `${where(e.rel, e.line)}${e.message}` : null,
  };
}

export function summarizeTests(r: SelftestResults): RoundBoot[] {
  return r.scenarios.flatMap((s) =>
    s.boots.map((b) => ({ name: b.name, status: b.status, detail: b.ktap?.summary ?? b.reason, failures: b.ktap?.failures ?? [] })),
  );
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function buildLine(b: RoundBuild, prev: RoundBuild | null): string {
  if (b.status === 'failed') return `build FAILED: ${b.firstError ?? 'see the log'}`;
  const fixed = prev?.status === 'failed' ? ' (fixed)' : '';
  return `build ok${fixed}: ${plural(b.compiled, 'object')} in ${b.seconds.toFixed(1)} s`;
}

function warningLines(b: RoundBuild, prev: RoundBuild | null): string[] {
  const out = b.newWarnings.map((w) => `  + warning ${w}`);
  if (prev && prev.status === 'ok' && b.status === 'ok' && b.warnings < prev.warnings) {
    out.push(`  - ${plural(prev.warnings - b.warnings, 'warning')} gone (${b.warnings} left)`);
  }
  return out;
}

function bootLines(boots: RoundBoot[], prev: RoundBoot[] | null): string[] {
  const before = new Map((prev ?? []).map((b) => [b.name, b]));
  if (!prev) return boots.map((b) => `  ${b.name}: ${b.status} (${b.detail})`);
  const out: string[] = [];
  for (const b of boots) {
    const p = before.get(b.name);
    if (!p) {
      out.push(`  ${b.name}: ${b.status} (${b.detail})`);
      continue;
    }
    const broke = b.failures.filter((f) => !p.failures.includes(f));
    const fixed = p.failures.filter((f) => !b.failures.includes(f));
    if (p.status === b.status && !broke.length && !fixed.length) continue;
    out.push(`  ${b.name}: ${p.status === b.status ? b.status : `${p.status} → ${b.status}`} (${b.detail})`);
    out.push(...broke.map((f) => `    now failing: ${f}`), ...fixed.map((f) => `    fixed: ${f}`));
  }
  if (!out.length) {
    const statuses = [...new Set(boots.map((b) => b.status))].join('/');
    out.push(`  tests unchanged: ${plural(boots.length, 'boot')}, ${statuses}`);
  }
  return out;
}

/** What a round prints: its heading, then only what moved since PREV (everything for the first round). */
export function renderRound(cur: RoundSummary, prev: RoundSummary | null): string[] {
  const head = `round ${cur.index} (${describeChanges(cur.changes)}), ${cur.seconds.toFixed(1)} s: `;
  const lines = [head + (cur.build ? buildLine(cur.build, prev?.build ?? null) : 'no build')];
  if (cur.build) lines.push(...warningLines(cur.build, prev?.build ?? null));
  if (cur.boots) lines.push(...bootLines(cur.boots, prev?.boots ?? null));
  else if (cur.build?.status === 'failed') lines.push('  scenarios not run: the build failed');
  return lines;
}

/** A round's status: the build's failure, else the scenarios'. */
export function roundStatus(build: RoundBuild | null, tests: SelftestResults | null): RoundSummary['status'] {
  if (build?.status === 'failed') return 'fail';
  return tests ? tests.status : 'ok';
}
