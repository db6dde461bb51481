#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * What does `kseries build` cost over running the same make by hand?
 *
 *   node bench/build.mjs [--tree k61] [--runs 3] [--jobs 2] [--nice 10] [--skip-cold]
 *
 * Needs a registered tree with the series applied and configured (kseries apply, kseries
 * kconfig apply) in the state KSERIES_HOME/KSERIES_CACHE point at, and `npm run build`.
 * Takes the tree's source dir and .config, and the exact make argv from
 * `kseries build --dry-run --json`, then times, in two fresh O= directories of its own
 * (no ccache on either side):
 *   cold         make from an empty O= dir           vs  kseries build into an empty O= dir
 *   incremental  after `touch drivers/dax/kmem.c`    (RUNS times each, alternating; median)
 *   no-op        nothing changed                     (RUNS times each; median)
 * Both sides run make under `nice -n NICE` with -jJOBS. Prints the medians and the ratio
 * kseries / make (the target is at most 1.02).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    tree: { type: 'string', default: 'k61' },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '2' },
    nice: { type: 'string', default: '10' },
    'skip-cold': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const runs = Number(o.runs);
const cli = new URL('../bin/run.js', import.meta.url).pathname;
if (!existsSync(new URL('../dist/commands/build.js', import.meta.url))) throw new Error('run `npm run build` first');

const kseriesArgs = (dir, extra = []) => ['build', '--tree', o.tree, '--build-dir', dir, '-j', o.jobs, '--nice', o.nice, ...extra];
const work = mkdtempSync(join(tmpdir(), 'kseries-bench-build-'));
const rawDir = join(work, 'make');
const ksDir = join(work, 'kseries');

const config = join(process.env.KSERIES_CACHE ?? join(process.env.HOME, '.cache', 'kseries'), 'build', o.tree, 'x86_64-default', '.config');
if (!existsSync(config)) throw new Error(`no .config at ${config}: run kseries kconfig apply --tree ${o.tree}`);
// The plan kseries would run, for the source dir, the targets and the argv.
const dry = JSON.parse(execFileSync(process.execPath, [cli, ...kseriesArgs(ksDir, ['--dry-run', '--json', '--config', config])], { encoding: 'utf8', env: { ...process.env, KSERIES_NO_PROGRESS: '1' } }));
if (!dry.result) throw new Error(`kseries build --dry-run failed: ${JSON.stringify(dry.error ?? dry)}`);
const { srcDir, targets } = dry.result;
const makeArgv = (dir) => ['-n', o.nice, 'make', '-C', srcDir, `O=${dir}`, 'ARCH=x86_64', `-j${o.jobs}`, ...targets];
const expected = `nice -n ${o.nice} make -C ${srcDir} O=${ksDir} ARCH=x86_64 -j${o.jobs} ${targets.join(' ')}`;
if (!dry.result.commands.at(-1).endsWith(expected)) throw new Error(`kseries would run\n  ${dry.result.commands.at(-1)}\nnot\n  ${expected}`);

function timed(cmd, args, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, KSERIES_NO_PROGRESS: '1', ...env }, maxBuffer: 1 << 28 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return s;
}
const raw = (dir) => timed('nice', makeArgv(dir));
const ks = (dir) => timed(process.execPath, [cli, ...kseriesArgs(dir)]);
const fresh = (dir) => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(config, join(dir, '.config'));
};
const touch = () => {
  const t = new Date();
  utimesSync(join(srcDir, 'drivers/dax/kmem.c'), t, t);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = [];
const log = (m) => process.stderr.write(`${m}\n`);

log(`tree ${o.tree}: ${srcDir}\nconfig ${config}\nmake argv: nice ${makeArgv('O').join(' ')}\nwork dir ${work}`);
fresh(rawDir);
fresh(ksDir);
if (!o['skip-cold']) {
  const m = raw(rawDir);
  log(`cold make: ${m.toFixed(1)} s`);
  const k = ks(ksDir);
  log(`cold kseries: ${k.toFixed(1)} s`);
  rows.push({ name: 'cold', make: m, kseries: k });
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
  log(`incremental #${i + 1}: make ${inc.make.at(-1).toFixed(1)} s, kseries ${inc.kseries.at(-1).toFixed(1)} s`);
}
for (let i = 0; i < runs; i++) {
  noop.make.push(raw(rawDir));
  noop.kseries.push(ks(ksDir));
  log(`no-op #${i + 1}: make ${noop.make.at(-1).toFixed(1)} s, kseries ${noop.kseries.at(-1).toFixed(1)} s`);
}
rows.push({ name: `incremental (touch kmem.c), median of ${runs}`, make: median(inc.make), kseries: median(inc.kseries) });
rows.push({ name: `no-op, median of ${runs}`, make: median(noop.make), kseries: median(noop.kseries) });

console.log(`\n| build | make | kseries build | ratio |\n| --- | ---: | ---: | ---: |`);
for (const r of rows) console.log(`| ${r.name} | ${r.make.toFixed(1)} s | ${r.kseries.toFixed(1)} s | ${(r.kseries / r.make).toFixed(3)} |`);
console.log(`\nall runs: ${JSON.stringify({ incremental: inc, noop })}`);
if (!o.keep) rmSync(work, { recursive: true, force: true });
