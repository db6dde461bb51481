// SPDX-License-Identifier: GPL-2.0-only
/** `kseries tree ...` through the built CLI: exit codes, --json, and no half-made state after a failure or Ctrl-C. */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from '../../src/lib/trees/registry.js';
import { gitSync, isolate, runCli, type IsolatedEnv } from '../helpers/env.js';
import { fakeKernelTarball, packTarball } from '../helpers/fake-kernel.js';

let env: IsolatedEnv;
beforeEach(() => {
  env = isolate();
});
afterEach(() => env.cleanup());

const treesDir = () => join(env.paths.data, 'trees');
const leftovers = () => (existsSync(treesDir()) ? readdirSync(treesDir()) : []);
const listJson = () => {
  const r = runCli(['tree', 'list', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { status: string; result: Array<{ name: string }>; warnings: string[] };
};
/** Asserts a usage error (exit 2) with MESSAGE on stderr, and that nothing was registered or left behind. */
function expectUsage(args: string[], message: RegExp, opts: { registered?: string[] } = {}) {
  const r = runCli(args);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(new Registry(env.paths).list().map((t) => t.name)).toEqual(opts.registered ?? []);
  expect(leftovers().filter((d) => !(opts.registered ?? []).includes(d))).toEqual([]);
}

describe('kseries tree (CLI)', () => {
  it('adds, lists, shows and removes an imported tarball, with --json', () => {
    const tarball = fakeKernelTarball(env.root);
    const add = runCli(['tree', 'add', 'k', '--source', tarball, '--json']);
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added).toMatchObject({ status: 'ok', warnings: [], result: { name: 'k', kind: 'imported', ref: 'v6.1.5', kernel: { string: '6.1.5' } } });
    expect(listJson()).toMatchObject({ status: 'ok', result: [{ name: 'k', commit: added.result.commit }], warnings: [] });
    const show = runCli(['tree', 'show', 'k']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/kernel: +6\.1\.5/);
    const human = runCli(['tree', 'list']);
    expect(human.stdout).toMatch(/^NAME +VERSION +KIND/);
    expect(human.stdout).toMatch(/\nk +6\.1\.5 +imported +v6\.1\.5/);
    const rm = runCli(['tree', 'remove', 'k', '--json']);
    expect(rm.code).toBe(0);
    // the import's ref in its line's object store goes with it (no other tree holds the commit); the store stays
    const store = join(treesDir(), '..', 'objects', 'linux-6.1.git');
    expect(JSON.parse(rm.stdout).result).toEqual({ name: 'k', removed: [`${store} refs/kseries/imports/${added.result.commit}`, join(treesDir(), 'k')] });
    expect(existsSync(join(store, 'objects'))).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('exits 2 on an unknown tree, with a JSON error under --json', () => {
    expectUsage(['tree', 'show', 'nope'], /unknown tree "nope"/);
    expectUsage(['tree', 'remove', 'nope'], /unknown tree "nope"/);
    const r = runCli(['tree', 'show', 'nope', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'error', result: null, warnings: [], error: { kind: 'usage', exitCode: 2 } });
  });

  it('exits 2 on a tarball that is not a kernel, leaving nothing behind', () => {
    const top = join(env.root, 'not-linux');
    mkdirSync(top);
    writeFileSync(join(top, 'README'), 'hello\n');
    writeFileSync(join(top, 'Makefile'), 'all:\n\techo hi\n');
    const tarball = packTarball(env.root, 'not-linux', join(env.root, 'not-linux.tar.gz'));
    expectUsage(['tree', 'add', 'x', '--source', tarball], /is not a Linux kernel source tarball/);
  });

  it('exits 2 on a missing file, a non-tarball file, a plain directory, and --ref with a tarball', () => {
    expectUsage(['tree', 'add', 'x', '--source', join(env.root, 'linux-6.1.tar.xz')], /no such file or directory/);
    writeFileSync(join(env.root, 'notes.txt'), 'x\n');
    expectUsage(['tree', 'add', 'x', '--source', join(env.root, 'notes.txt')], /is not a tarball/);
    expectUsage(['tree', 'add', 'x', '--source', env.home], /is a directory but not a git tree/);
    expectUsage(['tree', 'add', 'x', '--source', fakeKernelTarball(env.root), '--ref', 'v6.1'], /--ref applies to git trees and URLs only/);
    expectUsage(['tree', 'add', 'x', '--source', 'debian:sid'], /bad Debian source/);
  });

  it('exits 2 when the name is taken, whatever the source', () => {
    const tarball = fakeKernelTarball(env.root);
    expect(runCli(['tree', 'add', 'k', '--source', tarball]).code).toBe(0);
    const commit = listJson().result;
    expectUsage(['tree', 'add', 'k', '--source', tarball], /a tree named "k" already exists/, { registered: ['k'] });
    const dir = join(env.root, 'repo');
    mkdirSync(dir);
    gitSync(dir, ['init', '-q']);
    expectUsage(['tree', 'add', 'k', '--source', dir], /already exists/, { registered: ['k'] });
    expect(listJson().result).toEqual(commit);
  });

  it.each(['bad/name', '.hidden', 'sp ace', 'a'.repeat(65), '../escape'])('exits 2 on the invalid name %j', (name) => {
    expectUsage(['tree', 'add', name, '--source', fakeKernelTarball(env.root)], /invalid tree name/);
  });

  it('exits 2 without --source (a usage error from the parser)', () => {
    expectUsage(['tree', 'add', 'x'], /source/i);
  });

  it('exits 2 on a corrupt .tar.xz that fails half-way, leaving no .partial dir and no registry entry', () => {
    // Enough incompressible data that tar extracts some files before xz hits the cut.
    const top = 'linux-source-6.1';
    const tarball = fakeKernelTarball(env.root);
    const big = join(env.root, top, 'zz-blob');
    writeFileSync(big, randomBytes(3 * 1024 * 1024));
    packTarball(env.root, top, tarball);
    truncateSync(tarball, Math.floor(statSync(tarball).size * 0.6));
    expectUsage(['tree', 'add', 'k', '--source', tarball], /cannot extract/);
  });

  it('cleans up and exits 130 when interrupted (SIGINT) in the middle of an import', async () => {
    // A fake xz that hands tar part of a real archive and then hangs, so the import is caught half-way.
    const tarball = fakeKernelTarball(env.root, { name: 'plain.tar.xz' });
    const plain = packTarball(env.root, 'linux-source-6.1', join(env.root, 'plain.tar'));
    const bin = join(env.root, 'bin');
    mkdirSync(bin);
    const mark = join(env.root, 'xz-started');
    writeFileSync(join(bin, 'xz'), `#!/bin/sh\nexec 2>/dev/null\necho $$ > "${mark}.tmp"; mv "${mark}.tmp" "${mark}"\nhead -c 4096 "${plain}"\nexec sleep 60\n`);
    chmodSync(join(bin, 'xz'), 0o755);
    const cli = join(new URL('../..', import.meta.url).pathname, 'bin', 'run.js');
    const child = spawn(process.execPath, [cli, 'tree', 'add', 'k', '--source', tarball, '--json'], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let xzPid = 0;
    try {
      const t0 = Date.now();
      while (!existsSync(mark)) {
        if (Date.now() - t0 > 20_000) throw new Error('the fake xz never started');
        await new Promise((r) => setTimeout(r, 50));
      }
      xzPid = Number(readFileSync(mark, 'utf8').trim());
      await new Promise((r) => setTimeout(r, 300));
      expect(leftovers().some((d) => d.startsWith('k.partial-'))).toBe(true);
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
      expect(code).toBe(130);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'interrupted', error: { kind: 'interrupted', exitCode: 130 } });
      expect(leftovers()).toEqual([]);
      expect(listJson().result).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      if (xzPid) {
        try {
          process.kill(xzPid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
  });
});
