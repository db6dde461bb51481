// SPDX-License-Identifier: GPL-2.0-only
/**
 * Evaluating Kconfig expressions over a final .config, in tristate logic
 * (n = 0, m = 1, y = 2: && is min, || is max, ! is 2 - x), and saying which
 * terms keep an expression below the value a symbol needs.
 */
import { valueOf, type Config } from './config.js';
import { showExpr, symbolsIn, type Expr } from './expr.js';

export type Tri = 0 | 1 | 2;
export const TRI_NAMES = ['n', 'm', 'y'] as const;

export interface EvalEnv {
  /** The string value of a symbol (y, m, n, a number or a string without quotes). */
  value(name: string): string;
  /** Whether NAME is a symbol (else it is a constant whose value is its own name, like 42 or 0x10). */
  isSymbol(name: string): boolean;
  /** CONFIG_MODULES: without it, m counts as n. */
  modules: boolean;
}

/** An environment over a parsed .config; `known` tells symbols from constants (default: the ones the config mentions). */
export function configEnv(config: Config, known?: (name: string) => boolean): EvalEnv {
  return {
    value: (name) => unquote(valueOf(config, name)),
    isSymbol: (name) => (known ? known(name) : config.has(name)),
    modules: valueOf(config, 'MODULES') === 'y',
  };
}

const unquote = (v: string) => (v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v);

function triOf(v: string, env: EvalEnv): Tri {
  if (v === 'y') return 2;
  if (v === 'm') return env.modules ? 1 : 0;
  return 0;
}

function stringOf(e: Expr, env: EvalEnv): string {
  if (e.k === 'str') return e.value;
  if (e.k === 'macro') return e.text;
  if (e.k === 'sym') {
    if (['y', 'm', 'n'].includes(e.name)) return e.name;
    return env.isSymbol(e.name) ? env.value(e.name) : e.name;
  }
  return TRI_NAMES[evalTri(e, env)];
}

function compare(op: string, a: string, b: string): boolean {
  const num = (s: string) => (/^-?\d+$/.test(s) || /^0[xX][0-9a-fA-F]+$/.test(s) ? BigInt(s) : undefined);
  const na = num(a);
  const nb = num(b);
  const c = na !== undefined && nb !== undefined ? (na < nb ? -1 : na > nb ? 1 : 0) : a < b ? -1 : a > b ? 1 : 0;
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

export function evalTri(e: Expr, env: EvalEnv): Tri {
  switch (e.k) {
    case 'sym':
      if (['y', 'm', 'n'].includes(e.name)) return triOf(e.name, env);
      return env.isSymbol(e.name) ? triOf(env.value(e.name), env) : 0;
    case 'str':
      return triOf(e.value, env);
    case 'macro':
      // An unexpanded $(...) (a compiler probe): its value is not known here; do not blame it.
      return 2;
    case 'not':
      return (2 - evalTri(e.e, env)) as Tri;
    case 'and':
      return Math.min(...e.terms.map((t) => evalTri(t, env))) as Tri;
    case 'or':
      return Math.max(...e.terms.map((t) => evalTri(t, env))) as Tri;
    case 'cmp':
      return compare(e.op, stringOf(e.l, env), stringOf(e.r, env)) ? 2 : 0;
  }
}

export interface UnmetTerm {
  /** The term as written in Kconfig ("TRANSPARENT_HUGEPAGE", "!KASAN", "X86_64 || X86_PAE"). */
  expr: string;
  /** What it evaluates to. */
  value: (typeof TRI_NAMES)[number];
  /** The symbols in it with their values in the config. */
  symbols: Array<{ name: string; value: string }>;
}

/**
 * The terms of E that keep it below NEED: for a conjunction, each conjunct that is too low
 * (recursively); anything else is reported whole. Empty when E is high enough.
 */
export function unmetTerms(e: Expr, env: EvalEnv, need: Tri): UnmetTerm[] {
  if (evalTri(e, env) >= need) return [];
  if (e.k === 'and') return e.terms.flatMap((t) => unmetTerms(t, env, need));
  return [
    {
      expr: showExpr(e),
      value: TRI_NAMES[evalTri(e, env)],
      symbols: symbolsIn(e)
        .filter((s) => env.isSymbol(s))
        .map((name) => ({ name, value: env.value(name) })),
    },
  ];
}
