#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * How much does `kseries tree add --source TARBALL` cost over just unpacking the tarball?
 *
 *   node bench/import.mjs [RUNS] [TARBALL]      (npm run bench:import -- 3)
 *
 * Times, RUNS times each (default 1), on TARBALL (default /usr/src/linux-source-6.1.tar.xz):
 *   tar -xf                 tar's own xz decompression, single-threaded
 *   xz -dc -T0 | tar -x     the decompressor kseries hands tar (-I "xz -T0")
 *   git init/add/commit     hashing the unpacked tree into git as kseries does
 *   kseries tree add        the whole import, through the built CLI (npm run build first)
 * Each run works in a fresh temp dir with an isolated KSERIES_HOME/KSERIES_CACHE; deleting it
 * afterwards is not timed (it can take minutes on a filesystem mounted with "discard").
 * Prints the median seconds and the ratio to `tar -xf`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_ENV, median } from './lib.mjs';

const runs = Number(process.argv[2] ?? 1);
const tarball = process.argv[3] ?? '/usr/src/linux-source-6.1.tar.xz';
const cli = new URL('../bin/run.js', import.meta.url).pathname;
if (!Number.isInteger(runs) || runs < 1) throw new Error('usage: node bench/import.mjs [RUNS] [TARBALL]');
if (!existsSync(tarball)) throw new Error(`${tarball} not found (apt-get install linux-source-6.1)`);
if (!existsSync(new URL('../dist/commands/tree/add.js', import.meta.url))) throw new Error('run `npm run build` first');

/** Runs CMD ARGS and returns wall-clock seconds; fails loudly on a non-zero exit. */
function timed(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', ...opts });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return s;
}

const benches = [
  { name: 'tar -xf', run: (dir) => timed('tar', ['-xf', tarball, '-C', dir]) },
  { name: 'xz -dc -T0 | tar -x', run: (dir) => timed('sh', ['-c', 'xz -dc -T0 "$1" | tar -x -C "$2"', 'sh', tarball, dir]) },
  {
    name: 'git init/add/commit',
    run: (dir) => {
      execFileSync('tar', ['-xf', tarball, '-C', dir, '--strip-components=1']);
      const env = { ...process.env, ...GIT_ENV };
      const git = (...a) => ['-C', dir, ...a];
      return (
        timed('git', git('init', '-q', '--initial-branch=base'), { env }) +
        timed('git', git('-c', 'core.looseCompression=0', '-c', 'core.autocrlf=false', 'add', '-A', '-f', '.'), { env }) +
        timed('git', git('-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', 'bench'), { env })
      );
    },
  },
  {
    name: 'kseries tree add',
    run: (dir) =>
      timedVerbose(process.execPath, [cli, 'tree', 'add', 'bench', '--source', tarball, '--verbose'], {
        ...process.env,
        ...GIT_ENV,
        KSERIES_HOME: join(dir, 'state'),
        KSERIES_CACHE: join(dir, 'cache'),
        KSERIES_NO_PROGRESS: '1',
      }),
  },
];

/** Phases of a --verbose kseries run: each logged command ("+ git ... add ...") lasts until the next line or the end. */
const phases = new Map();
const phaseOf = (line) => {
  const m = /^\+ (?:\(cd \S+ && )?(\S+)(.*)$/.exec(line);
  if (!m) return null;
  if (m[1] !== 'git') return m[1];
  const sub = m[2].replace(/ -C \S+/, '').replace(/ -c \S+/g, '').trim().split(' ')[0];
  return `git ${sub}`;
};

/** Like timed(), for a --verbose kseries run, adding the time of each phase to `phases`. */
function timedVerbose(cmd, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const secs = () => Number(process.hrtime.bigint() - t0) / 1e9;
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let last = { phase: 'startup', at: 0 };
    const run = new Map();
    const close = (at) => run.set(last.phase, (run.get(last.phase) ?? 0) + at - last.at);
    let rest = '';
    child.stderr.on('data', (d) => {
      const at = secs();
      rest += d;
      const lines = rest.split('\n');
      rest = lines.pop();
      for (const l of lines) {
        const p = phaseOf(l);
        if (!p) continue;
        close(at);
        last = { phase: p, at };
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const s = secs();
      close(s);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} failed (${code})`));
      for (const [p, t] of run) phases.set(p, [...(phases.get(p) ?? []), t]);
      resolve(s);
    });
  });
}


// Warm the page cache so the first bench does not pay for reading the tarball from disk.
execFileSync('cat', [tarball], { stdio: ['ignore', 'ignore', 'inherit'] });
const results = [];
for (const b of benches) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'kseries-bench-'));
    try {
      times.push(await b.run(dir));
      process.stderr.write(`${b.name}: run ${i + 1}/${runs}: ${times.at(-1).toFixed(1)} s (cleaning up, not timed)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  results.push({ name: b.name, s: median(times), times });
}

const tar = results[0].s;
const rows = results.map((r) => [r.name, r.s.toFixed(1), (r.s / tar).toFixed(2), r.times.map((t) => t.toFixed(1)).join(' ')]);
const head = ['bench', 'seconds', 'x tar', 'runs'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log(`${tarball}, ${runs} run(s) each, median; ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
const ks = results.at(-1).s;
console.log(`kseries / tar: ${(ks / tar).toFixed(2)}`);
console.log('\nwhere kseries tree add spends its time (median s, from --verbose):');
const top = [...phases].map(([p, ts]) => [p, median(ts)]).filter(([, t]) => t >= 0.05).sort((a, b) => b[1] - a[1]);
for (const [p, t] of top) console.log(`  ${p.padEnd(18)} ${t.toFixed(1).padStart(6)}`);
