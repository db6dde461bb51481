// SPDX-License-Identifier: GPL-2.0-only
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecaRunner, type CommandSpec } from '../../../src/lib/exec/runner.js';
import { runBoot } from '../../../src/lib/vm/run.js';
import type { VmSpec } from '../../../src/lib/vm/qemu.js';
import { FakeRunner } from '../../helpers/fake-runner.js';

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
const recorded = (n: string) => join(fixtures, 'console', `${n}.log`);
const FAKE_QEMU = join(fixtures, 'vm', 'fake-qemu.sh');

describe('runBoot', () => {
  let dir: string;
  let spec: VmSpec;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-run-'));
    spec = { kernel: '/k', initrd: '/i', append: [], memMiB: 512, cpus: 1, accel: 'tcg', pmem: null, serialLog: join(dir, 'b', 'console.log') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a clean boot: verdict ok, the script exit codes, the command line logged', async () => {
    const r = new FakeRunner().expect('qemu-system-x86_64', (s: CommandSpec) => {
      expect(s.timeoutMs).toBe(30_000);
      writeFileSync(spec.serialLog, readFileSync(recorded('clean')));
      return { exitCode: 0 };
    });
    const o = await runBoot(r, { spec, timeoutMs: 30_000, commandLog: join(dir, 'commands.log') });
    expect(o.verdict.verdict).toBe('ok');
    expect(o.stop).toEqual({ deadlineMs: 30_000, reason: 'exited', line: null });
    expect(o.scripts).toEqual([expect.objectContaining({ name: 'clean', exit: 0 })]);
    expect(o.output).toMatch(/hello from the guest/);
    expect(readFileSync(join(dir, 'commands.log'), 'utf8')).toMatch(/^qemu-system-x86_64 -accel tcg -cpu max .*-no-reboot/);
    r.verify();
  });

  it('stops a VM that keeps running after a panic, long before the deadline (strict FakeRunner)', async () => {
    const r = new FakeRunner().expect('qemu-system-x86_64', async (s: CommandSpec) => {
      // a guest that panicked without panic=-1: prints its report and spins
      for (const line of readFileSync(recorded('lkdtm-exception'), 'latin1').split('\n')) appendFileSync(spec.serialLog, `${line}\n`);
      await new Promise<void>((resolve) => s.cancelSignal!.addEventListener('abort', () => resolve()));
      return { exitCode: 143, cancelled: true };
    });
    const t = Date.now();
    const o = await runBoot(r, { spec, timeoutMs: 60_000, panicGraceMs: 300, pollMs: 20 });
    expect(Date.now() - t).toBeLessThan(5_000);
    expect(o.stoppedOnPanic).toBe(true);
    expect(o.panicMs).not.toBeNull();
    expect(o.verdict.verdict).toBe('oops');
    expect(o.verdict.findings.map((f) => f.kind)).toEqual(['oops', 'panic']);
    // no "---[ end Kernel panic" in this report: the grace period after the panic line stopped it
    expect(o.stop).toEqual({ deadlineMs: 60_000, reason: 'panic-grace', line: '[    2.375938] Kernel panic - not syncing: Fatal exception' });
  });

  it('stops the VM at the end of the panic report, without waiting for the grace period', async () => {
    const end = '[    1.671234] ---[ end Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100 ]---';
    const r = new FakeRunner().expect('qemu-system-x86_64', async (s: CommandSpec) => {
      writeFileSync(spec.serialLog, `${readFileSync(recorded('init-exits-panic'), 'latin1')}${end}\n`);
      await new Promise<void>((resolve) => s.cancelSignal!.addEventListener('abort', () => resolve()));
      return { exitCode: 143, cancelled: true };
    });
    const o = await runBoot(r, { spec, timeoutMs: 60_000, panicGraceMs: 60_000, pollMs: 20 });
    expect(o.stoppedOnPanic).toBe(true);
    expect(o.stop).toEqual({ deadlineMs: 60_000, reason: 'panic-report-end', line: '[    1.651362] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100' });
    expect(o.verdict.verdict).toBe('panic');
  });

  it('a deadline reached by a hung script is a test timeout', async () => {
    const r = new FakeRunner().expect('qemu-system-x86_64', () => {
      writeFileSync(spec.serialLog, readFileSync(recorded('test-hang')));
      return { exitCode: 143, timedOut: true };
    });
    const o = await runBoot(r, { spec, timeoutMs: 12_000 });
    expect(o.verdict).toMatchObject({ verdict: 'test-timeout', exitClass: 'infra' });
    expect(o.stop).toEqual({ deadlineMs: 12_000, reason: 'deadline', line: null });
    expect(o.scripts).toEqual([expect.objectContaining({ name: 'hang', exit: null })]);
  });

  it('reads the script output from the second serial port and cuts its KTAP', async () => {
    spec.outputLog = join(dir, 'b', 'output.log');
    const r = new FakeRunner().expect('qemu-system-x86_64', () => {
      writeFileSync(spec.serialLog, readFileSync(recorded('clean')));
      writeFileSync(spec.outputLog!, 'setup\nTAP version 13\n1..1\nok 1 selftests: memory-hotplug: mem-on-off-test.sh\n');
      return {};
    });
    const o = await runBoot(r, { spec, timeoutMs: 30_000 });
    expect(o.ktap).toBe('TAP version 13\n1..1\nok 1 selftests: memory-hotplug: mem-on-off-test.sh\n');
  });

  describe('with a fake QEMU process', () => {
    const runner = new ExecaRunner();
    afterEach(() => {
      delete process.env.FAKE_QEMU_LOG;
      delete process.env.FAKE_QEMU_AFTER;
    });

    it('kills a VM hanging after a panic once the grace period after the panic line is over (no end-of-report line here)', async () => {
      process.env.FAKE_QEMU_LOG = recorded('init-exits-panic');
      process.env.FAKE_QEMU_AFTER = 'hang';
      const o = await runBoot(runner, { spec: { ...spec, qemu: FAKE_QEMU }, timeoutMs: 60_000, panicGraceMs: 500, pollMs: 25 });
      expect(o.elapsedMs).toBeLessThan(10_000);
      expect(o).toMatchObject({ stoppedOnPanic: true, timedOut: false });
      expect(o.stop).toMatchObject({ deadlineMs: 60_000, reason: 'panic-grace', line: expect.stringMatching(/Kernel panic - not syncing: Attempted to kill init!/) });
      expect(o.verdict.verdict).toBe('panic');
      expect(o.verdict.findings[0].title).toMatch(/Attempted to kill init/);
    });

    it('a VM that exits on its own after a panic (panic=-1) is not reported as stopped by us', async () => {
      process.env.FAKE_QEMU_LOG = recorded('sysrq-crash');
      const o = await runBoot(runner, { spec: { ...spec, qemu: FAKE_QEMU }, timeoutMs: 60_000, panicGraceMs: 5_000 });
      expect(o.verdict.verdict).toBe('panic');
      expect(o.stoppedOnPanic).toBe(false);
      expect(o.stop).toEqual({ deadlineMs: 60_000, reason: 'exited', line: null });
      expect(o.qemuExitCode).toBe(0);
    });

    it('hits the deadline of a silent VM', async () => {
      process.env.FAKE_QEMU_LOG = '/dev/null';
      process.env.FAKE_QEMU_AFTER = 'hang';
      const o = await runBoot(runner, { spec: { ...spec, qemu: FAKE_QEMU }, timeoutMs: 800 });
      expect(o.timedOut).toBe(true);
      expect(o.stop).toEqual({ deadlineMs: 800, reason: 'deadline', line: null });
      expect(o.verdict).toMatchObject({ verdict: 'silent', exitClass: 'infra' });
    });

    it("reports QEMU's own error", async () => {
      process.env.FAKE_QEMU_LOG = '/dev/null';
      process.env.FAKE_QEMU_AFTER = 'fail';
      const o = await runBoot(runner, { spec: { ...spec, qemu: FAKE_QEMU }, timeoutMs: 10_000 });
      expect(o.verdict).toMatchObject({ verdict: 'qemu-error', exitClass: 'infra' });
      expect(o.verdict.summary).toMatch(/can't open backing store/);
    });
  });
});
