// SPDX-License-Identifier: GPL-2.0-only
/** The fragments shipped in kconfig/, and composing them into one request. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compose, moduleLayer, renderComposition } from '../../../src/lib/kconfig/compose.js';
import { parseConfig, valueOf } from '../../../src/lib/kconfig/config.js';
import { parseFragment, pickNames, readCatalog } from '../../../src/lib/kconfig/fragments.js';
import { kconfigRoot } from '../../../src/lib/paths.js';

const catalog = readCatalog(kconfigRoot());
const none = { feature: false, platform: null, persist: [], debug: false, module: false, selftests: [], fragments: [] };

describe('kconfig/ catalog', () => {
  it('has the feature, the persistence types, the platform and debug', () => {
    expect(Object.keys(catalog.persist).sort()).toEqual(['blk', 'fs', 'none']);
    expect(Object.keys(catalog.platform)).toEqual(['qemu-x86_64']);
    expect(catalog.feature.name).toBe('feature-dax-kmem');
  });

  it('every shipped fragment parses cleanly and starts with the SPDX line', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of [catalog.feature, catalog.debug, ...Object.values(catalog.persist), ...Object.values(catalog.platform)]) {
      expect([f.name, f.issues]).toEqual([f.name, []]);
      expect(readFileSync(f.path, 'utf8').split('\n')[0]).toBe('# SPDX-License-Identifier: GPL-2.0-only');
      expect(f.config.size).toBeGreaterThan(0);
    }
  });

  it('the feature asks for DEV_DAX_KMEM and what it needs', () => {
    for (const s of ['DEV_DAX_KMEM', 'MEMORY_HOTPLUG', 'MEMORY_HOTREMOVE', 'MIGRATION', 'ZONE_DEVICE', 'SPARSEMEM_VMEMMAP', 'TRANSPARENT_HUGEPAGE', 'LIBNVDIMM', 'ACPI_NFIT', 'BLK_DEV', 'BLK_DEV_PMEM', 'NVDIMM_PFN', 'NVDIMM_DAX', 'DEV_DAX', 'DEV_DAX_PMEM', 'NUMA', 'FS_DAX']) {
      expect([s, valueOf(catalog.feature.config, s)]).toEqual([s, 'y']);
    }
  });

  it('the persistence types ask for the series\' symbols', () => {
    expect([...catalog.persist.none.config.values()].map((e) => `${e.symbol}=${e.value}`)).toEqual(['DEV_DAX_KMEM_PERSIST=y']);
    expect([...catalog.persist.blk.config.values()].map((e) => `${e.symbol}=${e.value}`)).toEqual(['DEV_DAX_KMEM_PERSIST=y', 'DEV_DAX_KMEM_BLK=y']);
  });

  it('the feature names the tristates --module may turn into modules, and all of them are =y there', () => {
    expect(catalog.feature.moduleSymbols).toEqual(['DEV_DAX', 'DEV_DAX_PMEM', 'DEV_DAX_KMEM', 'BLK_DEV_PMEM', 'DEV_DAX_HMEM']);
    for (const s of catalog.feature.moduleSymbols) expect(valueOf(catalog.feature.config, s)).toBe('y');
  });
});

describe('parseFragment / pickNames', () => {
  it('reads kseries-module directives', () => {
    expect(parseFragment('f', '/f', '# kseries-module: CONFIG_A B\n#kseries-module:C\nCONFIG_A=y\n').moduleSymbols).toEqual(['A', 'B', 'C']);
  });

  it('splits comma lists, de-duplicates, and rejects unknown names', () => {
    expect(pickNames(['none,blk', 'blk'], catalog.persist, 'persistence type')).toEqual(['none', 'blk']);
    expect(pickNames(undefined, catalog.persist, 'x')).toEqual([]);
    expect(() => pickNames(['nvme'], catalog.persist, 'persistence type')).toThrow(/unknown persistence type "nvme"/);
  });
});

describe('compose', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kseries-frag-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('orders layers platform, feature, persist, debug, selftests, --module, user fragments', () => {
    const st = parseFragment('selftest-memory-hotplug', 'tools/testing/selftests/memory-hotplug/config', 'CONFIG_MEMORY_HOTPLUG=y\n');
    const user = parseFragment('mine', '/mine.config', '# CONFIG_MEMORY_HOTPLUG is not set\nCONFIG_DEV_DAX_KMEM=y\n');
    const c = compose(catalog, { feature: true, platform: 'qemu-x86_64', persist: ['blk'], debug: true, module: true, selftests: [st], fragments: [user] });
    expect(c.layers.map((l) => l.name)).toEqual(['platform-qemu-x86_64', 'feature-dax-kmem', 'persist-blk', 'debug', 'selftest-memory-hotplug', '--module', 'mine']);
    expect(valueOf(c.requested, 'DEV_DAX')).toBe('m');
    expect(c.requested.get('DEV_DAX_KMEM')).toMatchObject({ value: 'y', source: 'mine' });
    expect(c.requested.get('MEMORY_HOTPLUG')).toMatchObject({ value: 'n', source: 'mine' });
    expect(c.warnings).toEqual([
      '# CONFIG_MEMORY_HOTPLUG is not set from mine overrides CONFIG_MEMORY_HOTPLUG=y from selftest-memory-hotplug',
      'CONFIG_DEV_DAX_KMEM=y from mine overrides CONFIG_DEV_DAX_KMEM=m from --module',
    ]);
  });

  it("--module wins over a selftest config's =y (the series' dax kselftest asks for DEV_DAX_KMEM=y): a module gives the test its driver", () => {
    const st = parseFragment('selftest-dax', 'tools/testing/selftests/dax/config', 'CONFIG_DEV_DAX=y\nCONFIG_DEV_DAX_KMEM=y\nCONFIG_DEV_DAX_KMEM_PERSIST=y\n');
    const c = compose(catalog, { feature: true, platform: null, persist: [], debug: false, module: true, selftests: [st], fragments: [] });
    expect(c.requested.get('DEV_DAX')).toMatchObject({ value: 'm', source: '--module' });
    expect(c.requested.get('DEV_DAX_KMEM')).toMatchObject({ value: 'm', source: '--module' });
    // a bool stays as asked
    expect(c.requested.get('DEV_DAX_KMEM_PERSIST')).toMatchObject({ value: 'y', source: 'selftest-dax' });
    expect(c.warnings).toEqual([]);
  });

  it('renames a layer that would share its name with an earlier one', () => {
    const a = parseFragment('debug', '/x/debug.config', 'CONFIG_X=y\n');
    const c = compose(catalog, { ...none, debug: true, fragments: [a] });
    expect(c.layers.map((l) => l.name)).toEqual(['debug', 'debug#2']);
    expect(c.requested.get('X')!.source).toBe('debug#2');
  });

  it('warns about lines of a user fragment that are not Kconfig', () => {
    const bad = parseFragment('bad', '/bad.config', 'DEV_DAX=y\nCONFIG_A=y\n');
    expect(compose(catalog, { ...none, fragments: [bad] }).warnings).toEqual(['/bad.config:1: not a Kconfig assignment: symbols start with CONFIG_: DEV_DAX=y']);
  });

  it('--module without the feature does nothing but say so', () => {
    const c = compose(catalog, { ...none, module: true });
    expect(c.layers).toEqual([]);
    expect(c.warnings).toEqual(['--module has no effect without the feature fragment']);
  });

  it('moduleLayer turns only the listed =y symbols into m', () => {
    const f = parseFragment('f', '/f', '# kseries-module: A B C\nCONFIG_A=y\n# CONFIG_B is not set\n');
    expect([...moduleLayer(f).config.values()].map((e) => `${e.symbol}=${e.value}`)).toEqual(['A=m']);
  });

  it('renders a fragment that parses back to the request, grouped by the deciding layer', () => {
    const c = compose(catalog, { ...none, feature: true, platform: 'qemu-x86_64', persist: ['none'], module: true });
    const text = renderComposition(c, ['hello']);
    expect(text.split('\n').slice(0, 2)).toEqual(['# SPDX-License-Identifier: GPL-2.0-only', '# hello']);
    expect(text).toContain('# --- --module\nCONFIG_BLK_DEV_PMEM=m\nCONFIG_DEV_DAX=m\nCONFIG_DEV_DAX_PMEM=m\nCONFIG_DEV_DAX_KMEM=m\n');
    const back = parseConfig(text).config;
    expect([...back.entries()].map(([k, e]) => `${k}=${e.value}`).sort()).toEqual([...c.requested.entries()].map(([k, e]) => `${k}=${e.value}`).sort());
    writeFileSync(join(dir, 'out.config'), text);
  });
});
