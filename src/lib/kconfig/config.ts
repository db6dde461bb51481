// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Kconfig value type: what a .config or a fragment says, symbol by symbol.
 * Symbols are kept without the CONFIG_ prefix; "# CONFIG_X is not set" is the value "n".
 * Everything here is pure: parse, print, merge (later wins), diff and the subset check.
 */

export interface ConfigEntry {
  /** The symbol without CONFIG_ ("DEV_DAX_KMEM"). */
  symbol: string;
  /** The right-hand side as written: y, m, n (for "is not set"), "a string", 123, 0x1000. */
  value: string;
  /** Where it came from (a fragment name or path). */
  source: string;
  /** 1-based line in that source. */
  line: number;
}

/** A parsed config: insertion-ordered, one entry per symbol (the last one read wins). */
export type Config = ReadonlyMap<string, ConfigEntry>;

export interface ParseIssue {
  source: string;
  line: number;
  text: string;
  message: string;
}

export interface Parsed {
  config: Config;
  /** Lines that are neither assignments, "is not set" lines, comments nor blank (left out of config). */
  issues: ParseIssue[];
  /** Symbols assigned more than once within the same text (the later line wins). */
  repeats: Array<{ symbol: string; first: ConfigEntry; last: ConfigEntry }>;
}

const ASSIGN_RE = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/;
const NOT_SET_RE = /^#\s*CONFIG_([A-Za-z0-9_]+) is not set\s*$/;
const VALUE_RE = /^(?:y|m|n|-?\d+|0[xX][0-9a-fA-F]+|"(?:[^"\\]|\\.)*")$/;
const EXPECTED = 'expected y, m, n, a number or a "string"';

/**
 * Why a line that is not blank, not a comment and not an assignment is none of them
 * (pure). A bad line is left out of the config: "CONFIG_FOO=yes please" requests nothing.
 */
export function lineProblem(t: string): string {
  const sym = /^CONFIG_([A-Za-z0-9_]+)\s*$/.exec(t);
  if (sym) return `not a Kconfig assignment: no "=VALUE" after CONFIG_${sym[1]} (${EXPECTED})`;
  const spaced = /^CONFIG_([A-Za-z0-9_]+)\s+=\s*(.*)$|^CONFIG_([A-Za-z0-9_]+)=\s+(.*)$/.exec(t);
  if (spaced) return `not a Kconfig assignment: no spaces around "=" (CONFIG_${spaced[1] ?? spaced[3]}=${(spaced[2] ?? spaced[4]).trim()})`;
  if (/^[A-Za-z0-9_]+\s*=/.test(t)) return 'not a Kconfig assignment: symbols start with CONFIG_';
  return 'not a Kconfig assignment';
}

export function parseConfig(text: string, source = '<input>'): Parsed {
  const config = new Map<string, ConfigEntry>();
  const issues: ParseIssue[] = [];
  const repeats: Parsed['repeats'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const t = raw.replace(/\r$/, '').trim();
    if (!t) return;
    let entry: ConfigEntry | undefined;
    const a = ASSIGN_RE.exec(t);
    if (a && !/^\s/.test(a[2])) {
      const value = a[2].trim();
      if (!value) issues.push({ source, line, text: raw, message: `no value after "=" (${EXPECTED})` });
      else if (!VALUE_RE.test(value)) issues.push({ source, line, text: raw, message: `unexpected value "${value}" (${EXPECTED})` });
      else entry = { symbol: a[1], value, source, line };
    } else {
      const n = NOT_SET_RE.exec(t);
      if (n) entry = { symbol: n[1], value: 'n', source, line };
      else if (!t.startsWith('#')) issues.push({ source, line, text: raw, message: lineProblem(t) });
    }
    if (!entry) return;
    const prev = config.get(entry.symbol);
    if (prev) {
      repeats.push({ symbol: entry.symbol, first: prev, last: entry });
      config.delete(entry.symbol);
    }
    config.set(entry.symbol, entry);
  });
  return { config, issues, repeats };
}

