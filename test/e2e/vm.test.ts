// SPDX-License-Identifier: GPL-2.0-only
/**
 * The VM harness against a real kernel under QEMU (TCG unless KVM really works):
 * a clean boot, a panic caught by the console watcher, a hang caught at the deadline, and
 * `kseries selftest` running the pmem-persistence scenario (boots sharing one NVDIMM
 * backing file) and the tree's memory-hotplug kselftest.
 *
 * The kernel is the e2e fixture (test/helpers/e2e-fixture-store.ts): tinyconfig +
 * kconfig/platform-qemu-x86_64.config + kconfig/feature-dax-kmem.config on the k61 fixture,
 * configured and built by kseries itself on first use (cold 4-11 min on 2 cores, ~1 min
 * with the ccache of an earlier run) and reused afterwards. Another kernel of that config:
 *
 *   KSERIES_E2E_BUILD=/path/to/O-dir KSERIES_E2E_SRC=/path/to/tree npx vitest run --project e2e test/e2e/vm.test.ts
 *
 * One VM at a time, under nice.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecaRunner } from '../../src/lib/exec/runner.js';
import { prepareInitramfs, type BuiltInitramfs } from '../../src/lib/vm/initramfs.js';
import { GUEST } from '../../src/lib/vm/initramfs-plan.js';
import { runBoot } from '../../src/lib/vm/run.js';
import type { VmSpec } from '../../src/lib/vm/qemu.js';
import { ensureKernel } from '../helpers/e2e-fixtures.js';
import { isolate, type IsolatedEnv } from '../helpers/env.js';

let BUILD: string;
let SRC: string;
let KERNEL: string;
const E2E_SCRIPTS = new URL('../fixtures/vm/e2e', import.meta.url).pathname;

// QEMU under nice: the machine is shared with kernel builds
const runner = new ExecaRunner();
const nice = { run: (s: Parameters<ExecaRunner['run']>[0]) => (s.cmd === 'qemu-system-x86_64' ? runner.run({ ...s, cmd: 'nice', args: ['-n', '10', s.cmd, ...s.args] }) : runner.run(s)), history: runner.history };

describe('VM harness on a real kernel', () => {
  let env: IsolatedEnv;
  let initrd: BuiltInitramfs;
  const spec = (name: string, over: Partial<VmSpec> = {}): VmSpec => ({
    kernel: KERNEL, initrd: initrd.path, memMiB: 1024, cpus: 2, accel: 'tcg', pmem: { kind: 'nvdimm', file: join(env.root, 'pmem.img'), sizeMiB: 512, node: 'own', share: true },
    serialLog: join(env.root, name, 'console.log'), outputLog: join(env.root, name, 'output.log'),
    append: [`kseries.script=${GUEST.scenarioDir('e2e')}/${name === 'hang' ? 'hang' : 'ok'}.sh`, `kseries.name=${name}`],
    ...over,
  });

  beforeAll(async () => {
    if (process.env.KSERIES_E2E_BUILD) {
      BUILD = process.env.KSERIES_E2E_BUILD;
      SRC = process.env.KSERIES_E2E_SRC ?? '';
    } else {
      const k = await ensureKernel(); // before isolate(): the fixture is made with the real environment
      [BUILD, SRC] = [k.buildDir, k.srcDir];
    }
    KERNEL = join(BUILD, 'arch/x86/boot/bzImage');
    for (const f of [KERNEL, join(BUILD, 'usr/gen_init_cpio'), join(SRC, 'Makefile')]) expect(existsSync(f), f).toBe(true);
    env = isolate('kseries-e2e-vm-');
    const t = Date.now();
    initrd = await prepareInitramfs(runner, env.paths, { modulesDir: null, kselftestDir: null, scenarios: [{ name: 'e2e', dir: E2E_SCRIPTS }] }, join(BUILD, 'usr/gen_init_cpio'));
    process.stderr.write(`initramfs built in ${Date.now() - t} ms: ${initrd.path}\n`);
  });
  afterAll(() => env.cleanup());

  it('a clean boot: ok, the script ran, the NVDIMM is there', async () => {
    const o = await runBoot(nice, { spec: spec('clean'), timeoutMs: 120_000 });
    process.stderr.write(`TCG clean boot: ${o.elapsedMs} ms wall, /init after ${o.initMs} ms, userspace at ${o.verdict.userspaceAtSec} s guest time\n`);
    expect(o.verdict.verdict).toBe('ok');
    expect(o.scripts).toEqual([expect.objectContaining({ name: 'clean', exit: 0 })]);
    expect(o.output).toMatch(/"dev":"namespace0.0"[\s\S]*e2e ok/);
    expect(o.command).toMatch(/^qemu-system-x86_64 -accel tcg -cpu max -machine pc,nvdimm=on/);
  });

  // What is asserted is what the harness decided (o.stop: the deadline it set, why it stopped the VM, the
  // console line that made it stop), with outer limits that only catch a harness that never stops the VM:
  // how fast a TCG guest gets there on a shared machine is measured in bench/, not here.
  it('a panic is caught by the console watcher, which stops the VM before the deadline', async () => {
    // init exits → "Attempted to kill init"; panic=0 makes the guest spin instead of exiting,
    // so only the watcher can end this run before its 600 s deadline
    const o = await runBoot(nice, { spec: spec('panic', { append: ['rdinit=/bin/false', 'panic=0'] }), timeoutMs: 600_000, panicGraceMs: 1000 });
    process.stderr.write(`panic: seen after ${o.panicMs} ms, VM stopped after ${o.elapsedMs} ms (${o.stop.reason})\n`);
    expect(o.verdict).toMatchObject({ verdict: 'panic', exitClass: 'check' });
    expect(o.verdict.findings[0].title).toMatch(/Kernel panic - not syncing: Attempted to kill init!/);
    expect(o.stoppedOnPanic).toBe(true);
    expect(o.timedOut).toBe(false);
    expect(o.stop.deadlineMs).toBe(600_000);
    expect(['panic-report-end', 'panic-grace']).toContain(o.stop.reason);
    expect(o.stop.line).toMatch(/Kernel panic - not syncing: Attempted to kill init!/);
    expect(o.elapsedMs).toBeLessThan(o.stop.deadlineMs);
  });

  it('a hung script is stopped at the deadline and reported as a test timeout', async () => {
    const o = await runBoot(nice, { spec: spec('hang'), timeoutMs: 15_000 });
    process.stderr.write(`hang: VM stopped after ${o.elapsedMs} ms (${o.stop.reason})\n`);
    expect(o.timedOut).toBe(true);
    expect(o.stop).toEqual({ deadlineMs: 15_000, reason: 'deadline', line: null });
    expect(o.verdict).toMatchObject({ verdict: 'test-timeout', exitClass: 'infra' });
    // the console line the verdict names: the script's last output before it hung
    expect(o.verdict.summary).toMatch(/script hang did not finish within 15 s; its last output line: e2e hanging/);
    expect(o.scripts).toEqual([expect.objectContaining({ name: 'hang', exit: null })]);
    // not stopped before the deadline it set; and stopped at all (generously: a minute after it)
    expect(o.elapsedMs).toBeGreaterThanOrEqual(o.stop.deadlineMs);
    expect(o.elapsedMs).toBeLessThan(o.stop.deadlineMs + 60_000);
  });

  it('kseries selftest: pmem-persistence on one backing file, and memory-hotplug kselftest', async () => {
    const tree = { name: 'k', kind: 'imported', repo: SRC, source: SRC, ref: 'HEAD', commit: 'unknown', kernel: { version: 0, patchlevel: 0, sublevel: 0, extraversion: '', string: '0.0.0' }, tags: [], addedAt: '2024-01-01T00:00:00Z' };
    mkdirSync(env.paths.data, { recursive: true });
    writeFileSync(join(env.paths.data, 'trees.json'), JSON.stringify({ version: 1, trees: { k: tree } }));
    const results = join(env.root, 'results');
    const bin = new URL('../../bin/run.js', import.meta.url).pathname;
    // asynchronous: a blocking spawnSync of a minute or more times out vitest's worker RPC
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile('nice', ['-n', '10', process.execPath, bin, ...args], { encoding: 'utf8', env: process.env, timeout: 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
        );
      });
    const r = await cli(['selftest', '--tree', 'k', '--build-dir', BUILD, '--scenario', 'pmem-persistence', '--kselftests', 'memory-hotplug', '--accel', 'tcg', '--results', results, '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.status, `${r.stderr}\n${JSON.stringify(j, null, 2)}`).toBe('ok');
    expect(r.code).toBe(0);
    const [pp, ks] = j.result.scenarios;
    expect(pp.boots.map((b: { status: string }) => b.status)).toEqual(pp.boots.map(() => 'pass'));
    expect(pp.boots.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(results, 'pmem-persistence', 'boot2', 'output.log'), 'utf8')).toMatch(/PASS: the \d+ MiB pattern survived the reboot/);
    expect(readFileSync(join(results, 'pmem-persistence', 'boot2', 'output.log'), 'utf8')).toMatch(/onlined as System RAM on node 1: \+896 MiB in 7 blocks/);
    expect(ks.boots[0]).toMatchObject({ status: 'pass', ktap: { status: 'pass' } });
    expect(readFileSync(join(results, 'commands.log'), 'utf8')).toMatch(/^qemu-system-x86_64 .*mem-path=.*pmem-persistence\.img/m);
    // the backing files are gone
    expect(existsSync(join(env.paths.cache, 'vm')) ? readdirSync(join(env.paths.cache, 'vm')).flatMap((d) => readdirSync(join(env.paths.cache, 'vm', d))) : []).toEqual([]);
  });
});
