#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * The series' BLK type against the kernel's RAM disk brd, in QEMU (one bench per boot).
 *
 *   node bench/blk.mjs [--tree k61] [--prepare [--jobs 1] [--nice 19]] [--mib 256] [--runs 3]
 *                      [--boots 3] [--accel auto|kvm|tcg] [--cold] [--results DIR] [--keep-scenario]
 *                      [--profile default] [--append PARAM=VALUE]... [--dry-run]
 *   node bench/blk.mjs --parse DIR|FILE        only print the tables of an earlier run
 *
 * Works on the state KSERIES_HOME/KSERIES_CACHE point at (like bench/build.mjs), and needs
 * `npm run build`. What it needs of the tree:
 *   --prepare     nothing but a registered tree: it runs `kseries apply`, `kseries kconfig
 *                 apply` with the flags CI uses (read from `kseries ci --dry-run --json`) plus
 *                 `--fragment bench/blk-vs-brd.config` (CONFIG_BLK_DEV_RAM=y), and
 *                 `kseries build --ccache -jJOBS --nice NICE`, then boots.
 *   otherwise     a tree already built that way: it checks the .config of the build dir for
 *                 CONFIG_BLK_DEV_RAM=y and the bzImage, then boots.
 *
 * It runs the scenario bench/scenarios/blk-vs-brd: BOOTS boots, each a fresh VM running the
 * whole bench (bench.sh in the guest: format the NVDIMM "blk", online it through kmem, warm
 * up, then dd writes, rewrites, reads and a discard on /dev/daxkmem<node> and /dev/ram0 in
 * turn, the device that goes first alternating from boot to boot, each printing a
 * `BENCH dev=… op=… sec=… memfree_drop_kib=…` line). A write into fresh blocks can be timed
 * once a boot (brd of 6.1 cannot discard), so the boots are what gives those medians.
 *
 * The scenario is copied to a temp dir (named blk-vs-brd) and passed to `kseries selftest
 * --scenario` by path (a value with a "/" is a scenario directory; the bench does not join
 * CI's scenarios in ci/scenarios/), its scenario.json rewritten with
 * BOOTS boots, blk_bench_mib/blk_bench_runs/brd.rd_size from --mib/--runs, and
 * blk_bench_warm=0 for --cold (no warm-up: the first writes then also time QEMU's first touch
 * of the guest's memory, host page faults, rather than the devices).
 * Everything runs under `nice -n NICE` (QEMU too). Results: --results, default
 * ./kseries-results/TREE/bench-blk-TIMESTAMP/ (the selftest layout: blk-vs-brd/bootN/
 * console.log and output.log). The BENCH lines are read from each boot's output.log (the
 * script's output alone), else its console.log.
 *
 * --profile boots the kernel of another build profile of the tree (BUILD/TREE/x86_64-PROFILE,
 * e.g. `debian`, configured with `kseries kconfig apply --base debian`); --append adds kernel
 * parameters to every boot (`init_on_alloc=0` on a kernel that zeroes every new page).
 *
 * --dry-run prints the selftest plan (QEMU command line) and runs nothing.
 *
 * Prints, per operation, the seconds on each device (median of every run of every boot), the ratio
 * daxkmem/brd and the throughput; then the memory it took per MiB (KiB; 1024 = one 4 KiB page
 * per 4 KiB block): the MemFree drop, the same with the pages of the per-CPU lists counted as
 * free (MemFree leaves them out), each with its ratio, and the MemTotal drop (the series
 * takes a block's page out of the managed memory; brd does not); then every BENCH line as JSON.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    tree: { type: 'string', default: 'k61' },
    prepare: { type: 'boolean', default: false },
    jobs: { type: 'string', default: '1' },
    nice: { type: 'string', default: '19' },
    mib: { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    boots: { type: 'string', default: '3' },
    accel: { type: 'string', default: 'auto' },
    results: { type: 'string' },
    parse: { type: 'string' },
    'keep-scenario': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    profile: { type: 'string', default: 'default' },
    append: { type: 'string', multiple: true, default: [] },
  },
});
const repo = new URL('..', import.meta.url).pathname;
const SCENARIO = 'blk-vs-brd';
const log = (m) => process.stderr.write(`${m}\n`);

/** BENCH key=value… lines of a log file. */
export function parseBench(text) {
  const lines = [];
  for (const m of text.matchAll(/\bBENCH (dev=.*)$/gm)) {
    const rec = {};
    for (const kv of m[1].trim().split(/\s+/)) {
      const i = kv.indexOf('=');
      if (i > 0) rec[kv.slice(0, i)] = kv.slice(i + 1);
    }
    for (const k of ['mib', 'run', 'sec', 'memfree_drop_kib', 'free_drop_kib', 'memtotal_drop_kib']) if (k in rec) rec[k] = Number(rec[k]);
    if (rec.dev && rec.op) lines.push(rec);
  }
  return lines;
}

/** The logs holding BENCH lines: a file, a boot dir, or a results dir (every bootN). */
function findLogs(path) {
  const p = resolve(path);
  if (statSync(p).isFile()) return [p];
  const scen = existsSync(join(p, SCENARIO)) ? join(p, SCENARIO) : p;
  const bootDirs = existsSync(join(p, 'output.log')) || existsSync(join(p, 'console.log'))
    ? [p]
    : readdirSync(scen).filter((d) => /^boot\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))).map((d) => join(scen, d));
  const logs = [];
  for (const dir of bootDirs) {
    const f = ['output.log', 'console.log'].map((n) => join(dir, n)).find((x) => existsSync(x) && readFileSync(x, 'utf8').includes('BENCH '));
    if (f) logs.push(f);
  }
  if (!logs.length) throw new Error(`no BENCH lines under ${p} (looked for ${SCENARIO}/bootN/output.log and console.log)`);
  return logs;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d).replace(/^-(0\.?0*)$/, '$1') : '-');

