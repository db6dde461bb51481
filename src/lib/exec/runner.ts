// SPDX-License-Identifier: GPL-2.0-only
/**
 * The one door to external processes: the only module that imports execa.
 * Everything else describes commands as CommandSpec values and hands them to a Runner,
 * which tests replace with the strict FakeRunner.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import { execa } from 'execa';
import { infraError, InterruptedError } from '../errors.js';
import { commandLine } from './shell-quote.js';
import { interruptSignal } from '../cli/interrupt.js';

export interface CommandSpec {
  cmd: string;
  args: readonly string[];
  cwd?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string | undefined>;
  /** Kill the process (SIGTERM, then SIGKILL after 5 s) after this many ms; the result says timedOut. */
  timeoutMs?: number;
  input?: string;
  /** Append stdout and stderr to this file as they arrive. */
  logFile?: string;
  /** Keep output in memory (default true). Turn off for kernel builds and VM consoles. */
  buffer?: boolean;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Lets a caller stop this one process (e.g. a VM whose console showed a panic). */
  cancelSignal?: AbortSignal;
  /** Cleanup commands run after Ctrl-C: not stopped by the interrupt. */
  ignoreInterrupt?: boolean;
}

export interface RunResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** Stopped through spec.cancelSignal. */
  cancelled: boolean;
  signal?: string;
}

export interface Runner {
  /** Runs a command. Resolves with its exit status; rejects only when it cannot start (exit 3) or on Ctrl-C (130). */
  run(spec: CommandSpec): Promise<RunResult>;
  /** Every command line run so far, shell-quoted, in order: the reproducible record of a run. */
  readonly history: readonly string[];
}

export function describe(spec: CommandSpec): string {
  return commandLine(spec.cmd, spec.args, spec.env, spec.cwd);
}

/** Thin listener: turns a chunked stream into lines. */
function lineSplitter(cb: (line: string) => void): { push(chunk: Buffer | string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk.toString();
      let i: number;
      while ((i = rest.indexOf('\n')) >= 0) {
        cb(rest.slice(0, i).replace(/\r$/, ''));
        rest = rest.slice(i + 1);
      }
    },
    end() {
      if (rest) cb(rest);
      rest = '';
    },
  };
}

export class ExecaRunner implements Runner {
  private readonly lines: string[] = [];
  constructor(private readonly onCommand?: (line: string) => void) {}

  get history(): readonly string[] {
    return this.lines;
  }

  async run(spec: CommandSpec): Promise<RunResult> {
    const command = describe(spec);
    this.lines.push(command);
    this.onCommand?.(command);
    const global = spec.ignoreInterrupt ? new AbortController().signal : interruptSignal();
    if (global.aborted) throw new InterruptedError();
    const signals = [global, spec.cancelSignal].filter((s): s is AbortSignal => !!s);
    const cancelSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const buffer = spec.buffer !== false;
    let log: WriteStream | undefined;
    if (spec.logFile) {
      let fd: number;
      try {
        fd = openSync(spec.logFile, 'a');
      } catch (e) {
        throw infraError(`cannot write the log file ${spec.logFile}: ${(e as Error).message}`, 'Check that its directory exists and is writable.');
      }
      log = createWriteStream('', { fd });
    }
    const start = Date.now();
    const child = execa(spec.cmd, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      extendEnv: true,
      input: spec.input,
      stdin: spec.input === undefined ? 'ignore' : undefined,
      reject: false,
      buffer,
      timeout: spec.timeoutMs,
      forceKillAfterDelay: 5000,
      cancelSignal,
      stripFinalNewline: false,
      maxBuffer: 256 * 1024 * 1024,
    });
    const splitters: Array<ReturnType<typeof lineSplitter>> = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const s = child[stream];
      if (!s) continue;
      if (log || spec.onLine) {
        const sp = lineSplitter((line) => spec.onLine?.(line, stream));
        splitters.push(sp);
        s.on('data', (chunk: Buffer) => {
          log?.write(chunk);
          if (spec.onLine) sp.push(chunk);
        });
      } else if (!buffer) {
        s.resume();
      }
    }
    const r = await child;
    for (const sp of splitters) sp.end();
    if (log) await new Promise<void>((resolve) => log!.end(resolve));
    const durationMs = Date.now() - start;
    const err = r as unknown as { code?: string; originalMessage?: string; isCanceled?: boolean; failed?: boolean };
    if (err.code === 'ENOENT' && r.exitCode === undefined) {
      throw infraError(`${spec.cmd}: command not found`, 'Run `kseries doctor` to see which host tools are missing, then `kseries doctor --fix`.');
    }
    if (global.aborted) throw new InterruptedError(`interrupted while running: ${command}`);
    // Ctrl-C reaches the whole process group: the child may die of it before our own handler has run
    if (r.signal === 'SIGINT' && !spec.ignoreInterrupt) throw new InterruptedError(`interrupted while running: ${command}`);
    const cancelled = !!spec.cancelSignal?.aborted;
    if (r.exitCode === undefined && !r.timedOut && !cancelled && !r.signal) {
      throw infraError(`${spec.cmd} could not be started: ${err.originalMessage ?? r.message}`, 'Check that the tool is installed and executable.');
    }
    return {
      command,
      // A process killed by a signal exits like it does in a shell: 128 + the signal number.
      exitCode: r.exitCode ?? (r.signal ? 128 + (constants.signals[r.signal as NodeJS.Signals] ?? 0) : 1),
      stdout: buffer ? String(r.stdout ?? '') : '',
      stderr: buffer ? String(r.stderr ?? '') : '',
      durationMs,
      timedOut: !!r.timedOut,
      cancelled,
      signal: r.signal ?? undefined,
    };
  }
}
