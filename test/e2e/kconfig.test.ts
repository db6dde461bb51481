// SPDX-License-Identifier: GPL-2.0-only
/**
 * kconfig apply on real trees: make tinyconfig + merge_config.sh + olddefconfig in an O=
 * build directory, then the verification and the drop explanations (~10-20 s per apply).
 *
 * 6.1: the e2e fixture k61 (Debian 6.1 imported by kseries, test/helpers/e2e-fixture-store.ts),
 * reached through a `git clone --shared --bare` in the test's temp dir and registered there
 * as a git tree. The clone keeps the fixture read-only: the detached worktree kconfig
 * creates for a git tree is registered in the clone, not in the fixture's .git.
 * 6.1 + series: another such clone, with patches/v6.1 applied by `kseries apply` (the
 * persistence symbols exist there).
 * 6.1 + series, --base debian: Debian's configuration from linux-config-6.1 (kseries doctor
 * --fix installs it), reduced for QEMU tests.
 * 6.12: the e2e fixture k612 (Debian 6.12, imported on first use, ~1 min), the same way.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureK612, k61Repo } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { runCliAsync } from '../helpers/run-cli-async.js';

/** Never block the test worker (vitest's RPC times out): every git call here is asynchronous. */
const run = async (cmd: string, args: string[], cwd?: string) =>
  (await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;

const K61_SOURCE = k61Repo();

const NICE = { timeoutMs: 900_000 };
const kseries = (args: string[]) => runCliAsync(args, NICE);
const json = (stdout: string) => JSON.parse(stdout);

/** Deletes the test's state (GBs of worktrees) without blocking the worker, then restores the environment. */
async function cleanup(env: IsolatedEnv | undefined) {
  if (!env) return;
  await rm(env.root, { recursive: true, force: true });
  env.cleanup();
}

function fragment(env: IsolatedEnv, name: string, lines: string[]): string {
  const f = join(env.root, `${name}.config`);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** What the report says of each requested symbol. */
const statusOf = (report: { results: Array<{ symbol: string; status: string }> }) =>
  Object.fromEntries(report.results.map((r) => [r.symbol, r.status]));

describe('kseries kconfig apply on Debian 6.1 (real tree)', () => {
  let env: IsolatedEnv;
  let buildRoot: string;

  beforeAll(async () => {
    env = isolate('kseries-e2e-kconfig-');
    const clone = join(env.root, 'k61.git');
    await run('git', ['clone', '-q', '--shared', '--bare', K61_SOURCE, clone]);
    const add = await kseries(['tree', 'add', 'k61', '--source', clone, '--json']);
    expect(add.code).toBe(0);
    expect(json(add.stdout).result).toMatchObject({ name: 'k61', kind: 'git', kernel: { version: 6, patchlevel: 1 } });
    buildRoot = join(env.paths.cache, 'build', 'k61');
  });
  afterAll(() => cleanup(env));

  it('--dry-run prints the plan and runs nothing', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--dry-run', '--persist', 'none']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const src = join(env.paths.data, 'worktrees', 'k61', 'base');
    const b = join(buildRoot, 'x86_64-default');
    expect(lines).toEqual([
      `mkdir -p ${b}`,
      `make -C ${src} O=${b} ARCH=x86_64 tinyconfig`,
      expect.stringMatching(new RegExp(`^# write ${b}/kseries-requested.config \\(\\d+ symbols\\)$`)),
      `(cd ${b} && sh ${src}/scripts/kconfig/merge_config.sh -m -O ${b} ${b}/.config ${b}/kseries-requested.config)`,
      `make -C ${src} O=${b} ARCH=x86_64 olddefconfig`,
    ]);
    expect(existsSync(b)).toBe(false);
  });

  it('tinyconfig + feature + platform: exit 0, every requested symbol present', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--base', 'tinyconfig', '--json']);
    console.log(`kconfig apply (6.1, with worktree creation) took ${(r.ms / 1000).toFixed(1)} s`);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.status).toBe('ok');
    const report = out.result.report;
    expect(report.summary).toMatchObject({ dropped: 0, unknownNotSet: 0 });
    expect(report.summary.ok).toBe(report.summary.requested);
    expect(report.summary.requested).toBeGreaterThan(55);
    expect(out.result.createdWorktree).toBe(true);
    // The final .config really has them, as 64-bit.
    const config = readFileSync(join(buildRoot, 'x86_64-default', '.config'), 'utf8');
    for (const line of ['CONFIG_64BIT=y', 'CONFIG_DEV_DAX_KMEM=y', 'CONFIG_ZONE_DEVICE=y', 'CONFIG_ACPI_NFIT=y', 'CONFIG_NUMA=y', 'CONFIG_FS_DAX=y']) {
      expect(config).toContain(`\n${line}\n`);
    }
    const onDisk = JSON.parse(readFileSync(join(buildRoot, 'x86_64-default', 'kconfig-report.json'), 'utf8'));
    expect(onDisk).toMatchObject({ ok: true, tree: 'k61', base: 'tinyconfig', summary: report.summary });
    // Nothing was written into the source tree (O= only).
    expect(await run('git', ['status', '--porcelain', '--ignored'], report.srcDir)).toBe('');
  });

  it('a fragment that turns MEMORY_HOTPLUG off: exit 1, naming the dependency', async () => {
    const f = fragment(env, 'nohp', ['CONFIG_DEV_DAX_KMEM=y', '# CONFIG_MEMORY_HOTPLUG is not set']);
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--fragment', f, '--profile', 'nohp']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'dropped: CONFIG_DEV_DAX_KMEM=y (from nohp) -> (absent): depends on DAX && DEV_DAX && MEMORY_HOTPLUG; unmet: MEMORY_HOTPLUG (=n; "not set" requested by nohp)',
    );
    expect(r.stdout).toMatch(/^dropped: CONFIG_ZONE_DEVICE=y \(from feature-dax-kmem\) -> \(absent\): depends on MEMORY_HOTPLUG && MEMORY_HOTREMOVE && SPARSEMEM_VMEMMAP && ARCH_HAS_PTE_DEVMAP; unmet: MEMORY_HOTPLUG /m);
    expect(r.stdout).toMatch(/^FAILED: \d+ of \d+ requested symbols hold in .*; 7 dropped$/m);
    expect(r.stderr).toContain('warning: # CONFIG_MEMORY_HOTPLUG is not set from nohp overrides CONFIG_MEMORY_HOTPLUG=y from feature-dax-kmem');
  });

  it('DEV_DAX with TRANSPARENT_HUGEPAGE not set: exit 1, naming TRANSPARENT_HUGEPAGE (--json)', async () => {
    const f = fragment(env, 'nothp', ['CONFIG_DEV_DAX=y', '# CONFIG_TRANSPARENT_HUGEPAGE is not set']);
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--fragment', f, '--profile', 'nothp', '--json']);
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.status).toBe('fail');
    const dev = out.result.report.results.find((x: { symbol: string }) => x.symbol === 'DEV_DAX');
    expect(dev).toMatchObject({
      status: 'dropped',
      requested: 'y',
      source: 'nothp',
      reason: { kind: 'depends', depends: 'DAX && TRANSPARENT_HUGEPAGE', unmet: [{ expr: 'TRANSPARENT_HUGEPAGE', value: 'n' }] },
    });
    expect(statusOf(out.result.report)).toMatchObject({ DEV_DAX: 'dropped', DEV_DAX_PMEM: 'dropped', DEV_DAX_KMEM: 'dropped', TRANSPARENT_HUGEPAGE: 'ok' });
  });

  it('the series\' persistence symbols on the plain tree: exit 1, "no such symbol in this tree"', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--persist', 'blk', '--profile', 'persist']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dropped: CONFIG_DEV_DAX_KMEM_PERSIST=y (from persist-blk) -> (absent): no such symbol in this tree');
    expect(r.stdout).toContain('dropped: CONFIG_DEV_DAX_KMEM_BLK=y (from persist-blk) -> (absent): no such symbol in this tree');
    expect(r.stdout).toMatch(/; 2 dropped$/m);
  });

  it('debug and the memory-hotplug selftest config hold on 6.1 (6.12-only SLUB_TINY is reported as a no-op)', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--debug', '--selftests', 'memory-hotplug', '--profile', 'debug', '--json']);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.result.report.summary).toMatchObject({ dropped: 0, unknownNotSet: 1 });
    expect(out.warnings).toContain('CONFIG_SLUB_TINY (from debug): no such symbol in this tree, so "is not set" has no effect');
    expect(statusOf(out.result.report)).toMatchObject({ KASAN: 'ok', PROVE_LOCKING: 'ok', DEBUG_PAGEALLOC: 'ok', SLUB: 'ok', MEMORY_NOTIFIER_ERROR_INJECT: 'ok' });
  });

  it('the 6.12 online-type choice does not exist on 6.1', async () => {
    const f = fragment(env, 'online612', ['CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y']);
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61', '--fragment', f, '--profile', 'online']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dropped: CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y (from online612) -> (absent): no such symbol in this tree');
  });
});

