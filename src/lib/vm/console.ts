// SPDX-License-Identifier: GPL-2.0-only
/**
 * The console analyzer: from a boot's serial log and how the VM ended, decide what
 * happened. Pure. The verdict is the first kernel splat (the root cause: an oops comes
 * before the panic it causes), else how the run ended: a VM that printed nothing, a
 * deadline reached, a VM that stopped before /init said it was done, or ok.
 *
 * Exit classes: `check` (1) for anything the kernel did wrong, `infra` (3) for a VM
 * that never printed or a run that ran into its deadline (the message says which:
 * the kernel never reached userspace, or a script did not finish).
 */
import { MARKER } from './init-script.js';
import { parseMarkers } from './markers.js';
import { isStamped, kernelText, matchSplat, type SplatKind } from './splats.js';

export type ConsoleVerdictKind = 'ok' | SplatKind | 'boot-timeout' | 'test-timeout' | 'silent' | 'incomplete' | 'qemu-error';

export interface Finding {
  kind: SplatKind;
  /** 1-based line of the console log where the report starts. */
  line: number;
  /** The report's first kernel line, without time stamp. */
  title: string;
  /** The report, from its first line to its end marker (or a bounded number of lines). */
  excerpt: string;
}

export interface VmEnd {
  /** QEMU's exit code (null when it was killed). */
  exitCode: number | null;
  timedOut: boolean;
  /** Stopped by kseries after a panic appeared on the console. */
  stoppedOnPanic?: boolean;
  elapsedMs: number;
  /** The deadline the run had, for the messages. */
  timeoutMs?: number;
  /** QEMU's own stderr (its errors: a missing file, a bad option). */
  qemuStderr?: string;
}

export interface ConsoleVerdict {
  verdict: ConsoleVerdictKind;
  exitClass: 'ok' | 'check' | 'infra';
  summary: string;
  findings: Finding[];
  /** Guest uptime when the kernel started /init ("Run /init as init process"), from its time stamp. */
  userspaceAtSec: number | null;
  /** /init's own marker was seen. */
  reachedInit: boolean;
  /** /init printed KSERIES-END (its scripts ran to their end). */
  completed: boolean;
  lines: number;
}

/** The line a report opens with, just before its first line. */
const PRELUDE = /-+\[ cut here \]-+|^[=-]{20,}$/;
const OOPS_FOLLOWERS: readonly SplatKind[] = ['oops', 'bug'];

/** All splats of a log, in order. */
export function findSplats(text: string): Finding[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const stamped = isStamped(text);
  const findings: Finding[] = [];
  let i = 0;
  while (i < lines.length) {
    const p = matchSplat(lines[i], stamped);
    if (!p) {
      i++;
      continue;
    }
    let first = i;
    if (i > 0 && PRELUDE.test((kernelText(lines[i - 1], stamped) ?? '').trim())) first = i - 1;
    let last = Math.min(lines.length - 1, i + p.maxLines - 1);
    let closed = false;
    if (p.end) {
      for (let j = i + 1; j < lines.length && j <= i + p.maxLines * 3; j++) {
        const k = kernelText(lines[j], stamped);
        if (k !== null && p.end.test(k.trim())) {
          last = j;
          closed = true;
          break;
        }
      }
    }
    if (!closed) {
      // an open report ends where the next one starts, except the lines that belong to an oops
      for (let j = i + 1; j <= last; j++) {
        const q = matchSplat(lines[j], stamped);
        if (!q) continue;
        if (OOPS_FOLLOWERS.includes(p.kind) && q.kind === 'oops' && j - i <= 8) continue;
        last = j - 1;
        break;
      }
    }
    findings.push({
      kind: p.kind,
      line: i + 1,
      title: (kernelText(lines[i], stamped) ?? lines[i]).trim(),
      excerpt: lines.slice(first, last + 1).join('\n'),
    });
    i = last + 1;
  }
  return findings;
}

const RUN_INIT = /Run (\S+) as init process/;

