// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { kconfigLines, stripComment } from '../../../src/lib/kconfig/kconfig-lines.js';

const kw = (text: string) => kconfigLines(text, 'K').map((l) => `${l.line}:${l.keyword}|${l.rest}`);

describe('kconfigLines', () => {
  it('splits statements and drops comments', () => {
    expect(kw('# comment\nconfig A\n\tbool "A # not a comment" # a comment\n\tdepends on B\n')).toEqual([
      '2:config|A',
      '3:bool|"A # not a comment"',
      '4:depends|on B',
    ]);
  });

  it('joins continued lines', () => {
    expect(kw('config A\n\tdepends on B && \\\n\t\tC\n\tdefault y\n')).toEqual(['1:config|A', '2:depends|on B && \t\tC', '4:default|y']);
  });

  it('skips help texts, however they are indented and whatever words they contain', () => {
    const text = [
      'config A',
      '\tbool "a"',
      '\thelp',
      '\t  source "this/is/prose"',
      '',
      '\t  config NOT_A_SYMBOL',
      'config B',
      '\t---help---',
      '\t  text',
      '\tdepends on A', // less indented than the help text: the help ends
      '  config C', // the THP choice style: members indented, help less indented than the text
      '    bool "c"',
      '  help',
      '    prose',
      '  config D',
      'config E',
      '\thelp',
      'config F', // an empty help
    ].join('\n');
    expect(kw(text)).toEqual(['1:config|A', '2:bool|"a"', '7:config|B', '10:depends|on A', '11:config|C', '12:bool|"c"', '15:config|D', '16:config|E', '18:config|F']);
  });

  it('strips comments outside quotes only', () => {
    expect(stripComment('prompt "a#b" # c')).toBe('prompt "a#b" ');
    expect(stripComment("prompt 'it''s' # c")).toBe("prompt 'it''s' ");
  });
});
