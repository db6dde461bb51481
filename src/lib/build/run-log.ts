// SPDX-License-Identifier: GPL-2.0-only
/**
 * The log of each build run: BUILD/logs/build-STAMP.log holds everything make printed,
 * after a header with the command line that reproduces the run; BUILD/build.log is a
 * stable link to the last one. Older logs beyond the last KEEP are deleted.
 */
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { BuildLayout } from './layout.js';

export const KEEP_LOGS = 20;

/** Creates LOG_PATH with its header, points build.log at it and prunes old logs. */
export function startRunLog(layout: BuildLayout, logPath: string, header: string[]): void {
  mkdirSync(layout.logDir, { recursive: true });
  writeFileSync(logPath, `${header.map((l) => `# ${l}`).join('\n')}\n`);
  try {
    if (existsSync(layout.lastLog) || isLink(layout.lastLog)) rmSync(layout.lastLog, { force: true });
    symlinkSync(relative(layout.buildDir, logPath), layout.lastLog);
  } catch {
    /* a filesystem without symlinks: the per-run log is still there */
  }
  const logs = readdirSync(layout.logDir)
    .filter((f) => /^build-.*\.log$/.test(f))
    .sort();
  for (const old of logs.slice(0, Math.max(0, logs.length - KEEP_LOGS))) {
    if (old !== basename(logPath)) rmSync(join(layout.logDir, old), { force: true });
  }
}

export const appendRunLog = (logPath: string, text: string) => appendFileSync(logPath, text.endsWith('\n') ? text : `${text}\n`);

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
