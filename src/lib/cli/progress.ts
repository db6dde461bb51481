// SPDX-License-Identifier: GPL-2.0-only
/**
 * Progress: listr2 task trees rendered on stderr, and only when stderr is a terminal
 * and --json is off. In CI (no terminal) the tasks run silently and the command's
 * report says what happened.
 */
import type { ListrTask } from 'listr2';

export interface ProgressOptions {
  quiet: boolean;
  concurrent?: boolean | number;
  exitOnError?: boolean;
}

export function progressEnabled(json: boolean): boolean {
  return !json && !!process.stderr.isTTY && process.env.KSERIES_NO_PROGRESS !== '1';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function runTasks<Ctx = any>(tasks: ListrTask<Ctx>[], opts: ProgressOptions, ctx?: Ctx): Promise<Ctx> {
  // loaded here, not at start-up: every command pays for its imports before its first step
  const { Listr, ProcessOutput } = await import('listr2');
  const processOutput = new ProcessOutput(process.stderr, process.stderr);
  const options = {
    concurrent: opts.concurrent ?? false,
    exitOnError: opts.exitOnError ?? true,
    ctx,
    registerSignalListeners: false,
    renderer: opts.quiet ? 'silent' : 'default',
    rendererOptions: { processOutput, collapseSubtasks: false },
    fallbackRenderer: 'silent',
  };
  // listr2's option types are keyed by renderer name; the runtime accepts this shape.
  const listr = new Listr<Ctx>(tasks, options as never);
  return listr.run(ctx);
}

/** A one-line note on stderr when not quiet (used outside task trees). */
export function note(quiet: boolean, msg: string): void {
  if (!quiet) process.stderr.write(`${msg}\n`);
}
