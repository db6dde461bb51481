#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * What does `kseries apply` cost over `git worktree add` + `git am -3` by hand?
 *
 *   node bench/apply.mjs [RUNS] [--source REPO] [--series v6.1] [--nice 19] [--keep]
 *                                                        (npm run bench:apply -- 3)
 *
 * Never writes into REPO (default: the imported tree k61 of the default state,
 * $KSERIES_HOME or $XDG_DATA_HOME/kseries or ~/.local/share/kseries, trees/k61): it makes a
 * `git clone --shared --bare --single-branch` of it in a temp dir and registers that clone as
 * tree k61 in an isolated state (KSERIES_HOME/KSERIES_CACHE in the temp dir). Then, RUNS times
 * (default 3), alternating:
 *   raw      git worktree add -b raw-N DIR BASE; git -C DIR am -3 PATCHES (the series' files
 *            in the order of its `series` file); then git worktree remove --force (not timed)
 *   kseries  kseries apply --tree k61 --json --verbose (its own worktree and branch, git am -3
 *            patch by patch, the report; --verbose only to time its `git worktree add`); then
 *            the same again without --verbose, which finds the series applied and does nothing
 *            (timed separately: "idempotent"); then kseries apply --abort (not timed)
 * Raw goes first on odd runs, kseries on even ones; every cleanup ends with `sync`, and one
 * untimed checkout warms the caches before the first run. Both results must have the same tree.
 * Everything runs under `nice -n NICE` (default 19) and GNU time: wall clock, and CPU time
 * (user + system of the whole process tree). Prints the medians and the ratios kseries / raw.
 * Checking out the ~80k files of a kernel dominates both sides, so it also prints each side's
 * wall clock outside `git worktree add`: raw's git am, and kseries' run minus the time from the
 * worktree add line of its --verbose log to the next command it logs.
 * The temp dir (a checkout is 1.3 GiB) is deleted at the end unless --keep.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GIT_ENV, gnuTime, median, TIME_FORMAT } from './lib.mjs';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    source: { type: 'string' },
    series: { type: 'string', default: 'v6.1' },
    nice: { type: 'string', default: '19' },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(positionals[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: node bench/apply.mjs [RUNS] [--source REPO] [--series v6.1] [--nice 19] [--keep]');
const cli = new URL('../bin/run.js', import.meta.url).pathname;
if (!existsSync(new URL('../dist/commands/apply.js', import.meta.url))) throw new Error('run `npm run build` first');
if (!existsSync('/usr/bin/time')) throw new Error('GNU time is needed: apt-get install time');
const dataDir = process.env.KSERIES_HOME ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'kseries');
const source = o.source ?? join(dataDir, 'trees', 'k61');
if (!existsSync(source)) throw new Error(`${source} not found: kseries tree add k61 --source debian:6.1, or give --source`);
const seriesDir = new URL(`../patches/${o.series}/`, import.meta.url).pathname;
const patches = readFileSync(join(seriesDir, 'series'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((f) => join(seriesDir, f));

const work = mkdtempSync(join(tmpdir(), 'kseries-bench-apply-'));
const repo = join(work, 'k61.git');
const env = { ...process.env, ...GIT_ENV, KSERIES_HOME: join(work, 'state'), KSERIES_CACHE: join(work, 'cache'), KSERIES_NO_PROGRESS: '1' };
const log = (m) => process.stderr.write(`${m}\n`);
const loads = [];
const sampleLoad = () => loads.push(loadavg()[0]);

/**
 * Runs CMD under GNU time and nice; resolves with { wall, cpu, sys, stdout, lines } (cpu: user +
 * system of every descendant; lines: the stderr lines with the seconds since the start at which
 * they arrived, for the phases of a --verbose kseries run).
 */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    sampleLoad();
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', TIME_FORMAT, 'nice', '-n', o.nice, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let rest = '';
    const lines = [];
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
      const at = Number(process.hrtime.bigint() - t0) / 1e9;
      stderr += d;
      const ls = (rest + d).split('\n');
      rest = ls.pop();
      for (const line of ls) lines.push({ at, line });
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      sampleLoad();
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}): ${(stdout + stderr).slice(-2000)}`));
      try {
        resolve({ ...gnuTime(stderr), stdout, lines });
      } catch (e) {
        reject(e);
      }
    });
  });
}
/** Seconds a --verbose kseries run spent in `git worktree add`: from its command line to the next one logged. */
function checkoutPhase(lines) {
  const cmds = lines.filter((l) => l.line.startsWith('+ '));
  const i = cmds.findIndex((l) => / worktree add /.test(l.line));
  if (i < 0 || i + 1 >= cmds.length) throw new Error('no `git worktree add` in the --verbose log of kseries apply');
  return cmds[i + 1].at - cmds[i].at;
}
/** Untimed helper commands, niced too (their cost is not part of the figures). */
const run = (cmd, args) => execFileSync('nice', ['-n', o.nice, cmd, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const secsOf = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
};
const git = (...a) => run('git', a).trim();
const ks = (...a) => timed(process.execPath, [cli, 'apply', '--tree', 'k61', '--json', ...a]);
const fmt = (t) => `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s cpu`;

const res = { raw: [], rawAdd: [], rawAm: [], kseries: [], ksOutside: [], again: [] };
const cleanup = { raw: [], abort: [] };
let cleanupSecs = 0;
try {
  git('clone', '-q', '--shared', '--bare', '--single-branch', source, repo);
  const base = git('-C', repo, 'rev-parse', 'HEAD^{commit}');
  run(process.execPath, [cli, 'tree', 'add', 'k61', '--source', repo]);
  // Warm the page cache with the objects both sides check out (they live in SOURCE's packs).
  const packs = join(git('-C', source, 'rev-parse', '--path-format=absolute', '--git-common-dir'), 'objects', 'pack');
  execFileSync('sh', ['-c', 'cat "$1"/*.pack >/dev/null', 'sh', packs]);
  log(`source ${source} (cloned to ${repo}), base ${base.slice(0, 12)}\nseries ${seriesDir}: ${patches.length} patches\nwork dir ${work}\nnice -n ${o.nice}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // One untimed checkout first, so that neither side pays for a cold cache.
  git('-C', repo, 'worktree', 'add', '-q', '--detach', join(work, 'warmup'), base);
  run('git', ['-C', repo, 'worktree', 'remove', '--force', join(work, 'warmup')]);
  run('sync', []);

  let rawTree = null;
  let ksTree = null;
  const rawRun = async (i) => {
    const dir = join(work, `raw-${i}`);
    const add = await timed('git', ['-C', repo, 'worktree', 'add', '-b', `raw-${i}`, dir, base]);
    const am = await timed('git', ['-C', dir, 'am', '-3', ...patches]);
    res.rawAdd.push(add);
    res.rawAm.push(am);
    res.raw.push({ wall: add.wall + am.wall, cpu: add.cpu + am.cpu, sys: add.sys + am.sys });
    rawTree = git('-C', dir, 'rev-parse', 'HEAD^{tree}');
    log(`raw #${i}: ${fmt(res.raw.at(-1))} (worktree add ${fmt(add)}; am ${fmt(am)})`);
    cleanup.raw.push(secsOf(() => run('git', ['-C', repo, 'worktree', 'remove', '--force', dir])));
    git('-C', repo, 'branch', '-q', '-D', `raw-${i}`);
    run('sync', []);
  };
  const ksRun = async (i) => {
    const k = await ks('--verbose');
    const report = JSON.parse(k.stdout).result;
    if (report?.status !== 'applied') throw new Error(`kseries apply: ${k.stdout.slice(0, 2000)}`);
    res.kseries.push(k);
    res.ksOutside.push(k.wall - checkoutPhase(k.lines));
    ksTree = git('-C', repo, 'rev-parse', `${report.head}^{tree}`);
    const again = await ks();
    const status = JSON.parse(again.stdout).result?.status;
    if (status !== 'already-applied') throw new Error(`second kseries apply: status ${status}, not already-applied`);
    res.again.push(again);
    log(`kseries #${i}: ${fmt(k)} (outside git worktree add ${res.ksOutside.at(-1).toFixed(1)} s wall); again (already applied): ${fmt(again)}`);
    cleanup.abort.push(secsOf(() => run(process.execPath, [cli, 'apply', '--tree', 'k61', '--abort'])));
    run('sync', []);
  };
  for (let i = 1; i <= runs; i++) {
    // raw first on odd runs, kseries first on even ones: a side that always ran second would
    // inherit the deletes and writeback of the other side's cleanup
    if (i % 2) {
      await rawRun(i);
      await ksRun(i);
    } else {
      await ksRun(i);
      await rawRun(i);
    }
    if (ksTree !== rawTree) throw new Error(`kseries and git am made different trees: ${ksTree} vs ${rawTree}`);
    log(`  cleanup (not timed): worktree remove ${cleanup.raw.at(-1).toFixed(1)} s, kseries apply --abort ${cleanup.abort.at(-1).toFixed(1)} s; load average ${loadavg()[0].toFixed(2)}`);
  }
} finally {
  if (!o.keep) {
    log(`deleting ${work} ...`);
    cleanupSecs = secsOf(() => rmSync(work, { recursive: true, force: true }));
  }
}

