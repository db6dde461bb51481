// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Kconfig reader, on committed excerpts of the 6.1 and 6.12 trees (the whole real
 * trees: test/e2e/kconfig-reader.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readKconfig, splitIf } from '../../../src/lib/kconfig/kconfig-reader.js';
import { choiceOf, effectiveDependsText, hasPrompt, hasSymbol } from '../../../src/lib/kconfig/kconfig-db.js';
import { showExpr } from '../../../src/lib/kconfig/expr.js';
import { describeKconfigFacts } from '../../helpers/kconfig-facts.js';
import { fixtureTree } from './helpers.js';

describe('splitIf', () => {
  it.each([
    ['y', 'y', null],
    ['y if X86_64', 'y', 'X86_64'],
    ['"64-bit kernel" if "$(ARCH)" = "x86"', '"64-bit kernel"', '"$(ARCH)" = "x86"'],
    ['"a if b" if C', '"a if b"', 'C'],
    ['(A if B) if C', '(A if B)', 'C'],
    ['NUMA_KEEP_MEMINFO if (NUMA && X86)', 'NUMA_KEEP_MEMINFO', '(NUMA && X86)'],
    ['ifdef', 'ifdef', null],
  ])('%s', (s, head, cond) => expect(splitIf(s)).toEqual({ head, cond }));
});

describe('readKconfig on an in-memory tree', () => {
  const files: Record<string, string> = {
    Kconfig: [
      'source "arch/$(SRCARCH)/Kconfig"',
      'menu "Outer"',
      '\tdepends on OUTER',
      'if IFDEP',
      'choice',
      '\tprompt "Pick one"',
      '\tdepends on CHOICEDEP',
      '\tdefault P1',
      'config P1',
      '\tbool "p1"',
      'config P2',
      '\tbool "p2"',
      'endchoice',
      'config INNER',
      '\ttristate "inner"',
      '\tdepends on OWN',
      '\tselect HELPER if COND',
      '\timply SOFT',
      '\tdefault m if M_DEFAULT',
      '\trange 1 8',
      'endif',
      'endmenu',
      'rsource "sub/Kconfig"',
      'osource "does/not/exist"',
      'source "missing/Kconfig"',
      'comment "c"',
      '\tdepends on COMMENTDEP',
      'cc-option = $(success,true)',
      'cfg := $(shell,echo y)',
      '$(error-if,$(failure,true),never)',
    ].join('\n'),
    'arch/x86/Kconfig': 'config 64BIT\n\tbool "64-bit kernel" if "$(ARCH)" = "x86"\n\tdefault "$(ARCH)" != "i386"\nconfig ARCHSYM\n\tdef_bool y\n',
    'sub/Kconfig': 'config INNER\n\tbool\n\tdepends on SECOND\nconfig HELPER\n\tbool\nconfig BAD\n\tdepends on (oops\n',
  };
  const db = readKconfig((p) => files[p] ?? null, { srcarch: 'x86', arch: 'x86_64' });

  it('follows source with $(SRCARCH), rsource relative to the file, osource optionally', () => {
    expect(db.files).toEqual(['Kconfig', 'arch/x86/Kconfig', 'sub/Kconfig']);
    expect(db.issues.map((i) => `${i.file}:${i.line}: ${i.message}`)).toEqual([
      'sub/Kconfig:7: missing ")" in "(oops"',
      'Kconfig:25: sourced file missing/Kconfig does not exist',
    ]);
  });

  it('adds enclosing menu, if and choice dependencies', () => {
    expect(showExpr(db.symbols.get('P1')!.definitions[0].inherited.map((i) => i.expr).reduce((a, b) => ({ k: 'and', terms: [a, b] })))).toBe(
      'OUTER && IFDEP && CHOICEDEP',
    );
    expect(effectiveDependsText(db, 'P1')).toBe('OUTER && IFDEP && CHOICEDEP');
    expect(db.symbols.get('P1')!.definitions[0].inherited.map((i) => `${i.kind}:${i.label}`)).toEqual(['menu:menu "Outer"', 'if:if IFDEP', 'choice:choice "Pick one"']);
  });

  it('or-s the dependencies of multiple definitions', () => {
    expect(effectiveDependsText(db, 'INNER')).toBe('OUTER && IFDEP && OWN || SECOND');
    expect(db.symbols.get('INNER')!.type).toBe('tristate');
  });

  it('knows choices, prompts, selects, implies, defaults and ranges', () => {
    expect(choiceOf(db, 'P2')).toMatchObject({ prompt: 'Pick one', members: ['P1', 'P2'] });
    expect(choiceOf(db, 'INNER')).toBeNull();
    expect(hasPrompt(db, 'INNER')).toBe(true);
    expect(hasPrompt(db, 'HELPER')).toBe(false);
    expect(db.selectedBy.get('HELPER')!.map((r) => [r.by, r.cond && showExpr(r.cond), r.imply])).toEqual([['INNER', 'COND', false]]);
    expect(db.selectedBy.get('SOFT')!.map((r) => [r.by, r.imply])).toEqual([['INNER', true]]);
    const d = db.symbols.get('INNER')!.definitions[0];
    expect(d.defaults.map((x) => [showExpr(x.value), x.cond && showExpr(x.cond)])).toEqual([['m', 'M_DEFAULT']]);
    expect(d.ranges).toEqual([{ lo: '1', hi: '8', cond: null }]);
  });

  it('expands $(ARCH) in prompts and defaults, and reads def_bool', () => {
    const d = db.symbols.get('64BIT')!.definitions[0];
    expect(d.prompts.map((p) => [p.text, p.cond && showExpr(p.cond)])).toEqual([['64-bit kernel', '"x86_64" = "x86"']]);
    expect(showExpr(d.defaults[0].value)).toBe('"x86_64" != "i386"');
    expect(db.symbols.get('ARCHSYM')).toMatchObject({ type: 'bool' });
    expect(hasSymbol(db, 'COMMENTDEP')).toBe(false);
  });
});

/** The same questions as test/e2e/kconfig-reader.test.ts asks of the whole real trees. */
for (const v of ['6.1', '6.12'] as const) describeKconfigFacts(v, 'excerpt', () => fixtureTree(v), false);
