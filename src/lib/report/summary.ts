// SPDX-License-Identifier: GPL-2.0-only
/**
 * A Markdown summary of a pipeline run (results.json): a header with the tree, base and
 * series head, then one table row per stage (stage | status | duration | details, with the
 * names of the failing tests, patches or symbols). Meant for a CI job summary
 * ($GITHUB_STEP_SUMMARY), a merge request comment or a mail. Pure.
 */
import type { PipelineResults, StageResult, StageStatus } from './results.js';

const BADGE: Record<StageStatus, string> = { pass: '✅ pass', fail: '❌ fail', skip: '⏭️ skip', error: '💥 error' };

/** Makes text safe inside a Markdown table cell: no pipes, no line breaks, no HTML. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>')
    .trim();
}

/** Inline code for a table cell: only pipes need escaping there (entities are not decoded in code). */
export const codeCell = (text: string) => code(text.replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|');

/** Inline code that survives backticks inside. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return m < 60 ? `${m} min ${rest} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** At most this many failing names per row; the rest are counted. */
export const MAX_FAILURES_SHOWN = 10;
/** At most this many log paths per row (a scenario of seven boots has fourteen); results.json lists them all. */
export const MAX_LOGS_SHOWN = 4;

/** The names of a stage's failing and erroring cases ("0002-foo.patch", "CONFIG_NUMA", "memory-hotplug / mem-on-off-test.sh"). */
export function failingNames(s: Pick<StageResult, 'tests'>): string[] {
  return (s.tests ?? []).filter((t) => t.status === 'fail' || t.status === 'error').map((t) => t.name);
}

function details(s: StageResult): string {
  const parts: string[] = [];
  if (s.summary) parts.push(cell(s.summary));
  const failing = failingNames(s);
  if (failing.length) {
    const shown = failing.slice(0, MAX_FAILURES_SHOWN).map(codeCell).join(', ');
    parts.push(`failed: ${shown}${failing.length > MAX_FAILURES_SHOWN ? ` and ${failing.length - MAX_FAILURES_SHOWN} more` : ''}`);
  }
  if (s.logs.length) {
    const more = s.logs.length - MAX_LOGS_SHOWN;
    parts.push(`logs: ${s.logs.slice(0, MAX_LOGS_SHOWN).map(codeCell).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (s.junit) parts.push(`JUnit: ${codeCell(s.junit)}`);
  if (s.command && s.status !== 'pass' && s.status !== 'skip') parts.push(`rerun: ${codeCell(s.command)}`);
  return parts.join('<br>');
}

export const badge = (s: StageStatus) => BADGE[s];

/** The stage table alone (header, separator, rows). */
export function stageTable(stages: readonly StageResult[]): string[] {
  const out = ['| Stage | Status | Duration | Details |', '| --- | --- | --- | --- |'];
  for (const s of stages) out.push(`| ${cell(s.name)} | ${BADGE[s.status]} | ${formatDuration(s.durationMs)} | ${details(s)} |`);
  if (!stages.length) out.push('| (none) | ⏭️ skip | 0 ms | no stage ran |');
  return out;
}

export function renderSummary(r: PipelineResults, heading = '##'): string {
  const out: string[] = [];
  out.push(`${heading} kseries: ${BADGE[r.overall]} on ${cell(r.tree)}${r.kernel ? ` (Linux ${cell(r.kernel)})` : ''}`);
  out.push('');
  const facts: string[] = [];
  facts.push(`series base: ${r.base ? code(r.base) : 'none'}`);
  facts.push(`series head: ${r.seriesHead ? code(r.seriesHead.slice(0, 12)) : 'none'}`);
  const total = r.stages.reduce((a, s) => a + s.durationMs, 0);
  facts.push(`time: ${formatDuration(total)}`);
  out.push(facts.join(' · '));
  out.push('');
  out.push(...stageTable(r.stages));
  out.push('');
  return `${out.join('\n')}\n`;
}
