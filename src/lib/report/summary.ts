// SPDX-License-Identifier: GPL-2.0-only
/**
 * A Markdown summary of a pipeline run (results.json): a header with the tree, base and
 * series head, then one table row per stage (stage | status | details). Meant for a CI job
 * summary ($GITHUB_STEP_SUMMARY) or a merge request comment. Pure.
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

function details(s: StageResult): string {
  const parts: string[] = [];
  parts.push(s.summary ? `${cell(s.summary)} (${formatDuration(s.durationMs)})` : formatDuration(s.durationMs));
  if (s.logs.length) parts.push(`logs: ${s.logs.map(codeCell).join(', ')}`);
  if (s.junit) parts.push(`JUnit: ${codeCell(s.junit)}`);
  if (s.command && s.status !== 'pass' && s.status !== 'skip') parts.push(`rerun: ${codeCell(s.command)}`);
  return parts.join('<br>');
}

export function renderSummary(r: PipelineResults): string {
  const out: string[] = [];
  out.push(`## kseries: ${BADGE[r.overall]} on ${cell(r.tree)}${r.kernel ? ` (Linux ${cell(r.kernel)})` : ''}`);
  out.push('');
  const facts: string[] = [];
  facts.push(`series base: ${r.base ? code(r.base) : 'none'}`);
  facts.push(`series head: ${r.seriesHead ? code(r.seriesHead.slice(0, 12)) : 'none'}`);
  const total = r.stages.reduce((a, s) => a + s.durationMs, 0);
  facts.push(`time: ${formatDuration(total)}`);
  out.push(facts.join(' · '));
  out.push('');
  out.push('| Stage | Status | Details |');
  out.push('| --- | --- | --- |');
  for (const s of r.stages) out.push(`| ${cell(s.name)} | ${BADGE[s.status]} | ${details(s)} |`);
  if (!r.stages.length) out.push('| (none) | ⏭️ skip | no stage ran |');
  out.push('');
  return `${out.join('\n')}\n`;
}
