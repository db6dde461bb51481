// SPDX-License-Identifier: GPL-2.0-only
/** `kseries kconfig ...` through the built CLI: output, --json, exit codes (nothing here runs make). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/lib/kconfig/config.js';
import { Registry } from '../../../src/lib/trees/registry.js';
import { isolate, runCli, type IsolatedEnv } from '../../helpers/env.js';
import { fixtureTree } from './helpers.js';

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate('kseries-kconfig-cli-');
  new Registry(env.paths).add({
    name: 'k612',
    kind: 'imported',
    repo: fixtureTree('6.12'),
    source: 'fixture',
    ref: 'v6.12.117',
    commit: '0'.repeat(40),
    kernel: { version: 6, patchlevel: 12, sublevel: 117, extraversion: '', string: '6.12.117' },
    tags: [],
    addedAt: '2024-01-01T00:00:00Z',
  });
});
afterEach(() => env.cleanup());

describe('kseries kconfig generate', () => {
  it('writes the merged fragment to stdout', () => {
    const r = runCli(['kconfig', 'generate', '--persist', 'blk']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const c = parseConfig(r.stdout).config;
    expect(c.get('DEV_DAX_KMEM')!.value).toBe('y');
    expect(c.get('DEV_DAX_KMEM_BLK')!.value).toBe('y');
    expect(c.get('SERIAL_8250_CONSOLE')!.value).toBe('y');
  });

  it('writes to -o FILE, and says so in --json', () => {
    const out = join(env.root, 'out.config');
    const r = runCli(['kconfig', 'generate', '--module', '--platform', 'none', '-o', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ status: 'ok', warnings: [], result: { layers: [{ name: 'feature-dax-kmem' }, { name: '--module' }] } });
    expect(parseConfig(readFileSync(out, 'utf8')).config.get('DEV_DAX_KMEM')!.value).toBe('m');
  });

  it('reads selftest configs from the tree', () => {
    const r = runCli(['kconfig', 'generate', '--tree', 'k612', '--selftests', 'vm', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.warnings).toEqual(['selftest target "vm" is called "mm" in tree k612 (6.12.117)']);
    expect(j.result.text).toContain('CONFIG_PTE_MARKER_UFFD_WP=y');
  });

  it.each([
    [['--persist', 'nvme'], /unknown persistence type "nvme"/],
    [['--platform', 'qemu-arm64'], /unknown platform "qemu-arm64"/],
    [['--module', '--builtin'], /cannot also be provided/],
    [['--selftests', 'dax', '--tree', 'k612'], /selftest target "dax" does not exist in tree k612/],
    [['--fragment', '/nonexistent.config'], /fragment \/nonexistent.config does not exist/],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = runCli(['kconfig', 'generate', ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });
});

describe('kseries kconfig apply', () => {
  it('--dry-run prints the commands', () => {
    const r = runCli(['kconfig', 'apply', '--tree', 'k612', '--dry-run', '--base', 'defconfig']);
    expect(r.code).toBe(0);
    const b = join(env.paths.cache, 'build', 'k612', 'x86_64-default');
    expect(r.stdout.split('\n')[1]).toBe(`make -C ${fixtureTree('6.12')} O=${b} ARCH=x86_64 defconfig`);
  });

  it('an unknown tree is a usage error', () => {
    const r = runCli(['kconfig', 'apply', '--tree', 'nope', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', error: { kind: 'usage', message: 'unknown tree "nope"' } });
  });
});

describe('kseries kconfig symbol', () => {
  it('describes symbols and exits 1 for one the tree does not have', () => {
    const r = runCli(['kconfig', 'symbol', '--tree', 'k612', 'MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE', 'MEMORY_HOTPLUG_DEFAULT_ONLINE']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  choice:     "Memory Hotplug Default Online Type" at mm/Kconfig:');
    expect(r.stdout).toContain('CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE: no such symbol in this tree');
  });
});
