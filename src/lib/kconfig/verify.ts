// SPDX-License-Identifier: GPL-2.0-only
/**
 * Verifying a final .config against the request: every requested symbol must have the
 * requested value. Each one that does not is explained from the tree's Kconfig.
 * A "not set" request for a symbol the tree does not have holds trivially, but it is
 * reported: it usually means the symbol was renamed (6.12 replaced
 * MEMORY_HOTPLUG_DEFAULT_ONLINE by the MHP_DEFAULT_ONLINE_TYPE_* choice).
 */
import { checkSubset, type Config } from './config.js';
import { explainDrop, type DropReason } from './explain.js';
import type { KconfigDb } from './kconfig-db.js';

export type SymbolStatus = 'ok' | 'dropped' | 'unknown-not-set';

export interface SymbolResult {
  symbol: string;
  requested: string;
  /** The final value; null when the final config does not mention the symbol. */
  actual: string | null;
  status: SymbolStatus;
  /** The fragment that asked for it. */
  source: string;
  reason?: DropReason;
}

export interface Verification {
  ok: boolean;
  results: SymbolResult[];
  dropped: SymbolResult[];
  unknownNotSet: SymbolResult[];
}

export function verifyConfig(requested: Config, final: Config, db: KconfigDb): Verification {
  const sub = checkSubset(requested, final);
  const byName = new Map<string, SymbolResult>();
  for (const e of sub.held) byName.set(e.symbol, { symbol: e.symbol, requested: e.value, actual: e.value, status: 'ok', source: e.source });
  for (const e of sub.absentNotSet) {
    const known = db.symbols.has(e.symbol);
    byName.set(e.symbol, {
      symbol: e.symbol,
      requested: 'n',
      actual: null,
      status: known ? 'ok' : 'unknown-not-set',
      source: e.source,
      reason: known ? undefined : { kind: 'unknown', text: 'no such symbol in this tree ("not set" has no effect here)' },
    });
  }
  for (const d of sub.dropped) {
    const r = d.requested;
    byName.set(r.symbol, {
      symbol: r.symbol,
      requested: r.value,
      actual: d.present ? d.actual : null,
      status: 'dropped',
      source: r.source,
      reason: explainDrop(db, final, requested, r.symbol, r.value, d.actual),
    });
  }
  const results = [...requested.keys()].map((k) => byName.get(k)!);
  const dropped = results.filter((r) => r.status === 'dropped');
  return { ok: dropped.length === 0, results, dropped, unknownNotSet: results.filter((r) => r.status === 'unknown-not-set') };
}
