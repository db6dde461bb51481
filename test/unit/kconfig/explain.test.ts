// SPDX-License-Identifier: GPL-2.0-only
/** Why a requested symbol was dropped: table tests over the committed 6.1 and 6.12 excerpts. */
import { describe, expect, it } from 'vitest';
import { mergeConfigs, parseConfig, type Config } from '../../../src/lib/kconfig/config.js';
import { explainDrop, type DropReason } from '../../../src/lib/kconfig/explain.js';
import { readKconfig } from '../../../src/lib/kconfig/kconfig-reader.js';
import { dbOf, fixtureTree } from './helpers.js';

const cfg = (text: string, source: string) => parseConfig(text.replace(/;\s*/g, '\n'), source).config;

/** A final config where the whole feature holds, on the x86_64 excerpts. */
const GOOD = [
  'CONFIG_64BIT=y',
  'CONFIG_X86_64=y',
  'CONFIG_X86=y',
  'CONFIG_MODULES=y',
  'CONFIG_SMP=y',
  'CONFIG_NUMA=y',
  'CONFIG_SPARSEMEM=y',
  'CONFIG_SPARSEMEM_VMEMMAP_ENABLE=y',
  'CONFIG_SPARSEMEM_VMEMMAP=y',
  'CONFIG_ARCH_ENABLE_MEMORY_HOTPLUG=y',
  'CONFIG_ARCH_ENABLE_MEMORY_HOTREMOVE=y',
  'CONFIG_ARCH_HAS_PTE_DEVMAP=y',
  'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE=y',
  'CONFIG_MEMORY_HOTPLUG=y',
  'CONFIG_MIGRATION=y',
  'CONFIG_MMU=y',
  'CONFIG_MEMORY_HOTREMOVE=y',
  'CONFIG_TRANSPARENT_HUGEPAGE=y',
  'CONFIG_ZONE_DEVICE=y',
  'CONFIG_DAX=y',
  'CONFIG_DEV_DAX=y',
  'CONFIG_DEV_DAX_KMEM=y',
];

/** GOOD with some lines changed: "X=v" sets, "-X" removes. */
function finalWith(...changes: string[]): Config {
  const lines = GOOD.filter((l) => !changes.some((c) => c.startsWith('-') && l.startsWith(`CONFIG_${c.slice(1)}=`)));
  return mergeConfigs(cfg(lines.join('\n'), '.config'), cfg(changes.filter((c) => !c.startsWith('-')).map((c) => (c.endsWith('=n') ? `# CONFIG_${c.slice(0, -2)} is not set` : `CONFIG_${c}`)).join('\n'), '.config')).config;
}

interface Case {
  name: string;
  tree: '6.1' | '6.12';
  requested: string;
  final: Config;
  symbol: string;
  want: Omit<Partial<DropReason>, 'text'> & { text?: string | RegExp };
}

