// SPDX-License-Identifier: GPL-2.0-only
/**
 * Runs a build plan through the Runner: the prepare steps, then make with its output
 * streamed into this run's log (and counted for the progress), then the log parsed, the
 * warnings ledger and the progress estimate updated. It decides nothing about exit codes
 * except for what is never the tree's fault: a prepare step failing or make running
 * into its time limit (infrastructure errors).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { infraError } from '../errors.js';
import { describe, type Runner } from '../exec/runner.js';
import { CompileCounter, countObjects, estimateFor, readStats, writeStats, type ProgressSnapshot } from './compile-progress.js';
import { firstHostProblem, type HostProblem } from './host-problems.js';
import { readLedger, updateLedger, writeLedger, type Ledger } from './ledger.js';
import { parseMakeLog, type MakeLog } from './make-log.js';
import type { BuildPlan } from './plan.js';
import { appendRunLog, startRunLog } from './run-log.js';

export interface ExecuteOptions {
  /** Extra header lines of the log (tree, commit). */
  header?: string[];
  onProgress?: (s: ProgressSnapshot) => void;
  /** Progress calls at most this often (ms). */
  throttleMs?: number;
}

export interface BuildOutcome {
  /** make exited 0. */
  ok: boolean;
  makeExitCode: number;
  log: MakeLog;
  logPath: string;
  /** The ledger before and after this run. */
  ledgerBefore: Ledger | null;
  ledger: Ledger;
  hostProblem: HostProblem | null;
  durations: { totalMs: number; prepareMs: number; makeMs: number };
}

export async function executeBuild(runner: Runner, plan: BuildPlan, opts: ExecuteOptions = {}): Promise<BuildOutcome> {
  const start = Date.now();
  const { layout, spec } = plan;
  startRunLog(layout, plan.logPath, [
    `kseries build ${spec.tree} (${spec.arch.name}) ${new Date(start).toISOString()}`,
    ...(opts.header ?? []),
    ...plan.prepare.map((s) => `prepare: ${describe(s.spec)}`),
    `reproduce: ${plan.commandLine}`,
  ]);
  for (const step of plan.prepare) {
    appendRunLog(plan.logPath, `$ ${describe(step.spec)}`);
    const r = await runner.run({ ...step.spec, logFile: plan.logPath, buffer: false });
    if (r.exitCode !== 0 || r.timedOut) {
      const tail = readFileSync(plan.logPath, 'utf8').trim().split('\n').slice(-8).join('\n');
      throw infraError(`${step.title} failed (exit ${r.exitCode}): ${describe(step.spec)}\n${tail}`, `See ${plan.logPath}.`);
    }
  }
  const prepareMs = Date.now() - start;

  const counter = new CompileCounter(estimateFor(spec.buildDir, layout.stats));
  const throttle = opts.throttleMs ?? 250;
  let last = 0;
  appendRunLog(plan.logPath, `$ ${plan.commandLine}`);
  const r = await runner.run({
    ...plan.make,
    logFile: plan.logPath,
    onLine: (line) => {
      if (!counter.feed(line) || !opts.onProgress) return;
      const now = Date.now();
      if (now - last >= throttle) {
        last = now;
        opts.onProgress(counter.snapshot());
      }
    },
  });
  opts.onProgress?.(counter.snapshot());
  const makeMs = r.durationMs;
  appendRunLog(plan.logPath, `# make exit ${r.exitCode}${r.timedOut ? ' (time limit)' : ''} after ${(makeMs / 1000).toFixed(1)} s`);
  if (r.timedOut) {
    throw infraError(
      `make ran into the time limit of ${Math.round(spec.timeoutMs / 1000)} s and was stopped: ${plan.commandLine}`,
      `Raise --timeout, or look at ${plan.logPath} for what it was doing.`,
    );
  }

  const text = readFileSync(plan.logPath, 'utf8');
  const log = parseMakeLog(text, { srcDir: spec.srcDir, buildDir: spec.buildDir });
  const ledgerBefore = readLedger(layout.ledger);
  const ledger = updateLedger(ledgerBefore, log, spec.srcDir, (rel) => existsSync(join(spec.srcDir, rel)));
  writeLedger(layout.ledger, ledger);
  const ok = r.exitCode === 0;
  if (ok) {
    const before = readStats(layout.stats);
    // nothing compiled: the object count did not change (no walk of the build directory)
    const objects = log.compiled.length === 0 && before?.objects ? before.objects : countObjects(spec.buildDir);
    writeStats(layout.stats, { compiled: log.compiled.length, objects });
  }
  return {
    ok,
    makeExitCode: r.exitCode,
    log,
    logPath: plan.logPath,
    ledgerBefore,
    ledger,
    hostProblem: ok ? null : firstHostProblem([...log.errors, ...log.warnings]),
    durations: { totalMs: Date.now() - start, prepareMs, makeMs },
  };
}
