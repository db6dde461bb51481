// SPDX-License-Identifier: GPL-2.0-only
/** The kconfig report (BUILD/kconfig-report.json) and its table. */
import { configLine } from './config.js';
import type { SymbolResult } from './verify.js';

export interface KconfigReport {
  ok: boolean;
  tree: string;
  kernel: string;
  srcDir: string;
  buildDir: string;
  arch: string;
  base: string;
  config: string;
  layers: Array<{ name: string; path: string | null; symbols: number }>;
  summary: { requested: number; ok: number; dropped: number; unknownNotSet: number };
  results: SymbolResult[];
  /** Messages from merge_config.sh and conf, summarised. */
  noise: { redefined: number; baseWarnings: number; baseNotInFinal: number; warningsAboutRequest: string[] };
  commands: string[];
  log: string;
  generatedAt: string;
}

const shown = (v: string | null) => (v === null ? '(absent)' : v === 'n' ? 'n' : v);

export function renderReport(r: KconfigReport): string {
  const rows = r.results.map((x) => [`CONFIG_${x.symbol}`, x.requested, shown(x.actual), x.status === 'ok' ? 'ok' : x.status === 'dropped' ? 'DROPPED' : 'unknown', x.source]);
  const head = ['SYMBOL', 'REQUESTED', 'FINAL', 'STATUS', 'FROM'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const table = [head, ...rows].map((row) => row.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
  const out = [...table, ''];
  const problems = r.results.filter((x) => x.status !== 'ok');
  for (const p of problems) {
    out.push(`${p.status === 'dropped' ? 'dropped' : 'note'}: ${configLine(p.symbol, p.requested)} (from ${p.source}) -> ${shown(p.actual)}: ${p.reason?.text ?? ''}`);
  }
  if (problems.length) out.push('');
  const s = r.summary;
  out.push(
    `${r.ok ? 'OK' : 'FAILED'}: ${s.ok} of ${s.requested} requested symbols hold in ${r.config}` +
      (s.dropped ? `; ${s.dropped} dropped` : '') +
      (s.unknownNotSet ? `; ${s.unknownNotSet} "not set" for symbols this tree does not have` : ''),
  );
  return out.join('\n');
}
