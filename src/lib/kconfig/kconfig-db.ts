// SPDX-License-Identifier: GPL-2.0-only
/**
 * What the Kconfig reader learns about a tree: every symbol with its definitions
 * (type, prompts, own and inherited dependencies, defaults, selects), every choice,
 * and who selects whom. Plus the questions asked of it: does S exist, what does it
 * depend on, which choice is it in.
 */
import { andAll, orAny, showExpr, type Expr } from './expr.js';

export type SymbolType = 'bool' | 'tristate' | 'string' | 'int' | 'hex' | 'unknown';

export interface Where {
  file: string;
  line: number;
}

/** A dependency a definition inherits from an enclosing block. */
export interface Inherited extends Where {
  kind: 'if' | 'menu' | 'choice';
  /** `if X`, `menu "Memory Management options"`, `choice "Memory model"`. */
  label: string;
  expr: Expr;
}

export interface Definition extends Where {
  kind: 'config' | 'menuconfig';
  type: SymbolType;
  prompts: Array<{ text: string; cond: Expr | null }>;
  /** Its own `depends on` lines. */
  dependsOn: Expr[];
  inherited: Inherited[];
  defaults: Array<{ value: Expr; cond: Expr | null }>;
  selects: Array<{ symbol: string; cond: Expr | null; imply: boolean }>;
  ranges: Array<{ lo: string; hi: string; cond: Expr | null }>;
  /** Index into KconfigDb.choices when the definition sits in a choice. */
  choice: number | null;
}

export interface SymbolInfo {
  name: string;
  type: SymbolType;
  definitions: Definition[];
}

export interface ChoiceInfo extends Where {
  id: number;
  name: string | null;
  prompt: string | null;
  dependsOn: Expr[];
  inherited: Inherited[];
  defaults: Array<{ value: Expr; cond: Expr | null }>;
  members: string[];
}

export interface ReverseDep extends Where {
  /** The symbol whose definition has the select (or imply). */
  by: string;
  cond: Expr | null;
  imply: boolean;
}

export interface KconfigDb {
  symbols: Map<string, SymbolInfo>;
  choices: ChoiceInfo[];
  /** Reverse dependencies: for each symbol, who selects or implies it. */
  selectedBy: Map<string, ReverseDep[]>;
  /** Every Kconfig file read, in order (relative to the source tree). */
  files: string[];
  /** What the reader could not make sense of (missing sourced files, bad expressions). */
  issues: Array<Where & { message: string }>;
}

export const hasSymbol = (db: KconfigDb, name: string) => db.symbols.has(name);

/** The full dependency of one definition: enclosing if/menu/choice conditions and its own `depends on`. */
export const definitionDepends = (d: Definition): Expr => andAll([...d.inherited.map((i) => i.expr), ...d.dependsOn]);

/** A symbol's effective dependency: the definitions' dependencies, or-ed (Kconfig's rule for multiple definitions). */
export function effectiveDepends(db: KconfigDb, name: string): Expr | null {
  const s = db.symbols.get(name);
  if (!s) return null;
  return orAny(s.definitions.map(definitionDepends));
}

export const effectiveDependsText = (db: KconfigDb, name: string): string | null => {
  const e = effectiveDepends(db, name);
  return e ? showExpr(e) : null;
};

export function choiceOf(db: KconfigDb, name: string): ChoiceInfo | null {
  const d = db.symbols.get(name)?.definitions.find((x) => x.choice !== null);
  return d && d.choice !== null ? db.choices[d.choice] : null;
}

export const hasPrompt = (db: KconfigDb, name: string): boolean =>
  !!db.symbols.get(name)?.definitions.some((d) => d.prompts.length > 0);

export const where = (w: Where) => `${w.file}:${w.line}`;