describe('kseries kconfig apply on 6.1 with the series applied (real tree)', () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    env = isolate('kseries-e2e-kconfig-series-');
    const clone = join(env.root, 'k61.git');
    await run('git', ['clone', '-q', '--shared', '--bare', K61_SOURCE, clone]);
    const add = await kseries(['tree', 'add', 'k61s', '--source', clone]);
    expect(add.code, add.stderr).toBe(0);
    // patches/v6.1 on a branch of the clone: the series' Kconfig symbols exist there
    const apply = await kseries(['apply', '--tree', 'k61s', '--json']);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    const src = json(apply.stdout).result.worktree as string;
    const kconfig = readFileSync(join(src, 'drivers/dax/Kconfig'), 'utf8');
    expect(kconfig).toMatch(/^config DEV_DAX_KMEM_PERSIST$/m);
    expect(kconfig).toMatch(/^config DEV_DAX_KMEM_BLK$/m);
  });
  afterAll(() => cleanup(env));

  it('both persistence types and the series\' dax selftest config hold', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61s', '--persist', 'none,blk', '--selftests', 'memory-hotplug,dax', '--json']);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.result.report.summary).toMatchObject({ dropped: 0, unknownNotSet: 0 });
    expect(out.result.report.layers.map((l: { name: string }) => l.name)).toEqual([
      'platform-qemu-x86_64',
      'feature-dax-kmem',
      'persist-none',
      'persist-blk',
      'selftest-memory-hotplug',
      'selftest-dax',
    ]);
    expect(statusOf(out.result.report)).toMatchObject({ DEV_DAX_KMEM_PERSIST: 'ok', DEV_DAX_KMEM_BLK: 'ok' });
  });

  it('--base debian: Debian\'s own 6.1 configuration (linux-config-6.1), modules off, reduced; the request holds, init_on_alloc and the hardening stay', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61s', '--base', 'debian', '--persist', 'blk', '--selftests', 'memory-hotplug,dax', '--module', '--profile', 'debian', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = json(r.stdout);
    expect(out.result.report.base).toBe('/usr/src/linux-config-6.1/config.amd64_none_amd64.xz');
    expect(out.result.report.layers[0].name).toBe('reduce-qemu');
    expect(out.result.report.summary).toMatchObject({ dropped: 0 });
    expect(statusOf(out.result.report)).toMatchObject({ DEV_DAX_KMEM: 'ok', DEV_DAX_KMEM_PERSIST: 'ok', DEBUG_INFO_NONE: 'ok', DRM: 'ok' });
    const config = readFileSync(join(env.paths.cache, 'build', 'k61s', 'x86_64-debian', '.config'), 'utf8');
    for (const l of ['CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y', 'CONFIG_SECURITY_LOCKDOWN_LSM=y', 'CONFIG_DEV_DAX_KMEM=m', 'CONFIG_MODULE_SIG=y', 'CONFIG_HARDENED_USERCOPY=y']) expect(config).toContain(`\n${l}\n`);
    // the base's modules are off: only those the request asks for are left
    expect(config.split('\n').filter((l) => l.endsWith('=m')).length).toBeLessThan(20);
  });

  it('a persistence type without NUMA: exit 1, naming NUMA', async () => {
    const f = fragment(env, 'nonuma', ['# CONFIG_NUMA is not set']);
    const r = await kseries(['kconfig', 'apply', '--tree', 'k61s', '--persist', 'none', '--fragment', f, '--profile', 'nonuma']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^dropped: CONFIG_DEV_DAX_KMEM_PERSIST=y \(from persist-none\) -> \(absent\): depends on .*NUMA.*; unmet: .*NUMA \(=n; "not set" requested by nonuma\)/m);
  });
});

