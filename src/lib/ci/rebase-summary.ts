// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Markdown job summary of a scheduled CI rebase (pure): from the JSON of
 * `kseries rebase --json` ({status, result: ApplyReport}, or {status: "error", error}),
 * either "the series applies to REF" with the patch table, or the structured conflict
 * report — "cannot apply to REF", the patch, each file with its kind and the hunks that
 * do not apply alone, and git am's words — so that the nightly job's result says where
 * the series broke without opening a log.
 */
import { usageError } from '../errors.js';
import type { ApplyReport } from '../apply/report.js';
import { summaryCounts } from '../apply/report.js';
import { cell, code, codeCell } from '../report/summary.js';

const STATUS: Record<string, string> = {
  clean: '✅ clean',
  '3way': '✅ 3-way merge',
  'already-upstream': '⏭️ already upstream',
  conflict: '❌ conflict',
  resolved: '✅ resolved',
  skipped: '⏭️ skipped',
  pending: '⏸️ not reached',
};

interface RebaseJson {
  status: string;
  result: ApplyReport | null;
  error?: { kind: string; message: string; suggestion: string | null };
}

export function parseRebaseJson(text: string): RebaseJson {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw usageError(`not the JSON of kseries rebase --json: ${(e as Error).message}`);
  }
  const o = v as RebaseJson;
  if (!o || typeof o !== 'object' || typeof o.status !== 'string' || !('result' in o)) throw usageError('not the JSON of kseries rebase --json (no status and result)');
  if (o.result && (!Array.isArray(o.result.patches) || !o.result.target)) throw usageError('not the JSON of kseries rebase --json (the result is no apply report)');
  return o;
}

export function renderRebaseSummary(j: RebaseJson): string {
  const out: string[] = [];
  const r = j.result;
  if (!r) {
    out.push(`## kseries rebase: 💥 could not run`, '', cell(j.error?.message ?? 'no result'), '');
    if (j.error?.suggestion) out.push(`hint: ${cell(j.error.suggestion)}`, '');
    return `${out.join('\n')}\n`;
  }
  const target = `${code(r.target.ref)}${r.target.kernel ? ` (Linux ${cell(r.target.kernel)})` : ''}`;
  if (r.status === 'conflict' && r.conflict) {
    const c = r.conflict;
    out.push(`## kseries rebase: ❌ cannot apply to ${target} on tree ${cell(r.tree)}`);
    out.push('');
    out.push(`Series ${code(r.series.base)} (${r.series.patches} patches) stops at patch ${c.patch.index}/${r.series.patches}: ${code(c.patch.file)} — ${cell(c.patch.subject)}.`);
    if (c.threeWay.reason) out.push('', `3-way merge: ${c.threeWay.ran ? 'ran' : 'did not run'} (${cell(c.threeWay.reason)}).`);
    out.push('', '| File | Conflict | Hunks that do not apply | Conflict regions |', '| --- | --- | --- | --- |');
    for (const f of c.files.filter((x) => x.kind !== 'ok')) {
      const hunks = f.hunks.filter((h) => h.status === 'fails').map((h) => codeCell(h.header));
      const regions = f.markers.map((m) => `lines ${m.startLine}-${m.endLine}`);
      out.push(`| ${codeCell(f.path)} | ${cell(f.kind)} | ${hunks.join('<br>') || '-'} | ${regions.join(', ') || '-'} |`);
    }
  } else {
    const n = summaryCounts(r);
    out.push(`## kseries rebase: ✅ series ${code(r.series.base)} applies to ${target} on tree ${cell(r.tree)}`);
    out.push('', `${n.clean} clean, ${n['3way']} by 3-way merge, ${n['already-upstream']} already upstream; head ${r.head ? code(r.head.slice(0, 12)) : '-'}.`);
  }
  out.push('', '| # | Patch | Status |', '| --- | --- | --- |');
  for (const p of r.patches) out.push(`| ${p.index} | ${codeCell(p.file)} | ${STATUS[p.status] ?? cell(p.status)} |`);
  if (r.conflict?.gitOutput) out.push('', '<details><summary>git am</summary>', '', '```', r.conflict.gitOutput.trim().replace(/```/g, "'''"), '```', '', '</details>');
  return `${out.join('\n')}\n`;
}
