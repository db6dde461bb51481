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

// dist/build-manifest.js writes oclif.manifest.json (oclif then imports only the command it
// runs) and dist/bundle/ (the commands and oclif in a few esbuild chunks: fewer files for node
// to read before make or a VM starts). Either one older than a compiled command (tsc run
// without that step) could hold a stale flag or stale code: take the bundle only when it is
// newer, and drop a stale root manifest.
const { readdirSync, statSync, unlinkSync } = await import('node:fs');
const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return 0;
  }
};
const newest = (dir) =>
  Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(new URL(`${e.name}/`, dir)) : statSync(new URL(e.name, dir)).mtimeMs)));
let compiled = 0;
try {
  compiled = newest(new URL('../dist/commands/', import.meta.url));
} catch {
  /* no dist: oclif says what is missing */
}
const manifest = new URL('../oclif.manifest.json', import.meta.url);
const made = mtime(manifest);
if (made && compiled > made) unlinkSync(manifest);
const bundle = new URL('../dist/bundle/', import.meta.url);
const bundled = compiled > 0 && mtime(new URL('oclif.manifest.json', bundle)) > compiled;

const { execute } = bundled ? await import(new URL('start.js', bundle).href) : await import('@oclif/core');
await execute({ dir: bundled ? new URL('package.json', bundle).href : import.meta.url });
// Exit here, not by an empty event loop: node's own teardown closes its signal handles first,
// and a Ctrl-C in that window kills the process by the signal (the shell sees 130) although
// the command finished (measured: 398 of 400 such signals). The handlers stay until
// process.exit, which keeps the command's exit code; what is still queued for a pipe is
// written first (process.exit alone cut a 3 MB stdout to 64 KB).
const flushed = (s) => new Promise((resolve) => (s.writableLength === 0 ? resolve() : s.write('', () => resolve())));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit();
