#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * The series' BLK type against brd under the same memory pressure, in QEMU.
 *
 *   node bench/blk-pressure.mjs [--tree k61] [--runs 1] [--results DIR]
 *
 * Needs a tree that `kseries ci` (or the same kconfig apply + build) has built, and
 * `npm run build`. Runs, RUNS times, the scenarios bench/scenarios/blk-pressure (ext4 on
 * /dev/daxkmem1) and bench/scenarios/brd-pressure (ext4 on /dev/ram0, brd), one boot each in
 * the same VM configuration: a tmpfs holds all memory but 8 MiB above the zones' low
 * watermarks for 10 s while 200 files of 256 KiB are written and fsync'd (the kselftest's
 * phases "pressure" and "pressure-brd"). Prints a row per device and run: writes that failed,
 * seconds, and what the boot ended with (a panic is a result here, not an error of the bench).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: { tree: { type: 'string', default: 'k61' }, runs: { type: 'string', default: '1' }, results: { type: 'string' } },
});
const root = resolve(new URL('..', import.meta.url).pathname);
const scenarios = { daxkmem: join(root, 'bench', 'scenarios', 'blk-pressure'), brd: join(root, 'bench', 'scenarios', 'brd-pressure') };
const results = resolve(o.results ?? join('kseries-results', o.tree, `bench-blk-pressure-${new Date().toISOString().replace(/[:.]/g, '-')}`));

/** What a boot's output says about the load, and how the boot ended. */
export function readBoot(dir) {
  const out = existsSync(join(dir, 'output.log')) ? readFileSync(join(dir, 'output.log'), 'utf8') : '';
  const con = existsSync(join(dir, 'console.log')) ? readFileSync(join(dir, 'console.log'), 'utf8') : '';
  const line = out.match(/^# (daxkmem|brd): (.*)$/m);
  const failed = line?.[2].match(/(\d+) of (\d+) fsync'd writes failed/);
  const secs = line?.[2].match(/in (\d+) s/);
  const panic = con.match(/Kernel panic - not syncing: (.*)/);
  const killed = /writer killed/.test(line?.[2] ?? '') || /Out of memory: Killed process \d+ \(kmem_stress\)/.test(con);
  return {
    device: line?.[1] ?? null,
    failed: failed ? Number(failed[1]) : null,
    of: failed ? Number(failed[2]) : null,
    seconds: secs ? Number(secs[1]) : null,
    oomKilledWriter: killed,
    panic: panic ? panic[1].trim() : null,
    summary: line?.[2] ?? null,
  };
}

const rows = [];
for (let run = 1; run <= Number(o.runs); run++) {
  for (const [device, scenario] of Object.entries(scenarios)) {
    const dir = join(results, `run${run}-${device}`);
    const args = ['bin/run.js', 'selftest', '--tree', o.tree, '--scenario', scenario, '--results', dir];
    process.stderr.write(`run ${run}, ${device}: kseries ${args.slice(1).join(' ')}\n`);
    spawnSync('node', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    rows.push({ run, ...readBoot(join(dir, scenario.split('/').pop(), 'boot1')), device });
  }
}
console.log('| run | device | failed writes | seconds | writer OOM-killed | boot ended |');
console.log('|---|---|---:|---:|---|---|');
for (const r of rows) {
  const failed = r.failed === null || r.failed === undefined ? (r.oomKilledWriter ? 'killed' : '?') : `${r.failed} of ${r.of}`;
  console.log(`| ${r.run} | ${r.device} | ${failed} | ${r.seconds ?? '?'} | ${r.oomKilledWriter ? 'yes' : 'no'} | ${r.panic ? `panic: ${r.panic}` : 'poweroff'} |`);
}
console.log(JSON.stringify(rows));
