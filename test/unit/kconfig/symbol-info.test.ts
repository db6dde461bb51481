// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/kconfig/config.js';
import { renderSymbolInfo, symbolInfo } from '../../../src/lib/kconfig/symbol-info.js';
import { dbOf, fixtureTree } from './helpers.js';

describe('symbolInfo', () => {
  it('describes a symbol, and with a .config its value and unmet terms', () => {
    const db = dbOf(fixtureTree('6.12'));
    const config = parseConfig('CONFIG_DAX=y\n# CONFIG_DEV_DAX is not set\n# CONFIG_MEMORY_HOTPLUG is not set\n').config;
    const r = symbolInfo(db, 'CONFIG_DEV_DAX_KMEM', config);
    expect(r).toMatchObject({ symbol: 'DEV_DAX_KMEM', exists: true, type: 'tristate', depends: 'DAX && DEV_DAX && MEMORY_HOTPLUG', value: 'n', choice: null });
    expect(r.unmet!.map((u) => u.expr)).toEqual(['DEV_DAX', 'MEMORY_HOTPLUG']);
    expect(r.definitions).toEqual([
      { at: 'drivers/dax/Kconfig:64', prompts: ['"KMEM DAX: map dax-devices as System-RAM"'], depends: 'DAX && DEV_DAX && MEMORY_HOTPLUG', inherited: ['if DAX (drivers/dax/Kconfig:6)'] },
    ]);
    expect(renderSymbolInfo(r).split('\n').slice(0, 3)).toEqual([
      'CONFIG_DEV_DAX_KMEM (tristate) = n',
      '  depends on: DAX && DEV_DAX && MEMORY_HOTPLUG',
      '  unmet:      DEV_DAX (DEV_DAX=n); MEMORY_HOTPLUG (MEMORY_HOTPLUG=n)',
    ]);
  });

  it('names the choice and the selects', () => {
    const db = dbOf(fixtureTree('6.12'));
    const r = symbolInfo(db, 'MHP_DEFAULT_ONLINE_TYPE_OFFLINE', null);
    expect(r.choice).toMatchObject({ prompt: 'Memory Hotplug Default Online Type', members: expect.arrayContaining(['MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE']) });
    expect(r.value).toBeNull();
    expect(symbolInfo(db, 'ARCH_HAS_PTE_DEVMAP', null).selectedBy).toEqual([{ by: 'X86', cond: 'X86_64', imply: false, at: expect.stringMatching(/^arch\/x86\/Kconfig:\d+$/) }]);
  });

  it('says when a symbol does not exist', () => {
    const r = symbolInfo(dbOf(fixtureTree('6.1')), 'DEV_DAX_KMEM_PERSIST', null);
    expect(r.exists).toBe(false);
    expect(renderSymbolInfo(r)).toBe('CONFIG_DEV_DAX_KMEM_PERSIST: no such symbol in this tree');
  });
});
