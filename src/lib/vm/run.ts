// SPDX-License-Identifier: GPL-2.0-only
/**
 * The VM executor: boots one VmSpec through the Runner with a deadline, follows the
 * console log as QEMU writes it and stops the VM as soon as the kernel panics (after its
 * report is complete, or a short grace period), then analyzes the console. On Ctrl-C the
 * Runner kills QEMU; the logs stay where they are.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, type Runner } from '../exec/runner.js';
import { analyzeConsole, type ConsoleVerdict } from './console.js';
import { MARKER } from './init-script.js';
import { ktapSection } from './ktap-section.js';
import { watchLog } from './log-watch.js';
import { parseMarkers, type ScriptRun } from './markers.js';
import { qemuArgv, type VmSpec } from './qemu.js';
import { isFatalLine, isPanicEnd } from './splats.js';

export interface BootRequest {
  spec: VmSpec;
  timeoutMs: number;
  /** After a panic line, how long to wait for the end of its report before stopping the VM. */
  panicGraceMs?: number;
  /** Appended with the QEMU command line (the reproducible record). */
  commandLog?: string;
  pollMs?: number;
}

export interface BootOutcome {
  command: string;
  verdict: ConsoleVerdict;
  scripts: ScriptRun[];
  /** The scripts' own output (the ttyS1 file), or their part of the console. */
  output: string;
  /** The KTAP document in that output, if any. */
  ktap: string | null;
  serialLog: string;
  outputLog: string | null;
  qemuExitCode: number;
  timedOut: boolean;
  stoppedOnPanic: boolean;
  elapsedMs: number;
  /**
   * What the harness decided: the deadline it gave QEMU; why the VM stopped — it exited by
   * itself, the deadline passed, or the watcher stopped it after a fatal console line once
   * the panic report ended or its grace period ran out; and that fatal line.
   */
  stop: { deadlineMs: number; reason: 'exited' | 'deadline' | 'panic-report-end' | 'panic-grace' | 'cancelled'; line: string | null };
  /** Host time from start to the first console byte, to /init's marker, to the panic line. */
  firstOutputMs: number | null;
  /** What kmemleak's scan after the script reported (kernels with kmemleak), else null. */
  kmemleak: number | null;
  initMs: number | null;
  panicMs: number | null;
}

export async function runBoot(runner: Runner, req: BootRequest): Promise<BootOutcome> {
  const { spec } = req;
  const argv = qemuArgv(spec);
  mkdirSync(dirname(spec.serialLog), { recursive: true });
  writeFileSync(spec.serialLog, '');
  if (spec.outputLog) writeFileSync(spec.outputLog, '');
  const command = describe(argv);
  if (req.commandLog) appendFileSync(req.commandLog, `${command}\n`);

  const stop = new AbortController();
  const start = Date.now();
  let firstOutputMs: number | null = null;
  let initMs: number | null = null;
  let panicMs: number | null = null;
  let panicLine: string | null = null;
  let stoppedBy: 'panic-report-end' | 'panic-grace' | null = null;
  let graceTimer: NodeJS.Timeout | undefined;
  const stopFor = (why: 'panic-report-end' | 'panic-grace') => {
    stoppedBy ??= why;
    stop.abort();
  };
  const watcher = watchLog(
    spec.serialLog,
    (line) => {
      const now = Date.now() - start;
      firstOutputMs ??= now;
      if (initMs === null && line.includes(`${MARKER.init} `)) initMs = now;
      if (panicMs === null && isFatalLine(line)) {
        panicMs = now;
        panicLine = line;
        graceTimer = setTimeout(() => stopFor('panic-grace'), req.panicGraceMs ?? 2000);
      }
      if (panicMs !== null && isPanicEnd(line)) stopFor('panic-report-end');
    },
    req.pollMs ?? 100,
  );
  let r;
  try {
    r = await runner.run({ ...argv, timeoutMs: req.timeoutMs, cancelSignal: stop.signal });
  } finally {
    watcher.stop();
    clearTimeout(graceTimer);
  }
  const elapsedMs = Date.now() - start;
  const text = existsSync(spec.serialLog) ? readFileSync(spec.serialLog, 'latin1') : '';
  const stoppedOnPanic = r.cancelled && panicMs !== null;
  const verdict = analyzeConsole(text, {
    exitCode: r.cancelled || r.timedOut ? null : r.exitCode,
    timedOut: r.timedOut,
    stoppedOnPanic,
    elapsedMs,
    timeoutMs: req.timeoutMs,
    qemuStderr: r.stderr,
  });
  const markers = parseMarkers(text);
  const ttyOut = spec.outputLog && existsSync(spec.outputLog) ? readFileSync(spec.outputLog, 'utf8') : null;
  const output = ttyOut ?? markers.scripts.map((s) => s.output).join('\n');
  return {
    command,
    verdict,
    scripts: markers.scripts,
    output,
    ktap: ktapSection(output),
    serialLog: spec.serialLog,
    outputLog: spec.outputLog ?? null,
    qemuExitCode: r.exitCode,
    timedOut: r.timedOut,
    stoppedOnPanic,
    elapsedMs,
    stop: {
      deadlineMs: req.timeoutMs,
      reason: r.timedOut ? 'deadline' : r.cancelled ? (stoppedBy ?? 'cancelled') : 'exited',
      line: stoppedOnPanic ? panicLine : null,
    },
    firstOutputMs,
    kmemleak: markers.kmemleak,
    initMs,
    panicMs,
  };
}
