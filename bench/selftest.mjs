#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * What does `kseries selftest --scenario S` cost over the boots themselves (issue 17: one
 * scenario ≤ 1.1× its boot)?
 *
 *   npm run build && node bench/selftest.mjs [--tree k61] [--scenario kmem-persist-suite]
 *                                            [--runs 3] [--build-dir O-DIR] [--nice 0]
 *                                            [--edit drivers/dax/kmem_persist_blk.c]
 *
 * Per run, alternating:
 *   kseries  `kseries selftest --tree T --scenario S --accel tcg --results DIR` as a user
 *            types it (node and oclif starting, modules_install, the kselftests, the
 *            initramfs (cached by content), the boots, the reports), timed from outside.
 *   raw      the floor: the same QEMU command lines, read from that run's commands.log,
 *            run one after the other by this script with nothing else: for each scenario a
 *            fresh sparse backing file of the same size at the same path first (untimed, as
 *            kseries makes it), the same initramfs, the same kernel and console files
 *            (in a directory of its own).
 * --accel tcg on both sides: `auto` would add the KVM probe, which is part of what a user
 * pays on a machine with /dev/kvm; it is timed separately (accel probe line).
 *
 *
 * --edit FILE (relative to the worktree) times the whole inner loop instead, edit → built →
 * scenario passed, FILE touched before each side:
 *   kseries  `kseries build --tree T` then `kseries selftest …` (two commands, as typed)
 *   raw      the make command line `kseries build --dry-run --json` prints (same ccache
 *            line), then the QEMU lines as above: the floor, make + boot
 *   watch    then one `kseries watch --tree T --scenario S --accel tcg --debounce 0` (after
 *            the two others: its rebuilds would race their makes): per run, from the touch
 *            to the line that ends its round
 *
 * Prints per run: kseries wall, raw wall (sum of the boots), ratio, and what kseries spent
 * outside the boots (its wall minus the boots' own elapsed times from results.json); then
 * the medians. Every boot must pass on both sides (a failing boot is not a floor).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib.mjs';

let o;
try {
  ({ values: o } = parseArgs({
    options: {
      tree: { type: 'string', default: 'k61' },
      scenario: { type: 'string', default: 'kmem-persist-suite' },
      runs: { type: 'string', default: '3' },
      'build-dir': { type: 'string' },
      nice: { type: 'string', default: '0' },
      edit: { type: 'string' },
    },
  }));
} catch (err) {
  console.error(`bench/selftest.mjs: ${err.message}\nusage: node bench/selftest.mjs [--tree k61] [--scenario NAME] [--runs 3] [--build-dir O-DIR] [--nice 0] [--edit FILE]`);
  process.exit(2);
}
const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'run.js');
const runs = Number(o.runs);
const nice = ['nice', '-n', String(Number(o.nice))];
const work = mkdtempSync(join(tmpdir(), 'kseries-bench-selftest-'));

/** Splits a command line of commands.log (single-quoted words, as shell-quote writes them). */
function words(line) {
  const out = [];
  const re = /'((?:[^']|'\\'')*)'|(\S+)/g;
  let m;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return out;
}

const now = () => performance.now() / 1000;

function kseriesRun(i) {
  const results = join(work, `kseries-${i}`);
  const args = [BIN, 'selftest', '--tree', o.tree, '--scenario', o.scenario, '--accel', 'tcg', '--results', results,
    ...(o['build-dir'] ? ['--build-dir', o['build-dir']] : [])];
  const t0 = now();
  const r = spawnSync(nice[0], [...nice.slice(1), process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSERIES_NO_PROGRESS: '1' } });
  const wall = now() - t0;
  if (r.status !== 0) throw new Error(`kseries selftest exited ${r.status}:\n${r.stdout}${r.stderr}`);
  const res = JSON.parse(readFileSync(join(results, 'results.json'), 'utf8'));
  const boots = (res.scenarios ?? res.selftest?.scenarios ?? []).flatMap((s) => s.boots ?? []);
  const bootSec = boots.reduce((a, b) => a + (b.timings?.elapsedMs ?? b.elapsedMs ?? 0) / 1000, 0);
  const qemu = readFileSync(join(results, 'commands.log'), 'utf8').split('\n').filter((l) => l.startsWith('qemu-system-'));
  return { wall, bootSec, qemu, results };
}

function rawRun(i, qemuLines, results) {
  const dir = join(work, `raw-${i}`);
  let wall = 0;
  const made = new Set();
  for (const line of qemuLines) {
    const argv = words(line).map((w) => w.split(results).join(dir));
    for (const w of argv) {
      const m = /mem-path=([^,]+),size=(\d+)M/.exec(w);
      if (m && !made.has(m[1])) {
        made.add(m[1]);
        mkdirSync(dirname(m[1]), { recursive: true });
        rmSync(m[1], { force: true });
        const fd = openSync(m[1], 'w');
        ftruncateSync(fd, Number(m[2]) * 1024 * 1024);
        closeSync(fd);
      }
      const f = /path=([^,]+\.log)/.exec(w);
      if (f) mkdirSync(dirname(f[1]), { recursive: true });
    }
    const t0 = now();
    const r = spawnSync(nice[0], [...nice.slice(1), ...argv], { stdio: 'ignore' });
    wall += now() - t0;
    if (r.status !== 0) throw new Error(`raw qemu exited ${r.status}: ${line}`);
  }
  for (const img of made) rmSync(img, { force: true });
  return wall;
}

