// SPDX-License-Identifier: GPL-2.0-only
/**
 * The kconfig services end to end, with the strict FakeRunner standing in for make and
 * merge_config.sh, on the committed 6.1 excerpt registered as an imported tree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/lib/exec/runner.js';
import { kconfigApply, type ApplyOptions } from '../../../src/lib/kconfig/apply.js';
import { generateFragment } from '../../../src/lib/kconfig/generate.js';
import { parseConfig } from '../../../src/lib/kconfig/config.js';
import { renderReport } from '../../../src/lib/kconfig/report.js';
import { Registry } from '../../../src/lib/trees/registry.js';
import { buildDirFor } from '../../../src/lib/workspace.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fixtureTree } from './helpers.js';

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate('kseries-kconfig-');
  new Registry(env.paths).add({
    name: 'k61',
    kind: 'imported',
    repo: fixtureTree('6.1'),
    source: 'fixture',
    ref: 'v6.1.192',
    commit: '0'.repeat(40),
    kernel: { version: 6, patchlevel: 1, sublevel: 192, extraversion: '', string: '6.1.192' },
    tags: [],
    addedAt: '2024-01-01T00:00:00Z',
  });
});
afterEach(() => env.cleanup());

const base = {
  tree: 'k61',
  base: 'tinyconfig',
  arch: 'x86_64',
  profile: 'default',
  dryRun: false,
  feature: false,
  platform: null,
  persist: [],
  debug: false,
  module: false,
  selftests: [],
  fragments: [],
} satisfies ApplyOptions;

/** A final .config as olddefconfig would leave it for the request below. */
const FINAL = [
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
  'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE=y',
  '# CONFIG_MEMORY_HOTPLUG is not set',
  'CONFIG_MIGRATION=y',
  'CONFIG_TRANSPARENT_HUGEPAGE=y',
  'CONFIG_DAX=y',
  'CONFIG_DEV_DAX=y',
  '',
].join('\n');

function fakeMake(buildDir: string, opts: { mergeOutput?: string } = {}) {
  const write = (text: string) => (spec: CommandSpec) => {
    writeFileSync(join(buildDir, '.config'), text);
    return { stdout: `make ${spec.args.at(-1)}` };
  };
  return new FakeRunner()
    .expect('mkdir', {}, { args: ['-p', buildDir] })
    .expect('make', write('# CONFIG_64BIT is not set\n'), { args: ['-C', fixtureTree('6.1'), `O=${buildDir}`, 'ARCH=x86_64', 'tinyconfig'] })
    .expect('sh', { stdout: opts.mergeOutput ?? '' }, { args: [join(fixtureTree('6.1'), 'scripts/kconfig/merge_config.sh'), '-m', '-O', buildDir] })
    .expect('make', write(FINAL), { args: ['-C', fixtureTree('6.1'), `O=${buildDir}`, 'ARCH=x86_64', 'olddefconfig'] });
}

