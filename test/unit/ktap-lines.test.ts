// SPDX-License-Identifier: GPL-2.0-only
import { classify, consoleLines, dedent, findStart, indentWidth } from '../../src/lib/ktap/lines.js';

describe('KTAP console lines', () => {
  it.each([
    ['[   12.345678] ok 1 a', 'ok 1 a', true],
    ['[    0.060000][    T1] \t# Subtest: x', '\t# Subtest: x', true],
    ['[    1.000000][    C0] hi', 'hi', true],
    ['ok 1 a\r', 'ok 1 a', false],
    ['\x1b[1;31mnot ok 2 b\x1b[0m', 'not ok 2 b', false],
    ['10%\r55%\r100%', '100%', false],
    ['a\x00b\x07c\td', 'abc\td', false],
    ['[12.3] not a printk stamp', '[12.3] not a printk stamp', false],
  ])('%j -> %j', (raw, text, kernel) => {
    const [l] = consoleLines(raw);
    expect(l.text).toBe(text);
    expect(l.kernel).toBe(kernel);
  });

  it('measures and removes indentation (a tab is one 4-column level)', () => {
    expect(indentWidth('\t\tok')).toBe(8);
    expect(indentWidth('    ok')).toBe(4);
    expect(dedent('\t  x', 4)).toBe('  x');
    expect(dedent('  x', 8)).toBe('x');
  });

  it('classifies lines', () => {
    expect(['KTAP version 1', 'TAP version 13', '1..4', '1..0 # SKIP why', 'not ok 3 x', '# Subtest: s', 'Bail out! no', '# ok 1 x', 'ok'].map(classify)).toEqual([
      'version',
      'version',
      'plan',
      'plan',
      'result',
      'subtest',
      'bail',
      'other',
      'other',
    ]);
  });

  it('finds the start and the console prefix, never a nested "# TAP version"', () => {
    expect(findStart(consoleLines('boot\n# TAP version 13\n TAP version 14\n'))).toEqual({ index: 2, prefix: ' ' });
    expect(findStart(consoleLines('boot\nkunit: KTAP version 1\n'))).toEqual({ index: 1, prefix: 'kunit: ' });
    expect(findStart(consoleLines('boot\n1..2\nok 1 a\n'))).toEqual({ index: 1, prefix: '' });
    expect(findStart(consoleLines('boot\nno tests\n'))).toBeNull();
  });
});
