// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { andAll, ExprSyntaxError, orAny, parseExpr, showExpr, sym, symbolsIn } from '../../../src/lib/kconfig/expr.js';

describe('parseExpr / showExpr', () => {
  it.each([
    ['A', 'A'],
    ['A && B && C', 'A && B && C'],
    ['(A && B) && C', 'A && B && C'],
    ['A || B && C', 'A || B && C'],
    ['(A || B) && C', '(A || B) && C'],
    ['!A', '!A'],
    ['!(A || B)', '!(A || B)'],
    ['!A && B', '!A && B'],
    ['A = y', 'A = y'],
    ['A != "x86"', 'A != "x86"'],
    ['NR_CPUS >= 4 && NR_CPUS<=0x10', 'NR_CPUS >= 4 && NR_CPUS <= 0x10'],
    ['!(ARM || MIPS || SPARC)', '!(ARM || MIPS || SPARC)'],
    ['(X86_64 || (X86_32 && HIGHMEM64G && X86_BIGSMP))', 'X86_64 || X86_32 && HIGHMEM64G && X86_BIGSMP'],
    ['$(cc-option,-fstack-protector) && CC_IS_GCC', '$(cc-option,-fstack-protector) && CC_IS_GCC'],
    ['$(success,$(NM) --help | head -n 1 | grep -qi llvm)', '$(success,$(NM) --help | head -n 1 | grep -qi llvm)'],
    ['64BIT', '64BIT'],
    ['"x86_64" = "x86"', '"x86_64" = "x86"'],
    ["'single'", '"single"'],
  ])('%s', (text, shown) => {
    expect(showExpr(parseExpr(text))).toBe(shown);
  });

  it('binds ! tighter than a comparison, and a comparison tighter than &&', () => {
    expect(parseExpr('!A = y')).toEqual({ k: 'not', e: { k: 'cmp', op: '=', l: sym('A'), r: sym('y') } });
    expect(parseExpr('A = y && B').k).toBe('and');
  });

  it.each(['', 'A &&', '(A', 'A B', 'A = ', '"open', '$(open', 'A @ B'])('rejects %j', (text) => {
    expect(() => parseExpr(text)).toThrow(ExprSyntaxError);
  });
});

describe('andAll / orAny / symbolsIn', () => {
  it('flattens, drops y from conjunctions and de-duplicates', () => {
    expect(showExpr(andAll([parseExpr('A && B'), sym('y'), parseExpr('B'), parseExpr('C || D')]))).toBe('A && B && (C || D)');
    expect(showExpr(andAll([]))).toBe('y');
    expect(showExpr(orAny([parseExpr('A'), parseExpr('B || A')]))).toBe('A || B');
    expect(showExpr(orAny([parseExpr('A'), sym('y')]))).toBe('y');
    expect(showExpr(orAny([]))).toBe('n');
  });

  it('prints hand-built nested conjunctions without needless parentheses', () => {
    expect(showExpr({ k: 'and', terms: [{ k: 'and', terms: [sym('A'), sym('B')] }, sym('C')] })).toBe('A && B && C');
    expect(showExpr({ k: 'or', terms: [{ k: 'or', terms: [sym('A'), sym('B')] }, sym('C')] })).toBe('A || B || C');
  });

  it('lists symbols, not constants', () => {
    expect(symbolsIn(parseExpr('A && !(B || A) && C = y && m'))).toEqual(['A', 'B', 'C']);
  });
});
