// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Kconfig reader, on committed excerpts of the 6.1 and 6.12 trees (always), and on
 * the whole real trees when this machine has them (/work/ref: skipped elsewhere).
 */
import { describe, expect, it } from 'vitest';
import { readKconfig, splitIf } from '../../../src/lib/kconfig/kconfig-reader.js';
import { choiceOf, effectiveDependsText, hasPrompt, hasSymbol } from '../../../src/lib/kconfig/kconfig-db.js';
import { showExpr } from '../../../src/lib/kconfig/expr.js';
import { dbOf, fixtureTree, hasRef, REF_TREES } from './helpers.js';

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

/** The same questions, asked of the committed excerpts and (when present) of the real trees. */
const TABLE: Array<[string, { '6.1': string | null; '6.12': string | null }]> = [
  ['DEV_DAX_KMEM', { '6.1': 'DAX && DEV_DAX && MEMORY_HOTPLUG', '6.12': 'DAX && DEV_DAX && MEMORY_HOTPLUG' }],
  ['DEV_DAX', { '6.1': 'DAX && TRANSPARENT_HUGEPAGE', '6.12': 'DAX && TRANSPARENT_HUGEPAGE' }],
  ['DEV_DAX_PMEM', { '6.1': 'DAX && LIBNVDIMM && NVDIMM_DAX && DEV_DAX', '6.12': 'DAX && LIBNVDIMM && NVDIMM_DAX && DEV_DAX' }],
  ['DEV_DAX_HMEM_DEVICES', { '6.1': 'DAX && DEV_DAX_HMEM && DAX = y', '6.12': 'DAX && DEV_DAX_HMEM' }],
  ['DEV_DAX_CXL', { '6.1': null, '6.12': 'DAX && CXL_BUS && CXL_REGION && DEV_DAX' }],
  ['ZONE_DEVICE', { '6.1': 'MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP', '6.12': 'MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP' }],
  ['MEMORY_HOTPLUG', { '6.1': 'SPARSEMEM && ARCH_ENABLE_MEMORY_HOTPLUG && 64BIT', '6.12': 'SPARSEMEM && ARCH_ENABLE_MEMORY_HOTPLUG && 64BIT' }],
  ['MEMORY_HOTREMOVE', { '6.1': 'MEMORY_HOTPLUG && ARCH_ENABLE_MEMORY_HOTREMOVE && MIGRATION', '6.12': 'MEMORY_HOTPLUG && ARCH_ENABLE_MEMORY_HOTREMOVE && MIGRATION' }],
  ['MEMORY_HOTPLUG_DEFAULT_ONLINE', { '6.1': 'MEMORY_HOTPLUG', '6.12': null }],
  ['MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE', { '6.1': null, '6.12': 'MEMORY_HOTPLUG' }],
  ['TRANSPARENT_HUGEPAGE', { '6.1': 'HAVE_ARCH_TRANSPARENT_HUGEPAGE && !PREEMPT_RT', '6.12': 'HAVE_ARCH_TRANSPARENT_HUGEPAGE && !PREEMPT_RT' }],
  ['MIGRATION', { '6.1': '(NUMA || ARCH_ENABLE_MEMORY_HOTREMOVE || COMPACTION || CMA) && MMU', '6.12': '(NUMA || ARCH_ENABLE_MEMORY_HOTREMOVE || COMPACTION || CMA) && MMU' }],
  ['NUMA', { '6.1': 'SMP && (X86_64 || X86_32 && HIGHMEM64G && X86_BIGSMP)', '6.12': 'SMP && (X86_64 || X86_32 && HIGHMEM64G && X86_BIGSMP)' }],
  ['64BIT', { '6.1': 'y', '6.12': 'y' }],
  ['DEV_DAX_KMEM_PERSIST', { '6.1': null, '6.12': null }],
];

