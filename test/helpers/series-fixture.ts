// SPDX-License-Identifier: GPL-2.0-only
/**
 * A small kernel-like git repository and a two-patch series made from it with
 * `git format-patch --cover-letter --base`, plus branches that make the series apply
 * cleanly (main), at an offset (offset), by 3-way merge (shifted), with a conflict
 * (conflict), already upstream (upstream, upstream-modified), and another repository
 * without the series' blobs (alien). Test setup only.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordsOf } from '../../src/lib/apply/state.js';
import { gitSync, type IsolatedEnv } from './env.js';
import { kernelMakefile } from './fake-kernel.js';

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1};`);

export const KMEM = 'drivers/dax/kmem.c';
export const HOTPLUG = 'mm/memory_hotplug.c';

export interface SeriesFixture {
  repo: string;
  /** patches root (holds v6.1/) */
  patches: string;
  seriesDir: string;
  base: string;
  /** commit id of the base */
  baseCommit: string;
  /** another repository without the series' blobs (no 3-way possible) */
  alien: string;
}

function write(repo: string, rel: string, text: string) {
  mkdirSync(join(repo, rel, '..'), { recursive: true });
  writeFileSync(join(repo, rel), text);
}

function edit(repo: string, rel: string, fn: (l: string[]) => string[]) {
  const p = join(repo, rel);
  write(repo, rel, `${fn(readFileSync(p, 'utf8').replace(/\n$/, '').split('\n')).join('\n')}\n`);
}

const commit = (repo: string, msg: string, env: Record<string, string> = {}) => {
  gitSync(repo, ['add', '-A']);
  gitSync(repo, ['commit', '-q', '-m', msg], env);
  return gitSync(repo, ['rev-parse', 'HEAD']).trim();
};

const SOB = '\n\nSigned-off-by: Test Author <author@example.org>';

/** Builds the fixture under ROOT. The repository's checked-out branch is "main" (= the base). */
export function makeSeriesFixture(root: string): SeriesFixture {
  const repo = join(root, 'linux');
  mkdirSync(repo, { recursive: true });
  gitSync(repo, ['init', '-q', '-b', 'main']);
  write(repo, 'Makefile', kernelMakefile(10));
  write(repo, 'Kconfig', 'mainmenu "Linux"\n');
  write(repo, KMEM, `${lines('kmem', 60).join('\n')}\n`);
  write(repo, HOTPLUG, `${lines('hotplug', 60).join('\n')}\n`);
  const baseCommit = commit(repo, 'Linux 6.1.10');
  gitSync(repo, ['tag', 'v6.1.10']);

  // the series, on a topic branch
  gitSync(repo, ['checkout', '-q', '-b', 'topic']);
  edit(repo, KMEM, (l) => (l.splice(19, 1, 'kmem line 20 persistent;'), l));
  commit(repo, `dax/kmem: Keep persistent memory across kexec\n\nRemember which ranges were onlined.${SOB}`);
  edit(repo, HOTPLUG, (l) => (l.splice(29, 1, 'hotplug line 30 persistent;', 'hotplug line 30b;'), l));
  commit(repo, `mm/memory_hotplug: Honour persistent ranges\n\nDo not offline ranges kmem marked persistent.${SOB}`);
  const patches = join(root, 'patches');
  const seriesDir = join(patches, 'v6.1');
  mkdirSync(seriesDir, { recursive: true });
  gitSync(repo, ['format-patch', '-q', '--cover-letter', '--base=v6.1.10', '-o', seriesDir, 'v6.1.10..topic']);
  const cover = join(seriesDir, '0000-cover-letter.patch');
  writeFileSync(
    cover,
    readFileSync(cover, 'utf8')
      .replace('*** SUBJECT HERE ***', 'dax/kmem: Persistent memory hotplug')
      .replace('*** BLURB HERE ***', 'Keep persistent memory ranges onlined by dax/kmem across kexec.'),
  );
  const files = readdirSync(seriesDir).filter((f) => /^000[1-9]-.*\.patch$/.test(f)).sort();
  writeFileSync(join(seriesDir, 'series'), `# DAX KMEM persistence, for v6.1\n${files.join('\n')}\n`);

  // shifted: a context line next to patch 1's change differs -> plain apply fails, 3-way merges
  gitSync(repo, ['checkout', '-q', '-b', 'shifted', 'v6.1.10']);
  edit(repo, KMEM, (l) => (l.splice(17, 1, 'kmem line 18 changed upstream;'), l));
  commit(repo, 'dax/kmem: Upstream change near line 18');
  // offset: lines inserted above -> plain apply at an offset
  gitSync(repo, ['checkout', '-q', '-b', 'offset', 'v6.1.10']);
  edit(repo, KMEM, (l) => ['new first line;', 'new second line;', ...l]);
  commit(repo, 'dax/kmem: Upstream lines at the top');
  // conflict: the very line patch 1 changes was changed differently
  gitSync(repo, ['checkout', '-q', '-b', 'conflict', 'v6.1.10']);
  edit(repo, KMEM, (l) => (l.splice(19, 1, 'kmem line 20 rewritten upstream;'), l));
  commit(repo, 'dax/kmem: Upstream rewrite of line 20');
  // upstream: patch 1 was merged upstream (cherry-picked)
  gitSync(repo, ['checkout', '-q', '-b', 'upstream', 'v6.1.10']);
  gitSync(repo, ['cherry-pick', 'topic~1']);
  // upstream-modified: patch 1 went upstream and was changed afterwards (found by its subject)
  gitSync(repo, ['checkout', '-q', '-b', 'upstream-modified', 'upstream']);
  edit(repo, KMEM, (l) => (l.splice(19, 1, 'kmem line 20 persistent, reworked;'), l));
  commit(repo, 'dax/kmem: Rework the persistence line');
  gitSync(repo, ['checkout', '-q', '-f', 'main']);
  gitSync(repo, ['branch', '-D', 'topic']);
  // alien: another repository, the same paths with unrelated content: no preimage blobs, no 3-way
  const alien = join(root, 'alien');
  mkdirSync(alien, { recursive: true });
  gitSync(alien, ['init', '-q', '-b', 'main']);
  write(alien, 'Makefile', kernelMakefile(11));
  write(alien, 'Kconfig', 'mainmenu "Linux"\n');
  write(alien, KMEM, `${lines('other kmem', 50).join('\n')}\n`);
  write(alien, HOTPLUG, `${lines('other hotplug', 60).join('\n')}\n`);
  commit(alien, 'Linux 6.1.11 (unrelated history)');
  return {
    repo,
    patches,
    seriesDir,
    base: 'v6.1',
    baseCommit,
    alien,
  };
}

