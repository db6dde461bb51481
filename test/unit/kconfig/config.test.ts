// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import {
  checkSubset,
  configLine,
  diffConfigs,
  formatConfig,
  mergeConfigs,
  missingSymbols,
  parseConfig,
  sameValue,
  valueOf,
} from '../../../src/lib/kconfig/config.js';

const cfg = (text: string, source = 't') => parseConfig(text, source).config;

describe('parseConfig', () => {
  it('reads every kind of value and "is not set"', () => {
    const { config, issues } = parseConfig(
      [
        '#',
        '# Automatically generated file; DO NOT EDIT.',
        'CONFIG_A=y',
        'CONFIG_B=m',
        '# CONFIG_C is not set',
        'CONFIG_D="console=ttyS0 \\"quoted\\""',
        'CONFIG_E=123',
        'CONFIG_F=0x1000',
        'CONFIG_G=-1',
        '',
        '   CONFIG_H=y   ',
      ].join('\n'),
      'frag',
    );
    expect(issues).toEqual([]);
    expect([...config.values()].map((e) => [e.symbol, e.value, e.line])).toEqual([
      ['A', 'y', 3],
      ['B', 'm', 4],
      ['C', 'n', 5],
      ['D', '"console=ttyS0 \\"quoted\\""', 6],
      ['E', '123', 7],
      ['F', '0x1000', 8],
      ['G', '-1', 9],
      ['H', 'y', 11],
    ]);
    expect(config.get('A')!.source).toBe('frag');
  });

  it.each([
    ['CONFIG_A=yes', 'unexpected value "yes"'],
    ['CONFIG_A="unterminated', 'unexpected value'],
    ['DEV_DAX=y', 'not a Kconfig assignment'],
    ['CONFIG_A y', 'not a Kconfig assignment'],
  ])('reports %j', (line, msg) => {
    const { issues } = parseConfig(line, 'f');
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toContain(msg);
    expect(issues[0].line).toBe(1);
  });

  it('keeps the last of repeated assignments and reports the repeat', () => {
    const p = parseConfig('CONFIG_A=y\nCONFIG_B=y\n# CONFIG_A is not set\n');
    expect(valueOf(p.config, 'A')).toBe('n');
    expect([...p.config.keys()]).toEqual(['B', 'A']);
    expect(p.repeats.map((r) => [r.symbol, r.first.line, r.last.line])).toEqual([['A', 1, 3]]);
  });

  it('does not take comments that merely mention a symbol for "not set"', () => {
    expect(cfg('# CONFIG_A is cool\n# see CONFIG_B is not set for details\n').size).toBe(0);
  });
});

describe('printing', () => {
  it('round-trips', () => {
    const text = 'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x"\nCONFIG_D=0x10\n';
    expect(formatConfig(cfg(text))).toBe(text);
    expect(configLine('X', 'n')).toBe('# CONFIG_X is not set');
    expect(configLine('X', 'm')).toBe('CONFIG_X=m');
  });
});

describe('mergeConfigs', () => {
  it('lets a later value win and reports real changes only', () => {
    const { config, overrides } = mergeConfigs(cfg('CONFIG_A=y\nCONFIG_B=y\nCONFIG_N=0x10\n', 'one'), cfg('CONFIG_A=m\nCONFIG_B=y\nCONFIG_C=y\nCONFIG_N=0x0010\n', 'two'));
    expect([...config.values()].map((e) => `${e.symbol}=${e.value}@${e.source}`)).toEqual(['A=m@two', 'B=y@two', 'N=0x0010@two', 'C=y@two']);
    expect(overrides.map((o) => `${o.symbol}:${o.from.value}@${o.from.source}->${o.to.value}@${o.to.source}`)).toEqual(['A:y@one->m@two']);
  });

  it('merges nothing into nothing', () => {
    expect(mergeConfigs().config.size).toBe(0);
  });
});

describe('sameValue', () => {
  it.each([
    ['y', 'y', true],
    ['y', 'm', false],
    ['16', '016', true],
    ['0x10', '0x0010', true],
    ['0x10', '16', false],
    ['"a"', '"a"', true],
    ['"a"', 'a', false],
  ])('%s vs %s', (a, b, eq) => expect(sameValue(a, b)).toBe(eq));
});

describe('diffConfigs', () => {
  it('lists added, removed and changed symbols', () => {
    const d = diffConfigs(cfg('CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\n'), cfg('CONFIG_A=y\nCONFIG_C=m\nCONFIG_D=y\n'));
    expect(d.added.map((e) => e.symbol)).toEqual(['D']);
    expect(d.removed.map((e) => e.symbol)).toEqual(['B']);
    expect(d.changed).toEqual([{ symbol: 'C', before: 'n', after: 'm' }]);
  });
});

describe('checkSubset', () => {
  const requested = cfg('CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n# CONFIG_GONE is not set\nCONFIG_D=y\nCONFIG_E="x"\nCONFIG_F=y\n', 'req');
  const final = cfg('CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\n# CONFIG_D is not set\nCONFIG_E="x"\n', '.config');

  it('sorts every requested symbol into held, absent-but-not-set, or dropped', () => {
    const r = checkSubset(requested, final);
    expect(r.held.map((e) => e.symbol)).toEqual(['A', 'C', 'E']);
    expect(r.absentNotSet.map((e) => e.symbol)).toEqual(['GONE']);
    expect(r.dropped.map((d) => [d.requested.symbol, d.requested.value, d.actual, d.present])).toEqual([
      ['B', 'm', 'y', true],
      ['D', 'y', 'n', true],
      ['F', 'y', 'n', false],
    ]);
  });

  it('names the requested symbols the final config does not mention', () => {
    expect(missingSymbols(requested, final).map((e) => e.symbol)).toEqual(['GONE', 'F']);
  });
});
