// SPDX-License-Identifier: GPL-2.0-only
/**
 * The Kconfig reader on the whole real trees: the e2e fixtures k61 and k612 (Debian 6.1
 * and 6.12 imported by kseries; read in their checkouts, nothing written). The same
 * questions as the unit test asks of the committed excerpts, and what differs between
 * the two for every symbol kseries requests.
 */
import { choiceOf, effectiveDependsText, hasPrompt, hasSymbol } from '../../src/lib/kconfig/kconfig-db.js';
import { ensureK612, k61Repo } from '../helpers/e2e-fixtures.js';
import { dbOf, describeKconfigFacts } from '../helpers/kconfig-facts.js';

const K61 = k61Repo();
let k612 = '';

beforeAll(async () => {
  k612 = (await ensureK612()).repo;
});

describeKconfigFacts('6.1', 'real tree (Debian import)', () => K61, true);
describeKconfigFacts('6.12', 'real tree (Debian import)', () => k612, true);

/**
 * What differs between 6.1 and 6.12 for every symbol kseries asks for (our fragments and
 * the selftests' config files), read from the real trees: the report the 6.12 kconfig e2e relies on.
 */
describe('6.1 vs 6.12 for the symbols we request', () => {
  it.each([
    ['MEMORY_HOTPLUG_DEFAULT_ONLINE', 'exists', 'absent: replaced by the MHP_DEFAULT_ONLINE_TYPE_* choice'],
    ['MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE', 'absent', 'in choice "Memory Hotplug Default Online Type"'],
    ['SLOB', 'in choice "Choose SLAB allocator"', 'absent (SLOB was removed)'],
    ['SLUB', 'in choice "Choose SLAB allocator"', 'no prompt (def_bool, the only allocator)'],
    ['SLUB_TINY', 'absent', 'exists: tinyconfig turns it on, and KASAN and SLUB_DEBUG need it off'],
    ['KASAN', 'depends on SLUB && SYSFS || SLAB && !DEBUG_SLAB', 'depends on SYSFS && !SLUB_TINY'],
    ['ACPI_NUMA', 'has a prompt', 'no prompt: only X86_64_ACPI_NUMA selects it'],
  ])('%s: 6.1 %s; 6.12 %s', (symbol) => {
    const [a, b] = [dbOf(K61), dbOf(k612)];
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
    const { readCatalog } = await import('../../src/lib/kconfig/fragments.js');
    const { kconfigRoot } = await import('../../src/lib/paths.js');
    const cat = readCatalog(kconfigRoot());
    const asked = [cat.feature, cat.debug, ...Object.values(cat.platform)].flatMap((f) => [...f.config.keys()]);
    const differing = ['SLUB', 'SLUB_TINY', 'KASAN', 'ACPI_NUMA', 'SLUB_DEBUG', 'DEBUG_LIST', 'FS_DAX'];
    const [a, b] = [dbOf(K61), dbOf(k612)];
    const diff = [...new Set(asked)].filter((s) => effectiveDependsText(a, s) !== effectiveDependsText(b, s) || hasPrompt(a, s) !== hasPrompt(b, s));
    expect(diff.sort()).toEqual(differing.sort());
    // The rest exist in both.
    for (const s of asked.filter((x) => !differing.includes(x))) expect([s, hasSymbol(a, s), hasSymbol(b, s)]).toEqual([s, true, true]);
  });
});
