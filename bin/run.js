#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// Ctrl-C while node loads oclif and the command (most of a second): nothing has been
// changed yet, so exit as an interrupted run (130) with a word, not by the signal. A
// command's own handler (src/lib/cli/interrupt.ts) replaces this one when it starts.
const early = (sig) => {
  process.stderr.write(`\nkseries: ${sig} received while starting; nothing was changed\n`);
  process.exit(130);
};
process.on('SIGINT', early);
process.on('SIGTERM', early);
globalThis.kseriesEarlySignal = early;

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
