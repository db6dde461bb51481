// SPDX-License-Identifier: GPL-2.0-only
/**
 * Why a requested symbol did not get its value: read from the tree's Kconfig and the
 * final .config. One reason per dropped symbol, in this order: no such symbol; a bool
 * asked to be m; modules off; unmet `depends on` (naming the terms that are off); a
 * choice where another member won; no visible prompt; forced by a `select`; a range.
 */
import { valueOf, type Config } from './config.js';
import { choiceOf, definitionDepends, where, type KconfigDb } from './kconfig-db.js';
import { configEnv, evalTri, unmetTerms, type EvalEnv, type Tri, type UnmetTerm } from './eval.js';
import { orAny, showExpr, type Expr } from './expr.js';

export type DropKind = 'unknown' | 'type' | 'modules' | 'depends' | 'choice' | 'no-prompt' | 'selected' | 'range' | 'unexplained';

export interface BlamedSymbol {
  name: string;
  value: string;
  /** Set when this symbol was itself requested: its requested value and where from. */
  requested?: { value: string; source: string };
}

export interface Blame extends Omit<UnmetTerm, 'symbols'> {
  symbols: BlamedSymbol[];
}

export interface DropReason {
  kind: DropKind;
  /** One line, for people. */
  text: string;
  /** The effective `depends on` expression (enclosing if/menu/choice included). */
  depends?: string;
  unmet?: Blame[];
  choice?: { prompt: string | null; at: string; members: string[]; chosen: string | null };
  selectedBy?: Array<{ by: string; value: string; cond: string | null; at: string }>;
}

const RANK: Record<string, number> = { n: 0, m: 1, y: 2 };

const blame = (t: UnmetTerm, requested: Config): Blame => ({
  ...t,
  symbols: t.symbols.map((s) => {
    const r = requested.get(s.name);
    return r ? { ...s, requested: { value: r.value, source: r.source } } : s;
  }),
});

export function formatBlame(b: Blame): string {
  const note = (s: BlamedSymbol) => {
    const r = s.requested;
    if (!r) return '';
    if (r.value === s.value) return r.value === 'n' ? `"not set" requested by ${r.source}` : `as requested by ${r.source}`;
    return r.value === 'n' ? `"not set" requested by ${r.source}, but it is ${s.value}` : `requested ${r.value} by ${r.source}, dropped itself`;
  };
  if (b.symbols.length === 1 && b.expr === b.symbols[0].name) {
    const n = note(b.symbols[0]);
    return `${b.expr} (=${b.symbols[0].value}${n ? `; ${n}` : ''})`;
  }
  const vals = b.symbols.map((s) => `${s.name}=${s.value}${note(s) ? ` [${note(s)}]` : ''}`).join(', ');
  return vals ? `${b.expr} (${vals})` : b.expr;
}

function dependsReason(db: KconfigDb, env: EvalEnv, requested: Config, name: string, need: Tri): DropReason | null {
  const defs = db.symbols.get(name)!.definitions;
  const withPrompt = defs.filter((d) => d.prompts.length);
  const relevant = withPrompt.length ? withPrompt : defs;
  const dep: Expr = orAny(relevant.map(definitionDepends));
  const v = evalTri(dep, env);
  if (v >= need) return null;
  const unmet = unmetTerms(dep, env, need).map((t) => blame(t, requested));
  const terms = unmet.map(formatBlame).join('; ');
  const depends = showExpr(dep);
  const text =
    v === 1 && need === 2 ? `depends on ${depends}, which is only m: limited to m by ${terms}` : `depends on ${depends}; unmet: ${terms}`;
  return { kind: 'depends', text, depends, unmet };
}

function choiceReason(db: KconfigDb, final: Config, name: string): DropReason | null {
  const ch = choiceOf(db, name);
  if (!ch) return null;
  const chosen = ch.members.find((m) => m !== name && valueOf(final, m) === 'y') ?? null;
  const label = ch.prompt ? `"${ch.prompt}"` : (ch.name ?? 'a choice');
  const text = chosen
    ? `sits in choice ${label} (${where(ch)}), where CONFIG_${chosen} is selected instead`
    : `sits in choice ${label} (${where(ch)}), which needs exactly one member: ${ch.members.map((m) => `CONFIG_${m}`).join(', ')}`;
  return { kind: 'choice', text, choice: { prompt: ch.prompt, at: where(ch), members: ch.members, chosen } };
}

