#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * How fast the VM harness (src/lib/vm/run.ts, runBoot) ends a run that will not end by
 * itself — the timings test/e2e/vm.test.ts no longer asserts (it checks what the harness
 * decided: o.stop). Per run, on the e2e kernel (or --build-dir/--src):
 *   panic  rdinit=/bin/false panic=0: the guest panics and spins; the console watcher stops
 *          it. Prints when the panic line was seen, how long after it the VM was gone, and
 *          why it stopped (end of the panic report, or the grace period).
 *   hang   a script that never ends, under a --deadline: how long after the deadline the
 *          VM was gone.
 *
 *   npm run build && node bench/vm-stop.mjs [--runs 3] [--deadline 15] [--accel tcg|kvm] [--nice 10]
 *                                           [--build-dir O-DIR --src TREE]
 *
 * Without --build-dir it uses the kernel the e2e tests build (kernel.json in
 * ${KSERIES_E2E_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kseries-e2e}/k61/): run the VM e2e test once first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = new URL('..', import.meta.url).pathname;
if (!existsSync(join(ROOT, 'dist', 'lib', 'vm', 'run.js'))) {
  console.error('dist/ is not built: run `npm run build` first');
  process.exit(2);
}
const { ExecaRunner } = await import('../dist/lib/exec/runner.js');
const { prepareInitramfs } = await import('../dist/lib/vm/initramfs.js');
const { GUEST } = await import('../dist/lib/vm/initramfs-plan.js');
const { runBoot } = await import('../dist/lib/vm/run.js');
const { statePaths } = await import('../dist/lib/paths.js');

const { values: o } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    deadline: { type: 'string', default: '15' },
    accel: { type: 'string', default: 'tcg' },
    nice: { type: 'string', default: '10' },
    'build-dir': { type: 'string' },
    src: { type: 'string' },
  },
});

let buildDir = o['build-dir'];
if (!buildDir) {
  const cache = process.env.KSERIES_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kseries-e2e');
  const marker = join(cache, 'k61', 'kernel.json');
  if (!existsSync(marker)) {
    console.error(`no e2e kernel (${marker}): run npx vitest run --project e2e test/e2e/vm.test.ts once, or pass --build-dir`);
    process.exit(2);
  }
  buildDir = JSON.parse(readFileSync(marker, 'utf8')).buildDir;
}
const kernel = join(buildDir, 'arch', 'x86', 'boot', 'bzImage');
const genInitCpio = join(buildDir, 'usr', 'gen_init_cpio');
for (const f of [kernel, genInitCpio]) {
  if (!existsSync(f)) {
    console.error(`missing ${f}`);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'kseries-bench-vm-stop-'));
const runner = new ExecaRunner();
const nice = {
  run: (s) => (s.cmd === 'qemu-system-x86_64' ? runner.run({ ...s, cmd: 'nice', args: ['-n', o.nice, s.cmd, ...s.args] }) : runner.run(s)),
  history: runner.history,
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const sec = (ms) => (ms / 1000).toFixed(1);
const msec = (ms) => `${Math.round(ms)} ms`;

try {
  const paths = statePaths({ ...process.env, KSERIES_HOME: join(work, 'state'), KSERIES_CACHE: join(work, 'cache') });
  const initrd = await prepareInitramfs(runner, paths, { modulesDir: null, kselftestDir: null, scenarios: [{ name: 'e2e', dir: join(ROOT, 'test', 'fixtures', 'vm', 'e2e') }] }, genInitCpio);
  const spec = (name, append) => ({
    kernel, initrd: initrd.path, memMiB: 1024, cpus: 2, accel: o.accel, pmem: null,
    serialLog: join(work, name, 'console.log'), outputLog: join(work, name, 'output.log'), append,
  });
  const panics = [];
  const hangs = [];
  const deadlineMs = Number(o.deadline) * 1000;
  for (let i = 1; i <= Number(o.runs); i++) {
    const p = await runBoot(nice, { spec: spec(`panic${i}`, ['rdinit=/bin/false', 'panic=0']), timeoutMs: 600_000, panicGraceMs: 1000 });
    panics.push(p);
    console.log(`panic ${i}: panic line after ${sec(p.panicMs ?? NaN)} s, VM gone ${msec(p.elapsedMs - (p.panicMs ?? 0))} later (${p.stop.reason}), verdict ${p.verdict.verdict}`);
    const h = await runBoot(nice, { spec: spec(`hang${i}`, [`kseries.script=${GUEST.scenarioDir('e2e')}/hang.sh`, 'kseries.name=hang']), timeoutMs: deadlineMs });
    hangs.push(h);
    console.log(`hang ${i}: deadline ${sec(deadlineMs)} s, VM gone after ${sec(h.elapsedMs)} s (+${msec(h.elapsedMs - deadlineMs)}, ${h.stop.reason}), verdict ${h.verdict.verdict}`);
  }
  console.log('');
  console.log(`| run | median | runs |`);
  console.log(`| --- | ---: | ---: |`);
  console.log(`| panic: start to panic line | ${sec(median(panics.map((p) => p.panicMs ?? NaN)))} s | ${panics.length} |`);
  console.log(`| panic: panic line to VM gone | ${msec(median(panics.map((p) => p.elapsedMs - (p.panicMs ?? 0))))} | ${panics.length} |`);
  console.log(`| hang: deadline to VM gone | ${msec(median(hangs.map((h) => h.elapsedMs - deadlineMs)))} | ${hangs.length} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
