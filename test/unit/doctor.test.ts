// SPDX-License-Identifier: GPL-2.0-only
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { CommandSpec } from '../../src/lib/exec/runner.js';
import { aptInstallLine, HOST_CHECKS, type CheckResult } from '../../src/lib/doctor/checks.js';
import { renderDoctor, runDoctor } from '../../src/lib/doctor/doctor.js';
import { isStaticElf } from '../../src/lib/elf.js';
import { judgeKvm, kvmDeviceUsable, probeAccel, seabiosProbeSpec, type AccelProbe } from '../../src/lib/vm/accel.js';
import { isolate, runCli, type IsolatedEnv } from '../helpers/env.js';
import { FakeRunner } from '../helpers/fake-runner.js';

const probe = (accel: 'kvm' | 'tcg', ok: boolean, ms: number | null, detail = 'x'): AccelProbe => ({ accel, ok, ms, detail });

describe('judgeKvm', () => {
  it.each([
    ['no /dev/kvm', null, probe('tcg', true, 150), false, /missing or not accessible/],
    ['KVM aborts', probe('kvm', false, null, 'qemu exited with 1: failed to initialize kvm'), probe('tcg', true, 150), false, /does not work here \(qemu exited with 1: failed to initialize kvm\)/],
    ['KVM hangs', probe('kvm', false, null, 'no firmware boot prompt within 10000 ms'), probe('tcg', true, 150), false, /does not work/],
    ['KVM crawls vs TCG', probe('kvm', true, 3500), probe('tcg', true, 150), false, /crawls \(3500 ms vs 150 ms/],
    ['KVM fine', probe('kvm', true, 40), probe('tcg', true, 150), true, /KVM works \(40 ms/],
    ['KVM a bit slower than a fast TCG is fine (under 1 s)', probe('kvm', true, 900), probe('tcg', true, 100), true, /KVM works/],
    ['KVM slower but within 3x TCG', probe('kvm', true, 2900), probe('tcg', true, 1000), true, /KVM works/],
    ['KVM fine, TCG failed', probe('kvm', true, 60), probe('tcg', false, null), true, /KVM works/],
    ['KVM fine, no TCG probe', probe('kvm', true, 60), null, true, /KVM works/],
  ])('%s', (_what, kvm, tcg, usable, reason) => {
    const v = judgeKvm(kvm, tcg);
    expect(v.usable).toBe(usable);
    expect(v.reason).toMatch(reason);
  });
});

describe('aptInstallLine', () => {
  const res = (id: string, ok: boolean, pkg: string, required = true): CheckResult => ({ id, ok, required, package: pkg, why: '', detail: '' });
  it('deduplicates and sorts the packages of failed checks only', () => {
    expect(
      aptInstallLine([res('qemu', false, 'qemu-system-x86'), res('gcc', false, 'build-essential'), res('make', false, 'build-essential'), res('git', true, 'git'), res('bc', false, 'bc'), res('ccache', false, 'ccache', false)]),
    ).toBe('apt-get install -y bc build-essential ccache qemu-system-x86');
  });
  it('skips checks without a package and says null when nothing is missing', () => {
    expect(aptInstallLine([res('kvm', false, '', false), res('git', true, 'git')])).toBeNull();
    expect(aptInstallLine([])).toBeNull();
  });
  it('has a package for every host check but kvm', () => {
    for (const c of HOST_CHECKS) expect(!!c.package).toBe(c.kind !== 'kvm');
  });
});

describe('isStaticElf', () => {
  it('tells a static busybox from a dynamic ls', () => {
    expect(isStaticElf('/bin/busybox')).toBe(true);
    expect(isStaticElf('/bin/ls')).toBe(false);
  });
  it('says null for what is not an ELF file', () => {
    expect(isStaticElf('/etc/passwd')).toBeNull();
    expect(isStaticElf('/nonexistent/binary')).toBeNull();
    expect(isStaticElf('/')).toBeNull();
  });
});

/** A fake qemu that "boots" to the SeaBIOS prompt after DELAY ms by writing it to the -debugcon file. */
function fakeQemu(delayMs = 0) {
  return async (spec: CommandSpec) => {
    const con = spec.args[spec.args.indexOf('-debugcon') + 1].replace(/^file:/, '');
    await new Promise((r) => setTimeout(r, delayMs));
    writeFileSync(con, 'SeaBIOS (version 1.16)\nBooting from ROM...\nNo bootable device.\n');
    return { exitCode: 0, cancelled: true };
  };
}

describe('probeAccel', () => {
  it('times the firmware prompt', async () => {
    const fake = new FakeRunner().expect('qemu-system-x86_64', fakeQemu(), { args: ['-accel', 'tcg'] });
    const p = await probeAccel(fake, 'tcg');
    expect(p).toMatchObject({ accel: 'tcg', ok: true });
    expect(p.ms).toBeGreaterThanOrEqual(0);
    expect(fake.calls[0].timeoutMs).toBe(10_000);
    expect(fake.calls[0].cancelSignal).toBeDefined();
    fake.verify();
  });
  it('judges a crawling KVM against TCG', async () => {
    const fake = new FakeRunner()
      .expect('qemu-system-x86_64', fakeQemu(1200), { args: ['-accel', 'kvm'] })
      .expect('qemu-system-x86_64', fakeQemu(), { args: ['-accel', 'tcg'] });
    const v = judgeKvm(await probeAccel(fake, 'kvm'), await probeAccel(fake, 'tcg'));
    expect(v.usable).toBe(false);
    expect(v.reason).toMatch(/crawls/);
  });
  it('boots the firmware with the CPU model of the runs (-cpu host under KVM)', () => {
    expect(seabiosProbeSpec('kvm', '/l').args.slice(0, 4)).toEqual(['-accel', 'kvm', '-cpu', 'host']);
    expect(seabiosProbeSpec('tcg', '/l').args.slice(0, 4)).toEqual(['-accel', 'tcg', '-cpu', 'max']);
  });
  it('a KVM that aborts on the runs\' CPU model is not usable (seen: failed to set MSR under -cpu host)', async () => {
    const stderr = "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\nqemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.\n";
    const fake = new FakeRunner()
      .expect('qemu-system-x86_64', { exitCode: 134, stderr }, { args: ['-accel', 'kvm', '-cpu', 'host'] })
      .expect('qemu-system-x86_64', fakeQemu(), { args: ['-accel', 'tcg', '-cpu', 'max'] });
    const v = judgeKvm(await probeAccel(fake, 'kvm'), await probeAccel(fake, 'tcg'));
    expect(v.usable).toBe(false);
    expect(v.reason).toMatch(/exited with 134: .*kvm_buf_set_msrs/);
    fake.verify();
  });
  it('reports a hang (time limit) and a failing qemu', async () => {
    const fake = new FakeRunner()
      .expect('qemu-system-x86_64', { exitCode: 143, timedOut: true, signal: 'SIGTERM' }, { args: ['-accel', 'kvm'] })
      .expect('qemu-system-x86_64', { exitCode: 1, stderr: 'qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied\n' }, { args: ['-accel', 'kvm'] });
    expect(await probeAccel(fake, 'kvm', 500)).toMatchObject({ ok: false, ms: null, detail: 'no firmware boot prompt within 500 ms (hung or crawling)' });
    expect((await probeAccel(fake, 'kvm')).detail).toBe('qemu exited with 1: qemu-system-x86_64: -accel kvm: failed to initialize kvm: Permission denied');
  });
});

describe('runDoctor', () => {
  it('runs no command without the KVM probe and falls back to TCG', async () => {
    const fake = new FakeRunner();
    const r = await runDoctor(fake, { kvm: false });
    expect(fake.calls).toEqual([]);
    expect(r.kvm).toBeNull();
    expect(r.accel).toBe('tcg');
    expect(r.checks.map((c) => c.id)).toEqual(HOST_CHECKS.filter((c) => c.kind !== 'kvm').map((c) => c.id));
    expect(r.missingRequired).toEqual(r.checks.filter((c) => c.required && !c.ok).map((c) => c.id));
    expect(r.aptInstall).toBe(aptInstallLine(r.checks));
    expect(renderDoctor(r)).toMatch(/accelerator: tcg/);
  });

  it('probes TCG, and KVM when /dev/kvm is usable, through the runner', async () => {
    // runDoctor probes only when the qemu check finds the binary in PATH: put one there (never run: the
    // strict FakeRunner answers the probes), so this runs on hosts without QEMU too
    const bin = mkdtempSync(join(tmpdir(), 'kseries-fake-qemu-'));
    writeFileSync(join(bin, 'qemu-system-x86_64'), '#!/bin/sh\nexit 99\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${delimiter}${saved ?? ''}`;
    const dev = kvmDeviceUsable();
    const fake = new FakeRunner().expect('qemu-system-x86_64', fakeQemu(), { args: ['-accel', 'tcg'] });
    if (dev.accessible) fake.expect('qemu-system-x86_64', fakeQemu(), { args: ['-accel', 'kvm'] });
    let r;
    try {
      r = await runDoctor(fake);
    } finally {
      process.env.PATH = saved;
      rmSync(bin, { recursive: true, force: true });
    }
    fake.verify();
    expect(r.checks.find((c) => c.id === 'qemu')).toMatchObject({ ok: true, detail: join(bin, 'qemu-system-x86_64') });
    expect(r.kvm?.tcg?.ok).toBe(true);
    expect(r.accel).toBe(dev.accessible ? 'kvm' : 'tcg');
    const kvmCheck = r.checks.find((c) => c.id === 'kvm');
    expect(kvmCheck).toMatchObject({ ok: dev.accessible, required: false });
  });
});

describe('kseries doctor (CLI)', () => {
  let env: IsolatedEnv;
  beforeEach(() => {
    env = isolate();
  });
  afterEach(() => env.cleanup());

  it('prints {status, result, warnings} with --json and exits 0 on this machine', () => {
    const r = runCli(['doctor', '--json', '--no-kvm-probe']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['result', 'status', 'warnings']);
    expect(out.status).toBe('ok');
    expect(out.warnings).toEqual([]);
    expect(out.result).toMatchObject({ missingRequired: [], kvm: null, accel: 'tcg' });
    expect(out.result.checks.length).toBe(HOST_CHECKS.length - 1);
  });

  it('exits 3 with the apt-get line when required tools are missing', () => {
    const r = runCli(['doctor', '--json', '--no-kvm-probe'], { env: { PATH: join(env.root, 'no-bin') } });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('error');
    expect(out.result.missingRequired).toContain('git');
    expect(out.result.aptInstall).toMatch(/^apt-get install -y .*\bgit\b/);
    expect(out.warnings[0]).toMatch(/missing required host tools: .*git/);
  });
});
