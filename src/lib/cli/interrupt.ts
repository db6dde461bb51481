// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C handling: the first SIGINT/SIGTERM aborts one process-wide signal that the
 * runner and git module pass to every child; commands then clean up or park their
 * state and exit 130. A second Ctrl-C exits at once.
 */
let controller = new AbortController();
let installed = false;
const cleanups: Array<() => Promise<void> | void> = [];

export function interruptSignal(): AbortSignal {
  return controller.signal;
}

export function installInterruptHandler(): void {
  if (installed) return;
  installed = true;
  // bin/run.js's handler for the start-up, which exits at once: the command's takes over
  const early = (globalThis as { kseriesEarlySignal?: (sig: NodeJS.Signals) => void }).kseriesEarlySignal;
  if (early) {
    process.off('SIGINT', early);
    process.off('SIGTERM', early);
  }
  let count = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(130);
    process.stderr.write(`\nkseries: ${sig} received, stopping and cleaning up (press Ctrl-C again to quit at once)\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Registers work to undo if the command is interrupted or fails half-way; returns an unregister function. */
export function onCleanup(fn: () => Promise<void> | void): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch {
      /* best effort */
    }
  }
}

/** For tests. */
export function resetInterrupt(): void {
  controller = new AbortController();
  cleanups.length = 0;
}
