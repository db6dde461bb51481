// SPDX-License-Identifier: GPL-2.0-only
/** A Runner that also appends every command line to a file: the reproducible record of a run. */
import { appendFileSync } from 'node:fs';
import { describe, type CommandSpec, type RunResult, type Runner } from '../exec/runner.js';

export function loggingRunner(inner: Runner, file: string): Runner {
  return {
    get history() {
      return inner.history;
    },
    run(spec: CommandSpec): Promise<RunResult> {
      appendFileSync(file, `${describe(spec)}\n`);
      return inner.run(spec);
    },
  };
}
