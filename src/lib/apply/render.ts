// SPDX-License-Identifier: GPL-2.0-only
/** The human rendering of apply reports. */
import type { ApplyReport, ConflictFile, HunkContext } from './report.js';
import { prerequisitesText, summaryCounts } from './report.js';

const STATUS_WORD: Record<string, string> = {
  clean: 'applied cleanly',
  '3way': 'applied by 3-way merge',
  'already-upstream': 'already upstream, skipped',
  conflict: 'CONFLICT',
  resolved: 'resolved by hand',
  skipped: 'skipped by hand',
  pending: 'not reached',
};

/**
 * Under a failing hunk: how the target differs from the series' base there, the lines, and the
 * commits that changed them. SAID keeps the notes already printed in this report: each once.
 */
function renderHunkContext(c: HunkContext, preimage: string | null, said: Set<string>): string[] {
  const out: string[] = [];
  const once = (note: string) => {
    if (!said.has(note)) out.push(`          ${note}`);
    said.add(note);
  };
  if (c.shift) {
    const n = Math.abs(c.shift.lines);
    out.push(`        the hunks around it apply ${n} line${n === 1 ? '' : 's'} apart: between base lines ${c.shift.fromLine} and ${c.shift.toLine} the target has ${n} line${n === 1 ? '' : 's'} ${c.shift.lines < 0 ? 'fewer' : 'more'} than the series' base`);
  }
  if (c.targetAt === null) return [...out, '        its lines were not found in the target: the code around it changed too much to compare'];
  for (const d of c.differences) {
    out.push(`        ${d.explanation}:`);
    for (const l of d.base) out.push(`          base ${String(l.line).padStart(5)} | ${l.text}`);
    for (const l of d.target) out.push(`        target ${String(l.line).padStart(5)} | ${l.text}`);
    if (d.kind === 'lacking') out.push(`          (in the target they would come before its line ${d.targetAt})`);
    for (const x of d.commits) out.push(`          ${x.in === 'base' ? "only the series' base has" : 'only the target has'} ${x.commit.slice(0, 12)} ${x.subject}`);
    if (d.commitsNote) once(d.commitsNote);
  }
  if (c.from === 'hunk' && c.differences.length) once(`(compared with the hunk's own lines only: the tree does not have the series' base file${preimage ? `, blob ${preimage}` : ''})`);
  return out;
}

function renderConflictFile(f: ConflictFile, said: Set<string>): string[] {
  const b = f.blobs;
  const yes = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'no');
  const out = [`    ${f.path}${f.oldPath ? ` (from ${f.oldPath})` : ''}: ${f.kind}`];
  out.push(
    `      blobs: ${b.preimage ?? '-'}..${b.postimage ?? '-'}  tree has preimage: ${yes(b.treeHasPreimage)}, postimage: ${yes(b.treeHasPostimage)}; ` +
      `target ${b.target ? b.target.slice(0, 12) : '(no such file)'}${b.targetIsPreimage ? ' (= preimage)' : ''}`,
  );
  for (const h of f.hunks) {
    const st = h.status === 'offset' ? `applies at ${h.appliesAt} (offset ${h.offset})` : h.status === 'fails' ? 'FAILS' : h.status;
    out.push(`      ${h.header.padEnd(40)} ${st}`);
    if (h.context) out.push(...renderHunkContext(h.context, b.preimage, said));
  }
  for (const m of f.markers) out.push(`      conflict region: lines ${m.startLine}-${m.endLine} (tree ${m.ours.length} lines, patch ${m.theirs.length} lines)`);
  return out;
}

/** A prerequisite the target has is no news: it is what older releases lack. */
const PREREQUISITE_WORD: Record<string, string> = {
  'already-upstream': 'in the tree already',
  clean: 'applied (the tree lacks it)',
  '3way': 'applied by 3-way merge (the tree lacks it)',
};

export function renderApplyReport(r: ApplyReport): string {
  const out: string[] = [];
  const c = summaryCounts(r);
  let head: string;
  if (r.status === 'conflict') head = `tree ${r.tree}: series ${r.series.base} CONFLICT at patch ${r.conflict?.patch.index}/${r.series.patches}`;
  else if (r.status === 'interrupted') head = `tree ${r.tree}: series ${r.series.base} interrupted before patch ${r.parked?.next}/${r.series.patches}`;
  else if (r.status === 'already-applied') head = `tree ${r.tree}: series ${r.series.base} already applied (${r.branch} at ${r.head?.slice(0, 12)})`;
  else {
    head =
      `tree ${r.tree}: series ${r.series.base} applied: ${c.clean} clean, ${c['3way']} by 3-way merge, ${c['already-upstream']} already upstream` +
      `${c.resolved ? `, ${c.resolved} resolved` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}` +
      `${prerequisitesText(r) ? `; ${prerequisitesText(r)}` : ''}`;
  }
  out.push(head);
  out.push(`  base: ${r.base.commit.slice(0, 12)} via ${r.base.step ?? 'none'} (target ${r.target.ref} = ${r.target.commit.slice(0, 12)}${r.target.kernel ? `, Linux ${r.target.kernel}` : ''})`);
  for (const p of r.patches) {
    const up = p.upstream ? ` (${p.upstream.by}${p.upstream.commit ? ` ${p.upstream.commit.slice(0, 12)}` : ''})` : '';
    const word = p.prerequisite ? (PREREQUISITE_WORD[p.status] ?? STATUS_WORD[p.status] ?? p.status) : (STATUS_WORD[p.status] ?? p.status);
    out.push(`  [${p.index}/${r.series.patches}] ${word.padEnd(26)} ${p.commit ? p.commit.slice(0, 12) : '            '}  ${p.prerequisite ? 'prerequisite: ' : ''}${p.subject}${up}`);
  }
  if (r.conflict) {
    out.push('', `  conflict in ${r.conflict.patch.file}:`);
    if (r.conflict.threeWay.reason) out.push(`    3-way: ${r.conflict.threeWay.ran ? 'ran' : 'did not run'}: ${r.conflict.threeWay.reason}`);
    const said = new Set<string>();
    for (const f of r.conflict.files) out.push(...renderConflictFile(f, said));
  }
  if (r.parked) {
    out.push('', `  parked in ${r.parked.worktree} on branch ${r.parked.branch}`, `    resolve:  ${r.parked.resolve}`, `    continue: ${r.parked.continue}`, `    abort:    ${r.parked.abort}`);
  } else {
    out.push(`  worktree: ${r.worktree} (branch ${r.branch}, HEAD ${r.head?.slice(0, 12) ?? '-'})`);
  }
  return out.join('\n');
}
