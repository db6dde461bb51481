// SPDX-License-Identifier: GPL-2.0-only
/**
 * Bad input, everywhere (issue 19, point 3): one table of wrong invocations over every
 * command, run through the built CLI. Each row gives the argv, the exit code, a regex the
 * message must match, and the test checks that no stack trace was printed and that every
 * byte under the test's root — the kseries state and cache dirs, the user's kernel
 * repository (its .git too), the patch series and every input file — is the same
 * afterwards (sha256 of each file, symlink targets and the list of directories).
 *
 * The rows share one world, set up once: a git tree `k` (clean, nothing applied), `kc`
 * with a conflict parked, `ka` with the series applied and then edited by hand, and `kcfg`
 * (the 6.12 Kconfig excerpt, for kconfig). "Unreadable" files are directories given where
 * a file is expected: the tests run as root in CI, and root reads a file of mode 000.
 *
 * README.md, "Troubleshooting: bad input", lists the rows.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from '../../src/lib/trees/registry.js';
import { runCliAsync } from '../helpers/cli-async.js';
import { gitSync, isolate, type IsolatedEnv } from '../helpers/env.js';
import { fakeKernelTarball, packTarball, writeFakeKernel } from '../helpers/fake-kernel.js';
import { makeSeriesFixture, type SeriesFixture } from '../helpers/series-fixture.js';

const REPO = new URL('../..', import.meta.url).pathname;
const FIXTURES = join(REPO, 'test', 'fixtures');
/** A stand-in checkpatch.pl (test/unit/checkpatch-cli.test.ts) */
const FAKE_CHECKPATCH = join(FIXTURES, 'checkpatch', 'fake-tree', 'scripts', 'checkpatch.pl');
const P1 = '0001-dax-kmem-Keep-persistent-memory-across-kexec.patch';

interface World {
  env: IsolatedEnv;
  fx: SeriesFixture;
  /** the user's input files */
  in: string;
  /** the worktree of ka, edited by hand */
  kaWorktree: string;
}