export const configLine = (symbol: string, value: string) =>
  value === 'n' ? `# CONFIG_${symbol} is not set` : `CONFIG_${symbol}=${value}`;

/** Prints a config as fragment text (one line per symbol, in order). */
export function formatConfig(config: Config): string {
  return [...config.values()].map((e) => `${configLine(e.symbol, e.value)}\n`).join('');
}

export interface Override {
  symbol: string;
  from: ConfigEntry;
  to: ConfigEntry;
}

/** Merges configs left to right: a later value wins. Reports every value that changed. */
export function mergeConfigs(...configs: Config[]): { config: Config; overrides: Override[] } {
  const out = new Map<string, ConfigEntry>();
  const overrides: Override[] = [];
  for (const c of configs) {
    for (const e of c.values()) {
      const prev = out.get(e.symbol);
      if (prev && !sameValue(prev.value, e.value)) overrides.push({ symbol: e.symbol, from: prev, to: e });
      out.set(e.symbol, e);
    }
  }
  return { config: out, overrides };
}

/** Value equality: exact, except numbers compare by value (0x10 = 0x0010, 16 = 016). */
export function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const na = asNumber(a);
  const nb = asNumber(b);
  return na !== undefined && nb !== undefined && na === nb && /^0[xX]/.test(a) === /^0[xX]/.test(b);
}

function asNumber(v: string): bigint | undefined {
  if (/^-?\d+$/.test(v) || /^0[xX][0-9a-fA-F]+$/.test(v)) return BigInt(v);
  return undefined;
}

/** The value a final .config gives a symbol; a symbol absent from it counts as n. */
export const valueOf = (config: Config, symbol: string): string => config.get(symbol)?.value ?? 'n';

export interface ConfigDiff {
  added: ConfigEntry[];
  removed: ConfigEntry[];
  changed: Array<{ symbol: string; before: string; after: string }>;
}

export function diffConfigs(before: Config, after: Config): ConfigDiff {
  const added: ConfigEntry[] = [];
  const removed: ConfigEntry[] = [];
  const changed: ConfigDiff['changed'] = [];
  for (const e of after.values()) {
    const b = before.get(e.symbol);
    if (!b) added.push(e);
    else if (!sameValue(b.value, e.value)) changed.push({ symbol: e.symbol, before: b.value, after: e.value });
  }
  for (const e of before.values()) if (!after.has(e.symbol)) removed.push(e);
  return { added, removed, changed };
}

export interface SubsetResult {
  /** Requested and present with that value. */
  held: ConfigEntry[];
  /** Requested "not set" and absent from the final config: held, but the symbol may not exist at all. */
  absentNotSet: ConfigEntry[];
  /** Requested, but the final config has another value (actual is "n" when absent). */
  dropped: Array<{ requested: ConfigEntry; actual: string; present: boolean }>;
}

/** The verification: every requested symbol has the requested value in the final config. */
export function checkSubset(requested: Config, final: Config): SubsetResult {
  const res: SubsetResult = { held: [], absentNotSet: [], dropped: [] };
  for (const r of requested.values()) {
    const f = final.get(r.symbol);
    if (!f) {
      if (r.value === 'n') res.absentNotSet.push(r);
      else res.dropped.push({ requested: r, actual: 'n', present: false });
    } else if (sameValue(f.value, r.value)) {
      res.held.push(r);
    } else {
      res.dropped.push({ requested: r, actual: f.value, present: true });
    }
  }
  return res;
}

/** Requested symbols that the final config does not mention at all (neither set nor "not set"). */
export const missingSymbols = (requested: Config, final: Config): ConfigEntry[] =>
  [...requested.values()].filter((r) => !final.has(r.symbol));

/** Re-labels every entry with another source (e.g. when a fragment is renamed in a report). */
export function withSource(config: Config, source: string): Config {
  return new Map([...config].map(([k, e]) => [k, { ...e, source }]));
}
