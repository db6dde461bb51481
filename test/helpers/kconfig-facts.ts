// SPDX-License-Identifier: GPL-2.0-only
/**
 * What the Kconfig reader must find in Linux 6.1 and 6.12: asked of the committed excerpts
 * (test/unit/kconfig/kconfig-reader.test.ts) and of the whole real trees, the Debian
 * imports of the e2e fixtures (test/e2e/kconfig-reader.test.ts).
 */
import { readKconfig } from '../../src/lib/kconfig/kconfig-reader.js';
import { choiceOf, effectiveDependsText, hasPrompt, hasSymbol, type KconfigDb } from '../../src/lib/kconfig/kconfig-db.js';
import { showExpr } from '../../src/lib/kconfig/expr.js';
import { treeFileReader } from '../../src/lib/kconfig/tree-files.js';

const cache = new Map<string, KconfigDb>();
/** The Kconfig database of the tree in DIR (x86_64), read once per test file. */
export function dbOf(dir: string): KconfigDb {
  let db = cache.get(dir);
  if (!db) cache.set(dir, (db = readKconfig(treeFileReader(dir), { srcarch: 'x86', arch: 'x86_64', macros: { KERNELVERSION: 'test' } })));
  return db;
}

/** The same questions, asked of the committed excerpts (unit) and of the real trees (e2e). */
export const TABLE: Array<[string, { '6.1': string | null; '6.12': string | null }]> = [
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

/**
 * The questions of TABLE and a few more, as a describe block on the tree in dir() (a getter: an
 * e2e fixture is only known once made). REAL: a whole tree, with thousands of files and symbols.
 */
export function describeKconfigFacts(v: '6.1' | '6.12', title: string, dir: () => string, real: boolean): void {
  describe(`Linux ${v} ${title}`, () => {
    it('reads without issues', () => {
      const db = dbOf(dir());
      expect(db.issues).toEqual([]);
      if (real) {
        expect(db.files.length).toBeGreaterThan(1000);
        expect(db.symbols.size).toBeGreaterThan(15000);
      }
    });

    it.each(TABLE)('%s', (symbol, want) => {
      const db = dbOf(dir());
      expect(hasSymbol(db, symbol)).toBe(want[v] !== null);
      expect(effectiveDependsText(db, symbol)).toBe(want[v]);
    });

    it(v === '6.1' ? 'has MEMORY_HOTPLUG_DEFAULT_ONLINE, a plain bool' : 'has the MHP_DEFAULT_ONLINE_TYPE_* choice instead of MEMORY_HOTPLUG_DEFAULT_ONLINE', () => {
      const db = dbOf(dir());
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
      const ch = choiceOf(dbOf(dir()), 'TRANSPARENT_HUGEPAGE_MADVISE')!;
      expect(ch.prompt).toBe('Transparent Hugepage Support sysfs defaults');
      expect(ch.members.slice(0, 2)).toEqual(['TRANSPARENT_HUGEPAGE_ALWAYS', 'TRANSPARENT_HUGEPAGE_MADVISE']);
    });

    it('records who selects the arch helpers', () => {
      const db = dbOf(dir());
      expect(db.selectedBy.get('ARCH_ENABLE_MEMORY_HOTPLUG')!.map((r) => r.by)).toContain('X86');
      expect(hasPrompt(db, 'ARCH_ENABLE_MEMORY_HOTPLUG')).toBe(false);
    });
  });
}
