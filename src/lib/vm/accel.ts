// SPDX-License-Identifier: GPL-2.0-only
/**
 * Does KVM really work here? /dev/kvm can exist and still abort or crawl (a paravirtual
 * module without vmx/svm). We boot QEMU's SeaBIOS to its "No bootable device" line under
 * KVM and under TCG, each with a time limit and the CPU model the runs use (-cpu host
 * under KVM: a KVM that starts the firmware with QEMU's default CPU can still abort on it,
 * "failed to set MSR"), and use KVM only when it gets there and is not slower than TCG.
 */
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec, Runner } from '../exec/runner.js';

export type Accel = 'kvm' | 'tcg';

/** The accelerator and CPU model of every run; the KVM probe uses them too (a KVM can start the firmware yet abort on -cpu host). */
export function accelArgs(a: Accel): string[] {
  return a === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'max'];
}

export interface AccelProbe {
  accel: Accel;
  ok: boolean;
  ms: number | null;
  detail: string;
}

export interface KvmVerdict {
  usable: boolean;
  reason: string;
  kvm: AccelProbe | null;
  tcg: AccelProbe | null;
}

const MARKER = 'No bootable device';

export function seabiosProbeSpec(accel: Accel, debugLog: string, qemu = 'qemu-system-x86_64'): CommandSpec {
  return {
    cmd: qemu,
    args: [
      ...accelArgs(accel), '-machine', 'pc', '-m', '64', '-nodefaults', '-display', 'none',
      '-debugcon', `file:${debugLog}`, '-global', 'isa-debugcon.iobase=0x402',
    ],
  };
}

export async function probeAccel(runner: Runner, accel: Accel, limitMs = 10_000): Promise<AccelProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'kseries-accel-'));
  const log = join(dir, 'debugcon.log');
  const stop = new AbortController();
  const start = Date.now();
  let seenAt: number | null = null;
  const timer = setInterval(() => {
    try {
      if (existsSync(log) && readFileSync(log, 'latin1').includes(MARKER)) {
        seenAt = Date.now();
        stop.abort();
      }
    } catch {
      /* not yet */
    }
  }, 25);
  try {
    const r = await runner.run({ ...seabiosProbeSpec(accel, log), timeoutMs: limitMs, cancelSignal: stop.signal });
    if (seenAt === null && existsSync(log) && readFileSync(log, 'latin1').includes(MARKER)) seenAt = Date.now();
    if (seenAt !== null) return { accel, ok: true, ms: seenAt - start, detail: `firmware reached its boot prompt in ${seenAt - start} ms` };
    if (r.timedOut) return { accel, ok: false, ms: null, detail: `no firmware boot prompt within ${limitMs} ms (hung or crawling)` };
    return { accel, ok: false, ms: null, detail: `qemu exited with ${r.exitCode}: ${(r.stderr || '').trim().split('\n').slice(-1)[0] ?? ''}` };
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function kvmDeviceUsable(path = '/dev/kvm'): { present: boolean; accessible: boolean } {
  if (!existsSync(path)) return { present: false, accessible: false };
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return { present: true, accessible: true };
  } catch {
    return { present: true, accessible: false };
  }
}

/** Pure: decide from two probes. KVM must work and must not be slower than TCG. */
export function judgeKvm(kvm: AccelProbe | null, tcg: AccelProbe | null): Omit<KvmVerdict, 'kvm' | 'tcg'> {
  if (!kvm) return { usable: false, reason: '/dev/kvm is missing or not accessible: using TCG (software emulation)' };
  if (!kvm.ok) return { usable: false, reason: `KVM does not work here (${kvm.detail}): using TCG` };
  if (tcg?.ok && tcg.ms !== null && kvm.ms !== null && kvm.ms > Math.max(1000, 3 * tcg.ms)) {
    return { usable: false, reason: `KVM works but crawls (${kvm.ms} ms vs ${tcg.ms} ms under TCG to the firmware prompt): using TCG` };
  }
  return { usable: true, reason: `KVM works (${kvm.ms} ms to the firmware prompt)` };
}

export async function probeKvm(runner: Runner): Promise<KvmVerdict> {
  const dev = kvmDeviceUsable();
  const tcg = await probeAccel(runner, 'tcg');
  const kvm = dev.accessible ? await probeAccel(runner, 'kvm') : null;
  return { ...judgeKvm(kvm, tcg), kvm, tcg };
}
