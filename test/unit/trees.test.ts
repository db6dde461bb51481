// SPDX-License-Identifier: GPL-2.0-only
/** Tree registration and import through the library: tarballs, local git trees, URLs, removal. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KseriesError } from '../../src/lib/errors.js';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { importedTreeDir, worktreeRoot } from '../../src/lib/paths.js';
import { addTree, importTarball, stripDebianGitignore } from '../../src/lib/trees/import.js';
import { importRef, lineStoreDir } from '../../src/lib/trees/store.js';
import { parseKernelMakefile } from '../../src/lib/trees/kernel-version.js';
import { Registry } from '../../src/lib/trees/registry.js';
import { removeTree } from '../../src/lib/trees/remove.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { DEBIAN_GITIGNORE_BLOCK, fakeKernelTarball, hashTree, kernelMakefile, packTarball, UPSTREAM_GITIGNORE, writeFakeKernel } from '../helpers/fake-kernel.js';

let env: IsolatedEnv;
const runner = () => new ExecaRunner();
const usage = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('expected a usage error'),
    (e: unknown) => {
      expect(e).toBeInstanceOf(KseriesError);
      expect((e as KseriesError).kind).toBe('usage');
      return e as KseriesError;
    },
  );

beforeEach(() => {
  env = isolate();
});
afterEach(() => env.cleanup());

/** A user's kernel git tree: v6.1.4, then v6.1.5 on main, plus uncommitted, staged, untracked and ignored files. */
function userTree(): string {
  const dir = join(env.root, 'linux');
  writeFakeKernel(dir, { sublevel: 4, debianGitignore: false });
  gitSync(dir, ['init', '-q', '-b', 'main']);
  gitSync(dir, ['add', '-A']);
  gitSync(dir, ['commit', '-q', '-m', 'Linux 6.1.4']);
  gitSync(dir, ['tag', 'v6.1.4']);
  writeFileSync(join(dir, 'Makefile'), kernelMakefile(5));
  gitSync(dir, ['commit', '-q', '-am', 'Linux 6.1.5']);
  gitSync(dir, ['tag', '-a', '-m', 'Linux 6.1.5', 'v6.1.5']);
  writeFileSync(join(dir, 'init', 'main.c'), '/* work in progress */\n');
  writeFileSync(join(dir, 'staged.c'), 'int staged;\n');
  gitSync(dir, ['add', 'staged.c']);
  writeFileSync(join(dir, 'notes.txt'), 'untracked\n');
  writeFileSync(join(dir, 'init', 'main.o'), 'ignored object\n');
  return dir;
}

/** Everything a user could notice about a checkout: files byte for byte, status, index, refs, HEAD, worktrees. */
function snapshot(dir: string) {
  return {
    files: hashTree(dir),
    status: gitSync(dir, ['status', '--porcelain=v1', '--untracked-files=all', '--ignored']),
    index: gitSync(dir, ['ls-files', '-s']),
    refs: gitSync(dir, ['for-each-ref', '--format=%(refname) %(objectname)']),
    head: gitSync(dir, ['symbolic-ref', 'HEAD']),
    worktrees: gitSync(dir, ['worktree', 'list', '--porcelain']),
  };
}