export function analyzeConsole(text: string, end: VmEnd): ConsoleVerdict {
  const norm = text.replace(/\r\n/g, '\n');
  const lines = norm.split('\n');
  const count = norm.trim() ? lines.length : 0;
  const findings = findSplats(norm);
  let userspaceAtSec: number | null = null;
  for (const l of lines) {
    const m = RUN_INIT.exec(l);
    if (m) {
      const t = /^\[\s*(\d+\.\d+)\]/.exec(l);
      userspaceAtSec = t ? Number(t[1]) : null;
      break;
    }
  }
  const reachedInit = lines.some((l) => l.includes(`${MARKER.init} `));
  const completed = lines.some((l) => l.trim() === MARKER.end || l.endsWith(MARKER.end));
  const base = { findings, userspaceAtSec, reachedInit, completed, lines: count };
  const secs = (ms: number | undefined) => `${Math.round((ms ?? 0) / 100) / 10} s`;
  const last = lines.filter((l) => l.trim()).slice(-1)[0]?.trim() ?? '';

  const kernelSpoke = /Linux version \d|^\[\s*\d+\.\d{3,9}\]/m.test(norm);
  if (!kernelSpoke) {
    const firmware = /SeaBIOS|Booting from ROM/.test(norm) ? ' (only the firmware printed: SeaBIOS reached the kernel, which then said nothing)' : '';
    const qe = end.qemuStderr?.trim().split('\n').slice(-2).join(' ');
    if (end.exitCode !== null && end.exitCode !== 0 && qe) {
      return { ...base, verdict: 'qemu-error', exitClass: 'infra', summary: `QEMU failed (exit ${end.exitCode}) before the guest printed anything: ${qe}` };
    }
    return {
      ...base,
      verdict: 'silent',
      exitClass: 'infra',
      summary:
        `the kernel printed nothing on the serial console in ${secs(end.elapsedMs)}${firmware}` +
        `${end.timedOut ? ' (stopped at the deadline)' : ` (QEMU exited with ${end.exitCode})`}: ` +
        'wrong console= (kseries uses ttyS0), a kernel without CONFIG_SERIAL_8250_CONSOLE or PRINTK, or a kernel that does not boot at all',
    };
  }
  if (findings.length) {
    const f = findings[0];
    const rest = new Map<string, number>();
    for (const x of findings.slice(1)) rest.set(x.kind, (rest.get(x.kind) ?? 0) + 1);
    const more = rest.size ? ` (then ${[...rest].map(([k, n]) => (n > 1 ? `${k} x${n}` : k)).join(', ')})` : '';
    return { ...base, verdict: f.kind, exitClass: 'check', summary: `${f.kind} at console line ${f.line}: ${f.title}${more}` };
  }
  if (end.timedOut) {
    if (!reachedInit) {
      return {
        ...base,
        verdict: 'boot-timeout',
        exitClass: 'infra',
        summary: `boot timeout: userspace (/init) never started within ${secs(end.timeoutMs ?? end.elapsedMs)}; last console line: ${last}`,
      };
    }
    const open = parseMarkers(norm).scripts.filter((x) => x.exit === null).pop();
    const said = open?.output.split('\n').filter((l) => l.trim()).pop()?.trim();
    const what = open ? `script ${open.name} did not finish` : '/init started but did not finish';
    return {
      ...base,
      verdict: 'test-timeout',
      exitClass: 'infra',
      summary: `test timeout: ${what} within ${secs(end.timeoutMs ?? end.elapsedMs)}${said ? `; its last output line: ${said}` : ''}; last console line: ${last}`,
    };
  }
  if (!completed) {
    const qe = end.qemuStderr?.trim() ? `; QEMU said: ${end.qemuStderr.trim().split('\n').slice(-1)[0]}` : '';
    if (end.exitCode !== 0 && end.exitCode !== null && qe) {
      return { ...base, verdict: 'qemu-error', exitClass: 'infra', summary: `QEMU exited with ${end.exitCode} before /init finished${qe}` };
    }
    return {
      ...base,
      verdict: 'incomplete',
      exitClass: 'check',
      summary: `the VM stopped before /init finished (QEMU exit ${end.exitCode}, no panic message: a triple fault or reset?); last console line: ${last}`,
    };
  }
  return { ...base, verdict: 'ok', exitClass: 'ok', summary: `clean boot and poweroff${userspaceAtSec !== null ? `, userspace at ${userspaceAtSec.toFixed(2)} s guest time` : ''}` };
}
