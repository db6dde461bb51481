// SPDX-License-Identifier: GPL-2.0-only
/**
 * Kconfig expressions: the AST, a parser for `depends on` / `if` / `select … if` text,
 * and a printer. Operators by binding strength: `!`, then the comparisons
 * (= != < <= > >=), then `&&`, then `||`; parentheses group.
 * A `$(macro)` that was not expanded stays an opaque term.
 */

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  /** A symbol, or an unquoted constant (y, m, n, 42, 0x10). */
  | { k: 'sym'; name: string }
  | { k: 'str'; value: string }
  | { k: 'macro'; text: string }
  | { k: 'not'; e: Expr }
  | { k: 'and'; terms: Expr[] }
  | { k: 'or'; terms: Expr[] }
  | { k: 'cmp'; op: CmpOp; l: Expr; r: Expr };

export const sym = (name: string): Expr => ({ k: 'sym', name });
export const Y: Expr = sym('y');

type Token =
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'macro'; v: string }
  | { t: 'op'; v: string };

export class ExprSyntaxError extends Error {}

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        v += text[j++];
      }
      if (j >= text.length) throw new ExprSyntaxError(`unterminated string in "${text}"`);
      out.push({ t: 'str', v });
      i = j + 1;
    } else if (c === '$' && text[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      if (j >= text.length) throw new ExprSyntaxError(`unterminated $( in "${text}"`);
      out.push({ t: 'macro', v: text.slice(i, j + 1) });
      i = j + 1;
    } else {
      const two = text.slice(i, i + 2);
      if (['&&', '||', '!=', '<=', '>='].includes(two)) {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if ('()!=<>'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else {
        const m = /^[A-Za-z0-9_.+-]+/.exec(text.slice(i));
        if (!m) throw new ExprSyntaxError(`unexpected "${c}" in "${text}"`);
        out.push({ t: 'word', v: m[0] });
        i += m[0].length;
      }
    }
  }
  return out;
}

export function parseExpr(text: string): Expr {
  const toks = lex(text);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;
  const fail = (what: string): never => {
    throw new ExprSyntaxError(`${what} in "${text}"`);
  };

  const orExpr = (): Expr => {
    const terms = [andExpr()];
    while (isOp('||')) {
      p++;
      terms.push(andExpr());
    }
    return terms.length === 1 ? terms[0] : { k: 'or', terms: terms.flatMap((t) => (t.k === 'or' ? t.terms : [t])) };
  };
  const andExpr = (): Expr => {
    const terms = [unary()];
    while (isOp('&&')) {
      p++;
      terms.push(unary());
    }
    return terms.length === 1 ? terms[0] : { k: 'and', terms: terms.flatMap((t) => (t.k === 'and' ? t.terms : [t])) };
  };
  const unary = (): Expr => {
    if (isOp('!')) {
      p++;
      return { k: 'not', e: unary() };
    }
    if (isOp('(')) {
      p++;
      const e = orExpr();
      if (!isOp(')')) fail('missing ")"');
      p++;
      return e;
    }
    const l = atom();
    const t = peek();
    if (t?.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      return { k: 'cmp', op: t.v as CmpOp, l, r: atom() };
    }
    return l;
  };
  const atom = (): Expr => {
    const t = peek();
    if (!t) return fail('unexpected end');
    p++;
    if (t.t === 'word') return { k: 'sym', name: t.v };
    if (t.t === 'str') return { k: 'str', value: t.v };
    if (t.t === 'macro') return { k: 'macro', text: t.v };
    return fail(`unexpected "${t.v}"`);
  };

  if (!toks.length) fail('empty expression');
  const e = orExpr();
  if (p < toks.length) fail(`unexpected "${toks[p].v}"`);
  return e;
}

const PREC: Record<Expr['k'], number> = { or: 1, and: 2, cmp: 3, not: 4, sym: 5, str: 5, macro: 5 };

/** Prints an expression with the parentheses it needs and no more. */
export function showExpr(e: Expr): string {
  const wrap = (x: Expr, min: number) => (PREC[x.k] < min ? `(${showExpr(x)})` : showExpr(x));
  switch (e.k) {
    case 'sym':
      return e.name;
    case 'str':
      return `"${e.value.replace(/(["\\])/g, '\\$1')}"`;
    case 'macro':
      return e.text;
    case 'not':
      return `!${wrap(e.e, 4)}`;
    case 'cmp':
      return `${wrap(e.l, 5)} ${e.op} ${wrap(e.r, 5)}`;
    case 'and':
      return e.terms.map((t) => (t.k === 'and' ? showExpr(t) : wrap(t, 3))).join(' && ');
    case 'or':
      return e.terms.map((t) => (t.k === 'or' ? showExpr(t) : wrap(t, 2))).join(' || ');
  }
}

/** The conjunction of expressions (flattened; y terms dropped; y when empty). */
export function andAll(exprs: readonly Expr[]): Expr {
  const terms = exprs.flatMap((e) => (e.k === 'and' ? e.terms : [e])).filter((e) => !(e.k === 'sym' && e.name === 'y'));
  const uniq = terms.filter((t, i) => terms.findIndex((u) => showExpr(u) === showExpr(t)) === i);
  if (!uniq.length) return Y;
  return uniq.length === 1 ? uniq[0] : { k: 'and', terms: uniq };
}

/** The disjunction of expressions (flattened; y when any term is y). */
export function orAny(exprs: readonly Expr[]): Expr {
  const terms = exprs.flatMap((e) => (e.k === 'or' ? e.terms : [e]));
  if (!terms.length) return sym('n');
  if (terms.some((e) => e.k === 'sym' && e.name === 'y')) return Y;
  const uniq = terms.filter((t, i) => terms.findIndex((u) => showExpr(u) === showExpr(t)) === i);
  return uniq.length === 1 ? uniq[0] : { k: 'or', terms: uniq };
}

/** Every symbol name an expression mentions (constants y/m/n excluded), in order. */
export function symbolsIn(e: Expr): string[] {
  const out: string[] = [];
  const walk = (x: Expr) => {
    if (x.k === 'sym') {
      if (!['y', 'm', 'n'].includes(x.name) && !out.includes(x.name)) out.push(x.name);
    } else if (x.k === 'not') walk(x.e);
    else if (x.k === 'cmp') {
      walk(x.l);
      walk(x.r);
    } else if (x.k === 'and' || x.k === 'or') x.terms.forEach(walk);
  };
  walk(e);
  return out;
}
