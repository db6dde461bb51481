// SPDX-License-Identifier: GPL-2.0-only
/** Runs the host checks. File checks read the filesystem; everything that executes goes through the Runner. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import { isStaticElf } from '../elf.js';
import { probeKvm, type KvmVerdict } from '../vm/accel.js';
import { aptInstallLine, HOST_CHECKS, type CheckResult, type HostCheck } from './checks.js';

export interface DoctorReport {
  checks: CheckResult[];
  missingRequired: string[];
  missingOptional: string[];
  aptInstall: string | null;
  kvm: KvmVerdict | null;
  accel: 'kvm' | 'tcg';
}

export function findInPath(name: string, pathEnv = process.env.PATH ?? ''): string | null {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  for (const dir of ['/usr/sbin', '/sbin']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

function checkOne(c: HostCheck): CheckResult {
  const base = { id: c.id, required: c.required, package: c.package, why: c.why };
  switch (c.kind) {
    case 'binary': {
      const p = findInPath(c.target[0]);
      return { ...base, ok: !!p, detail: p ?? `${c.target[0]} not found in PATH` };
    }
    case 'file': {
      const missing = c.target.filter((f) => !existsSync(f));
      return { ...base, ok: missing.length === 0, detail: missing.length ? `missing ${missing.join(', ')}` : c.target.join(', ') };
    }
    case 'static-binary': {
      const found = c.target.find((f) => existsSync(f)) ?? findInPath('busybox');
      if (!found) return { ...base, ok: false, detail: 'busybox not found' };
      const st = isStaticElf(found);
      return { ...base, ok: st === true, detail: st ? `${found} (static)` : `${found} is not a static executable` };
    }
    default:
      return { ...base, ok: true, detail: '' };
  }
}

export async function runDoctor(runner: Runner, opts: { kvm: boolean } = { kvm: true }): Promise<DoctorReport> {
  const checks = HOST_CHECKS.filter((c) => c.kind !== 'kvm').map(checkOne);
  let kvm: KvmVerdict | null = null;
  const qemuOk = checks.find((c) => c.id === 'qemu')?.ok;
  if (opts.kvm && qemuOk) {
    kvm = await probeKvm(runner);
    const c = HOST_CHECKS.find((x) => x.kind === 'kvm')!;
    checks.push({ id: c.id, ok: kvm.usable, required: false, package: '', why: c.why, detail: kvm.reason });
  }
  return {
    checks,
    missingRequired: checks.filter((c) => c.required && !c.ok).map((c) => c.id),
    missingOptional: checks.filter((c) => !c.required && !c.ok).map((c) => c.id),
    aptInstall: aptInstallLine(checks.filter((c) => c.required || c.package)),
    kvm,
    accel: kvm?.usable ? 'kvm' : 'tcg',
  };
}

export function renderDoctor(r: DoctorReport): string {
  const lines = r.checks.map((c) => `${c.ok ? 'ok  ' : c.required ? 'MISS' : 'opt '}  ${c.id.padEnd(16)} ${c.detail}`);
  lines.push('');
  lines.push(`accelerator: ${r.accel}${r.kvm ? ` (${r.kvm.reason})` : ''}`);
  if (r.aptInstall) lines.push(`to install what is missing (as root): ${r.aptInstall}`);
  lines.push(r.missingRequired.length ? `missing required: ${r.missingRequired.join(', ')}` : 'all required host tools are present');
  return lines.join('\n');
}
