// SPDX-License-Identifier: GPL-2.0-only
/**
 * Turning sources into registered trees. Every step that can fail runs before the
 * registry is written; a half-made import lives in a ".partial" directory that is
 * removed on failure or Ctrl-C.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { Git, KSERIES_IDENTITY } from '../git/git.js';
import { withLock } from '../lock/locks.js';
import { treeLock } from '../lock/targets.js';
import { infraError, usageError } from '../errors.js';
import { onCleanup } from '../cli/interrupt.js';
import { importedTreeDir, type StatePaths } from '../paths.js';
import { parseKernelMakefile } from './kernel-version.js';
import { Registry, validateTreeName, type KernelVersion, type TreeRecord } from './registry.js';
import { adoptIntoStore, ensureLineStore, kernelLine, linkToStore, pinInStore, writeIntoStore } from './store.js';
import { classifySource, decompressorFor, type SourceSpec } from './source.js';

export interface AddTreeOptions {
  name: string;
  source: string;
  ref?: string;
  /** Progress callback (listr2 task output). */
  onStep?: (msg: string) => void;
}

/** Removes Debian's packaging block ("/*" and "!/debian/") that makes git ignore every new file. */
export function stripDebianGitignore(text: string): { text: string; changed: boolean } {
  // The blank line(s) before the block go too, so the file is byte-identical to upstream's.
  const re = /\n+#\n# Debian packaging:[^\n]*\n(#[^\n]*\n)*\/\*\n!\/debian\/\n?/;
  if (re.test(text)) return { text: text.replace(re, '\n'), changed: true };
  const lines = text.split('\n');
  const i = lines.indexOf('/*');
  if (i >= 0 && lines[i + 1] === '!/debian/') {
    lines.splice(i, 2);
    return { text: lines.join('\n'), changed: true };
  }
  return { text, changed: false };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path).on('data', (d) => h.update(d)).on('end', () => resolve()).on('error', reject);
  });
  return h.digest('hex');
}

export interface DebianTarball {
  tarball: string;
  debianVersion: string;
}