describe('kseries kconfig apply on 6.12 (real tree)', () => {
  let env: IsolatedEnv;

  beforeAll(async () => {
    const t = Date.now();
    const k612 = await ensureK612(); // before isolate(): the fixture is made with the real environment
    console.log(`6.12 fixture ready in ${((Date.now() - t) / 1000).toFixed(1)} s (${k612.repo})`);
    env = isolate('kseries-e2e-kconfig612-');
    const clone = join(env.root, 'k612.git');
    await run('git', ['clone', '-q', '--shared', '--bare', k612.repo, clone]);
    const add = await kseries(['tree', 'add', 'k612', '--source', clone, '--json']);
    expect(add.code).toBe(0);
    expect(json(add.stdout).result).toMatchObject({ kind: 'git', kernel: { version: 6, patchlevel: 12 } });
  });
  afterAll(() => cleanup(env));

  it('the same feature + platform fragments hold on 6.12', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k612', '--json']);
    console.log(`kconfig apply (6.12, with worktree creation) took ${(r.ms / 1000).toFixed(1)} s`);
    expect(r.code).toBe(0);
    const report = json(r.stdout).result.report;
    expect(report.kernel).toMatch(/^6\.12\./);
    expect(report.summary).toMatchObject({ dropped: 0, unknownNotSet: 0 });
  });

  it('MEMORY_HOTPLUG_DEFAULT_ONLINE is gone: =y is dropped, "not set" is a reported no-op, the choice member holds', async () => {
    const gone = fragment(env, 'old-online', ['CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y']);
    const r1 = await kseries(['kconfig', 'apply', '--tree', 'k612', '--fragment', gone, '--profile', 'old']);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain('dropped: CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE=y (from old-online) -> (absent): no such symbol in this tree');

    const moved = fragment(env, 'new-online', ['# CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE is not set', 'CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y']);
    const r2 = await kseries(['kconfig', 'apply', '--tree', 'k612', '--fragment', moved, '--profile', 'new', '--json']);
    expect(r2.code).toBe(0);
    const out = json(r2.stdout);
    expect(out.warnings).toContain('CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE (from new-online): no such symbol in this tree, so "is not set" has no effect');
    expect(statusOf(out.result.report)).toMatchObject({ MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE: 'ok', MEMORY_HOTPLUG_DEFAULT_ONLINE: 'unknown-not-set' });
  });

  it('two members of the online-type choice: one is dropped, naming the choice', async () => {
    const two = fragment(env, 'two', ['CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE=y', 'CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_KERNEL=y']);
    const r = await kseries(['kconfig', 'apply', '--tree', 'k612', '--fragment', two, '--profile', 'two', '--json']);
    expect(r.code).toBe(1);
    const dropped = json(r.stdout).result.report.results.filter((x: { status: string }) => x.status === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0].reason).toMatchObject({ kind: 'choice', choice: { prompt: 'Memory Hotplug Default Online Type' } });
    expect(dropped[0].reason.text).toMatch(/^sits in choice "Memory Hotplug Default Online Type" \(mm\/Kconfig:\d+\), where CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_(MOVABLE|KERNEL) is selected instead$/);
  });

  it('debug holds on 6.12 too (SLUB_TINY, which tinyconfig turns on there, is turned off)', async () => {
    const r = await kseries(['kconfig', 'apply', '--tree', 'k612', '--debug', '--profile', 'debug', '--json']);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out.result.report.summary).toMatchObject({ dropped: 0, unknownNotSet: 0 });
    expect(statusOf(out.result.report)).toMatchObject({ KASAN: 'ok', SLUB_TINY: 'ok', SLUB_DEBUG: 'ok' });
  });
});