describe('tarball import', () => {
  it('makes one tagged commit of the whole tarball, strips the Debian .gitignore block and registers the tree', async () => {
    const tarball = fakeKernelTarball(env.root);
    const rec = await addTree(runner(), env.paths, { name: 'k', source: tarball });
    const repo = importedTreeDir(env.paths, 'k');
    expect(rec).toMatchObject({ name: 'k', kind: 'imported', repo, source: tarball, ref: 'v6.1.5', tags: ['v6.1.5'] });
    expect(rec.kernel).toEqual({ version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' });
    expect(gitSync(repo, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    expect(gitSync(repo, ['rev-parse', 'HEAD']).trim()).toBe(rec.commit);
    expect(gitSync(repo, ['rev-parse', 'v6.1.5^{commit}']).trim()).toBe(rec.commit);
    expect(gitSync(repo, ['show', 'HEAD:.gitignore'])).toBe(UPSTREAM_GITIGNORE);
    expect(gitSync(repo, ['ls-files']).trim().split('\n').sort()).toEqual(
      ['.gitignore', 'COPYING', 'Kconfig', 'Makefile', 'arch/x86/Kconfig', 'init/main.c', 'scripts/checkpatch.pl'].sort(),
    );
    expect(gitSync(repo, ['status', '--porcelain'])).toBe('');
    // no detached `git gc --auto` over the loose objects, now or after later commits
    expect(gitSync(repo, ['config', 'gc.auto']).trim()).toBe('0');
    expect(gitSync(repo, ['config', 'maintenance.auto']).trim()).toBe('false');
    const msg = gitSync(repo, ['log', '-1', '--format=%an <%ae>%n%B']);
    expect(msg).toMatch(/^kseries <kseries@localhost>\nLinux 6\.1\.5\n/);
    expect(msg).toMatch(/sha256: [0-9a-f]{64}/);
    expect(msg).toMatch(/Debian's packaging block/);
    expect(new Registry(env.paths).get('k')).toEqual(rec);
    expect(readdirSync(join(env.paths.data, 'trees'))).toEqual(['k']);
  });

  it('is reproducible: the same tarball gives the same commit', async () => {
    const tarball = fakeKernelTarball(env.root);
    const a = await addTree(runner(), env.paths, { name: 'a', source: tarball });
    const b = await addTree(runner(), env.paths, { name: 'b', source: tarball });
    expect(b.commit).toBe(a.commit);
  });

  it('gives the same commit whatever the tarball is called or when it was copied, with or without a Debian version', async () => {
    const tarball = fakeKernelTarball(env.root);
    const a = await addTree(runner(), env.paths, { name: 'a', source: tarball });
    const copy = join(env.root, 'copied', 'linux-6.1.5-from-a-mirror.tar.xz');
    mkdirSync(join(env.root, 'copied'));
    copyFileSync(tarball, copy);
    utimesSync(copy, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const b = await addTree(runner(), env.paths, { name: 'b', source: copy });
    expect(b.commit).toBe(a.commit);
    // as debian:6.1=VERSION names it: the version goes to a tag, not into the commit
    const deb = await importTarball(runner(), { tarball: copy, dest: join(env.root, 'deb'), debianVersion: '6.1.5-1', debianPackage: 'linux-source-6.1' });
    expect(deb.commit).toBe(a.commit);
    expect(deb.tags).toEqual(['v6.1.5', 'debian/6.1.5-1']);
  });

  it('shares one object store per kernel line: a second import writes only what changed and sees the first one\'s blobs', async () => {
    const t5 = fakeKernelTarball(join(env.root, 'a'), { sublevel: 5 });
    const k5 = await addTree(runner(), env.paths, { name: 'k5', source: t5 });
    const store = lineStoreDir(env.paths, '6.1');
    const looseIn = (objects: string) => gitSync(join(objects, '..'), ['count-objects']).trim();
    const alternates = (repo: string) => readFileSync(join(repo, '.git', 'objects', 'info', 'alternates'), 'utf8');
    expect(alternates(k5.repo)).toBe(`${join(store, 'objects')}\n`);
    // the import's own odb holds only its tag objects; blobs, trees and the commit are in the store
    expect(looseIn(join(k5.repo, '.git', 'objects'))).toMatch(/^1 objects/);
    expect(gitSync(store, ['rev-parse', importRef(k5.commit)]).trim()).toBe(k5.commit);

    mkdirSync(join(env.root, 'b'));
    const t6 = join(env.root, 'b', 'linux-source-6.1.tar.xz');
    writeFakeKernel(join(env.root, 'b', 'linux-source-6.1'), { sublevel: 6 });
    packTarball(join(env.root, 'b'), 'linux-source-6.1', t6);
    const before = Number(/^(\d+) objects/.exec(gitSync(store, ['count-objects']))![1]);
    const k6 = await addTree(runner(), env.paths, { name: 'k6', source: t6 });
    const after = Number(/^(\d+) objects/.exec(gitSync(store, ['count-objects']))![1]);
    // a new Makefile blob, a new root tree and a new commit; every other blob was already there
    expect(after - before).toBe(3);
    // k6 resolves k5's commit and reads its preimage blobs: what `git am -3` needs
    expect(gitSync(k6.repo, ['cat-file', '-t', k5.commit]).trim()).toBe('commit');
    expect(gitSync(k6.repo, ['show', `${k5.commit}:Makefile`])).toBe(kernelMakefile(5));

    // removing k5 drops its ref from the store (k6 still reads its own objects), never the store
    await removeTree(env.paths, 'k5');
    expect(spawnSync('git', ['-C', store, 'rev-parse', '--verify', '-q', importRef(k5.commit)]).status).not.toBe(0);
    gitSync(store, ['gc', '-q', '--prune=now']);
    expect(gitSync(k6.repo, ['show', 'HEAD:Makefile'])).toBe(kernelMakefile(6));
    expect(gitSync(k6.repo, ['fsck', '--no-dangling', '--connectivity-only'])).toBe('');
  });

  it('brings an import made before its line had a store into the store at the next import of the line', async () => {
    const old = join(env.root, 'old');
    const t5 = fakeKernelTarball(join(env.root, 'a'), { sublevel: 5 });
    // an import of an earlier kseries: its own objects, no store
    const imp = await importTarball(runner(), { tarball: t5, dest: old });
    new Registry(env.paths).add({ name: 'old', kind: 'imported', repo: old, source: t5, ref: 'v6.1.5', commit: imp.commit, kernel: imp.kernel, tags: imp.tags, addedAt: new Date().toISOString() });
    const k = await addTree(runner(), env.paths, { name: 'k', source: fakeKernelTarball(join(env.root, 'b'), { sublevel: 6 }) });
    const store = lineStoreDir(env.paths, '6.1');
    expect(gitSync(store, ['rev-parse', importRef(imp.commit)]).trim()).toBe(imp.commit);
    expect(gitSync(k.repo, ['show', `${imp.commit}:Makefile`])).toBe(kernelMakefile(5));
    expect(readFileSync(join(old, '.git', 'objects', 'info', 'alternates'), 'utf8')).toBe(`${join(store, 'objects')}\n`);
  });

  it('refuses --ref for a tarball', async () => {
    const e = await usage(addTree(runner(), env.paths, { name: 'k', source: fakeKernelTarball(env.root), ref: 'v6.1' }));
    expect(e.message).toMatch(/--ref/);
  });
});

describe('local git tree', () => {
  it('is registered in place and left byte-identical, with uncommitted and untracked files', async () => {
    const dir = userTree();
    const before = snapshot(dir);
    const head = gitSync(dir, ['rev-parse', 'HEAD']).trim();
    const rec = await addTree(runner(), env.paths, { name: 'mine', source: dir });
    expect(rec).toMatchObject({ name: 'mine', kind: 'git', repo: dir, ref: 'HEAD', commit: head, tags: [] });
    expect(rec.kernel.string).toBe('6.1.5');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(env.paths.data, 'trees'))).toBe(false);

    await removeTree(env.paths, 'mine');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(dir)).toBe(true);
    expect(new Registry(env.paths).list()).toEqual([]);
  });

  it.each([
    ['v6.1.4', '6.1.4', 'v6.1.4'],
    ['v6.1.5', '6.1.5', 'v6.1.5^{commit}'],
    ['main~1', '6.1.4', 'main~1'],
    ['main', '6.1.5', 'main'],
  ])('resolves --ref %s to its commit and reads the version there', async (ref, version, rev) => {
    const dir = userTree();
    const rec = await addTree(runner(), env.paths, { name: 'r', source: dir, ref });
    expect(rec.ref).toBe(ref);
    expect(rec.commit).toBe(gitSync(dir, ['rev-parse', rev]).trim());
    expect(rec.kernel.string).toBe(version);
  });

  it('resolves an abbreviated commit id', async () => {
    const dir = userTree();
    const sha = gitSync(dir, ['rev-parse', 'v6.1.4']).trim();
    expect((await addTree(runner(), env.paths, { name: 'r', source: dir, ref: sha.slice(0, 10) })).commit).toBe(sha);
  });

  it('rejects a ref that does not exist, and a repository that is not a kernel', async () => {
    const dir = userTree();
    expect((await usage(addTree(runner(), env.paths, { name: 'r', source: dir, ref: 'v9.9' }))).message).toMatch(/ref "v9.9" does not exist/);
    const other = join(env.root, 'other');
    mkdirSync(other);
    gitSync(other, ['init', '-q']);
    writeFileSync(join(other, 'README'), 'not linux\n');
    gitSync(other, ['add', '.']);
    gitSync(other, ['commit', '-q', '-m', 'x']);
    expect((await usage(addTree(runner(), env.paths, { name: 'o', source: other }))).message).toMatch(/not a Linux kernel tree/);
    expect(new Registry(env.paths).list()).toEqual([]);
  });

  it('accepts a bare repository', async () => {
    const dir = userTree();
    const bare = join(env.root, 'linux.git');
    gitSync(env.root, ['clone', '-q', '--bare', dir, bare]);
    const rec = await addTree(runner(), env.paths, { name: 'bare', source: bare, ref: 'v6.1.4' });
    expect(rec).toMatchObject({ kind: 'git', repo: bare });
    expect(rec.kernel.string).toBe('6.1.4');
  });

  it("remove deletes kseries' worktrees and refs of that tree only, and never prunes the user's own worktrees", async () => {
    const dir = userTree();
    await addTree(runner(), env.paths, { name: 'mine', source: dir });
    // the user's own worktree whose directory is gone: git lists it as prunable
    gitSync(dir, ['worktree', 'add', '-q', join(env.root, 'user-wt'), 'v6.1.4']);
    rmSync(join(env.root, 'user-wt'), { recursive: true, force: true });
    // what later commands create
    const wt = join(worktreeRoot(env.paths), 'mine', 'series');
    gitSync(dir, ['worktree', 'add', '-q', '-b', 'kseries/series/mine', wt, 'v6.1.5']);
    gitSync(dir, ['branch', 'kseries/series/other', 'v6.1.5']);
    const before = snapshot(dir);

    const r = await removeTree(env.paths, 'mine');
    expect(r.removed).toEqual([wt, 'refs/heads/kseries/series/mine']);
    expect(existsSync(wt)).toBe(false);
    const after = snapshot(dir);
    expect(after.files).toEqual(before.files);
    expect(after.status).toBe(before.status);
    expect(after.refs).toBe(before.refs.replace(/^refs\/heads\/kseries\/series\/mine .*\n/m, ''));
    expect(after.worktrees).toMatch(/user-wt\n(.*\n)*prunable/);
  });
});

describe('git URL', () => {
  it('clones a file:// URL bare into the state directory', async () => {
    const dir = userTree();
    const before = snapshot(dir);
    const rec = await addTree(runner(), env.paths, { name: 'c', source: `file://${dir}` });
    const repo = importedTreeDir(env.paths, 'c');
    expect(rec).toMatchObject({ kind: 'clone', repo, ref: 'HEAD', commit: gitSync(dir, ['rev-parse', 'HEAD']).trim() });
    expect(rec.kernel.string).toBe('6.1.5');
    expect(gitSync(repo, ['rev-parse', '--is-bare-repository']).trim()).toBe('true');
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(join(env.paths.data, 'trees'))).toEqual(['c']);
    await removeTree(env.paths, 'c');
    expect(existsSync(repo)).toBe(false);
  });

  it('clones at --ref', async () => {
    const dir = userTree();
    const rec = await addTree(runner(), env.paths, { name: 'c', source: `file://${dir}`, ref: 'v6.1.4' });
    expect(rec.kernel.string).toBe('6.1.4');
    expect(rec.commit).toBe(gitSync(dir, ['rev-parse', 'v6.1.4']).trim());
  });

  it('fails cleanly on a URL that cannot be cloned', async () => {
    await usage(addTree(runner(), env.paths, { name: 'c', source: `file://${env.root}/nowhere` }));
    expect(readdirSync(join(env.paths.data, 'trees'))).toEqual([]);
    expect(new Registry(env.paths).list()).toEqual([]);
  });
});

describe('stripDebianGitignore', () => {
  it.each([
    ['the Debian block at the end (real 6.1 layout)', UPSTREAM_GITIGNORE + DEBIAN_GITIGNORE_BLOCK, UPSTREAM_GITIGNORE, true],
    ['the block without a trailing newline', UPSTREAM_GITIGNORE + DEBIAN_GITIGNORE_BLOCK.slice(0, -1), UPSTREAM_GITIGNORE, true],
    ['a bare "/*" + "!/debian/" pair', '*.o\n/*\n!/debian/\n*.ko\n', '*.o\n*.ko\n', true],
    ['an upstream file', UPSTREAM_GITIGNORE, UPSTREAM_GITIGNORE, false],
    ['"/*" alone', '*.o\n/*\n', '*.o\n/*\n', false],
    ['"!/debian/" alone', '!/debian/\n', '!/debian/\n', false],
    ['an empty file', '', '', false],
  ])('%s', (_what, input, text, changed) => {
    expect(stripDebianGitignore(input)).toEqual({ text, changed });
  });
});

describe('parseKernelMakefile', () => {
  const mk = (lines: string[]) => lines.join('\n') + '\n';
  it.each([
    ['6.1.5, empty EXTRAVERSION then NAME', kernelMakefile(5), { version: 6, patchlevel: 1, sublevel: 5, extraversion: '', string: '6.1.5' }],
    [
      'the real 6.1.192 head',
      mk(['# SPDX-License-Identifier: GPL-2.0', 'VERSION = 6', 'PATCHLEVEL = 1', 'SUBLEVEL = 192', 'EXTRAVERSION =', 'NAME = Curry Ramen', '', '# *DOCUMENTATION*']),
      { version: 6, patchlevel: 1, sublevel: 192, extraversion: '', string: '6.1.192' },
    ],
    ['SUBLEVEL = 0 is the x.y release', mk(['VERSION = 6', 'PATCHLEVEL = 12', 'SUBLEVEL = 0', 'EXTRAVERSION =', 'NAME = Baby Opossum Posse']), { version: 6, patchlevel: 12, sublevel: 0, extraversion: '', string: '6.12' }],
    ['an -rc', mk(['VERSION = 6', 'PATCHLEVEL = 13', 'SUBLEVEL = 0', 'EXTRAVERSION = -rc3', 'NAME = x']), { version: 6, patchlevel: 13, sublevel: 0, extraversion: '-rc3', string: '6.13-rc3' }],
    ['CRLF line ends and tabs', 'VERSION\t=\t6\r\nPATCHLEVEL = 1\r\nSUBLEVEL = 7\r\nEXTRAVERSION =\r\n', { version: 6, patchlevel: 1, sublevel: 7, extraversion: '', string: '6.1.7' }],
    ['no SUBLEVEL', mk(['VERSION = 2', 'PATCHLEVEL = 6']), { version: 2, patchlevel: 6, sublevel: 0, extraversion: '', string: '2.6' }],
    ['not a kernel Makefile', mk(['all:', '\techo hi']), null],
    ['no PATCHLEVEL', mk(['VERSION = 6']), null],
    ['a non-numeric VERSION', mk(['VERSION = six', 'PATCHLEVEL = 1']), null],
    ['KERNELVERSION is not VERSION', mk(['KERNELVERSION = 6', 'PATCHLEVEL = 1']), null],
  ])('%s', (_what, text, expected) => {
    expect(parseKernelMakefile(text)).toEqual(expected);
  });
});