for (const v of ['6.1', '6.12'] as const) {
  for (const [label, dir, skip] of [
    ['excerpt', fixtureTree(v), false],
    ['real tree', REF_TREES[v], !hasRef(v)],
  ] as const) {
    describe.skipIf(skip)(`Linux ${v} ${label}${skip ? ` (skipped: ${dir} is absent on this machine)` : ''}`, () => {
      it('reads without issues', () => {
        const db = dbOf(dir);
        expect(db.issues).toEqual([]);
        if (label === 'real tree') {
          expect(db.files.length).toBeGreaterThan(1000);
          expect(db.symbols.size).toBeGreaterThan(15000);
        }
      });

      it.each(TABLE)('%s', (symbol, want) => {
        const db = dbOf(dir);
        expect(hasSymbol(db, symbol)).toBe(want[v] !== null);
        expect(effectiveDependsText(db, symbol)).toBe(want[v]);
      });

      it(v === '6.1' ? 'has MEMORY_HOTPLUG_DEFAULT_ONLINE, a plain bool' : 'has the MHP_DEFAULT_ONLINE_TYPE_* choice instead of MEMORY_HOTPLUG_DEFAULT_ONLINE', () => {
        const db = dbOf(dir);
        if (v === '6.1') {
          expect(db.symbols.get('MEMORY_HOTPLUG_DEFAULT_ONLINE')!.type).toBe('bool');
          expect(choiceOf(db, 'MEMORY_HOTPLUG_DEFAULT_ONLINE')).toBeNull();
        } else {
          const ch = choiceOf(db, 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE')!;
          expect(ch.prompt).toBe('Memory Hotplug Default Online Type');
          expect(ch.members).toEqual([
            'MHP_DEFAULT_ONLINE_TYPE_OFFLINE',
            'MHP_DEFAULT_ONLINE_TYPE_ONLINE_AUTO',
            'MHP_DEFAULT_ONLINE_TYPE_ONLINE_KERNEL',
            'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE',
          ]);
          expect(ch.defaults.map((d) => showExpr(d.value))).toEqual(['MHP_DEFAULT_ONLINE_TYPE_OFFLINE']);
          // The choice sits inside `if MEMORY_HOTPLUG`.
          expect(ch.inherited.map((i) => i.label)).toContain('if MEMORY_HOTPLUG');
        }
      });

      it('puts the THP sysfs defaults in a choice whose members are indented', () => {
        const ch = choiceOf(dbOf(dir), 'TRANSPARENT_HUGEPAGE_MADVISE')!;
        expect(ch.prompt).toBe('Transparent Hugepage Support sysfs defaults');
        expect(ch.members.slice(0, 2)).toEqual(['TRANSPARENT_HUGEPAGE_ALWAYS', 'TRANSPARENT_HUGEPAGE_MADVISE']);
      });

      it('records who selects the arch helpers', () => {
        const db = dbOf(dir);
        expect(db.selectedBy.get('ARCH_ENABLE_MEMORY_HOTPLUG')!.map((r) => r.by)).toContain('X86');
        expect(hasPrompt(db, 'ARCH_ENABLE_MEMORY_HOTPLUG')).toBe(false);
      });
    });
  }
}

/**
 * What differs between 6.1 and 6.12 for every symbol kseries asks for (our fragments and
 * the selftests' config files), read from the real trees: the report the 6.12 e2e check relies on.
 */
describe.skipIf(!hasRef('6.1') || !hasRef('6.12'))(
  `6.1 vs 6.12 for the symbols we request${!hasRef('6.1') || !hasRef('6.12') ? ' (skipped: /work/ref trees absent)' : ''}`,
  () => {
    it.each([
      ['MEMORY_HOTPLUG_DEFAULT_ONLINE', 'exists', 'absent: replaced by the MHP_DEFAULT_ONLINE_TYPE_* choice'],
      ['MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE', 'absent', 'in choice "Memory Hotplug Default Online Type"'],
      ['SLOB', 'in choice "Choose SLAB allocator"', 'absent (SLOB was removed)'],
      ['SLUB', 'in choice "Choose SLAB allocator"', 'no prompt (def_bool, the only allocator)'],
      ['SLUB_TINY', 'absent', 'exists: tinyconfig turns it on, and KASAN and SLUB_DEBUG need it off'],
      ['KASAN', 'depends on SLUB && SYSFS || SLAB && !DEBUG_SLAB', 'depends on SYSFS && !SLUB_TINY'],
      ['ACPI_NUMA', 'has a prompt', 'no prompt: only X86_64_ACPI_NUMA selects it'],
    ])('%s: 6.1 %s; 6.12 %s', (symbol) => {
      const [a, b] = [dbOf(REF_TREES['6.1']), dbOf(REF_TREES['6.12'])];
      const facts = (db: typeof a) => ({
        exists: hasSymbol(db, symbol),
        choice: choiceOf(db, symbol)?.prompt ?? null,
        prompt: hasPrompt(db, symbol),
        depends: effectiveDependsText(db, symbol),
      });
      const [fa, fb] = [facts(a), facts(b)];
      expect(fa).not.toEqual(fb);
      const expected: Record<string, [Partial<typeof fa>, Partial<typeof fb>]> = {
        MEMORY_HOTPLUG_DEFAULT_ONLINE: [{ exists: true }, { exists: false }],
        MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE: [{ exists: false }, { exists: true, choice: 'Memory Hotplug Default Online Type' }],
        SLOB: [{ exists: true, choice: 'Choose SLAB allocator' }, { exists: false }],
        SLUB: [{ choice: 'Choose SLAB allocator', prompt: true }, { choice: null, prompt: false }],
        SLUB_TINY: [{ exists: false }, { exists: true, prompt: true }],
        KASAN: [{ prompt: true }, { prompt: true }],
        ACPI_NUMA: [{ prompt: true }, { prompt: false }],
      };
      expect(fa).toMatchObject(expected[symbol][0]);
      expect(fb).toMatchObject(expected[symbol][1]);
      if (symbol === 'KASAN') {
        expect(fa.depends).toMatch(/&& \(SLUB && SYSFS \|\| SLAB && !DEBUG_SLAB\)$/);
        expect(fb.depends).toMatch(/&& SYSFS && !SLUB_TINY$/);
      }
    });

    it('everything else our fragments ask for exists in both trees with the same dependencies', async () => {
      const { readCatalog } = await import('../../../src/lib/kconfig/fragments.js');
      const { kconfigRoot } = await import('../../../src/lib/paths.js');
      const cat = readCatalog(kconfigRoot());
      const asked = [cat.feature, cat.debug, ...Object.values(cat.platform)].flatMap((f) => [...f.config.keys()]);
      const differing = ['SLUB', 'SLUB_TINY', 'KASAN', 'ACPI_NUMA', 'SLUB_DEBUG', 'DEBUG_LIST', 'FS_DAX'];
      const [a, b] = [dbOf(REF_TREES['6.1']), dbOf(REF_TREES['6.12'])];
      const diff = [...new Set(asked)].filter((s) => effectiveDependsText(a, s) !== effectiveDependsText(b, s) || hasPrompt(a, s) !== hasPrompt(b, s));
      expect(diff.sort()).toEqual(differing.sort());
      // The rest exist in both.
      for (const s of asked.filter((x) => !differing.includes(x))) expect([s, hasSymbol(a, s), hasSymbol(b, s)]).toEqual([s, true, true]);
    });
  },
);