const CASES: Case[] = [
  {
    name: 'a symbol the series adds, on a plain tree',
    tree: '6.1',
    requested: 'CONFIG_DEV_DAX_KMEM_PERSIST=y',
    final: finalWith(),
    symbol: 'DEV_DAX_KMEM_PERSIST',
    want: { kind: 'unknown', text: 'no such symbol in this tree' },
  },
  {
    name: 'DEV_DAX_KMEM with MEMORY_HOTPLUG explicitly not set',
    tree: '6.1',
    requested: 'CONFIG_DEV_DAX_KMEM=y; # CONFIG_MEMORY_HOTPLUG is not set',
    final: finalWith('MEMORY_HOTPLUG=n', '-DEV_DAX_KMEM'),
    symbol: 'DEV_DAX_KMEM',
    want: {
      kind: 'depends',
      depends: 'DAX && DEV_DAX && MEMORY_HOTPLUG',
      text: 'depends on DAX && DEV_DAX && MEMORY_HOTPLUG; unmet: MEMORY_HOTPLUG (=n; "not set" requested by frag)',
    },
  },
  {
    name: 'DEV_DAX with TRANSPARENT_HUGEPAGE explicitly not set (6.12)',
    tree: '6.12',
    requested: 'CONFIG_DEV_DAX=y; # CONFIG_TRANSPARENT_HUGEPAGE is not set',
    final: finalWith('TRANSPARENT_HUGEPAGE=n', '-DEV_DAX', '-DEV_DAX_KMEM'),
    symbol: 'DEV_DAX',
    want: { kind: 'depends', text: 'depends on DAX && TRANSPARENT_HUGEPAGE; unmet: TRANSPARENT_HUGEPAGE (=n; "not set" requested by frag)' },
  },
  {
    name: 'a drop that follows from another drop',
    tree: '6.1',
    requested: 'CONFIG_DEV_DAX=y; CONFIG_DEV_DAX_KMEM=y; # CONFIG_TRANSPARENT_HUGEPAGE is not set',
    final: finalWith('TRANSPARENT_HUGEPAGE=n', '-DEV_DAX', '-DEV_DAX_KMEM'),
    symbol: 'DEV_DAX_KMEM',
    want: { kind: 'depends', text: /unmet: DEV_DAX \(=n; requested y by frag, dropped itself\)$/ },
  },
  {
    name: 'several unmet terms, one of them an or',
    tree: '6.1',
    requested: 'CONFIG_ZONE_DEVICE=y',
    final: finalWith('MEMORY_HOTREMOVE=n', '-SPARSEMEM_VMEMMAP', '-ZONE_DEVICE'),
    symbol: 'ZONE_DEVICE',
    want: { kind: 'depends', text: /unmet: MEMORY_HOTREMOVE \(=n\); SPARSEMEM_VMEMMAP \(=n\)$/ },
  },
  {
    name: 'a tristate held to m by a dependency',
    tree: '6.1',
    requested: 'CONFIG_DEV_DAX_KMEM=y',
    final: finalWith('DEV_DAX=m', 'DEV_DAX_KMEM=m'),
    symbol: 'DEV_DAX_KMEM',
    want: { kind: 'depends', text: 'depends on DAX && DEV_DAX && MEMORY_HOTPLUG, which is only m: limited to m by DEV_DAX (=m)' },
  },
  {
    name: 'm for a bool',
    tree: '6.1',
    requested: 'CONFIG_NUMA=m',
    final: finalWith(),
    symbol: 'NUMA',
    want: { kind: 'type', text: 'is a bool: it can be y or n, never m' },
  },
  {
    name: 'm without modules',
    tree: '6.1',
    requested: 'CONFIG_DEV_DAX=m',
    final: finalWith('MODULES=n'),
    symbol: 'DEV_DAX',
    want: { kind: 'modules' },
  },
  {
    name: 'a choice member when another member won (6.12)',
    tree: '6.12',
    requested: 'CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y',
    final: finalWith('MHP_DEFAULT_ONLINE_TYPE_OFFLINE=y', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=n'),
    symbol: 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE',
    want: {
      kind: 'choice',
      text: /^sits in choice "Memory Hotplug Default Online Type" \(mm\/Kconfig:\d+\), where CONFIG_MHP_DEFAULT_ONLINE_TYPE_OFFLINE is selected instead$/,
    },
  },
  {
    name: '"not set" for the only chosen member of a choice (6.12)',
    tree: '6.12',
    requested: '# CONFIG_MHP_DEFAULT_ONLINE_TYPE_OFFLINE is not set',
    final: finalWith('MHP_DEFAULT_ONLINE_TYPE_OFFLINE=y'),
    symbol: 'MHP_DEFAULT_ONLINE_TYPE_OFFLINE',
    want: { kind: 'choice', text: /which needs exactly one member: CONFIG_MHP_DEFAULT_ONLINE_TYPE_OFFLINE, / },
  },
  {
    name: 'the choice member of a choice whose condition is off (6.12)',
    tree: '6.12',
    requested: 'CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y',
    final: finalWith('MEMORY_HOTPLUG=n', '-MEMORY_HOTREMOVE'),
    symbol: 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE',
    want: { kind: 'depends', depends: 'MEMORY_HOTPLUG' },
  },
  {
    name: '"not set" for a symbol something selects',
    tree: '6.1',
    requested: '# CONFIG_ARCH_ENABLE_MEMORY_HOTPLUG is not set',
    final: finalWith(),
    symbol: 'ARCH_ENABLE_MEMORY_HOTPLUG',
    want: { kind: 'selected', text: 'forced on by select from CONFIG_X86 (=y, if X86_64)' },
  },
  {
    name: 'y for a symbol without a prompt',
    tree: '6.1',
    requested: 'CONFIG_ARCH_HAS_PTE_DEVMAP=y',
    final: finalWith('X86_64=n', 'ARCH_HAS_PTE_DEVMAP=n'),
    symbol: 'ARCH_HAS_PTE_DEVMAP',
    want: { kind: 'no-prompt', text: 'has no prompt, so a fragment cannot set it; it is set by select from CONFIG_X86' },
  },
  {
    name: '"not set" for a symbol whose prompt is hidden on x86_64',
    tree: '6.1',
    requested: '# CONFIG_64BIT is not set',
    final: finalWith(),
    symbol: '64BIT',
    want: { kind: 'no-prompt', text: /^its prompt is hidden \(prompt only if "x86_64" = "x86"; unmet: "x86_64" = "x86"\); its value comes from default "x86_64" != "i386"$/ },
  },
  {
    name: 'a value that holds in Kconfig but not in the final config (no reason found)',
    tree: '6.1',
    requested: 'CONFIG_NUMA=y',
    final: finalWith('NUMA=n'),
    symbol: 'NUMA',
    want: { kind: 'unexplained' },
  },
];

describe('explainDrop', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const requested = cfg(c.requested, 'frag');
    const actual = c.final.get(c.symbol)?.value ?? 'n';
    const r = explainDrop(dbOf(fixtureTree(c.tree)), c.final, requested, c.symbol, requested.get(c.symbol)!.value, actual);
    const { text, ...rest } = c.want;
    expect(r).toMatchObject(rest);
    if (typeof text === 'string') expect(r.text).toBe(text);
    else if (text) expect(r.text).toMatch(text);
  });

  it('names the requested value of every symbol in an unmet or-term', () => {
    const requested = cfg('CONFIG_FS_DAX=y; CONFIG_ZONE_DEVICE=y', 'feature');
    const final = finalWith('ZONE_DEVICE=n', 'MMU=y');
    const db = readKconfig(
      (p) => (p === 'Kconfig' ? 'config FS_DAX\n\tbool "fs dax"\n\tdepends on MMU\n\tdepends on ZONE_DEVICE || FS_DAX_LIMITED\nconfig ZONE_DEVICE\n\tbool "zd"\nconfig FS_DAX_LIMITED\n\tbool\nconfig MMU\n\tdef_bool y\n' : null),
      { srcarch: 'x86', arch: 'x86_64' },
    );
    const r = explainDrop(db, final, requested, 'FS_DAX', 'y', 'n');
    expect(r.text).toBe(
      'depends on MMU && (ZONE_DEVICE || FS_DAX_LIMITED); unmet: ZONE_DEVICE || FS_DAX_LIMITED (ZONE_DEVICE=n [requested y by feature, dropped itself], FS_DAX_LIMITED=n)',
    );
    expect(r.unmet![0].symbols[0]).toEqual({ name: 'ZONE_DEVICE', value: 'n', requested: { value: 'y', source: 'feature' } });
  });

  it('explains an int out of its range, and a string whose dependency is off', () => {
    const db = readKconfig(
      (p) => (p === 'Kconfig' ? 'config NR\n\tint "nr"\n\trange 2 8\n\tdefault 4\nconfig CMDLINE\n\tstring "cmdline"\n\tdepends on CMDLINE_BOOL\nconfig CMDLINE_BOOL\n\tbool "b"\n' : null),
      { srcarch: 'x86', arch: 'x86_64' },
    );
    const final = cfg('CONFIG_NR=4; # CONFIG_CMDLINE_BOOL is not set', '.config');
    expect(explainDrop(db, final, cfg('CONFIG_NR=64', 'f'), 'NR', '64', '4')).toMatchObject({ kind: 'range', text: '64 is outside its range 2..8 (Kconfig:1)' });
    expect(explainDrop(db, final, cfg('CONFIG_CMDLINE="x"', 'f'), 'CMDLINE', '"x"', 'n')).toMatchObject({ kind: 'depends', text: 'depends on CMDLINE_BOOL; unmet: CMDLINE_BOOL (=n)' });
  });
});
