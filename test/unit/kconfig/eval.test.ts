// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/kconfig/config.js';
import { configEnv, evalTri, unmetTerms } from '../../../src/lib/kconfig/eval.js';
import { parseExpr } from '../../../src/lib/kconfig/expr.js';

const final = parseConfig(
  ['CONFIG_MODULES=y', 'CONFIG_Y=y', 'CONFIG_M=m', '# CONFIG_N is not set', 'CONFIG_NR=8', 'CONFIG_HEX=0x20', 'CONFIG_S="x86_64"'].join('\n'),
).config;
const known = new Set(['MODULES', 'Y', 'M', 'N', 'ABSENT', 'NR', 'HEX', 'S']);
const env = configEnv(final, (n) => known.has(n));
const ev = (t: string) => ['n', 'm', 'y'][evalTri(parseExpr(t), env)];

describe('evalTri', () => {
  it.each([
    ['Y', 'y'],
    ['M', 'm'],
    ['N', 'n'],
    ['ABSENT', 'n'],
    ['UNDEFINED_SYMBOL', 'n'],
    ['y', 'y'],
    ['m', 'm'],
    ['n', 'n'],
    ['!Y', 'n'],
    ['!M', 'm'],
    ['!N', 'y'],
    ['Y && M', 'm'],
    ['Y || M', 'y'],
    ['M || N', 'm'],
    ['N && Y', 'n'],
    ['!(N || M)', 'm'],
    ['M = m', 'y'],
    ['M = y', 'n'],
    ['M != y', 'y'],
    ['N = n', 'y'],
    ['ABSENT = n', 'y'],
    ['NR = 8', 'y'],
    ['NR >= 4', 'y'],
    ['NR < 4', 'n'],
    ['HEX = 0x020', 'y'],
    ['HEX > 16', 'y'],
    ['S = "x86_64"', 'y'],
    ['S = "x86"', 'n'],
    ['"x86_64" = "x86"', 'n'],
    ['$(cc-option,-fno-foo)', 'y'],
    ['$(cc-option,-fno-foo) && N', 'n'],
  ])('%s is %s', (text, want) => expect(ev(text)).toBe(want));

  it('counts m as n when CONFIG_MODULES is off', () => {
    const noMod = configEnv(parseConfig('CONFIG_M=m\n').config, () => true);
    expect(evalTri(parseExpr('M'), noMod)).toBe(0);
    expect(evalTri(parseExpr('m'), noMod)).toBe(0);
  });
});

describe('unmetTerms', () => {
  const unmet = (t: string, need: 0 | 1 | 2) => unmetTerms(parseExpr(t), env, need).map((u) => `${u.expr}=${u.value}[${u.symbols.map((s) => `${s.name}:${s.value}`).join(',')}]`);

  it.each([
    ['Y && N && ABSENT', 1, ['N=n[N:n]', 'ABSENT=n[ABSENT:n]']],
    ['Y && M', 2, ['M=m[M:m]']],
    ['Y && M', 1, []],
    ['Y && (N || ABSENT)', 1, ['N || ABSENT=n[N:n,ABSENT:n]']],
    ['Y && !Y', 1, ['!Y=n[Y:y]']],
    ['(Y && (N && M)) && NR < 4', 1, ['N=n[N:n]', 'NR < 4=n[NR:8]']],
    ['S = "x86"', 1, ['S = "x86"=n[S:x86_64]']],
    ['Y', 2, []],
  ] as const)('%s (need %s)', (text, need, want) => expect(unmet(text, need)).toEqual(want));
});
