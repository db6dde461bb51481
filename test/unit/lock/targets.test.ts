// SPDX-License-Identifier: GPL-2.0-only
/**
 * Where the locks live (trees under the state directory, build/results/image under the
 * cache), that two spellings of one directory share a lock, and that runs started in the
 * same second get results directories of their own (claimRunDir, also raced by processes).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDirLock, imageLock, resultsDirLock, treeLock } from '../../../src/lib/lock/targets.js';
import type { StatePaths } from '../../../src/lib/paths.js';
import { claimRunDir, runDirStamp } from '../../../src/lib/run-dir.js';

const REPO = new URL('../../..', import.meta.url).pathname;
let dir: string;
let paths: StatePaths;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-lock-targets-'));
  paths = { data: join(dir, 'state'), cache: join(dir, 'cache') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lock targets', () => {
  it('a tree lock is under the state directory, build, results and image locks under the cache', () => {
    expect(treeLock(paths, 'k61')).toEqual({ path: join(paths.data, 'locks', 'tree-k61.lock'), what: 'tree k61', kind: 'tree', key: 'k61' });
    const b = buildDirLock(paths, join(paths.cache, 'build', 'k61', 'x86_64-default'));
    expect(b.path).toMatch(new RegExp(`^${paths.cache}/locks/build-.*x86_64-default-[0-9a-f]{12}\\.lock$`));
    expect(b.what).toBe(`build directory ${join(paths.cache, 'build', 'k61', 'x86_64-default')}`);
    expect(resultsDirLock(paths, '/r/selftest').path).toMatch(new RegExp(`^${paths.cache}/locks/results-r_selftest-[0-9a-f]{12}\\.lock$`));
    expect(imageLock(paths, '/v/a.img').what).toBe('VM image /v/a.img');
    // a name that cannot be a file name still gets a lock file of its own
    expect(treeLock(paths, '../x').path).toMatch(new RegExp(`^${paths.data}/locks/tree-x-[0-9a-f]{12}\\.lock$`));
  });

  it('two spellings of one directory (a symlink, a relative path, a trailing slash) share one lock; other directories do not', () => {
    const real = join(dir, 'builds', 'b1');
    mkdirSync(real, { recursive: true });
    symlinkSync(join(dir, 'builds'), join(dir, 'link'));
    const a = buildDirLock(paths, real).path;
    expect(buildDirLock(paths, join(dir, 'link', 'b1')).path).toBe(a);
    expect(buildDirLock(paths, `${real}/`).path).toBe(a);
    expect(buildDirLock(paths, join(dir, 'link', 'b1', '..', 'b1')).path).toBe(a);
    // not created yet: keyed by the existing part resolved
    expect(buildDirLock(paths, join(dir, 'link', 'new')).path).toBe(buildDirLock(paths, join(dir, 'builds', 'new')).path);
    expect(buildDirLock(paths, join(dir, 'builds', 'b2')).path).not.toBe(a);
  });
});

describe('run directories', () => {
  it('the usual name when free; NAME-2, NAME-3 for runs started in the same second', () => {
    const name = `selftest-${runDirStamp(new Date('2025-06-01T10:00:00.123Z'))}`;
    expect(name).toBe('selftest-2025-06-01T10-00-00Z');
    const parent = join(dir, 'kseries-results', 'k61');
    expect(claimRunDir(parent, name, { create: false })).toBe(join(parent, name));
    expect(existsSync(parent)).toBe(false); // a dry run creates nothing
    expect(claimRunDir(parent, name, { create: true })).toBe(join(parent, name));
    expect(claimRunDir(parent, name, { create: false })).toBe(join(parent, `${name}-2`));
    expect(claimRunDir(parent, name, { create: true })).toBe(join(parent, `${name}-2`));
    expect(claimRunDir(parent, name, { create: true })).toBe(join(parent, `${name}-3`));
    expect(readdirSync(parent).sort()).toEqual([name, `${name}-2`, `${name}-3`]);
  });

  it('processes claiming the same name at the same time each get a directory of their own', async () => {
    const parent = join(dir, 'results');
    const script = `
      import { claimRunDir } from ${JSON.stringify(join(REPO, 'dist/lib/run-dir.js'))};
      const got = [];
      for (let i = 0; i < 10; i++) got.push(claimRunDir(${JSON.stringify(parent)}, 'ci-2025-06-01T10-00-00Z', { create: true }));
      console.log(JSON.stringify(got));
    `;
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`))));
      });
    const all = (await Promise.all([run(), run(), run()])).flat();
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
    expect(readdirSync(parent)).toHaveLength(30);
  });
});
