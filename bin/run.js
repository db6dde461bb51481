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

// oclif.manifest.json (dist/build-manifest.js) spares importing every command at start; one
// older than a compiled command (tsc run without that step) could hold stale flags: drop it
const { readdirSync, statSync, unlinkSync } = await import('node:fs');
const manifest = new URL('../oclif.manifest.json', import.meta.url);
try {
  const made = statSync(manifest).mtimeMs;
  const newest = (dir) =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(new URL(`${e.name}/`, dir)) : statSync(new URL(e.name, dir)).mtimeMs)));
  if (newest(new URL('../dist/commands/', import.meta.url)) > made) unlinkSync(manifest);
} catch {
  /* no manifest, or no dist: oclif finds the commands itself */
}

const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
// Exit here, not by an empty event loop: node's own teardown closes its signal handles first,
// and a Ctrl-C in that window kills the process by the signal (the shell sees 130) although
// the command finished (measured: 398 of 400 such signals). The handlers stay until
// process.exit, which keeps the command's exit code; what is still queued for a pipe is
// written first (process.exit alone cut a 3 MB stdout to 64 KB).
const flushed = (s) => new Promise((resolve) => (s.writableLength === 0 ? resolve() : s.write('', () => resolve())));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();
