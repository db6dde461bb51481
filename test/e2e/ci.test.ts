// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries ci --tree k61` end to end on the real Debian 6.1 tree: apply, kconfig, build
 * (ccache), checkpatch, and every scenario booted in QEMU — all green — with the reports
 * (summary.md, results.json, junit.xml, commands.sh) checked; and a patch set with one
 * broken patch on the same tree: apply FAIL, everything after it SKIP, exit 1. Under
 * .ci/run, the green run checked is the README's main job, which .ci/run has just made
 * (KSERIES_CI_MAIN_RESULTS): the same run twice would cost CI ten minutes.
 *
 * The tree is the e2e fixture k61 (Debian 6.1 imported by kseries, test/helpers/e2e-fixture-store.ts),
 * reached through a `git clone --shared --bare` of its base branch (the fixture is never
 * written to: worktrees and kseries/* refs land in the clone; its refs and worktrees are
 * compared before and after). State and cache live side by side under a STABLE path
 * (<e2e cache>/ci-e2e/{state,cache}, kept) with the e2e ccache: kseries builds with
 * CCACHE_BASEDIR at their common root, so this build, build.test.ts's (same commit and
 * config) and .ci/run's main job hit each other's ccache entries. `tree remove` runs at the
 * end, whatever happened. Everything runs under nice -n 10.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { e2eCcacheDir, e2eRoot, k61Repo } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';
import { parseCiResults } from '../../src/lib/report/ci-results.js';
import { parseResults } from '../../src/lib/report/results.js';
import { repoRoot } from '../../src/lib/paths.js';
import { parseSeriesFile } from '../../src/lib/series/series-file.js';

const K61_SOURCE = k61Repo();
const ROOT = join(e2eRoot(), 'ci-e2e');
const CACHE = join(ROOT, 'cache');
const STATE = join(ROOT, 'state');
const CLONE = join(ROOT, 'k61.git');
const BIN = join(repoRoot(), 'bin', 'run.js');

let env: IsolatedEnv;
const log = (m: string) => process.stderr.write(`[ci e2e] ${m}\n`);
/** The patches of patches/v6.1/series (the series' own, without prerequisites). */
const NPATCHES = parseSeriesFile(readFileSync(join(repoRoot(), 'patches', 'v6.1', 'series'), 'utf8')).entries.length;

/** The built CLI under nice, without blocking the worker. */
function kseries(args: string[], timeoutMs = 7_200_000): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('nice', ['-n', '10', process.execPath, BIN, ...args], {
      env: { ...process.env, KSERIES_HOME: STATE, KSERIES_CACHE: CACHE, CCACHE_DIR: e2eCcacheDir(), KSERIES_NO_PROGRESS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr, ms: Date.now() - t });
    });
  });
}

type LoggedStage = { name: string; status: string; durationMs: number; summary: string };

/** Each stage in the log, a line each. */
function logStageList(stages: LoggedStage[]): void {
  for (const s of stages) log(`  ${s.name}: ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s — ${s.summary}`);
}

/** Each stage of a `ci --json` output in the log (the raw output when it is not JSON). */
function logStages(stdout: string): void {
  let stages: LoggedStage[] | undefined;
  try {
    stages = JSON.parse(stdout).result?.stages;
  } catch {
    stages = undefined;
  }
  if (stages) logStageList(stages);
  else log(`output: ${stdout}`);
}

const snapshot = (repo: string) =>
  `${execFileSync('git', ['-C', repo, 'for-each-ref', '--format=%(refname) %(objectname)'], { encoding: 'utf8' })}\n${execFileSync('git', ['-C', repo, 'worktree', 'list', '--porcelain'], { encoding: 'utf8' })}`;

const registered = (): string[] => {
  const f = join(STATE, 'trees.json');
  return existsSync(f) ? Object.keys(JSON.parse(readFileSync(f, 'utf8')).trees) : [];
};