/** Renames a file in the series directory (keeps the series file in sync). */
export function renamePatch(seriesDir: string, from: string, to: string) {
  renameSync(join(seriesDir, from), join(seriesDir, to));
  const s = join(seriesDir, 'series');
  writeFileSync(s, readFileSync(s, 'utf8').replace(from, to));
}

/**
 * A long series (N one-line patches appending to kmem.c), so that apply is still running when we
 * interrupt it; with `conflictFirst`, patch 1 rewrites line 20 and conflicts on the "conflict" branch.
 */
export function makeLongSeries(fx: SeriesFixture, root: string, n: number, conflictFirst = false): string {
  gitSync(fx.repo, ['checkout', '-q', '-b', 'long', 'v6.1.10']);
  if (conflictFirst) {
    const f = join(fx.repo, KMEM);
    writeFileSync(f, readFileSync(f, 'utf8').replace('kmem line 20;', 'kmem line 20 persistent;'));
    gitSync(fx.repo, ['commit', '-q', '-am', 'dax/kmem: Persistent line 20\n\nSigned-off-by: Test Author <author@example.org>']);
  }
  for (let i = 1; i <= n; i++) {
    const f = join(fx.repo, KMEM);
    writeFileSync(f, `${readFileSync(f, 'utf8')}added line ${i};\n`);
    gitSync(fx.repo, ['commit', '-q', '-am', `dax/kmem: Add line ${i}\n\nSigned-off-by: Test Author <author@example.org>`]);
  }
  const dir = join(root, 'long', 'v6.1');
  mkdirSync(dir, { recursive: true });
  gitSync(fx.repo, ['format-patch', '-q', '--cover-letter', '--base=v6.1.10', '-o', dir, 'v6.1.10..long']);
  writeFileSync(join(dir, 'series'), `${readdirSync(dir).filter((f) => /^\d{4}-.*\.patch$/.test(f) && !f.startsWith('0000')).sort().join('\n')}\n`);
  gitSync(fx.repo, ['checkout', '-q', 'main']);
  return dir;
}

/**
 * Every trace of kseries for series v6.1 of tree "k" in the fixture's repository and the
 * isolated state: kseries refs and worktrees, git's admin dirs and lock files, state dirs,
 * apply records and, with `lockFiles`, kseries' own lock files. Empty when nothing is left.
 */
export function kseriesTraces(fx: SeriesFixture, env: IsolatedEnv, opts: { lockFiles: boolean }): string[] {
  const out: string[] = [];
  const refs = gitSync(fx.repo, ['for-each-ref', '--format=%(refname)', 'refs/heads/kseries']).trim();
  if (refs) out.push(`refs: ${refs}`);
  const wts = gitSync(fx.repo, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ') && l !== `worktree ${fx.repo}`);
  if (wts.length) out.push(`worktrees: ${wts.join(', ')}`);
  const admin = join(fx.repo, '.git', 'worktrees');
  if (existsSync(admin) && readdirSync(admin).length) out.push(`admin: ${readdirSync(admin).join(', ')}`);
  if (existsSync(join(fx.repo, '.git', 'refs', 'heads', 'kseries'))) out.push('refs/heads/kseries/ directory');
  const gitLocks = readdirSync(join(fx.repo, '.git')).filter((f) => f.endsWith('.lock'));
  if (gitLocks.length) out.push(`git locks: ${gitLocks.join(', ')}`);
  const locks = join(env.paths.data, 'locks');
  if (opts.lockFiles && existsSync(locks) && readdirSync(locks).length) out.push(`lock files: ${readdirSync(locks).join(', ')}`);
  const wtDir = join(env.paths.data, 'worktrees', 'k');
  if (existsSync(wtDir)) {
    const ours = readdirSync(wtDir).filter((f) => f.startsWith('v6.1'));
    if (ours.length) out.push(`state: ${ours.join(', ')}`);
  }
  if (recordsOf(env.paths, 'k').length) out.push('records');
  return out;
}
