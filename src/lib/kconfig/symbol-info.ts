// SPDX-License-Identifier: GPL-2.0-only
/**
 * What the tree's Kconfig says about a symbol (for `kconfig symbol`): does it exist, its
 * type and prompts, its effective `depends on` (with the if/menu/choice blocks it inherits
 * from), its choice, who selects it, and, given a .config, its value and the unmet terms.
 */
import { valueOf, type Config } from './config.js';
import { configEnv, unmetTerms, type UnmetTerm } from './eval.js';
import { showExpr } from './expr.js';
import { choiceOf, definitionDepends, effectiveDepends, where, type KconfigDb, type SymbolType } from './kconfig-db.js';

export interface SymbolInfoReport {
  symbol: string;
  exists: boolean;
  type: SymbolType | null;
  definitions: Array<{ at: string; prompts: string[]; depends: string; inherited: string[] }>;
  depends: string | null;
  choice: { prompt: string | null; at: string; members: string[] } | null;
  selectedBy: Array<{ by: string; cond: string | null; imply: boolean; at: string }>;
  /** With a .config: the symbol's value and the dependency terms that are off. */
  value: string | null;
  unmet: UnmetTerm[] | null;
}

export function symbolInfo(db: KconfigDb, name: string, config: Config | null): SymbolInfoReport {
  const symbol = name.replace(/^CONFIG_/, '');
  const s = db.symbols.get(symbol);
  const dep = effectiveDepends(db, symbol);
  const ch = choiceOf(db, symbol);
  return {
    symbol,
    exists: !!s,
    type: s?.type ?? null,
    definitions: (s?.definitions ?? []).map((d) => ({
      at: where(d),
      prompts: d.prompts.map((p) => (p.cond ? `"${p.text}" if ${showExpr(p.cond)}` : `"${p.text}"`)),
      depends: showExpr(definitionDepends(d)),
      inherited: d.inherited.map((i) => `${i.label} (${where(i)})`),
    })),
    depends: dep ? showExpr(dep) : null,
    choice: ch ? { prompt: ch.prompt, at: where(ch), members: ch.members } : null,
    selectedBy: (db.selectedBy.get(symbol) ?? []).map((r) => ({ by: r.by, cond: r.cond ? showExpr(r.cond) : null, imply: r.imply, at: where(r) })),
    value: config && s ? valueOf(config, symbol) : null,
    unmet: config && dep ? unmetTerms(dep, configEnv(config, (n) => db.symbols.has(n)), 1) : null,
  };
}

export function renderSymbolInfo(r: SymbolInfoReport): string {
  if (!r.exists) return `CONFIG_${r.symbol}: no such symbol in this tree`;
  const out = [`CONFIG_${r.symbol} (${r.type})${r.value !== null ? ` = ${r.value}` : ''}`, `  depends on: ${r.depends}`];
  if (r.unmet?.length) out.push(`  unmet:      ${r.unmet.map((u) => `${u.expr} (${u.symbols.map((s) => `${s.name}=${s.value}`).join(', ')})`).join('; ')}`);
  if (r.choice) out.push(`  choice:     "${r.choice.prompt ?? '?'}" at ${r.choice.at}: ${r.choice.members.join(', ')}`);
  for (const d of r.definitions) {
    out.push(`  defined at ${d.at}${d.prompts.length ? ` with prompt ${d.prompts.join(', ')}` : ', no prompt'}`);
    for (const i of d.inherited) out.push(`    inside ${i}`);
  }
  for (const s of r.selectedBy) out.push(`  ${s.imply ? 'implied' : 'selected'} by ${s.by}${s.cond ? ` if ${s.cond}` : ''} (${s.at})`);
  return out.join('\n');
}
