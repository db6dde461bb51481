// SPDX-License-Identifier: GPL-2.0-only
/**
 * Recording the commands one stage runs — processes through the Runner and git through
 * the git module's history sink — so that results.json and commands.sh can say exactly
 * what reproduces it. Other listeners (--verbose) keep getting every line.
 */
import { describe, type CommandSpec, type RunResult, type Runner } from '../exec/runner.js';
import { setGitHistorySink } from '../git/history-sink.js';

export interface Recording {
  runner: Runner;
  /** Every command line so far, in order. */
  readonly commands: string[];
  /** Stops recording git commands (call it in a finally). */
  stop(): void;
}

/** git commands that only look (rev-parse, cat-file, status, ...): left out of the record, they reproduce nothing. */
const GIT_QUERY = /^git -C \S+(?: -c \S+)* (?:rev-parse|cat-file|show|show-ref|status|for-each-ref|ls-files|log|merge-base|symbolic-ref|diff|var|config --get\S*|worktree list)(?: |$)/;
export const isGitQuery = (line: string) => GIT_QUERY.test(line);

export function record(inner: Runner): Recording {
  const commands: string[] = [];
  const previous = setGitHistorySink((line) => {
    if (!isGitQuery(line)) commands.push(line);
    previous?.(line);
  });
  const runner: Runner = {
    get history() {
      return inner.history;
    },
    run(spec: CommandSpec): Promise<RunResult> {
      commands.push(describe(spec));
      return inner.run(spec);
    },
  };
  return { runner, commands, stop: () => void setGitHistorySink(previous) };
}

/** Runs FN with a recording runner; returns its value and the commands it ran. */
export async function recorded<T>(inner: Runner, fn: (runner: Runner) => Promise<T>): Promise<{ value: T; commands: string[] }> {
  const rec = record(inner);
  try {
    return { value: await fn(rec.runner), commands: rec.commands };
  } finally {
    rec.stop();
  }
}
