// SPDX-License-Identifier: GPL-2.0-only
/**
 * The KVM probe (accel.ts: SeaBIOS booted under KVM and under TCG, 1 to 10 s) once per host
 * boot, not once per run: `kseries selftest`, `ci` and `watch` reuse its verdict while
 * nothing it depends on has changed — the host's boot (/proc/sys/kernel/random/boot_id: a
 * kvm module loaded or unloaded needs no reboot, but changes /dev/kvm, which is in the key
 * too) and the QEMU binary (path, size, mtime: an upgrade probes again). `kseries doctor`
 * always probes afresh. The verdict is kept in <cache>/accel-probe.json.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { writeFileAtomic } from '../atomic-write.js';
import { findInPath } from '../doctor/doctor.js';
import { kvmDeviceUsable, probeKvm, type KvmVerdict } from './accel.js';

export interface ProbeKey {
  bootId: string;
  qemu: string;
  kvm: string;
}

/** Pure: the key from what the verdict depends on. */
export function probeKey(bootId: string | null, qemu: { path: string; size: number; mtimeMs: number } | null, dev: { present: boolean; accessible: boolean }): ProbeKey | null {
  if (!bootId || !qemu) return null; // nothing to key on: probe every time
  return { bootId: bootId.trim(), qemu: `${qemu.path}:${qemu.size}:${Math.round(qemu.mtimeMs)}`, kvm: dev.accessible ? 'accessible' : dev.present ? 'present' : 'absent' };
}

export const sameKey = (a: ProbeKey, b: ProbeKey): boolean => a.bootId === b.bootId && a.qemu === b.qemu && a.kvm === b.kvm;

/** The key of this host boot, QEMU binary and /dev/kvm (null: nothing to key on). */
export function currentProbeKey(env: NodeJS.ProcessEnv = process.env): ProbeKey | null {
  let bootId: string | null = null;
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8');
  } catch {
    /* not Linux */
  }
  const path = findInPath('qemu-system-x86_64', env.PATH);
  const st = path ? statSync(path) : null;
  return probeKey(bootId, path && st ? { path, size: st.size, mtimeMs: st.mtimeMs } : null, kvmDeviceUsable());
}

/** probeKvm, or its verdict from earlier in this host boot (said in the reason). */
export async function probeKvmCached(runner: Runner, cacheDir: string, env: NodeJS.ProcessEnv = process.env): Promise<KvmVerdict> {
  const file = join(cacheDir, 'accel-probe.json');
  const key = currentProbeKey(env);
  if (key && existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { key: ProbeKey; verdict: KvmVerdict; at: string };
      if (sameKey(saved.key, key)) return { ...saved.verdict, reason: `${saved.verdict.reason}; probed at ${saved.at}, this host boot` };
    } catch {
      /* unreadable: probe again */
    }
  }
  const verdict = await probeKvm(runner);
  if (key) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      writeFileAtomic(file, `${JSON.stringify({ key, verdict, at: new Date().toISOString() }, null, 2)}\n`);
    } catch {
      /* a read-only cache: probe next time too */
    }
  }
  return verdict;
}

/** The accelerator of a run from the cached probe: what selftest, ci and watch pass as chooseAccel. */
export async function chooseAccelCached(runner: Runner, cacheDir: string): Promise<{ accel: 'kvm' | 'tcg'; reason: string }> {
  const v = await probeKvmCached(runner, cacheDir);
  return { accel: v.usable ? 'kvm' : 'tcg', reason: v.reason };
}