export function table(recs) {
  const isDax = (r) => r.dev.startsWith('daxkmem');
  const isBrd = (r) => r.dev.startsWith('ram');
  const dn = recs.find(isDax)?.dev ?? 'daxkmem';
  const bn = recs.find(isBrd)?.dev ?? 'ram0';
  const keys = [...new Set(recs.map((r) => `${r.op} ${r.bs}`))];
  const time = [
    `| op | bs | MiB | runs | ${dn} s | ${bn} s | time ${dn}/brd | ${dn} MiB/s | ${bn} MiB/s |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const mem = [
    `| op | bs | MemFree drop/MiB ${dn} | ${bn} | ratio | MemFree+pcp drop/MiB ${dn} | ${bn} | ratio | MemTotal drop/MiB ${dn} | ${bn} |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const notes = [];
  for (const key of keys) {
    const [op, bs] = key.split(' ');
    const side = (pred) => {
      const rs = recs.filter((r) => pred(r) && r.op === op && r.bs === bs);
      const ok = rs.filter((r) => r.status === undefined);
      for (const r of rs.filter((x) => x.status !== undefined)) notes.push(`${r.dev} ${op}${bs === '-' ? '' : ` bs=${bs}`}: ${r.status}, ${String(r.reason ?? '').replace(/_/g, ' ').trim()}`);
      if (!ok.length) return null;
      const mib = ok[0].mib;
      const per = (k) => median(ok.map((r) => r[k])) / mib;
      return { mib, runs: ok.length, sec: median(ok.map((r) => r.sec)), free: per('memfree_drop_kib'), pcp: per('free_drop_kib'), total: per('memtotal_drop_kib') };
    };
    const d = side(isDax);
    const b = side(isBrd);
    const any = d ?? b;
    if (!any) continue;
    const cell = (s, fn, dd) => (s ? f(fn(s), dd) : 'skipped');
    // a ratio of memory drops only where brd's is more than noise (1/16 page per block)
    const ratio = (k) => (d && b && Math.abs(b[k]) >= 64 ? f(d[k] / b[k], 3) : '-');
    time.push(
      `| ${op} | ${bs} | ${any.mib} | ${d?.runs ?? 0}/${b?.runs ?? 0} | ${cell(d, (s) => s.sec, 2)} | ${cell(b, (s) => s.sec, 2)} | ${d && b ? f(d.sec / b.sec, 3) : '-'} | ` +
        `${cell(d, (s) => s.mib / s.sec, 1)} | ${cell(b, (s) => s.mib / s.sec, 1)} |`,
    );
    mem.push(
      `| ${op} | ${bs} | ${cell(d, (s) => s.free, 0)} | ${cell(b, (s) => s.free, 0)} | ${ratio('free')} | ${cell(d, (s) => s.pcp, 0)} | ${cell(b, (s) => s.pcp, 0)} | ${ratio('pcp')} | ` +
        `${cell(d, (s) => s.total, 0)} | ${cell(b, (s) => s.total, 0)} |`,
    );
  }
  return `${time.join('\n')}\n\nMemory, KiB per MiB of the operation (1024 = one 4 KiB page per 4 KiB block; negative: given back):\n\n${mem.join('\n')}\n${[...new Set(notes)].map((n) => `\nnote: ${n}`).join('')}`;
}

function report(path) {
  const recs = [];
  const files = findLogs(path);
  for (const file of files) {
    const boot = Number(/boot(\d+)/.exec(file)?.[1] ?? 1);
    recs.push(...parseBench(readFileSync(file, 'utf8')).map((r) => ({ boot, ...r })));
  }
  if (!recs.length) throw new Error(`${files.join(', ')}: no BENCH lines`);
  console.log(`\n${files.join('\n')}\n`);
  console.log(table(recs));
  console.log(`\nall BENCH lines: ${JSON.stringify(recs)}`);
}

if (o.parse) {
  report(o.parse);
  process.exit(0);
}

const cli = join(repo, 'bin', 'run.js');
if (!existsSync(join(repo, 'dist', 'commands', 'selftest.js'))) throw new Error('run `npm run build` first');
const mib = Number(o.mib);
const runs = Number(o.runs);
const boots = Number(o.boots);
if (!Number.isInteger(boots) || boots < 1) throw new Error('--boots: a positive integer');
if (!Number.isInteger(mib) || mib < 1) throw new Error('--mib: a positive integer');
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a positive integer');
const env = { ...process.env, KSERIES_NO_PROGRESS: '1' };

/** Runs kseries (CLI at `bin`) under nice; throws unless it exits 0 (or 1 when allowFail). */
function kseries(bin, args, { allowFail = false, capture = false } = {}) {
  log(`$ nice -n ${o.nice} kseries ${args.join(' ')}`);
  const r = spawnSync('nice', ['-n', o.nice, process.execPath, bin, ...args], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && !(allowFail && r.status === 1)) throw new Error(`kseries ${args.join(' ')} exited ${r.status ?? r.signal}`);
  return r;
}

const cache = process.env.KSERIES_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME, '.cache'), 'kseries');
const buildDir = join(cache, 'build', o.tree, `x86_64-${o.profile}`);
const fragment = join(repo, 'bench', 'blk-vs-brd.config');

