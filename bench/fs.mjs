#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * The series' FS type (daxkmemfs): zero-copy snapshots of a live process's memory, against
 * cp of the same file and a dd into the BLK type, and file throughput against tmpfs and ext4
 * on the BLK type, in QEMU, side by side in one run.
 *
 *   node bench/fs.mjs [--tree k61] [--runs 2] [--mib 256,1024] [--tput-mib 256] [--results DIR]
 *   node bench/fs.mjs --parse DIR          only print the tables of an earlier run
 *
 * Needs a tree configured with the FS and BLK types (`kseries ci` does it: --persist blk,fs)
 * and built, and `npm run build`. Runs the scenario bench/scenarios/fs-snapshot with RUNS
 * pairs of boots, one formatted "fs" and one "blk" (fs_bench_type), alternating, each a fresh
 * VM with a 3 GiB NVDIMM on its own node and 3 GiB of RAM (bench.sh in the guest says what
 * each timing covers). Prints three tables of medians over the boots (seconds, and ratios
 * against the anchors: cp and dd for a snapshot, a read back for a restore, tmpfs and ext4 on
 * BLK for throughput), then every BENCH line as JSON. Results: --results, default
 * ./kseries-results/TREE/bench-fs-TIMESTAMP/ (fs-snapshot/bootN/output.log).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchLines, median } from './lib.mjs';

const { values: o } = parseArgs({
  options: {
    tree: { type: 'string', default: 'k61' },
    runs: { type: 'string', default: '2' },
    mib: { type: 'string', default: '256,1024' },
    'tput-mib': { type: 'string', default: '256' },
    results: { type: 'string' },
    parse: { type: 'string' },
  },
});
const repo = new URL('..', import.meta.url).pathname;
const SCENARIO = 'fs-snapshot';
const log = (m) => process.stderr.write(`${m}\n`);

/** BENCH fs=… op=… how=… mib=… sec=… lines of a log. */
export function parseBench(text) {
  return benchLines(text, 'fs').map((rec) => ({ ...rec, mib: Number(rec.mib), sec: Number(rec.sec) }));
}

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** The three tables: medians of every boot's value for each (fs, op, how, MiB). */
export function tables(recs) {
  const med = (fs, op, how, mib) => {
    const xs = recs.filter((r) => r.fs === fs && r.op === op && r.how === how && r.mib === mib).map((r) => r.sec);
    return xs.length ? median(xs) : NaN;
  };
  const sizes = [...new Set(recs.filter((r) => r.op === 'snapshot').map((r) => r.mib))].sort((a, b) => a - b);
  const out = ['Snapshot of a live process\'s heap (seconds; ratio: the anchor\'s time over FICLONE\'s):', ''];
  out.push('| MiB | FICLONE (daxkmemfs) | cp + sync (daxkmemfs) | dd into BLK | cp/FICLONE | dd/FICLONE |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of sizes) {
    const c = med('daxkmemfs', 'snapshot', 'ficlone', m);
    const p = med('daxkmemfs', 'snapshot', 'cp', m);
    const d = med('daxkmem', 'snapshot', 'dd', m);
    out.push(`| ${m} | ${f(c, 3)} | ${f(p, 3)} | ${f(d, 3)} | ${f(p / c, 1)} | ${f(d / c, 1)} |`);
  }
  out.push('', 'Restore after the process is gone (seconds):', '');
  out.push('| MiB | FICLONE back | first touch of every page | FICLONE + touch | read the cp copy into RAM | read BLK into RAM | copy/clone | BLK/clone |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of sizes) {
    const c = med('daxkmemfs', 'restore', 'ficlone', m);
    const t = med('daxkmemfs', 'restore', 'touch', m);
    const r = med('daxkmemfs', 'restore', 'read', m);
    const b = med('daxkmem', 'restore', 'read', m);
    out.push(`| ${m} | ${f(c, 3)} | ${f(t, 3)} | ${f(c + t, 3)} | ${f(r, 3)} | ${f(b, 3)} | ${f(r / (c + t), 2)} | ${f(b / (c + t), 2)} |`);
  }
  const tput = recs.filter((r) => ['write', 'rewrite', 'read'].includes(r.op));
  const mib = tput[0]?.mib;
  out.push('', `File throughput, ${mib} MiB with dd (MiB/s; ratio: daxkmemfs over the other):`, '');
  out.push('| op | dd | daxkmemfs | tmpfs (device node) | ext4 on BLK | /tmpfs | /ext4 |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const key of [...new Set(tput.map((r) => `${r.op} ${r.how}`))]) {
    const [op, how] = key.split(' ');
    const rate = (fs) => mib / med(fs, op, how, mib);
    const [x, t, e] = ['daxkmemfs', 'tmpfs', 'ext4-on-blk'].map(rate);
    out.push(`| ${op} | ${how.replace('dd-', 'bs=')} | ${f(x, 0)} | ${f(t, 0)} | ${f(e, 0)} | ${f(x / t, 2)} | ${f(x / e, 2)} |`);
  }
  const boots = new Set(recs.map((r) => r.boot)).size;
  out.push('', `${boots} boots; every figure the lower median of its boots' values.`);
  return out.join('\n');
}

