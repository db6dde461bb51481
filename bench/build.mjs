#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * What does `kseries build` cost over running the same make by hand?
 *
 *   node bench/build.mjs [--tree k61] [--runs 3] [--jobs 2] [--nice 10] [--skip-cold] [--ccache]
 *                        [--file drivers/dax/kmem.c]
 *
 * Needs a registered tree with the series applied and configured (kseries apply, kseries
 * kconfig apply) in the state KSERIES_HOME/KSERIES_CACHE point at, and `npm run build`.
 * Takes the tree's source dir and .config, and the exact make argv from
 * `kseries build --dry-run --json`, then times, in two fresh O= directories of its own
 * (no ccache on either side; --ccache: both under ccache, kseries with --ccache and make with
 * the very line kseries prints, in O= dirs beside the tree's so that its objects hit):
 *   cold         make from an empty O= dir           vs  kseries build into an empty O= dir
 *   incremental  after `touch FILE` (drivers/dax/kmem.c) (RUNS times each, alternating; median)
 *   no-op        nothing changed                     (RUNS times each; median)
 * Both sides run make under `nice -n NICE` with -jJOBS. Prints the medians and the ratio
 * kseries / make (the target is at most 1.02), of the wall-clock time and of the CPU time
 * (user + system of the whole process tree, from GNU time): on a machine shared with other
 * builds the wall clock swings with their load, the CPU time much less.
 *
 * Each kseries run also gives its own cost without the noise of a second make: its wall clock
 * minus the make it ran (durations.makeMs of the build's metadata.json), "kseries outside
 * make". The last column adds that median to the raw make's median: the ratio kseries would
 * have if its make took exactly as long as the raw one (two makes of one build differ by up to
 * ±1 s on this machine, more than what kseries adds).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gnuTime, median, TIME_FORMAT } from './lib.mjs';

const { values: o } = parseArgs({
  options: {
    tree: { type: 'string', default: 'k61' },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '2' },
    nice: { type: 'string', default: '10' },
    'skip-cold': { type: 'boolean', default: false },
    ccache: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    file: { type: 'string', default: 'drivers/dax/kmem.c' },
  },
});
const runs = Number(o.runs);
const cli = new URL('../bin/run.js', import.meta.url).pathname;
if (!existsSync(new URL('../dist/commands/build.js', import.meta.url))) throw new Error('run `npm run build` first');
if (!existsSync('/usr/bin/time')) throw new Error('GNU time is needed: apt-get install time');

const kseriesArgs = (dir, extra = []) => ['build', '--tree', o.tree, '--build-dir', dir, '-j', o.jobs, '--nice', o.nice, o.ccache ? '--ccache' : '--no-ccache', ...extra];
// --ccache: beside the tree's build dir (same depth under CCACHE_BASEDIR: the compile commands match the tree's, so
// its objects hit); without: anywhere
const cacheRoot = process.env.KSERIES_CACHE ?? join(process.env.HOME, '.cache', 'kseries');
const work = o.ccache ? null : mkdtempSync(join(tmpdir(), 'kseries-bench-build-'));
const rawDir = o.ccache ? join(cacheRoot, 'build', o.tree, 'x86_64-bench-make') : join(work, 'make');
const ksDir = o.ccache ? join(cacheRoot, 'build', o.tree, 'x86_64-bench-kseries') : join(work, 'kseries');

const config = join(cacheRoot, 'build', o.tree, 'x86_64-default', '.config');
if (!existsSync(config)) throw new Error(`no .config at ${config}: run kseries kconfig apply --tree ${o.tree}`);
// The plan kseries would run, for the source dir, the targets and the argv.
const dry = JSON.parse(execFileSync(process.execPath, [cli, ...kseriesArgs(ksDir, ['--dry-run', '--json', '--config', config])], { encoding: 'utf8', env: { ...process.env, KSERIES_NO_PROGRESS: '1' } }));
if (!dry.result) throw new Error(`kseries build --dry-run failed: ${JSON.stringify(dry.error ?? dry)}`);
const { srcDir, targets } = dry.result;
const makeArgv = (dir) => ['-n', o.nice, 'make', '-C', srcDir, `O=${dir}`, 'ARCH=x86_64', `-j${o.jobs}`, ...targets];
const niced = Number(o.nice) ? `nice -n ${o.nice} ` : '';
const makeLine = dry.result.commands.join('\n').split('\n').at(-1);
const expected = o.ccache
  ? `${niced}make -C ${srcDir} O=${ksDir} ARCH=x86_64 'CC=ccache gcc' 'HOSTCC=ccache gcc' -j${o.jobs} ${targets.join(' ')}`
  : `${niced}make -C ${srcDir} O=${ksDir} ARCH=x86_64 -j${o.jobs} ${targets.join(' ')}`;
