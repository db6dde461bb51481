#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * How much of a rebuild after a Kconfig change ccache can serve (issue 17: "after changing
 * TIMERFD, EVENTFD and EPOLL the rebuild had 148 hits in 2,487 cacheable calls").
 *
 *   npm run build && node bench/ccache-kconfig.mjs [--tree k61] [--jobs 2] [--nice 10]
 *
 * In an O= directory of its own beside the tree's (BUILD/TREE/x86_64-ccache-bench, the tree's
 * .config copied in; removed at the end), under the ccache of the state
 * (KSERIES_CACHE/ccache, or CCACHE_DIR), with `kseries build --ccache`:
 *   base     the tree's .config (a warm cache: mostly hits)
 *   leaf     CONFIG_DEV_DAX_KMEM_BLK toggled: a symbol only drivers/dax reads
 *   header   CONFIG_EPOLL, CONFIG_EVENTFD, CONFIG_TIMERFD toggled: the three, which
 *            <linux/fs.h> (struct file's f_ep), <linux/sched.h> (task_struct's in_eventfd)
 *            and <linux/hrtimer.h> test, so the preprocessed text of most objects changes
 *   back     the tree's .config again (every object of it is in the cache by now)
 * For each: the compiles make ran (ccache's cacheable calls), the hits (direct and
 * preprocessed), the misses and the wall time. ccache's statistics are zeroed before each
 * step (`ccache -z` on that cache: other builds sharing it at the same time would count too).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

let o;
try {
  ({ values: o } = parseArgs({ options: { tree: { type: 'string', default: 'k61' }, jobs: { type: 'string', default: '2' }, nice: { type: 'string', default: '10' } } }));
} catch (err) {
  console.error(`bench/ccache-kconfig.mjs: ${err.message}\nusage: node bench/ccache-kconfig.mjs [--tree k61] [--jobs 2] [--nice 10]`);
  process.exit(2);
}
const cli = new URL('../bin/run.js', import.meta.url).pathname;
const cacheRoot = process.env.KSERIES_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kseries');
const ccacheDir = process.env.CCACHE_DIR ?? join(cacheRoot, 'ccache');
const config = join(cacheRoot, 'build', o.tree, 'x86_64-default', '.config');
if (!existsSync(config)) {
  console.error(`no .config at ${config}: run kseries kconfig apply --tree ${o.tree}`);
  process.exit(2);
}
// a sibling of the tree's build dir: the same depth below CCACHE_BASEDIR, so the relative paths
// in the compile commands are the same as the tree's own build and its objects hit
const dir = join(cacheRoot, 'build', o.tree, 'x86_64-ccache-bench');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
copyFileSync(config, join(dir, '.config')); // build --dry-run wants a configured directory
const env = { ...process.env, CCACHE_DIR: ccacheDir, KSERIES_NO_PROGRESS: '1' };
const dry = JSON.parse(execFileSync(process.execPath, [cli, 'build', '--tree', o.tree, '--build-dir', dir, '--dry-run', '--json'], { encoding: 'utf8', env }));
const srcDir = dry.result.srcDir;

function stats() {
  const out = execFileSync('ccache', ['--print-stats'], { encoding: 'utf8', env });
  const v = Object.fromEntries(out.trim().split('\n').map((l) => l.split('\t')).map(([k, n]) => [k, Number(n)]));
  const direct = v.direct_cache_hit ?? 0;
  const pre = v.preprocessed_cache_hit ?? 0;
  const miss = v.cache_miss ?? 0;
  return { compiles: direct + pre + miss, direct, pre, miss };
}

function step(name, edit) {
  if (edit) edit();
  execFileSync('ccache', ['-z'], { env, stdio: 'ignore' });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'build', '--tree', o.tree, '--build-dir', dir, '--ccache', '-j', o.jobs, '--nice', o.nice, '--json'], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${name}: kseries build exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const s = stats();
  console.error(`${name}: ${s.compiles} compiles, ${s.direct + s.pre} hits, ${wall.toFixed(1)} s`);
  return { name, ...s, wall };
}

const sym = (...args) => execFileSync(join(srcDir, 'scripts', 'config'), ['--file', join(dir, '.config'), ...args]);
const olddefconfig = () => execFileSync('make', ['-s', '-C', srcDir, `O=${dir}`, 'olddefconfig'], { stdio: 'ignore' });
const rows = [];
try {
  olddefconfig();
  const had = (s) => new RegExp(`^CONFIG_${s}=y$`, 'm').test(readFileSync(join(dir, '.config'), 'utf8'));
  rows.push(step('base', null));
  rows.push(step('leaf: DEV_DAX_KMEM_BLK', () => {
    sym(had('DEV_DAX_KMEM_BLK') ? '--disable' : '--enable', 'DEV_DAX_KMEM_BLK');
    olddefconfig();
  }));
  rows.push(step('header: EPOLL EVENTFD TIMERFD', () => {
    copyFileSync(config, join(dir, '.config'));
    for (const s of ['EPOLL', 'EVENTFD', 'TIMERFD']) sym(had(s) ? '--disable' : '--enable', s);
    olddefconfig();
  }));
  rows.push(step('back to the base', () => {
    copyFileSync(config, join(dir, '.config'));
    olddefconfig();
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('\n| step | compiles | hits | direct | preprocessed | misses | hit rate | wall s |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  const hits = r.direct + r.pre;
  console.log(`| ${r.name} | ${r.compiles} | ${hits} | ${r.direct} | ${r.pre} | ${r.miss} | ${r.compiles ? ((100 * hits) / r.compiles).toFixed(1) : '-'} % | ${r.wall.toFixed(1)} |`);
}