function report(dir) {
  const scen = join(resolve(dir), SCENARIO);
  const recs = [];
  for (const b of existsSync(scen) ? readdirSync(scen).filter((d) => /^boot\d+$/.test(d)) : []) {
    const file = ['output.log', 'console.log'].map((n) => join(scen, b, n)).find((x) => existsSync(x) && readFileSync(x, 'utf8').includes('BENCH '));
    if (file) recs.push(...parseBench(readFileSync(file, 'utf8')).map((r) => ({ boot: Number(b.slice(4)), ...r })));
  }
  if (!recs.length) throw new Error(`no BENCH lines under ${scen}/bootN/`);
  console.log(tables(recs));
  console.log(`\nall BENCH lines: ${JSON.stringify(recs)}`);
}

if (o.parse) {
  report(o.parse);
  process.exit(0);
}
const runs = Number(o.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs: a positive integer');
if (!/^\d+(,\d+)*$/.test(o.mib) || !/^\d+$/.test(o['tput-mib'])) throw new Error('--mib: sizes in MiB, comma-separated; --tput-mib: one size');
if (!existsSync(join(repo, 'dist', 'commands', 'selftest.js'))) throw new Error('run `npm run build` first');

// the scenario, copied so that its scenario.json carries this run's boots and sizes
const shadow = mkdtempSync(join(tmpdir(), 'kseries-bench-fs-'));
const scenarioDir = join(shadow, SCENARIO);
cpSync(join(repo, 'bench', 'scenarios', SCENARIO), scenarioDir, { recursive: true });
const sj = JSON.parse(readFileSync(join(scenarioDir, 'scenario.json'), 'utf8'));
const boot = (type) => ({ ...sj.boots[0], append: [`fs_bench_type=${type}`, `fs_bench_mib=${o.mib}`, `fs_bench_tput_mib=${o['tput-mib']}`] });
sj.boots = Array.from({ length: 2 * runs }, (_, i) => boot((i % 4 === 0 || i % 4 === 3) ? 'fs' : 'blk'));
writeFileSync(join(scenarioDir, 'scenario.json'), `${JSON.stringify(sj, null, 2)}\n`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');
const results = resolve(o.results ?? join('kseries-results', o.tree, `bench-fs-${stamp}`));
const args = ['selftest', '--tree', o.tree, '--scenario', scenarioDir, '--results', results];
log(`$ kseries ${args.join(' ')}  (${2 * runs} boots: ${sj.boots.map((b) => b.append[0].split('=')[1]).join(', ')})`);
const st = spawnSync(process.execPath, [join(repo, 'bin', 'run.js'), ...args], { env: { ...process.env, KSERIES_NO_PROGRESS: '1' }, stdio: ['ignore', 'inherit', 'inherit'] });
rmSync(shadow, { recursive: true, force: true });
report(results);
if (st.status !== 0) {
  log(`kseries selftest exited ${st.status}: see ${results}`);
  process.exit(st.status ?? 1);
}