if (o.prepare) {
  const dry = JSON.parse(kseries(cli, ['ci', '--dry-run', '--json', '--tree', o.tree, '--results', join(tmpdir(), 'kseries-bench-blk-dry')], { capture: true }).stdout);
  const stage = dry.result.plan.trees[0].stages.find((s) => s.id === 'kconfig');
  const argv = stage.commands[0].split(/\s+/);
  if (argv[0] !== 'kseries' || argv[1] !== 'kconfig' || argv[2] !== 'apply') throw new Error(`unexpected kconfig stage: ${stage.commands[0]}`);
  kseries(cli, ['apply', '--tree', o.tree]);
  kseries(cli, [...argv.slice(1), '--fragment', fragment]);
  kseries(cli, ['build', '--tree', o.tree, '--ccache', '-j', o.jobs, '--nice', o.nice]);
}

const config = join(buildDir, '.config');
if (!existsSync(config)) throw new Error(`no ${config}: run with --prepare, or kseries kconfig apply … --fragment ${fragment} and kseries build`);
if (!/^CONFIG_BLK_DEV_RAM=y$/m.test(readFileSync(config, 'utf8'))) throw new Error(`${config} lacks CONFIG_BLK_DEV_RAM=y: configure with --fragment ${fragment} (or run with --prepare)`);
if (!o['dry-run'] && !existsSync(join(buildDir, 'arch', 'x86', 'boot', 'bzImage'))) throw new Error(`no bzImage in ${buildDir}: kseries build --tree ${o.tree} (or run with --prepare)`);

// The scenario, copied so that its scenario.json can carry this run's boots and sizes.
const shadow = mkdtempSync(join(tmpdir(), 'kseries-bench-blk-'));
const scenarioDir = join(shadow, SCENARIO);
cpSync(join(repo, 'bench', 'scenarios', SCENARIO), scenarioDir, { recursive: true });
const sj = JSON.parse(readFileSync(join(scenarioDir, 'scenario.json'), 'utf8'));
const set = { 'brd.rd_size': String(2 * mib * 1024 + 4096), blk_bench_mib: String(mib), blk_bench_runs: String(runs), blk_bench_warm: o.cold ? '0' : '1' };
const boot0 = sj.boots[0];
sj.boots = Array.from({ length: boots }, (_, i) => ({
  ...boot0,
  append: [
    ...boot0.append.filter((a) => !(a.split('=')[0] in set) && !a.startsWith('blk_bench_first=')),
    ...Object.entries(set).map(([k, v]) => `${k}=${v}`),
    `blk_bench_first=${i % 2 ? 'ram' : 'daxkmem'}`,
    ...o.append,
  ],
}));
writeFileSync(join(scenarioDir, 'scenario.json'), `${JSON.stringify(sj, null, 2)}\n`);
if (2 * mib > 800) log(`warning: 2 x ${mib} MiB may not fit the ~896 MiB of System RAM a 1 GiB NVDIMM adds`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
const results = resolve(o.results ?? join('kseries-results', o.tree, `bench-blk-${stamp}`));
log(`scenario ${scenarioDir}; results ${results}; ${boots} boots, ${mib} MiB per pass, ${runs} runs`);
const selftest = ['selftest', '--tree', o.tree, '--build-dir', buildDir, '--scenario', scenarioDir, '--accel', o.accel, '--results', results];
if (o['dry-run']) {
  // the selftest plan (QEMU command line with the rewritten append), and nothing run
  kseries(cli, [...selftest, '--dry-run']);
  if (!o['keep-scenario']) rmSync(shadow, { recursive: true, force: true });
  process.exit(0);
}
const st = kseries(cli, selftest, { allowFail: true });
if (!o['keep-scenario']) rmSync(shadow, { recursive: true, force: true });
try {
  report(results);
} catch (e) {
  log(`${e.message}`);
  for (let i = 1; i <= boots; i++) {
    const out = join(results, SCENARIO, `boot${i}`, 'output.log');
    if (existsSync(out)) log(`boot ${i}, the guest said:\n${readFileSync(out, 'utf8').split('\n').slice(-20).join('\n')}`);
  }
  process.exit(st.status || 1);
}
if (st.status !== 0) {
  log(`kseries selftest exited ${st.status}: see ${results}`);
  process.exit(st.status);
}