if (!makeLine.endsWith(expected)) throw new Error(`kseries would run\n  ${makeLine}\nnot\n  ${expected}`);
// with --ccache the raw side runs the very line kseries prints (its CCACHE_* variables and CC), for its own O= dir
const rawLine = o.ccache ? makeLine.split(`O=${ksDir} `).join(`O=${rawDir} `) : null;

/** Runs CMD under GNU time; returns { wall, cpu } seconds (cpu: user + system of every descendant). */
function timed(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, KSERIES_NO_PROGRESS: '1', ...env },
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  const { wall, cpu } = gnuTime(r.stderr);
  return { wall, cpu };
}
const raw = (dir) => (rawLine ? timed('sh', ['-c', rawLine]) : timed('nice', makeArgv(dir)));
/** kseries build under GNU time, and its wall clock outside the make it ran (metadata.json's makeMs). */
const ks = (dir) => {
  const t = timed(process.execPath, [cli, ...kseriesArgs(dir)]);
  const { durations } = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  return { ...t, outside: t.wall - durations.makeMs / 1000 };
};
const fresh = (dir) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(config, join(dir, '.config'));
};
const touch = () => {
  const t = new Date();
  utimesSync(join(srcDir, o.file), t, t);
};
const rows = [];
const log = (m) => process.stderr.write(`${m}\n`);

const fmt = (t) => `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s cpu${t.outside === undefined ? '' : `, ${t.outside.toFixed(2)} s outside make`}`;
log(`tree ${o.tree}: ${srcDir}\nconfig ${config}\nmake argv: nice ${makeArgv('O').join(' ')}\nwork dir ${work}`);
fresh(rawDir);
fresh(ksDir);
if (!o['skip-cold']) {
  const m = raw(rawDir);
  log(`cold make: ${fmt(m)}`);
  const k = ks(ksDir);
  log(`cold kseries: ${fmt(k)}`);
  rows.push({ name: 'cold', make: [m], kseries: [k] });
} else {
  raw(rawDir);
  ks(ksDir);
}
const inc = { make: [], kseries: [] };
const noop = { make: [], kseries: [] };
for (let i = 0; i < runs; i++) {
  touch();
  inc.make.push(raw(rawDir));
  touch();
  inc.kseries.push(ks(ksDir));
  log(`incremental #${i + 1}: make ${fmt(inc.make.at(-1))}; kseries ${fmt(inc.kseries.at(-1))}`);
}
// the last touch came after the raw side's last build: bring it up to date untimed
raw(rawDir);
for (let i = 0; i < runs; i++) {
  noop.make.push(raw(rawDir));
  noop.kseries.push(ks(ksDir));
  log(`no-op #${i + 1}: make ${fmt(noop.make.at(-1))}; kseries ${fmt(noop.kseries.at(-1))}`);
}
rows.push({ name: `incremental (touch ${o.file.split('/').at(-1)}), median of ${runs}`, ...inc });
rows.push({ name: `no-op, median of ${runs}`, ...noop });

const med = (ts, k) => median(ts.map((t) => t[k]));
console.log(
  '\n| build | make wall | kseries wall | ratio | make cpu | kseries cpu | ratio | kseries outside make | make + that |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const r of rows) {
  const [mw, kw, mc, kc, out] = [med(r.make, 'wall'), med(r.kseries, 'wall'), med(r.make, 'cpu'), med(r.kseries, 'cpu'), med(r.kseries, 'outside')];
  console.log(
    `| ${r.name} | ${mw.toFixed(1)} s | ${kw.toFixed(1)} s | ${(kw / mw).toFixed(3)} | ${mc.toFixed(1)} s | ${kc.toFixed(1)} s | ${(kc / mc).toFixed(3)} | ${out.toFixed(2)} s | ${((mw + out) / mw).toFixed(3)} |`,
  );
}
console.log(`\nall runs: ${JSON.stringify({ cold: rows[0]?.name === 'cold' ? rows[0] : null, incremental: inc, noop })}`);
if (!o.keep) for (const d of work ? [work] : [rawDir, ksDir]) rmSync(d, { recursive: true, force: true });