function promptReason(db: KconfigDb, env: EvalEnv, requested: Config, name: string): DropReason | null {
  const defs = db.symbols.get(name)!.definitions;
  const prompts = defs.flatMap((d) => d.prompts);
  const sel = (db.selectedBy.get(name) ?? []).filter((r) => !r.imply).map((r) => `CONFIG_${r.by}`);
  const by = sel.length ? `; it is set by select from ${sel.slice(0, 6).join(', ')}${sel.length > 6 ? ` and ${sel.length - 6} more` : ''}` : '';
  const defaults = defs.flatMap((d) => d.defaults.map((x) => `default ${showExpr(x.value)}${x.cond ? ` if ${showExpr(x.cond)}` : ''}`));
  const dflt = defaults.length ? `; its value comes from ${defaults.slice(0, 3).join(', ')}` : '';
  if (!prompts.length) return { kind: 'no-prompt', text: `has no prompt, so a fragment cannot set it${by}${dflt}` };
  if (prompts.some((p) => !p.cond || evalTri(p.cond, env) > 0)) return null;
  const conds = orAny(prompts.map((p) => p.cond!));
  const unmet = unmetTerms(conds, env, 1).map((t) => blame(t, requested));
  return {
    kind: 'no-prompt',
    text: `its prompt is hidden (prompt only if ${showExpr(conds)}; unmet: ${unmet.map(formatBlame).join('; ')})${by}${dflt}`,
    unmet,
  };
}

function selectReason(db: KconfigDb, env: EvalEnv, name: string, requestedRank: number): DropReason | null {
  const active = (db.selectedBy.get(name) ?? [])
    .filter((r) => !r.imply)
    .filter((r) => {
      const v = evalTri({ k: 'sym', name: r.by }, env);
      const c = r.cond ? evalTri(r.cond, env) : 2;
      return Math.min(v, c) > requestedRank;
    });
  if (!active.length) return null;
  const selectedBy = active.map((r) => ({ by: r.by, value: env.value(r.by), cond: r.cond ? showExpr(r.cond) : null, at: where(r) }));
  const list = selectedBy.map((s) => `CONFIG_${s.by} (=${s.value}${s.cond ? `, if ${s.cond}` : ''})`).join(', ');
  return { kind: 'selected', text: `forced on by select from ${list}`, selectedBy };
}

function rangeReason(db: KconfigDb, env: EvalEnv, name: string, value: string): DropReason | null {
  for (const d of db.symbols.get(name)!.definitions) {
    for (const r of d.ranges) {
      if (r.cond && evalTri(r.cond, env) === 0) continue;
      const num = (s: string) => {
        const v = env.isSymbol(s) ? env.value(s) : s;
        return /^-?\d+$|^0[xX][0-9a-fA-F]+$/.test(v) ? BigInt(v) : undefined;
      };
      const [lo, hi, x] = [num(r.lo), num(r.hi), num(value)];
      if (lo !== undefined && hi !== undefined && x !== undefined && (x < lo || x > hi)) {
        return { kind: 'range', text: `${value} is outside its range ${r.lo}..${r.hi} (${where(d)})` };
      }
    }
  }
  return null;
}

/** Explains why SYMBOL, requested as REQUESTED (from the merged request), is ACTUAL in the final config. */
export function explainDrop(db: KconfigDb, final: Config, requested: Config, symbol: string, req: string, actual: string): DropReason {
  const info = db.symbols.get(symbol);
  if (!info) return { kind: 'unknown', text: 'no such symbol in this tree' };
  const env = configEnv(final, (n) => db.symbols.has(n));
  const tristateLike = info.type === 'bool' || info.type === 'tristate';
  if (req === 'm' && info.type === 'bool') return { kind: 'type', text: 'is a bool: it can be y or n, never m' };
  if (req === 'm' && !env.modules) return { kind: 'modules', text: 'm needs CONFIG_MODULES=y, which is not set' };
  const [rr, ra] = [RANK[req] ?? -1, RANK[actual] ?? -1];
  const raised = tristateLike ? rr > ra : actual === 'n';
  if (raised) {
    const need: Tri = info.type === 'tristate' && req === 'y' ? 2 : 1;
    return (
      dependsReason(db, env, requested, symbol, need) ??
      choiceReason(db, final, symbol) ??
      promptReason(db, env, requested, symbol) ?? { kind: 'unexplained', text: 'no reason found in Kconfig (see the merge log in the build directory)' }
    );
  }
  if (tristateLike && rr < ra) {
    return (
      selectReason(db, env, symbol, rr) ??
      (req === 'n' ? choiceReason(db, final, symbol) : null) ??
      promptReason(db, env, requested, symbol) ?? { kind: 'unexplained', text: 'no reason found in Kconfig (a default that cannot be turned off?)' }
    );
  }
  return (
    rangeReason(db, env, symbol, req) ??
    promptReason(db, env, requested, symbol) ?? { kind: 'unexplained', text: `the final value is ${actual}; no reason found in Kconfig` }
  );
}