/**
 * Every file (sha256) and symlink (target) under ROOT, .git directories included: a
 * byte-level snapshot. Empty directories hold no byte and are not compared (a failed
 * `tree add` may leave <state>/trees/, a lock <cache>/locks/, both empty).
 */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const rel = relative(root, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[rel] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** Runs the CLI in ROOT (so that a stray ./kseries-results would show in the snapshot). */
const kseries = (env: IsolatedEnv, args: string[]) => runCliAsync(args, { cwd: env.root, env: { NODE_ENV: 'production' } });

async function makeWorld(): Promise<World> {
  const env = isolate('kseries-bad-input-');
  const fx = makeSeriesFixture(env.root);
  process.env.KSERIES_PATCHES = fx.patches;
  const ok = async (args: string[], code = 0) => {
    const r = await kseries(env, args);
    if (r.code !== code) throw new Error(`setup: kseries ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
  };
  await ok(['tree', 'add', 'k', '--source', fx.repo, '--ref', 'main']);
  await ok(['tree', 'add', 'kc', '--source', fx.repo, '--ref', 'conflict']);
  await ok(['apply', '--tree', 'kc'], 1);
  await ok(['tree', 'add', 'ka', '--source', fx.repo, '--ref', 'main']);
  await ok(['apply', '--tree', 'ka']);
  const kaWorktree = join(env.paths.data, 'worktrees', 'ka', 'v6.1');
  writeFileSync(join(kaWorktree, 'drivers/dax/kmem.c'), `${readFileSync(join(kaWorktree, 'drivers/dax/kmem.c'), 'utf8')}my own line;\n`);
  writeFileSync(join(kaWorktree, 'my-notes.txt'), 'work in progress\n');
  new Registry(env.paths).add({
    name: 'kcfg',
    kind: 'imported',
    repo: join(FIXTURES, 'kconfig', 'linux-6.12'),
    source: 'fixture',
    ref: 'v6.12.117',
    commit: '0'.repeat(40),
    kernel: { version: 6, patchlevel: 12, sublevel: 117, extraversion: '', string: '6.12.117' },
    tags: [],
    addedAt: '2024-01-01T00:00:00Z',
  });

  const dir = join(env.root, 'in');
  mkdirSync(dir);
  const w = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
    return join(dir, rel);
  };
  w('garbage.config', '# a fragment\ngarbage line\nCONFIG_FOO\nCONFIG_BAR=\nCONFIG_BAZ=yes please\nCONFIG_DEV_DAX=y\n');
  w('notes.txt', 'just notes\n');
  w('rebase-garbage.json', '{"status": "ok", "result": {"nope": 1}');
  w('rebase-wrong.json', '{"status": "ok", "result": {"nope": 1}, "warnings": []}\n');
  w('not-a-patch.patch', 'Hello,\n\nthis is an e-mail without any diff in it.\n');
  w('empty-dir/.keep', '');
  // a tarball that is not a kernel, a truncated one
  mkdirSync(join(dir, 'not-linux'));
  writeFileSync(join(dir, 'not-linux', 'README'), 'hello\n');
  packTarball(dir, 'not-linux', join(dir, 'not-linux.tar.gz'));
  const tk = fakeKernelTarball(join(dir, 'tk'), { name: 'truncated.tar.xz' });
  truncateSync(tk, Math.floor(statSync(tk).size / 2));
  // a git repository that is not a kernel
  const notKernel = join(dir, 'not-kernel-repo');
  mkdirSync(notKernel);
  gitSync(notKernel, ['init', '-q', '-b', 'main']);
  writeFileSync(join(notKernel, 'README'), 'not linux\n');
  gitSync(notKernel, ['add', '-A']);
  gitSync(notKernel, ['commit', '-q', '-m', 'not linux']);
  // series directories: a corrupt patch, a patch that is only prose, a series file naming a missing patch, an empty one
  const corrupt = join(dir, 'series-corrupt');
  cpSync(fx.seriesDir, corrupt, { recursive: true });
  writeFileSync(join(corrupt, P1), readFileSync(join(corrupt, P1), 'utf8').replace(' kmem line 21;\n', ''));
  const prose = join(dir, 'series-prose');
  cpSync(fx.seriesDir, prose, { recursive: true });
  writeFileSync(join(prose, P1), 'From: Someone <someone@example.org>\nSubject: [PATCH 1/2] nothing\n\nNo diff here at all.\n');
  const missing = join(dir, 'series-missing');
  cpSync(fx.seriesDir, missing, { recursive: true });
  writeFileSync(join(missing, 'series'), '0009-missing.patch\n');
  const truncatedMbox = join(dir, 'series-truncated');
  cpSync(fx.seriesDir, truncatedMbox, { recursive: true });
  const t = readFileSync(join(truncatedMbox, P1), 'utf8');
  writeFileSync(join(truncatedMbox, P1), t.slice(0, t.indexOf('@@') + 20));
  mkdirSync(join(dir, 'series-empty'));
  // a kernel source directory that is not a git tree
  writeFakeKernel(join(dir, 'plain-kernel'));
  return { env, fx, in: dir, kaWorktree };
}

interface Row {
  /** what is wrong */
  what: string;
  argv: (w: World) => string[];
  code: number;
  /** matched against stderr, then stdout */
  message: RegExp;
}

const r = (what: string, argv: Row['argv'] | string[], code: number, message: RegExp): Row => ({
  what,
  argv: typeof argv === 'function' ? argv : () => argv,
  code,
  message,
});

export /** The warnings for in/garbage.config, one per line that is not an assignment, FILE:LINE first. */
const GARBAGE_WARNINGS =
  /warning: \/\S+\/in\/garbage\.config:2: not a Kconfig assignment: garbage line\nwarning: \/\S+\/in\/garbage\.config:3: not a Kconfig assignment: no "=VALUE" after CONFIG_FOO .*: CONFIG_FOO\nwarning: \/\S+\/in\/garbage\.config:4: no value after "=" .*: CONFIG_BAR=\nwarning: \/\S+\/in\/garbage\.config:5: unexpected value "yes please" .*: CONFIG_BAZ=yes please\n/;

const ROWS: Row[] = [
  // tree add / list / show / remove
  r('tree show: unknown tree', ['tree', 'show', 'nope'], 2, /unknown tree "nope"/),
  r('tree remove: unknown tree', ['tree', 'remove', 'nope'], 2, /unknown tree "nope"/),
  r('tree show: no name', ['tree', 'show'], 2, /Missing 1 required arg/),
  r('tree list: an argument', ['tree', 'list', 'k'], 2, /command tree:list:k not found/),
  r('tree list: unknown flag', ['tree', 'list', '--bogus'], 2, /Nonexistent flag: --bogus/),
  r('tree add: no --source', ['tree', 'add', 'x'], 2, /source/i),
  r('tree add: missing tarball', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'linux-6.1.tar.xz')], 2, /no such file or directory/),
  r('tree add: a text file', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'notes.txt')], 2, /is not a tarball/),
  r('tree add: a plain directory', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'empty-dir')], 2, /is a directory but not a git tree/),
  r('tree add: a kernel directory without git', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'plain-kernel')], 2, /is a directory but not a git tree/),
  r('tree add: a git tree that is not a kernel', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'not-kernel-repo')], 2, /is not a Linux kernel tree/),
  r('tree add: a tarball that is not a kernel', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'not-linux.tar.gz')], 2, /is not a Linux kernel source tarball/),
  r('tree add: a truncated tarball', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'tk', 'truncated.tar.xz')], 2, /cannot extract .*truncated\.tar\.xz/),
  r('tree add: --ref with a tarball', (w) => ['tree', 'add', 'x', '--source', join(w.in, 'not-linux.tar.gz'), '--ref', 'v6.1'], 2, /--ref applies to git trees and URLs only/),
  r('tree add: unknown ref', (w) => ['tree', 'add', 'x', '--source', w.fx.repo, '--ref', 'no-such-ref'], 2, /ref "no-such-ref" does not exist/),
  r('tree add: name taken', (w) => ['tree', 'add', 'k', '--source', w.fx.repo], 2, /a tree named "k" already exists/),
  r('tree add: invalid name', (w) => ['tree', 'add', '../escape', '--source', w.fx.repo], 2, /invalid tree name/),
  r('tree add: unknown Debian version', ['tree', 'add', 'x', '--source', 'debian:sid'], 2, /bad Debian source/),
  // series
  r('series show: unknown base', ['series', 'show', '--base', 'v9.9'], 2, /no patch series "v9\.9"/),
  r('series lint: missing directory', (w) => ['series', 'lint', '--base', join(w.in, 'nowhere')], 2, /no patch series ".*\/in\/nowhere"/),
  r('series show: an empty directory', (w) => ['series', 'show', '--base', join(w.in, 'series-empty')], 2, /series-empty has no series file/),
  r('series show: series file names a missing patch', (w) => ['series', 'show', '--base', join(w.in, 'series-missing')], 0, /missing: 0009-missing\.patch/),
  r('series lint: series file names a missing patch', (w) => ['series', 'lint', '--base', join(w.in, 'series-missing')], 1, /0009-missing\.patch/),
  r('series lint: a patch without a diff', (w) => ['series', 'lint', '--base', join(w.in, 'series-prose')], 1, /0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch:4: no diff/),
  // apply
  r('apply: unknown tree', ['apply', '--tree', 'nope'], 2, /unknown tree "nope"/),
  r('apply: unknown series', ['apply', '--tree', 'k', '--series', 'v9.9'], 2, /no patch series "v9\.9"/),
  r('apply: unknown ref', ['apply', '--tree', 'k', '--ref', 'no-such-ref'], 2, /ref "no-such-ref" does not exist in tree k/),
  r('apply: a corrupt patch', (w) => ['apply', '--tree', 'k', '--series', join(w.in, 'series-corrupt')], 2, /0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch:\d+: corrupt patch/),
  r('apply: a patch without a diff', (w) => ['apply', '--tree', 'k', '--series', join(w.in, 'series-prose')], 2, /0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch:4: corrupt patch: no diff/),
  r('apply: a truncated mbox', (w) => ['apply', '--tree', 'k', '--series', join(w.in, 'series-truncated')], 2, /0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch:17: corrupt patch: .*ends after 0 old and 0 new lines, at the end of the file/),
  r('apply: series file names a missing patch', (w) => ['apply', '--tree', 'k', '--series', join(w.in, 'series-missing')], 2, /0009-missing\.patch does not exist/),
  r('apply: --continue with nothing parked', ['apply', '--tree', 'k', '--continue'], 2, /nothing to continue: no conflict is parked for tree k/),
  r('apply: --continue with nothing parked, --json', ['apply', '--tree', 'k', '--continue', '--json'], 2, /"kind": "usage",\s+"exitCode": 2,\s+"message": "nothing to continue/),
  r('apply: --abort with nothing applied', ['apply', '--tree', 'k', '--abort'], 2, /nothing to abort: kseries has applied no series to tree k/),
  r('apply: --continue and --abort', ['apply', '--tree', 'kc', '--continue', '--abort'], 2, /cannot also be provided/),
  r('apply: --all and --tree', ['apply', '--all', '--tree', 'k'], 2, /cannot also be provided/),
  r('apply: --continue --dry-run', ['apply', '--tree', 'kc', '--continue', '--dry-run'], 2, /cannot also be provided/),
  r('apply: again while a conflict is parked', ['apply', '--tree', 'kc'], 2, /series v6\.1 is parked on a conflict[\s\S]*--continue[\s\S]*--abort/),
  r('apply: a worktree edited by hand', ['apply', '--tree', 'ka', '--ref', 'offset'], 2, /worktrees\/ka\/v6\.1 has uncommitted changes[\s\S]*--force/),
  // rebase
  r('rebase: unknown tree', ['rebase', '--tree', 'nope', '--onto', 'main'], 2, /unknown tree "nope"/),
  r('rebase: no --onto', ['rebase', '--tree', 'k'], 2, /Missing required flag onto/),
  r('rebase: unknown --onto ref', ['rebase', '--tree', 'k', '--onto', 'no-such-ref'], 2, /ref "no-such-ref" does not exist in tree k/),
  r('rebase: unknown --from series', ['rebase', '--tree', 'k', '--onto', 'offset', '--from', 'v9.9'], 2, /no patch series "v9\.9"/),
  r('rebase: a worktree edited by hand', ['rebase', '--tree', 'ka', '--onto', 'offset'], 2, /worktrees\/ka\/v6\.1 has uncommitted changes[\s\S]*--force/),
  // export
  r('export: unknown tree', ['export', '--tree', 'nope', '--as', 'v6.12'], 2, /unknown tree "nope"/),
  r('export: nothing applied', ['export', '--tree', 'k', '--as', 'v6.12'], 2, /tree k has no applied series to export/),
  r('export: no --as', ['export', '--tree', 'ka'], 2, /Missing required flag as/),
  r('export: an --as that is a path', ['export', '--tree', 'ka', '--as', '../v6.12'], 2, /--as \.\.\/v6\.12: give a kernel base like v6\.12/),
  r('export: missing --cover', (w) => ['export', '--tree', 'ka', '--as', 'v6.12', '--output', join(w.env.root, 'out'), '--cover', join(w.in, 'cover.txt')], 2, /Parsing --cover: No file found at .*\/in\/cover\.txt/),
  r('export: a directory as --cover', (w) => ['export', '--tree', 'ka', '--as', 'v6.12', '--output', join(w.env.root, 'out'), '--cover', join(w.in, 'empty-dir')], 2, /Parsing --cover: .*\/in\/empty-dir exists but is not a file/),
  // kconfig
  r('kconfig apply: unknown tree', ['kconfig', 'apply', '--tree', 'nope'], 2, /unknown tree "nope"/),
  r('kconfig apply: unknown arch', ['kconfig', 'apply', '--tree', 'kcfg', '--arch', 'sparc'], 2, /Expected --arch=sparc to be one of/),
  r('kconfig apply: unknown persistence type', ['kconfig', 'apply', '--tree', 'kcfg', '--persist', 'nvme', '--dry-run'], 2, /unknown persistence type "nvme"/),
  r('kconfig apply: unknown platform', ['kconfig', 'apply', '--tree', 'kcfg', '--platform', 'qemu-arm64', '--dry-run'], 2, /unknown platform "qemu-arm64"/),
  r('kconfig apply: a missing base .config', (w) => ['kconfig', 'apply', '--tree', 'kcfg', '--base', join(w.in, 'nowhere.config'), '--dry-run'], 2, /--base .*nowhere\.config: no such file, and not a known make target/),
  r('kconfig apply: unknown base', ['kconfig', 'apply', '--tree', 'kcfg', '--base', 'nosuchconfig', '--dry-run'], 2, /--base nosuchconfig: no such file, and not a known make target/),
  r('kconfig apply: a bad profile name', ['kconfig', 'apply', '--tree', 'kcfg', '--profile', '../../x', '--dry-run'], 2, /invalid profile "\.\.\/\.\.\/x"/),
  r('kconfig apply: a missing fragment', (w) => ['kconfig', 'apply', '--tree', 'kcfg', '--fragment', join(w.in, 'nowhere.config'), '--dry-run'], 2, /fragment .*nowhere\.config does not exist/),
  r(
    'kconfig apply: fragment lines that are not assignments',
    (w) => ['kconfig', 'apply', '--tree', 'kcfg', '--fragment', join(w.in, 'garbage.config'), '--dry-run'],
    0,
    GARBAGE_WARNINGS,
  ),
  r(
    'kconfig apply: fragment lines that are not assignments, --strict',
    (w) => ['kconfig', 'apply', '--tree', 'kcfg', '--fragment', join(w.in, 'garbage.config'), '--dry-run', '--strict'],
    1,
    new RegExp(`${GARBAGE_WARNINGS.source}[\\s\\S]*kseries: --strict: 4 fragment lines are not Kconfig assignments .*; nothing was configured`),
  ),
  r(
    'kconfig generate: fragment lines that are not assignments',
    (w) => ['kconfig', 'generate', '--fragment', join(w.in, 'garbage.config')],
    0,
    new RegExp(`${GARBAGE_WARNINGS.source}[\\s\\S]*CONFIG_DEV_DAX=y`),
  ),
  r(
    'kconfig generate: fragment lines that are not assignments, --strict',
    (w) => ['kconfig', 'generate', '--fragment', join(w.in, 'garbage.config'), '--strict'],
    1,
    new RegExp(`${GARBAGE_WARNINGS.source}[\\s\\S]*kseries: --strict: 4 fragment lines are not Kconfig assignments .*; nothing was written`),
  ),
  r('kconfig generate: a directory as --fragment', (w) => ['kconfig', 'generate', '--fragment', join(w.in, 'empty-dir')], 2, /cannot read fragment .*\/in\/empty-dir: EISDIR/),
  r('kconfig generate: --module and --builtin', ['kconfig', 'generate', '--module', '--builtin'], 2, /cannot also be provided/),
  r('kconfig generate: --selftests without --tree', ['kconfig', 'generate', '--selftests', 'memory-hotplug'], 2, /--tree/),
  r('kconfig generate: unknown selftest target', ['kconfig', 'generate', '--tree', 'kcfg', '--selftests', 'nope'], 2, /selftest target "nope" does not exist/),
  r('kconfig symbol: unknown tree', ['kconfig', 'symbol', '--tree', 'nope', 'DEV_DAX'], 2, /unknown tree "nope"/),
  r('kconfig symbol: a missing --config', (w) => ['kconfig', 'symbol', '--tree', 'kcfg', '--config', join(w.in, 'nowhere.config'), 'DEV_DAX'], 2, /--config .*nowhere\.config: no such file/),
  // build
  r('build: unknown tree', ['build', '--tree', 'nope', '--dry-run'], 2, /unknown tree "nope"/),
  r('build: no --tree', ['build', '--dry-run'], 2, /Missing required flag tree/),
  r('build: --jobs 0', ['build', '--tree', 'ka', '--jobs', '0', '--dry-run'], 2, /Expected an integer greater than or equal to 1/),
  r('build: --jobs abc', ['build', '--tree', 'ka', '--jobs', 'abc', '--dry-run'], 2, /Expected an integer but received: abc/),
  r('build: --nice 20', ['build', '--tree', 'ka', '--nice', '20', '--dry-run'], 2, /less than or equal to 19/),
  r('build: --timeout -1', ['build', '--tree', 'ka', '--timeout=-1', '--dry-run'], 2, /greater than or equal to 0/),
  r('build: --warnings-delta and --each-commit', ['build', '--tree', 'ka', '--warnings-delta', '--each-commit', '--dry-run'], 2, /cannot also be provided/),
  r('build: unknown arch', ['build', '--tree', 'ka', '--arch', 'sparc', '--dry-run'], 2, /Expected --arch=sparc to be one of/),
  r('build: a missing --config', (w) => ['build', '--tree', 'ka', '--config', join(w.in, 'nowhere.config'), '--dry-run'], 2, /nowhere\.config/),
  r('build: a bad profile name', ['build', '--tree', 'ka', '--profile', '../../x', '--dry-run'], 2, /invalid profile "\.\.\/\.\.\/x"/),
  // checkpatch
  r('checkpatch: unknown tree', ['checkpatch', '--tree', 'nope'], 2, /unknown tree "nope"/),
  r('checkpatch: unknown series', ['checkpatch', '--checkpatch', FAKE_CHECKPATCH, '--series', 'v9.9'], 2, /no patch series "v9\.9"/),
  r('checkpatch: a missing patch file', (w) => ['checkpatch', '--checkpatch', FAKE_CHECKPATCH, join(w.in, 'nowhere.patch')], 2, /nowhere\.patch/),
  r('checkpatch: a directory as the patch', (w) => ['checkpatch', '--checkpatch', FAKE_CHECKPATCH, join(w.in, 'empty-dir')], 2, /empty-dir/),
  r('checkpatch: unknown --fail-on', ['checkpatch', '--checkpatch', FAKE_CHECKPATCH, '--fail-on', 'bogus'], 2, /Expected --fail-on=bogus to be one of/),
  r('checkpatch: a missing checkpatch.pl', (w) => ['checkpatch', '--checkpatch', join(w.in, 'nowhere.pl')], 2, /Parsing --checkpatch: No file found at .*nowhere\.pl|no checkpatch script at .*nowhere\.pl/),
  r('checkpatch: a tree without a checkout', ['checkpatch', '--tree', 'k'], 2, /the source of tree "k" is not checked out/),
  // watch
  r('watch: unknown tree', ['watch', '--tree', 'nope', '--rounds', '1'], 2, /unknown tree "nope"/),
  r('watch: unknown scenario', ['watch', '--tree', 'ka', '--scenario', 'nope', '--rounds', '1'], 2, /unknown scenario "nope"/),
  r('watch: bad kselftest target', ['watch', '--tree', 'ka', '--kselftests', '../x', '--rounds', '1'], 2, /bad kselftest target/),
  r('watch: a scenario on arm64', ['watch', '--tree', 'ka', '--arch', 'arm64', '--scenario', 'kmem-persist-suite', '--rounds', '1'], 2, /scenarios boot x86_64 kernels only/),
  r('watch: a tree never configured', ['watch', '--tree', 'ka', '--rounds', '1'], 2, /has no \.config/),
  r('watch: --rounds -1', ['watch', '--tree', 'ka', '--rounds=-1'], 2, /greater than or equal to 0/),
  r('watch: --debounce abc', ['watch', '--tree', 'ka', '--debounce', 'abc'], 2, /Expected an integer but received: abc/),
  // selftest
  r('selftest: unknown tree', ['selftest', '--tree', 'nope', '--dry-run'], 2, /unknown tree "nope"/),
  r('selftest: unknown scenario', ['selftest', '--tree', 'k', '--scenario', 'nope', '--dry-run'], 2, /unknown scenario "nope"/),
  r('selftest: --timeout 1', ['selftest', '--tree', 'k', '--timeout', '1', '--dry-run'], 2, /greater than or equal to 5/),
  r('selftest: unknown --accel', ['selftest', '--tree', 'k', '--accel', 'xen', '--dry-run'], 2, /Expected --accel=xen to be one of/),
  r('selftest: a missing --kernel', (w) => ['selftest', '--tree', 'k', '--kernel', join(w.in, 'bzImage'), '--dry-run'], 2, /Parsing --kernel: No file found at .*\/in\/bzImage/),
  // ci
  r('ci: unknown tree', ['ci', '--tree', 'nope', '--dry-run'], 2, /unknown tree "nope"/),
  r('ci: --all and --tree', ['ci', '--all', '--tree', 'k', '--dry-run'], 2, /cannot also be provided/),
  r('ci: unknown scenario', ['ci', '--tree', 'k', '--scenario', 'nope', '--dry-run'], 2, /unknown scenario "nope"/),
  r('ci: --jobs 0', ['ci', '--tree', 'k', '--jobs', '0', '--dry-run'], 2, /greater than or equal to 1/),
  r('ci matrix: unknown format', ['ci', 'matrix', '--format', 'xml'], 2, /Expected --format=xml to be one of/),
  r('ci matrix: a bad --add', ['ci', 'matrix', '--add', 'bad'], 2, /NAME=SOURCE/),
  r('ci rebase-summary: a missing file', (w) => ['ci', 'rebase-summary', join(w.in, 'nowhere.json')], 2, /cannot read .*nowhere\.json: ENOENT/),
  r('ci rebase-summary: truncated JSON', (w) => ['ci', 'rebase-summary', join(w.in, 'rebase-garbage.json')], 2, /not the JSON of kseries rebase --json: Expected ','/),
  r('ci rebase-summary: JSON of something else', (w) => ['ci', 'rebase-summary', join(w.in, 'rebase-wrong.json')], 2, /not the JSON of kseries rebase --json \(the result is no apply report\)/),
  r('ci rebase-summary: a directory', (w) => ['ci', 'rebase-summary', join(w.in, 'empty-dir')], 2, /cannot read .*empty-dir: EISDIR/),
  // doctor, and the CLI itself
  r('doctor: unknown flag', ['doctor', '--bogus'], 2, /Nonexistent flag: --bogus/),
  r('doctor: an argument', ['doctor', 'everything'], 2, /command doctor:everything not found/),
  r('unknown command', ['frobnicate'], 2, /command frobnicate not found/),
];

describe('bad input, everywhere: exit code, message, and not a byte changed', () => {
  let world: World;
  let savedPatches: string | undefined;
  beforeAll(async () => {
    savedPatches = process.env.KSERIES_PATCHES;
    world = await makeWorld();
  }, 120_000);
  afterAll(() => {
    if (savedPatches === undefined) delete process.env.KSERIES_PATCHES;
    else process.env.KSERIES_PATCHES = savedPatches;
    world?.env.cleanup();
  });

  it('has at least 50 rows, over every command', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
    const commands = new Set(ROWS.map((row) => row.what.split(':')[0]));
    for (const c of ['tree add', 'tree list', 'tree show', 'tree remove', 'apply', 'rebase', 'export', 'kconfig apply', 'kconfig generate', 'build', 'checkpatch', 'selftest', 'watch', 'ci', 'doctor', 'series show', 'series lint']) {
      expect(commands).toContain(c);
    }
  });

  it.each(ROWS.map((row) => [row.what, row] as const))('%s', async (_what, row) => {
    const argv = row.argv(world);
    const before = snapshot(world.env.root);
    const res = await kseries(world.env, argv);
    const after = snapshot(world.env.root);
    const out = `${res.stderr}\n${res.stdout}`;
    if (process.env.BAD_INPUT_PROBE) {
      writeFileSync(`/tmp/bad-input-probe.txt`, `=== ${row.what} [${argv.join(' ')}] -> ${res.code}\n${out.trim()}\n${JSON.stringify(diff(before, after))}\n`, { flag: 'a' });
      return;
    }
    expect(out).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
    expect(out).toMatch(row.message);
    expect({ code: res.code, out }).toMatchObject({ code: row.code });
    expect(diff(before, after)).toEqual({});
  });
});

function diff(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  const d: Record<string, string> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[k] !== b[k]) d[k] = a[k] === undefined ? 'added' : b[k] === undefined ? 'removed' : 'changed';
  }
  return d;
}

/**
 * A full disk during `tree add`: the state dir is a 16 MiB tmpfs, mounted in a mount
 * namespace of its own (`unshare -m`; `-rm` with a user namespace when not root), so it
 * vanishes with the shell even if the test dies, and the host's mounts are never touched.
 * Where no mount namespace can be had (a container without CAP_SYS_ADMIN), a `tar` that
 * reports ENOSPC stands in for the file system; the test says which in its log.
 */
describe('a full disk during tree add', () => {
  let env: IsolatedEnv;
  beforeAll(() => {
    env = isolate('kseries-full-disk-');
  });
  afterAll(() => env?.cleanup());

  const canMount = () => {
    const args = process.getuid?.() === 0 ? ['-m'] : ['-rm'];
    const r = spawnSync('unshare', [...args, 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=1m kseries-probe "$d" && umount "$d" && rmdir "$d"'], { stdio: 'ignore' });
    return r.status === 0 ? args : null;
  };

  it('exits 3 saying the disk is full, and leaves the state as it was', async () => {
    const state = join(env.root, 'full-state');
    mkdirSync(state);
    const small = fakeKernelTarball(join(env.root, 'small'));
    // 40 MiB of zeros in a kernel tarball: a few KiB gzipped, more than the 16 MiB file system once extracted
    const top = join(env.root, 'big', 'linux-source-6.1');
    writeFakeKernel(top);
    writeFileSync(join(top, 'zeros'), Buffer.alloc(40 * 1024 * 1024));
    const big = packTarball(join(env.root, 'big'), 'linux-source-6.1', join(env.root, 'big.tar.gz'));
    rmSync(top, { recursive: true });
    const bin = join(REPO, 'bin', 'run.js');
    const out = join(env.root, 'out');
    mkdirSync(out);
    const unshare = canMount();
    let fakeBin = '';
    if (!unshare) {
      fakeBin = join(env.root, 'fake-bin');
      mkdirSync(fakeBin);
      writeFileSync(join(fakeBin, 'tar'), '#!/bin/sh\necho "tar: linux-source-6.1/zeros: Wrote only 4096 of 10240 bytes" >&2\necho "tar: linux-source-6.1/zeros: Cannot write: No space left on device" >&2\necho "tar: Exiting with failure status due to previous errors" >&2\nexit 2\n');
      spawnSync('chmod', ['+x', join(fakeBin, 'tar')]);
    }
    console.log(`full disk: ${unshare ? `a 16 MiB tmpfs in unshare ${unshare.join(' ')}` : 'no mount namespace here: a tar that reports ENOSPC'}`);
    const node = process.execPath;
    const snap = (tag: string) => `(cd "$S" && find . -type f -o -type l | LC_ALL=C sort | while read -r f; do echo "$f $(sha256sum < "$f" | cut -c1-64)"; done) > "$O/${tag}"`;
    const script = [
      'set -e',
      'S="$1"; O="$2"',
      unshare ? 'mount -t tmpfs -o size=16m kseries-full "$S"' : ':',
      `"${node}" "${bin}" tree add small --source "${small}" > "$O/seed.out" 2>&1`,
      snap('before'),
      'set +e',
      `${fakeBin ? `PATH="${fakeBin}:$PATH" ` : ''}"${node}" "${bin}" tree add big --source "${big}" > "$O/stdout" 2> "$O/stderr"; echo $? > "$O/code"`,
      `${fakeBin ? `PATH="${fakeBin}:$PATH" ` : ''}"${node}" "${bin}" tree add big --source "${big}" --json > "$O/json" 2>/dev/null`,
      snap('after'),
      'df -k "$S" | tail -1 > "$O/df"',
    ].join('\n');
    const cmd = unshare ? ['unshare', [...unshare, 'sh', '-c', script, 'sh', state, out]] : ['sh', ['-c', script, 'sh', state, out]];
    const r = spawnSync(cmd[0] as string, cmd[1] as string[], { env: { ...process.env, KSERIES_HOME: state, NODE_ENV: 'production' }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stderr}\n${existsSync(join(out, 'seed.out')) ? readFileSync(join(out, 'seed.out'), 'utf8') : ''}`).toBe(0);
    const stderr = readFileSync(join(out, 'stderr'), 'utf8');
    expect(stderr).toMatch(/kseries: error: the disk is full: cannot extract .*big\.tar\.gz into .*\/trees\/big\.partial-\d+: .*No space left on device/);
    expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(readFileSync(join(out, 'code'), 'utf8').trim()).toBe('3');
    expect(JSON.parse(readFileSync(join(out, 'json'), 'utf8'))).toMatchObject({ status: 'error', result: null, error: { kind: 'infra', exitCode: 3 } });
    // the registry, the small tree and its git objects: every byte as before; no big, no big.partial-*
    const before = readFileSync(join(out, 'before'), 'utf8');
    expect(before).toMatch(/\.\/trees\.json /);
    expect(readFileSync(join(out, 'after'), 'utf8')).toBe(before);
  }, 180_000);
});