describe('kseries ci on Debian 6.1 (real tree, QEMU)', () => {
  let before: string;

  beforeAll(async () => {
    env = isolate('kseries-e2e-ci-');
    before = snapshot(K61_SOURCE);
    mkdirSync(ROOT, { recursive: true });
    // a run that was killed may have left its trees registered
    for (const t of registered()) await kseries(['tree', 'remove', t]);
    rmSync(join(ROOT, 'results'), { recursive: true, force: true });
    // a clone of an earlier import of the fixture (its objects are borrowed from it) is made again
    const head = (repo: string) => execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    let fresh = false;
    try {
      fresh = existsSync(CLONE) && head(CLONE) === head(K61_SOURCE) && execFileSync('git', ['-C', CLONE, 'cat-file', '-t', 'HEAD^{tree}'], { encoding: 'utf8' }).trim() === 'tree';
    } catch {
      fresh = false;
    }
    if (!fresh) {
      rmSync(CLONE, { recursive: true, force: true });
      execFileSync('git', ['clone', '-q', '--shared', '--bare', '--single-branch', K61_SOURCE, CLONE]);
    }
    for (const name of ['k61', 'k61-broken']) {
      const add = await kseries(['tree', 'add', name, '--source', CLONE, '--json']);
      expect(add.code, add.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    try {
      for (const t of registered()) {
        const r = await kseries(['tree', 'remove', t]);
        if (r.code !== 0) log(`tree remove ${t}: ${r.stderr}`);
      }
      expect(registered()).toEqual([]);
      expect(existsSync(join(STATE, 'worktrees', 'k61', 'v6.1'))).toBe(false);
      // the lead's repository: not one ref or worktree more or less
      expect(snapshot(K61_SOURCE)).toBe(before);
    } finally {
      env?.cleanup();
    }
  });

  it('a broken patch: apply FAIL, the stages after it SKIP (checkpatch too: it needs apply), exit 1', async () => {
    const patches = join(ROOT, 'broken-patches');
    rmSync(patches, { recursive: true, force: true });
    cpSync(join(repoRoot(), 'patches', 'v6.1'), join(patches, 'v6.1'), { recursive: true });
    const p2 = readdirSync(join(patches, 'v6.1')).find((f) => f.startsWith('0002-'))!;
    const file = join(patches, 'v6.1', p2);
    // the first context line of the first hunk no longer matches the tree, and no blob id helps a 3-way merge
    const text = readFileSync(file, 'utf8');
    const broken = text.replace(/^(@@ [^\n]*\n) ([^\n]*)$/m, '$1 $2 /* not in the tree */').replace(/^index [0-9a-f]+\.\.[0-9a-f]+/gm, 'index 1111111..2222222');
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const results = join(ROOT, 'results', 'broken');
    const r = await kseries(['ci', '--tree', 'k61-broken', '--patches', patches, '--results', results, '--json']);
    log(`broken patch set: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
    if (r.code !== 1) {
      // say why in the CI log (stderr is empty under --json without progress): the stages, and apply's log
      logStages(r.stdout);
      const applyLog = join(results, 'k61-broken', 'logs', 'apply.log');
      log(`not exit 1; stderr: ${r.stderr}\n${existsSync(applyLog) ? readFileSync(applyLog, 'utf8') : '(no apply.log)'}`);
    }
    expect(r.code, r.stderr).toBe(1);
    const ci = parseCiResults(JSON.parse(r.stdout).result);
    expect(ci.stages.map((s) => `${s.name}:${s.status}`)).toEqual([
      'apply:fail',
      'kconfig:skip',
      'build:skip',
      'checkpatch:skip',
      'selftest:kmem-persist-suite:skip',
      'selftest:kmem-persist-blk:skip',
      'selftest:kmem-persist-fs:skip',
      'selftest:kmem-persist-pressure:skip',
      'selftest:kmem-persist-exclusive:skip',
      'selftest:kmem-persist-volatile:skip',
      'selftest:kmem-persist-flush:skip',
      'selftest:kmem-persist-memmap:skip',
      'selftest:kmem-persist-subdevices:skip',
      'selftest:pmem-persistence:skip',
      'selftest:kselftest:skip',
    ]);
    expect(ci.stages[0].summary).toMatch(new RegExp(`^cannot apply to HEAD: patch 2/${NPATCHES} ${p2.replace(/[.]/g, '\\.')} conflicts in `));
    // the prerequisite (6.1.192 has it: pass), then the series: 0001 pass, 0002 fails, the rest not reached
    expect(ci.stages[0].tests?.map((t) => [t.name.startsWith('prerequisites/'), t.status])).toEqual([
      [true, 'pass'],
      [false, 'pass'],
      [false, 'fail'],
      ...Array(NPATCHES - 2).fill([false, 'skip']),
    ]);
    const summary = readFileSync(join(results, 'k61-broken', 'summary.md'), 'utf8');
    expect(summary).toContain(`failed: \`${p2}\``);
    expect(summary).toMatch(/\| build \| ⏭️ skip \| 0 ms \| not run: kconfig was skipped \|/);
  });

  // .ci/run runs the README's main job (kseries ci on the default tree k61, the same commit and
  // config) before npm test and names its results here: the same run again would cost CI ten
  // minutes for nothing new. Without it (npm test alone) this test makes its own run.
  const MAIN = process.env.KSERIES_CI_MAIN_RESULTS;
  it(`${MAIN ? "the README's main job (kseries ci --ccache, run by .ci/run)" : 'kseries ci --tree k61 --ccache'}: every stage and scenario passes, the reports agree`, async () => {
    let results: string;
    let ci: ReturnType<typeof parseCiResults>;
    if (MAIN) {
      results = MAIN;
      ci = parseCiResults(JSON.parse(readFileSync(join(results, 'results.json'), 'utf8')));
      log(`the main job's results: ${results}`);
      logStageList(ci.stages);
    } else {
      results = join(ROOT, 'results', 'green');
      const r = await kseries(['ci', '--tree', 'k61', '--ccache', '--results', results, '--json']);
      const doc = JSON.parse(r.stdout);
      log(`kseries ci --tree k61 --ccache: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
      logStages(r.stdout);
      expect(r.code, `${r.stderr}\n${JSON.stringify(doc.result?.stages?.filter((s: { status: string }) => s.status !== 'pass'), null, 2)}`).toBe(0);
      ci = parseCiResults(doc.result);
    }
    expect(ci).toMatchObject({ overall: 'pass', exitCode: 0, trees: [{ tree: 'k61', kernel: '6.1.192', base: 'v6.1', overall: 'pass' }] });
    // the main job's first run on a machine registers its default tree (tree-add); a later one, with
    // ~/.cache kept, finds it registered and the series applied; this state has both already
    const names = ci.stages.map((s) => s.name);
    expect(names.filter((n, i) => !(MAIN && i === 0 && n === 'tree-add'))).toEqual([
      'apply', 'kconfig', 'build', 'checkpatch',
      'selftest:kmem-persist-suite', 'selftest:kmem-persist-blk', 'selftest:kmem-persist-fs', 'selftest:kmem-persist-pressure', 'selftest:kmem-persist-exclusive',
      'selftest:kmem-persist-volatile', 'selftest:kmem-persist-flush', 'selftest:kmem-persist-memmap', 'selftest:kmem-persist-subdevices', 'selftest:pmem-persistence', 'selftest:kselftest',
    ]);
    expect(ci.stages.every((s) => s.status === 'pass')).toBe(true);
    // the per-tree document, as written on disk
    const tree = parseResults(JSON.parse(readFileSync(join(results, 'k61', 'results.json'), 'utf8')));
    expect(tree.seriesHead).toMatch(/^[0-9a-f]{40}$/);
    const byName = Object.fromEntries(tree.stages.map((s) => [s.name, s]));
    // the series' patches and the prerequisite, which 6.1.192 has
    expect(byName.apply.tests?.map((t) => [t.name.startsWith('prerequisites/'), t.status])).toEqual([[true, 'pass'], ...Array(NPATCHES).fill([false, 'pass'])]);
    expect(byName.checkpatch.tests?.map((t) => t.status)).toEqual(Array(NPATCHES).fill('pass'));
    expect(byName.kconfig.tests?.some((t) => t.name === 'CONFIG_DEV_DAX_KMEM_BLK' && t.status === 'pass')).toBe(true);
    expect(byName.build.commands?.some((c) => /make -C \S+ O=\S+ ARCH=x86_64 'CC=ccache gcc' .* bzImage modules/.test(c))).toBe(true);
    expect(byName['selftest:kselftest'].tests?.some((t) => /memory-hotplug/.test(`${t.classname} ${t.name}`))).toBe(true);
    expect(byName['selftest:kmem-persist-blk'].commands?.filter((c) => /^qemu-system-x86_64 /.test(c)).length).toBe(8); // 8 boots: write, verify, verify-discarded, corrupt-sb, corrupt-map, media-errors, unbind-with-data, verify-discarded
    for (const s of tree.stages) for (const l of s.logs) expect(existsSync(join(results, 'k61', l)), l).toBe(true);
    // the reports
    const summary = readFileSync(join(results, 'k61', 'summary.md'), 'utf8');
    expect(summary).toMatch(/^## kseries: ✅ pass on k61 \(Linux 6\.1\.192\)/);
    expect(summary).not.toMatch(/❌|💥|⏭️/);
    const junit = readFileSync(join(results, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="kseries ci" tests="\d+" failures="0" errors="0"/);
    expect(junit).toContain('<testsuite name="k61/checkpatch"');
    expect(junit).toContain('<testsuite name="k61/selftest:kmem-persist-blk"');
    const sh = readFileSync(join(results, 'commands.sh'), 'utf8');
    expect(sh).toMatch(/^kseries build --tree k61 --ccache$/m);
    expect(sh).toMatch(/^kseries selftest --tree k61 --scenario kselftest --kselftests memory-hotplug$/m);
    // the matrix of this state: the registered trees, for both CIs
    const m = await kseries(['ci', 'matrix', '--format', 'gitlab']);
    expect(parseYaml(m.stdout)['kseries-ci'].parallel.matrix.map((e: { KSERIES_TREE: string }) => e.KSERIES_TREE)).toEqual(['k61', 'k61-broken']);
  });
});