/** Finds (installing when missing, or downloading a pinned older version) the tarball of a Debian linux-source package. */
export async function debianTarball(runner: Runner, spec: Extract<SourceSpec, { kind: 'debian' }>, paths: StatePaths): Promise<DebianTarball> {
  const pkg = spec.package;
  if (spec.pin) {
    const dir = join(paths.cache, 'debian', `${pkg}_${spec.pin}`);
    const tarball = join(dir, 'usr', 'src', `${pkg}.tar.xz`);
    if (!existsSync(tarball)) {
      mkdirSync(dir, { recursive: true });
      const dl = await runner.run({ cmd: 'apt-get', args: ['download', `${pkg}=${spec.pin}`], cwd: dir });
      if (dl.exitCode !== 0) {
        throw usageError(`cannot download ${pkg}=${spec.pin}: ${dl.stderr.trim().split('\n').slice(-1)[0]}`, `List the versions with: apt-cache madison ${pkg}`);
      }
      const deb = join(dir, `${pkg}_${spec.pin.replace(/:/g, '%3a')}_all.deb`);
      const x = await runner.run({ cmd: 'dpkg-deb', args: ['-x', deb, dir] });
      if (x.exitCode !== 0 || !existsSync(tarball)) throw infraError(`cannot unpack ${deb}: ${x.stderr.trim()}`);
    }
    return { tarball, debianVersion: spec.pin };
  }
  const q = async () => runner.run({ cmd: 'dpkg-query', args: ['-W', '-f=${Status}\\t${Version}\\n', pkg] });
  let r = await q();
  const installed = (res: typeof r) => res.exitCode === 0 && /install ok installed\t/.test(res.stdout);
  if (!installed(r)) {
    if (process.getuid?.() !== 0) throw infraError(`${pkg} is not installed and kseries is not root`, `Run as root: apt-get install -y ${pkg}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    let inst = await runner.run({ cmd: 'apt-get', args: ['install', '-y', '-qq', pkg], env });
    if (inst.exitCode !== 0) {
      await runner.run({ cmd: 'apt-get', args: ['update', '-qq'], env });
      inst = await runner.run({ cmd: 'apt-get', args: ['install', '-y', '-qq', pkg], env });
    }
    if (inst.exitCode !== 0) throw infraError(`apt-get install ${pkg} failed: ${inst.stderr.trim().split('\n').slice(-2).join(' ')}`, `Check: apt-cache policy ${pkg}`);
    r = await q();
  }
  const version = r.stdout.split('\t')[1]?.trim() ?? '';
  const tarball = `/usr/src/${pkg}.tar.xz`;
  if (!existsSync(tarball)) throw infraError(`${pkg} is installed but ${tarball} is missing`, `Reinstall it: apt-get install --reinstall ${pkg}`);
  return { tarball, debianVersion: version };
}

/** Extracts a kernel tarball into a fresh git repository with one commit and version tags. */
export async function importTarball(
  runner: Runner,
  opts: {
    tarball: string;
    dest: string;
    debianVersion?: string;
    debianPackage?: string;
    /** The object store of the tarball's kernel line (store.ts): objects are written there. */
    storeFor?: (kernel: KernelVersion) => Promise<string>;
    onStep?: (m: string) => void;
  },
): Promise<{ commit: string; kernel: KernelVersion; tags: string[]; store: string | null }> {
  const { tarball, dest } = opts;
  mkdirSync(dest, { recursive: true });
  opts.onStep?.(`extracting ${basename(tarball)}`);
  const dec = decompressorFor(tarball);
  const tarArgs = ['-x', '--strip-components=1', '-C', dest, '-f', tarball];
  if (dec) tarArgs.unshift('-I', dec.cmd === 'xz' || dec.cmd === 'zstd' ? `${dec.cmd} -T0` : dec.cmd);
  const x = await runner.run({ cmd: 'tar', args: tarArgs, buffer: true });
  if (x.exitCode !== 0) {
    // a full disk is the host's problem, not the tarball's (tar's last line is only "Error is not recoverable")
    const full = x.stderr.split('\n').find((l) => /No space left on device|Disk quota exceeded/.test(l));
    if (full) throw infraError(`the disk is full: cannot extract ${tarball} into ${dest}: ${full.trim()}`, `Free space in ${dirname(dest)}, or import into another state dir (KSERIES_HOME, --state-dir).`);
    throw usageError(`cannot extract ${tarball}: ${x.stderr.trim().split('\n').slice(-1)[0]}`, 'Is it a complete, uncorrupted tarball?');
  }
  const makefile = join(dest, 'Makefile');
  const kernel = existsSync(makefile) ? parseKernelMakefile(readFileSync(makefile, 'utf8')) : null;
  if (!kernel || !existsSync(join(dest, 'Kconfig')) || !existsSync(join(dest, 'arch'))) {
    throw usageError(`${tarball} is not a Linux kernel source tarball (no top-level Makefile with VERSION/PATCHLEVEL, Kconfig and arch/)`);
  }
  const gi = join(dest, '.gitignore');
  let note = '';
  if (existsSync(gi)) {
    const s = stripDebianGitignore(readFileSync(gi, 'utf8'));
    if (s.changed) {
      writeFileSync(gi, s.text);
      note = '\n.gitignore: Debian\'s packaging block ("/*", "!/debian/") was removed so that new files show up in git.\n';
    }
  }
  const git = new Git(dest);
  await git.ok(['init', '-q', '--initial-branch=base']);
  // ~80k loose objects would make the commit start a detached `git gc --auto` that repacks for
  // minutes behind our back (and races `tree remove`); later commits in worktrees would too.
  await git.ok(['config', 'gc.auto', '0']);
  await git.ok(['config', 'maintenance.auto', 'false']);
  const store = opts.storeFor ? await opts.storeFor(kernel) : null;
  // blobs, trees and the commit go to the line's store (only what it lacks is written); tags stay here
  const into = store ? writeIntoStore(store) : {};
  if (store) linkToStore(dest, store);
  opts.onStep?.(`hashing files into git${store ? ` (objects shared in ${store})` : ''}`);
  await git.ok(['-c', 'core.looseCompression=0', '-c', 'core.autocrlf=false', 'add', '-A', '-f', '.'], { env: into });
  // The commit depends on the tarball's content only, not on how it was named (debian:6.1=V,
  // debian:6.1 or its path, under any file name) nor on when the file was copied: its message
  // has the tarball's hash, its date is the Makefile's mtime as stored in the tarball. So a
  // base-commit written on one machine is found on any other.
  const sha = await sha256File(tarball);
  const mtime = Math.floor(statSync(makefile).mtimeMs / 1000);
  const deb = opts.debianVersion ? ` (Debian ${opts.debianPackage ?? 'package'} ${opts.debianVersion})` : '';
  const msg = `Linux ${kernel.string}\n\nImported by kseries from a source tarball\nsha256: ${sha}\n${note}`;
  const env = { ...KSERIES_IDENTITY, GIT_AUTHOR_DATE: `@${mtime} +0000`, GIT_COMMITTER_DATE: `@${mtime} +0000` };
  await git.ok(['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', msg], { env: { ...env, ...into } });
  const commit = (await git.ok(['rev-parse', 'HEAD'])).trim();
  if (store) await pinInStore(store, commit);
  const tags = [`v${kernel.string}`];
  if (opts.debianVersion) tags.push(`debian/${opts.debianVersion.replace(/[~:]/g, '_')}`);
  for (const t of tags) await git.ok(['-c', 'tag.gpgsign=false', 'tag', '-a', '-m', `${t}${deb}`, t, commit], { env });
  return { commit, kernel, tags, store };
}

async function versionAt(git: Git, ref: string) {
  const r = await git.run(['show', `${ref}:Makefile`]);
  return r.exitCode === 0 ? parseKernelMakefile(r.stdout) : null;
}

/** The file that marks a whole import of kseries' (inside its git directory; a clone is bare). */
const importMarker = (repo: string) => (existsSync(join(repo, '.git')) ? join(repo, '.git', 'kseries-import.json') : join(repo, 'kseries-import.json'));

/**
 * What a `tree add` of this name killed half-way left (SIGKILL, a power cut: no cleanup ran),
 * removed under the name's lock, so that no other run can be importing it: its
 * DEST.partial-PID directories, and DEST itself when it is a whole import that was never
 * registered (killed between the rename and the registry write: it carries the marker).
 * A DEST without the marker is not ours to remove: the caller refuses it.
 */
function removeKilledImports(dest: string, onStep?: (m: string) => void): void {
  const parent = dirname(dest);
  if (!existsSync(parent)) return;
  const prefix = `${basename(dest)}.partial-`;
  for (const e of readdirSync(parent)) {
    if (!e.startsWith(prefix) || !/^\d+$/.test(e.slice(prefix.length))) continue;
    onStep?.(`removing ${join(parent, e)}, left by an import that was killed`);
    rmSync(join(parent, e), { recursive: true, force: true });
  }
  if (existsSync(dest) && existsSync(importMarker(dest))) {
    onStep?.(`removing ${dest}, an import that was killed before it was registered`);
    rmSync(dest, { recursive: true, force: true });
  }
}

/** Imports of the line registered before it had a store: their objects are shared from now on. */
async function adoptOlderImports(registry: Registry, store: string, line: string, onStep?: (m: string) => void): Promise<void> {
  for (const t of registry.list()) {
    if (t.kind !== 'imported' || kernelLine(t.kernel) !== line || !existsSync(t.repo)) continue;
    if (await adoptIntoStore(t.repo, t.commit, store)) onStep?.(`tree ${t.name}: its objects are now shared in ${store}`);
  }
}

/** Registers a tree, holding the lock of its name: a second `tree add` of the same name waits, then finds it registered. */
export async function addTree(runner: Runner, paths: StatePaths, opts: AddTreeOptions): Promise<TreeRecord> {
  validateTreeName(opts.name);
  return withLock(treeLock(paths, opts.name), () => addLocked(runner, paths, opts));
}

async function addLocked(runner: Runner, paths: StatePaths, opts: AddTreeOptions): Promise<TreeRecord> {
  const registry = new Registry(paths);
  if (registry.find(opts.name)) throw usageError(`a tree named "${opts.name}" already exists`, `Pick another name or run: kseries tree remove ${opts.name}`);
  const spec = classifySource(opts.source);
  const addedAt = new Date().toISOString();

  if (spec.kind === 'git') {
    const git = new Git(spec.path);
    if (!(await git.isRepo())) throw usageError(`${opts.source} is not a git repository`);
    const ref = opts.ref ?? 'HEAD';
    const commit = await git.resolve(ref);
    if (!commit) throw usageError(`ref "${ref}" does not exist in ${opts.source}`, `List refs with: git -C ${spec.path} show-ref`);
    const kernel = await versionAt(git, commit);
    if (!kernel) throw usageError(`${opts.source} at ${ref} is not a Linux kernel tree (no top-level Makefile with VERSION/PATCHLEVEL)`);
    const repo = (await git.run(['rev-parse', '--is-bare-repository'])).stdout.trim() === 'true' ? spec.path : await git.topLevel();
    const rec: TreeRecord = { name: opts.name, kind: 'git', repo, source: opts.source, ref, commit, kernel, tags: [], addedAt };
    registry.add(rec);
    return rec;
  }

  if (opts.ref && spec.kind !== 'url') throw usageError('--ref applies to git trees and URLs only');
  const dest = importedTreeDir(paths, opts.name);
  removeKilledImports(dest, opts.onStep);
  if (existsSync(dest)) throw usageError(`${dest} already exists but is not registered`, `Remove it first: rm -rf ${dest}`);
  const partial = `${dest}.partial-${process.pid}`;
  const unregister = onCleanup(() => rmSync(partial, { recursive: true, force: true }));
  try {
    let rec: TreeRecord;
    if (spec.kind === 'url') {
      opts.onStep?.(`cloning ${spec.url}`);
      mkdirSync(join(partial, '..'), { recursive: true });
      const args = ['clone', '--bare', '--quiet'];
      if (opts.ref) args.push('--branch', opts.ref);
      const r = await new Git(join(partial, '..')).run([...args, spec.url, partial]);
      if (r.exitCode !== 0) throw usageError(`cannot clone ${spec.url}: ${r.stderr.trim().split('\n').slice(-1)[0]}`);
      const git = new Git(partial);
      const ref = opts.ref ?? 'HEAD';
      const commit = await git.resolve(ref);
      if (!commit) throw usageError(`ref "${ref}" not found in ${spec.url}`);
      const kernel = await versionAt(git, commit);
      if (!kernel) throw usageError(`${spec.url} is not a Linux kernel tree`);
      rec = { name: opts.name, kind: 'clone', repo: dest, source: opts.source, ref, commit, kernel, tags: [], addedAt };
    } else {
      let tarball: string;
      let debianVersion: string | undefined;
      let debianPackage: string | undefined;
      if (spec.kind === 'debian') {
        opts.onStep?.(`locating Debian package ${spec.package}${spec.pin ? `=${spec.pin}` : ''}`);
        ({ tarball, debianVersion } = await debianTarball(runner, spec, paths));
        debianPackage = spec.package;
      } else {
        tarball = spec.path;
      }
      const storeFor = async (k: KernelVersion) => {
        const store = await ensureLineStore(paths, kernelLine(k));
        await adoptOlderImports(registry, store, kernelLine(k), opts.onStep);
        return store;
      };
      const imp = await importTarball(runner, { tarball, dest: partial, debianVersion, debianPackage, storeFor, onStep: opts.onStep });
      rec = {
        name: opts.name,
        kind: 'imported',
        repo: dest,
        source: opts.source,
        ref: imp.tags[0],
        commit: imp.commit,
        kernel: imp.kernel,
        debianVersion,
        tags: imp.tags,
        addedAt,
      };
    }
    // the import is whole: say so inside it, so that a run killed before the registry is
    // written leaves a directory the next `tree add` of this name knows it may remove
    writeFileSync(importMarker(partial), `${JSON.stringify({ name: opts.name, source: opts.source, pid: process.pid })}\n`);
    renameSync(partial, dest);
    unregister();
    try {
      registry.add(rec);
    } catch (err) {
      rmSync(dest, { recursive: true, force: true });
      throw err;
    }
    return rec;
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    unregister();
    throw err;
  }
}