describe('kconfigApply', () => {
  it('verifies every requested symbol and explains the dropped ones', async () => {
    const frag = join(env.root, 'mine.config');
    writeFileSync(frag, ['CONFIG_NUMA=y', 'CONFIG_DEV_DAX=y', 'CONFIG_DEV_DAX_KMEM=y', '# CONFIG_MEMORY_HOTPLUG is not set', 'CONFIG_DEV_DAX_KMEM_PERSIST=y', '# CONFIG_MEMORY_HOTPLUG_GONE is not set', ''].join('\n'));
    const buildDir = buildDirFor(env.paths, 'k61');
    const fake = fakeMake(buildDir, {
      mergeOutput: 'Value of CONFIG_64BIT is redefined by fragment x:\nPrevious value: # CONFIG_64BIT is not set\nNew value: CONFIG_64BIT=y\n.config:9:warning: override: UNWINDER_GUESS changes choice state',
    });
    const out = await kconfigApply(fake, env.paths, { ...base, fragments: [frag] });
    fake.verify();
    const r = out.report!;
    expect(r.ok).toBe(false);
    expect(r.summary).toEqual({ requested: 6, ok: 3, dropped: 2, unknownNotSet: 1 });
    expect(r.results.map((x) => [x.symbol, x.status, x.actual])).toEqual([
      ['NUMA', 'ok', 'y'],
      ['DEV_DAX', 'ok', 'y'],
      ['DEV_DAX_KMEM', 'dropped', null],
      ['MEMORY_HOTPLUG', 'ok', 'n'],
      ['DEV_DAX_KMEM_PERSIST', 'dropped', null],
      ['MEMORY_HOTPLUG_GONE', 'unknown-not-set', null],
    ]);
    expect(r.results[2].reason!.text).toBe('depends on DAX && DEV_DAX && MEMORY_HOTPLUG; unmet: MEMORY_HOTPLUG (=n; "not set" requested by mine)');
    expect(r.results[4].reason!.text).toBe('no such symbol in this tree');
    expect(r.noise).toEqual({ redefined: 1, baseWarnings: 1, baseNotInFinal: 0, warningsAboutRequest: [] });
    expect(out.warnings).toEqual([
      `kconfig printed 1 warning(s) about the base, not about the request: ignored (see ${buildDir}/kconfig-apply.log)`,
      'CONFIG_MEMORY_HOTPLUG_GONE (from mine): no such symbol in this tree, so "is not set" has no effect',
    ]);
    // The report on disk, and the request that was merged.
    const onDisk = JSON.parse(readFileSync(join(buildDir, 'kconfig-report.json'), 'utf8'));
    expect(onDisk).toMatchObject({ ok: false, tree: 'k61', kernel: '6.1.192', base: 'tinyconfig', summary: r.summary });
    expect(onDisk.commands).toHaveLength(5);
    const req = parseConfig(readFileSync(join(buildDir, 'kseries-requested.config'), 'utf8')).config;
    expect(req.size).toBe(6);
    const table = renderReport(r);
    expect(table).toMatch(/^CONFIG_DEV_DAX_KMEM +y +\(absent\) +DROPPED +mine$/m);
    expect(table).toContain('dropped: CONFIG_DEV_DAX_KMEM_PERSIST=y (from mine) -> (absent): no such symbol in this tree');
    expect(table.split('\n').at(-1)).toBe(
      `FAILED: 3 of 6 requested symbols hold in ${buildDir}/.config; 2 dropped; 1 "not set" for symbols this tree does not have`,
    );
  });

  it('passes when everything holds', async () => {
    const frag = join(env.root, 'ok.config');
    writeFileSync(frag, 'CONFIG_NUMA=y\nCONFIG_DEV_DAX=y\n');
    const buildDir = buildDirFor(env.paths, 'k61', 'x86_64', 'p');
    const out = await kconfigApply(fakeMake(buildDir), env.paths, { ...base, profile: 'p', fragments: [frag] });
    expect(out.report).toMatchObject({ ok: true, summary: { requested: 2, ok: 2, dropped: 0, unknownNotSet: 0 } });
    expect(renderReport(out.report!).split('\n').at(-1)).toBe(`OK: 2 of 2 requested symbols hold in ${buildDir}/.config`);
  });

  it('plans without running anything in a dry run', async () => {
    const fake = new FakeRunner();
    const out = await kconfigApply(fake, env.paths, { ...base, dryRun: true, feature: true, platform: 'qemu-x86_64', persist: ['none'] });
    expect(fake.calls).toEqual([]);
    expect(out.report).toBeNull();
    expect(out.plan.steps.map((s) => s.title)).toEqual([
      'create the build directory',
      'base: make tinyconfig',
      'write the requested fragment',
      'merge the fragment (merge_config.sh -m)',
      'resolve dependencies (make olddefconfig)',
    ]);
    expect(existsSync(out.plan.buildDir)).toBe(false);
  });

  it('--base debian: Debian\'s config of the tree\'s version, modules off, reduce-qemu merged first; without the package, exit 3 naming it', async () => {
    const root = join(env.root, 'usr-src');
    const out = await kconfigApply(new FakeRunner(), env.paths, { ...base, base: 'debian', dryRun: true, feature: true, platform: 'qemu-x86_64', debianConfigRoot: root });
    expect(out.plan.steps.map((s) => s.title).slice(1, 3)).toEqual(['base: Debian\'s amd64 config', 'turn its modules off']);
    expect(JSON.stringify(out.plan.steps[1])).toContain(`${root}/linux-config-6.1/config.amd64_none_amd64.xz`);
    const requested = out.plan.steps.find((s) => s.kind === 'write');
    const text = requested?.kind === 'write' ? requested.content : '';
    expect(text).toMatch(/^# Layers: reduce-qemu, platform-qemu-x86_64, feature-dax-kmem$/m);
    expect(text).toContain('CONFIG_DEBUG_INFO_NONE=y');
    await expect(kconfigApply(new FakeRunner(), env.paths, { ...base, base: 'debian-cloud', debianConfigRoot: root })).rejects.toMatchObject({
      kind: 'infra',
      exitCode: 3,
      message: `no Debian configuration for Linux 6.1: ${root}/linux-config-6.1/config.amd64_none_cloud-amd64.xz does not exist`,
      suggestion: expect.stringContaining('apt-get install linux-config-6.1'),
    });
  });

  it('rejects a base that is neither a make target nor a file', async () => {
    await expect(kconfigApply(new FakeRunner(), env.paths, { ...base, base: 'nonexistent.config' })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('rejects an unknown tree', async () => {
    await expect(kconfigApply(new FakeRunner(), env.paths, { ...base, tree: 'nope' })).rejects.toMatchObject({ kind: 'usage', message: 'unknown tree "nope"' });
  });
});

describe('generateFragment', () => {
  it('adds the selftests\' own config files read from the tree, under their name in that tree', async () => {
    const g = await generateFragment(env.paths, { ...base, feature: true, platform: 'qemu-x86_64', selftests: ['memory-hotplug,mm'], tree: 'k61' });
    expect(g.layers.map((l) => l.name)).toEqual(['platform-qemu-x86_64', 'feature-dax-kmem', 'selftest-memory-hotplug', 'selftest-vm']);
    expect(g.warnings).toContain('selftest target "mm" is called "vm" in tree k61 (6.1.192)');
    expect(g.text).toMatch(/# --- selftest-memory-hotplug \(tools\/testing\/selftests\/memory-hotplug\/config\)\n(CONFIG_.*\n)*CONFIG_NOTIFIER_ERROR_INJECTION=y\nCONFIG_MEMORY_NOTIFIER_ERROR_INJECT=m\n/);
    expect(g.text).toMatch(/# --- selftest-vm \(tools\/testing\/selftests\/vm\/config\)\n(CONFIG_.*\n)*CONFIG_SYSVIPC=y\n/);
    expect(g.text.split('\n')[1]).toBe('# Generated by kseries kconfig generate for tree k61 (Linux 6.1.192)');
  });

  it('needs --tree for selftests, and knows the dax target comes with the series', async () => {
    await expect(generateFragment(env.paths, { ...base, tree: undefined, selftests: ['memory-hotplug'] })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('--selftests needs --tree') });
    await expect(generateFragment(env.paths, { ...base, selftests: ['dax'], tree: 'k61' })).rejects.toMatchObject({ kind: 'usage', suggestion: expect.stringContaining('added by the series') });
  });
});