const med = (ts, k) => median(ts.map((t) => t[k]));
const s = (x) => `${x.toFixed(2)} s`;
console.log(`\n${runs} run(s) each, medians; ${cpus().length} cores, nice -n ${o.nice}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`load average (1 min) during the runs: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}\n`);
console.log('| apply | raw wall | kseries wall | ratio | raw cpu | kseries cpu | ratio |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const [rw, kw, rc, kc] = [med(res.raw, 'wall'), med(res.kseries, 'wall'), med(res.raw, 'cpu'), med(res.kseries, 'cpu')];
console.log(`| worktree + ${patches.length} patches | ${s(rw)} | ${s(kw)} | ${(kw / rw).toFixed(3)} | ${s(rc)} | ${s(kc)} | ${(kc / rc).toFixed(3)} |`);
console.log(`| already applied (idempotent) | | ${s(med(res.again, 'wall'))} | | | ${s(med(res.again, 'cpu'))} | |`);
console.log(`\nraw, by command: git worktree add ${s(med(res.rawAdd, 'wall'))} wall / ${s(med(res.rawAdd, 'cpu'))} cpu; git am -3 ${s(med(res.rawAm, 'wall'))} wall / ${s(med(res.rawAm, 'cpu'))} cpu`);
console.log(`outside \`git worktree add\` (wall): raw (git am -3) ${s(med(res.rawAm, 'wall'))}, kseries ${s(median(res.ksOutside))} (its run minus the worktree add phase of its --verbose log)`);
console.log(`of the cpu, system time: raw ${s(med(res.raw, 'sys'))}, kseries ${s(med(res.kseries, 'sys'))}`);
console.log(`kseries - raw: ${(kw - rw).toFixed(2)} s wall, ${(kc - rc).toFixed(2)} s cpu`);
console.log(`cleanup, not timed above (median wall): git worktree remove --force ${s(median(cleanup.raw))}, kseries apply --abort ${s(median(cleanup.abort))}${o.keep ? '' : `; deleting the work dir ${s(cleanupSecs)}`}`);
const strip = (ts) => ts.map(({ wall, cpu, sys }) => ({ wall, cpu, sys }));
console.log(`\nall runs: ${JSON.stringify({ raw: strip(res.raw), rawAdd: strip(res.rawAdd), rawAm: strip(res.rawAm), kseries: strip(res.kseries), ksOutside: res.ksOutside, again: strip(res.again) })}`);
