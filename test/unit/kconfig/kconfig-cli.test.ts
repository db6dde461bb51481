// SPDX-License-Identifier: GPL-2.0-only
/** `kseries kconfig ...` through the built CLI: output, --json, exit codes (nothing here runs make). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('fragment lines that are not Kconfig assignments (--strict)', () => {
  const BAD = '# a fragment\ngarbage line\nCONFIG_FOO\nCONFIG_BAR=\nCONFIG_BAZ=yes please\nCONFIG_DEV_DAX=y\n';
  const write = (name: string, text: string) => {
    const p = join(env.root, name);
    writeFileSync(p, text);
    return p;
  };
  const lines = (p: string) => [
    `${p}:2: not a Kconfig assignment: garbage line`,
    `${p}:3: not a Kconfig assignment: no "=VALUE" after CONFIG_FOO (expected y, m, n, a number or a "string"): CONFIG_FOO`,
    `${p}:4: no value after "=" (expected y, m, n, a number or a "string"): CONFIG_BAR=`,
    `${p}:5: unexpected value "yes please" (expected y, m, n, a number or a "string"): CONFIG_BAZ=yes please`,
  ];

  it('kconfig generate: each line is a warning naming FILE:LINE (stderr and --json), left out of the fragment; exit 0', () => {
    const p = write('bad.config', BAD);
    const r = runCli(['kconfig', 'generate', '--platform', 'none', '--no-feature', '--fragment', p]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(lines(p).map((l) => `warning: ${l}\n`).join(''));
    expect([...parseConfig(r.stdout).config.keys()]).toEqual(['DEV_DAX']);
    const j = JSON.parse(runCli(['kconfig', 'generate', '--platform', 'none', '--no-feature', '--fragment', p, '--json']).stdout);
    expect(j).toMatchObject({ status: 'ok', warnings: lines(p), result: { refused: null, symbols: 1 } });
    expect(j.result.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([2, 3, 4, 5].map((n) => `${p}:${n}`));
  });

  it('kconfig generate --strict: exit 1, nothing written; a clean fragment still exits 0', () => {
    const p = write('bad.config', BAD);
    const out = join(env.root, 'out.config');
    const r = runCli(['kconfig', 'generate', '--strict', '--fragment', p, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(lines(p).map((l) => `warning: ${l}\n`).join(''));
    expect(r.stderr).toMatch(/^kseries: --strict: 4 fragment lines are not Kconfig assignments \(in \S+bad\.config; first: \S+bad\.config:2: not a Kconfig assignment: garbage line\); nothing was written$/m);
    expect(existsSync(out)).toBe(false);
    const j = JSON.parse(runCli(['kconfig', 'generate', '--strict', '--fragment', p, '--json']).stdout);
    expect(j).toMatchObject({ status: 'fail', warnings: lines(p), result: { refused: expect.stringMatching(/^--strict: 4 fragment lines/) } });
    const good = write('good.config', '# mine\n# CONFIG_DEBUG_VM is not set\n\nCONFIG_DEV_DAX=y\n');
    expect(runCli(['kconfig', 'generate', '--strict', '--fragment', good]).code).toBe(0);
  });

  it('kconfig apply: a warning and exit 0 without --strict, exit 1 with it (dry run or not), nothing configured', () => {
    const p = write('bad.config', BAD);
    const plain = runCli(['kconfig', 'apply', '--tree', 'k612', '--fragment', p, '--dry-run']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain(lines(p).map((l) => `warning: ${l}\n`).join(''));
    const dry = runCli(['kconfig', 'apply', '--tree', 'k612', '--fragment', p, '--dry-run', '--strict', '--json']);
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'fail', warnings: lines(p), result: { report: null, refused: expect.stringMatching(/^--strict: 4 fragment lines/) } });
    const real = runCli(['kconfig', 'apply', '--tree', 'k612', '--fragment', p, '--strict']);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/^kseries: --strict: 4 fragment lines .*; nothing was configured$/m);
    expect(existsSync(join(env.paths.cache, 'build', 'k612', 'x86_64-default', '.config'))).toBe(false);
  });
});
