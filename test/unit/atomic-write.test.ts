// SPDX-License-Identifier: GPL-2.0-only
/**
 * Atomic writes (src/lib/atomic-write.ts) and what a SIGKILLed one leaves: NAME.tmp-PID.
 * The next write in that directory removes such leftovers whose process is gone — files and
 * directories — and keeps those of live processes (they may be writing right now). Every
 * writer of kseries' state and cache goes through it: the registry, apply records, the
 * workspace record, a build's metadata.json, warnings ledger and stats, an initramfs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeRecord } from '../../src/lib/apply/state.js';
import { pidGone, removeDeadTemps, tempPathFor, writeFileAtomic } from '../../src/lib/atomic-write.js';
import { writeStats } from '../../src/lib/build/compile-progress.js';
import { writeLedger } from '../../src/lib/build/ledger.js';
import { writeMetadata } from '../../src/lib/build/metadata.js';
import { initramfsRoot, registryFile } from '../../src/lib/paths.js';
import { Registry } from '../../src/lib/trees/registry.js';
import { buildInitramfs, initramfsDir } from '../../src/lib/vm/initramfs.js';
import { treeWorktreeDir, writeWorkspace } from '../../src/lib/workspace.js';
import { FakeRunner } from '../helpers/fake-runner.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';

let env: IsolatedEnv;
let live: ChildProcess;
let dead: number;
beforeEach(() => {
  env = isolate('kseries-atomic-');
  live = spawn('sleep', ['300'], { stdio: 'ignore' });
  dead = spawnSync('true').pid!;
  expect(pidGone(dead)).toBe(true);
  expect(pidGone(live.pid!)).toBe(false);
});
afterEach(() => {
  live.kill('SIGKILL');
  env.cleanup();
});

/** Leftovers beside FILE: one of a dead run (a file), one of a live run. */
function leftovers(file: string): { dead: string; live: string } {
  mkdirSync(join(file, '..'), { recursive: true });
  const d = tempPathFor(file, dead);
  const l = tempPathFor(file, live.pid);
  writeFileSync(d, '{"half');
  writeFileSync(l, '{"being written');
  return { dead: d, live: l };
}

describe('removeDeadTemps', () => {
  it('removes NAME.tmp-PID files and directories whose PID is gone; keeps live and own ones and anything else', () => {
    const dir = join(env.root, 'd');
    mkdirSync(join(dir, `abc123.tmp-${dead}`, 'stage'), { recursive: true });
    writeFileSync(join(dir, `abc123.tmp-${dead}`, 'stage', 'init'), 'x');
    for (const n of [`trees.json.tmp-${dead}`, `trees.json.tmp-${live.pid}`, `trees.json.tmp-${process.pid}`, `trees.json.tmp-${process.ppid}`, 'trees.json', 'a.tmp', `a.tmp-${dead}x`, `lock.${dead}.cafe.tmp`]) writeFileSync(join(dir, n), '');
    expect(removeDeadTemps(dir).sort()).toEqual([`abc123.tmp-${dead}`, `trees.json.tmp-${dead}`]);
    expect(readdirSync(dir).sort()).toEqual(
      [`trees.json.tmp-${live.pid}`, `trees.json.tmp-${process.pid}`, `trees.json.tmp-${process.ppid}`, 'trees.json', 'a.tmp', `a.tmp-${dead}x`, `lock.${dead}.cafe.tmp`].sort(),
    );
    expect(removeDeadTemps(join(env.root, 'no-such-dir'))).toEqual([]);
  });

  it('writeFileAtomic writes the whole file, leaves no temporary of its own, and removes dead leftovers beside it', () => {
    const f = join(env.root, 'x', 'f.json');
    const l = leftovers(f);
    writeFileAtomic(f, '{"ok":1}\n');
    expect(readFileSync(f, 'utf8')).toBe('{"ok":1}\n');
    expect(readdirSync(join(env.root, 'x')).sort()).toEqual(['f.json', relative(join(env.root, 'x'), l.live)].sort());
  });
});

describe('every writer of the state and cache', () => {
  const build = () => join(env.paths.cache, 'build', 'k', 'x86_64-default');
  const writers: Array<[string, () => string, () => void]> = [
    ['the tree registry', () => registryFile(env.paths), () => new Registry(env.paths).add({
      name: 'k', kind: 'git', repo: '/r', source: '/r', ref: 'HEAD', commit: '0'.repeat(40),
      kernel: { version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' }, tags: [], addedAt: '2024-01-01T00:00:00Z',
    })],
    ['an apply record', () => join(treeWorktreeDir(env.paths, 'k'), 'v6.1.apply.json'), () => writeRecord(env.paths, { version: 1, report: { tree: 'k', series: { base: 'v6.1' } }, patches: [], upstreamSince: null } as never)],
    ['the workspace record', () => join(treeWorktreeDir(env.paths, 'k'), 'current.json'), () => writeWorkspace(env.paths, { tree: 'k', srcDir: '/s', series: null, branch: null, baseCommit: 'b', head: 'h', updatedAt: 'now' } as never)],
    ['metadata.json', () => join(build(), 'metadata.json'), () => writeMetadata(join(build(), 'metadata.json'), { status: 'ok' } as never)],
    ['the warnings ledger', () => join(build(), 'kseries-warnings.json'), () => writeLedger(join(build(), 'kseries-warnings.json'), { version: 1, srcDir: '/s', objects: {}, link: [] })],
    ['the build stats', () => join(build(), 'kseries-build-stats.json'), () => writeStats(join(build(), 'kseries-build-stats.json'), { compiled: 1, objects: 2 })],
  ];

  it.each(writers)('%s: written whole, a dead run\'s leftover removed, a live run\'s kept', (_what, file, write) => {
    const l = leftovers(file());
    write();
    expect(existsSync(file())).toBe(true);
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toBeTruthy();
    expect(existsSync(l.dead)).toBe(false);
    expect(existsSync(l.live)).toBe(true);
    expect(existsSync(tempPathFor(file()))).toBe(false);
  });

  it('an initramfs: made in HASH.tmp-PID and renamed; a dead run\'s half-made one (a directory) goes, a live run\'s stays', async () => {
    const root = initramfsRoot(env.paths);
    mkdirSync(join(root, `0123456789abcdef0123.tmp-${dead}`, 'stage'), { recursive: true });
    mkdirSync(join(root, `fedcba9876543210fedc.tmp-${live.pid}`), { recursive: true });
    const runner = new FakeRunner()
      .expect('sh', (s) => (writeFileSync(s.args.at(-1)!, 'cpio'), {}))
      .expect('gzip', (s) => (writeFileSync(`${s.args.at(-1)}.gz`, 'gz'), {}));
    const r = await buildInitramfs(runner, env.paths, [], '/usr/bin/gen_init_cpio');
    runner.verify();
    expect(r.dir).toBe(initramfsDir(env.paths, r.hash));
    expect(readdirSync(root).sort()).toEqual([r.hash.slice(0, 20), `fedcba9876543210fedc.tmp-${live.pid}`].sort());
  });

  it('no other writer of src/ makes NAME.tmp-PID itself: they all go through atomic-write.ts', () => {
    const src = new URL('../../src', import.meta.url).pathname;
    const offenders = spawnSync('grep', ['-rlE', String.raw`\.tmp-\$\{|renameSync\(tmp`, src], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    expect(offenders.map((f) => relative(src, f))).toEqual(['lib/atomic-write.ts']);
  });
});
