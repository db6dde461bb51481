// SPDX-License-Identifier: GPL-2.0-only
/**
 * The real thing: import Debian's linux-source-6.1 (~1 min on 2 cores; kseries installs the
 * package when it is missing, and globalSetup's k61 fixture already did) into an isolated
 * state directory, list, show and remove it; and run the doctor with its KVM probe.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isolate, gitSync, runCli, type IsolatedEnv } from '../helpers/env.js';
import { runCliAsync } from '../helpers/run-cli-async.js';

const debianVersion = () => execFileSync('dpkg-query', ['-W', '-f=${Version}', 'linux-source-6.1'], { encoding: 'utf8' }).trim();

describe('kseries tree add --source debian:6.1 (real package)', () => {
  let env: IsolatedEnv;
  let repo: string;
  let version: string;
  let sublevel: string;

  beforeAll(() => {
    env = isolate('kseries-e2e-');
    repo = join(env.paths.data, 'trees', 'k61');
  });
  // the line's object store stays after tree remove (~80k loose objects): removed without
  // blocking the worker's event loop, which vitest's RPC needs (onTaskUpdate times out)
  afterAll(async () => {
    await rm(env.root, { recursive: true, force: true });
    env.cleanup();
  });

  it('imports the package source as one commit tagged vX.Y.Z and debian/VERSION', async () => {
    const r = await runCliAsync(['tree', 'add', 'k61', '--source', 'debian:6.1', '--json'], { timeoutMs: 1_800_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    version = debianVersion(); // installed by now, by kseries itself if it was not
    sublevel = /^6\.1\.(\d+)-/.exec(version)![1];
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      status: 'ok',
      warnings: [],
      result: { name: 'k61', kind: 'imported', repo, source: 'debian:6.1', debianVersion: version, ref: `v6.1.${sublevel}` },
    });
    console.log(`tree add k61 --source debian:6.1 took ${(r.ms / 1000).toFixed(1)} s`);

    const head = gitSync(repo, ['rev-parse', 'HEAD']).trim();
    expect(out.result.commit).toBe(head);
    expect(gitSync(repo, ['show', 'HEAD:Makefile'])).toMatch(new RegExp(`^VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = ${sublevel}\nEXTRAVERSION =\n`, 'm'));
    expect(Number(execFileSync('sh', ['-c', 'git ls-files | wc -l'], { cwd: repo, encoding: 'utf8' }))).toBeGreaterThan(70_000);
    expect(gitSync(repo, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    expect(gitSync(repo, ['rev-parse', `v6.1.${sublevel}^{commit}`]).trim()).toBe(head);
    expect(gitSync(repo, ['rev-parse', `debian/${version.replace(/[~:]/g, "_")}^{commit}`]).trim()).toBe(head);
    expect(gitSync(repo, ['show', 'HEAD:.gitignore'])).not.toMatch(/^!\/debian\/$/m);
    expect(gitSync(repo, ['status', '--porcelain'])).toBe('');
    // no detached `git gc --auto` repacking ~80k loose objects behind our back
    expect(existsSync(join(repo, '.git', 'gc.pid'))).toBe(false);
    expect(existsSync(join(repo, '.git', 'gc.log'))).toBe(false);
    // the commit is the content's: no package name or version in it (those are the tags')
    expect(gitSync(repo, ['log', '-1', '--format=%s'])).toBe(`Linux 6.1.${sublevel}\n`);
  });

  it('gives the same commit from the tarball\'s path, and shares the line\'s object store', async () => {
    const r = await runCliAsync(['tree', 'add', 'bypath', '--source', '/usr/src/linux-source-6.1.tar.xz', '--json'], { timeoutMs: 1_800_000 });
    expect(r.code).toBe(0);
    const head = gitSync(repo, ['rev-parse', 'HEAD']).trim();
    const byPath = JSON.parse(r.stdout).result;
    expect(byPath.commit).toBe(head);
    const store = join(env.paths.data, 'objects', 'linux-6.1.git');
    for (const t of [repo, byPath.repo]) expect(readFileSync(join(t, '.git', 'objects', 'info', 'alternates'), 'utf8')).toBe(`${join(store, 'objects')}\n`);
    // the second import wrote no object of its own but its tag (v6.1.X)
    expect(gitSync(byPath.repo, ['count-objects']).trim()).toMatch(/^1 objects/);
    // the series' base-commit is this content's commit on any machine, when the package is the series' base
    const seriesBase = /^# base-commit: ([0-9a-f]{40})$/m.exec(readFileSync(new URL('../../patches/v6.1/series', import.meta.url), 'utf8'))![1];
    const baseTag = /carried by kseries from \S+ \([^,]+, (v[\d.]+)\)/.exec(readFileSync(new URL('../../patches/v6.1/series', import.meta.url), 'utf8'))![1];
    if (baseTag === `v6.1.${sublevel}` && version === '6.1.192-3') expect(head).toBe(seriesBase);
    else console.log(`linux-source-6.1 is ${version}, the series was made on 6.1.192-3: base-commit not compared`);
    const rm = await runCliAsync(['tree', 'remove', 'bypath'], { timeoutMs: 1_800_000 });
    expect(rm.code).toBe(0);
    // k61 still holds the commit: the store keeps its ref
    expect(gitSync(store, ['rev-parse', `refs/kseries/imports/${head}`]).trim()).toBe(head);
  });

  it('lists and shows it', () => {
    const list = runCli(['tree', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ status: 'ok', warnings: [], result: [{ name: 'k61', kernel: { string: `6.1.${sublevel}` } }] });
    const show = runCli(['tree', 'show', 'k61', '--json']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).result).toMatchObject({ name: 'k61', repo, tags: [`v6.1.${sublevel}`, `debian/${version.replace(/[~:]/g, "_")}`], debianVersion: version });
  });

  // Deleting ~3 GB can take minutes on a filesystem mounted with "discard".
  it('removes it, repository included', async () => {
    const r = await runCliAsync(['tree', 'remove', 'k61'], { timeoutMs: 1_800_000 });
    expect(r.code).toBe(0);
    expect(existsSync(repo)).toBe(false);
    expect(JSON.parse(runCli(['tree', 'list', '--json']).stdout).result).toEqual([]);
  });
});

describe('kseries doctor (with the KVM probe)', () => {
  let env: IsolatedEnv;
  beforeAll(() => {
    env = isolate('kseries-e2e-');
  });
  afterAll(() => env.cleanup());

  it('exits 0 and reports the accelerator it measured', async () => {
    const r = await runCliAsync(['doctor', '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const { status, result } = JSON.parse(r.stdout);
    expect(status).toBe('ok');
    expect(['kvm', 'tcg']).toContain(result.accel);
    // Truthful: kvm only when the probe says KVM is usable, and the kvm check says the same.
    expect(result.kvm).not.toBeNull();
    expect(result.accel).toBe(result.kvm.usable ? 'kvm' : 'tcg');
    expect(result.checks.find((c: { id: string }) => c.id === 'kvm')).toMatchObject({ ok: result.kvm.usable, detail: result.kvm.reason });
    expect(result.kvm.tcg.ok).toBe(true);
    if (!existsSync('/dev/kvm')) expect(result.accel).toBe('tcg');
    console.log(`doctor: accel ${result.accel}: ${result.kvm.reason}`);
  });
});
