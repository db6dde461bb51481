// SPDX-License-Identifier: GPL-2.0-only
/**
 * What kseries keeps in an O= build directory besides kbuild's own output:
 *
 *   .config                  written by `kseries kconfig apply` (or --config FILE)
 *   logs/build-STAMP.log     the full output of each run (the last 20 are kept)
 *   build.log                a link to the last of them
 *   metadata.json            what was built, how, with what, and what came out
 *   kseries-warnings.json    the warnings ledger: every compiled object's warnings
 *   kseries-build-stats.json objects compiled by the last full build (the progress estimate)
 *   kseries-guest/           what `kseries selftest` makes for the guest (selftest/guest-files.ts)
 */
import { join } from 'node:path';

/** `kseries selftest`'s guest files in a build directory (selftest/guest-files.ts). */
export const GUEST_DIR = 'kseries-guest';

export interface BuildLayout {
  buildDir: string;
  config: string;
  logDir: string;
  lastLog: string;
  metadata: string;
  ledger: string;
  stats: string;
}

export const buildLayout = (buildDir: string): BuildLayout => ({
  buildDir,
  config: join(buildDir, '.config'),
  logDir: join(buildDir, 'logs'),
  lastLog: join(buildDir, 'build.log'),
  metadata: join(buildDir, 'metadata.json'),
  ledger: join(buildDir, 'kseries-warnings.json'),
  stats: join(buildDir, 'kseries-build-stats.json'),
});

/** A sortable, file-name-safe time stamp: 2024-01-01T10-20-30-123Z. */
export const runStamp = (d: Date = new Date()) => d.toISOString().replace(/[:.]/g, '-');

export const runLogPath = (layout: BuildLayout, stamp: string) => join(layout.logDir, `build-${stamp}.log`);