const ksEnv = { ...process.env, KSERIES_NO_PROGRESS: '1' };
const buildArgs = ['build', '--tree', o.tree, ...(o['build-dir'] ? ['--build-dir', o['build-dir']] : [])];
const dry = o.edit ? JSON.parse(spawnSync(process.execPath, [BIN, ...buildArgs, '--dry-run', '--json'], { encoding: 'utf8', env: ksEnv }).stdout) : null;
const editFile = dry ? join(dry.result.srcDir, o.edit) : null;
const touch = () => {
  const t = new Date();
  utimesSync(editFile, t, t);
};
function buildSide(raw) {
  touch();
  const t0 = now();
  const r = raw
    ? spawnSync('sh', ['-c', dry.result.commands.at(-1)], { stdio: 'ignore' })
    : spawnSync(process.execPath, [BIN, ...buildArgs], { stdio: 'ignore', env: ksEnv });
  if (r.status !== 0) throw new Error(`${raw ? 'make' : 'kseries build'} exited ${r.status}`);
  return now() - t0;
}

/** One `kseries watch` for the whole bench; round(i) touches the file and waits for round i's last line. */
function startWatch() {
  const child = spawn(process.execPath, [BIN, 'watch', '--tree', o.tree, '--scenario', o.scenario, '--accel', 'tcg', '--debounce', '0',
    '--results', join(work, 'watch'), ...(o['build-dir'] ? ['--build-dir', o['build-dir']] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: ksEnv });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', () => {});
  const ended = (n) => new RegExp(`^round ${n} [^\\n]*\\n(?:  [^\\n]*\\n)*?  (?:tests unchanged|\\S+:boot\\d+: )[^\\n]*\\n`, 'm').test(out);
  const waitRound = async (n) => {
    while (!ended(n)) {
      if (child.exitCode !== null) throw new Error(`kseries watch exited ${child.exitCode}:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    first: () => waitRound(1),
    round: async (n) => {
      touch();
      const t0 = now();
      await waitRound(n);
      return now() - t0;
    },
    stop: () => child.kill('SIGINT'),
    out: () => out,
  };
}

const rows = [];
try {
  for (let i = 1; i <= runs; i++) {
    const kb = o.edit ? buildSide(false) : 0;
    const k = kseriesRun(i);
    const rb = o.edit ? buildSide(true) : 0;
    const raw = rb + rawRun(i, k.qemu, k.results);
    rows.push({ run: i, kseries: kb + k.wall, raw, ratio: (kb + k.wall) / raw, outside: kb + k.wall - k.bootSec });
    console.error(`run ${i}: kseries ${(kb + k.wall).toFixed(2)} s, raw ${raw.toFixed(2)} s (${k.qemu.length} boot(s))`);
  }
  // the watch after the others: its own rebuild on their touches would race their makes in the same O= dir
  if (o.edit) {
    const watch = startWatch();
    await watch.first();
    for (const r of rows) {
      r.watch = await watch.round(r.run + 1);
      r.watchRatio = r.watch / r.raw;
      console.error(`run ${r.run}: watch round ${r.watch.toFixed(2)} s`);
    }
    watch.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const what = o.edit ? `edit ${o.edit} → built → ${o.scenario} passed` : `scenario ${o.scenario}`;
console.log(`\n${what}, tree ${o.tree}, ${runs} run(s), TCG\n`);
const ks = o.edit ? 'kseries build + selftest s' : 'kseries selftest s';
const rawName = o.edit ? 'make + raw QEMU s' : 'raw QEMU s';
const watchCols = o.edit ? ' kseries watch round s | ratio |' : '';
console.log(`| run | ${ks} | ${rawName} | ratio | kseries outside the boots s |${watchCols}`);
console.log(`| ---: | ---: | ---: | ---: | ---: |${o.edit ? ' ---: | ---: |' : ''}`);
const wc = (r) => (o.edit ? ` ${r.watch.toFixed(2)} | ${r.watchRatio.toFixed(3)} |` : '');
for (const r of rows) console.log(`| ${r.run} | ${r.kseries.toFixed(2)} | ${r.raw.toFixed(2)} | ${r.ratio.toFixed(3)} | ${r.outside.toFixed(2)} |${wc(r)}`);
const med = (k) => median(rows.map((r) => r[k]));
const medW = o.edit ? ` ${med('watch').toFixed(2)} | ${med('watchRatio').toFixed(3)} |` : '';
console.log(`| median | ${med('kseries').toFixed(2)} | ${med('raw').toFixed(2)} | ${med('ratio').toFixed(3)} | ${med('outside').toFixed(2)} |${medW}`);
