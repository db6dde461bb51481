// SPDX-License-Identifier: GPL-2.0-only
/**
 * Progress that means something: objects compiled (kbuild's "  CC " lines) against an
 * estimate, and the directory being built. The estimate is the number of objects the
 * build directory already holds (what a full build of this config makes; a rebuild
 * compiles a part of it), else the count of the previous build, kept in
 * kseries-build-stats.json. A first build has no estimate, and says so: the host
 * programs `make tinyconfig` leaves in scripts/kconfig/ are not kernel objects, and an
 * estimate that the count overtakes is said to be exceeded rather than raised to match
 * (which showed a first build as "276/~276 objects" all along).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { GUEST_DIR } from './layout.js';

const CC_RE = /^ {2}CC(?: \[M\])?\s+(\S+)$/;

/**
 * Where the estimate comes from: the objects counted after the last build, the objects
 * in the build directory now, the count of CC lines of the previous build, or nothing
 * (a first build).
 */
export type EstimateBasis = 'last-build' | 'build-dir' | 'previous-count' | 'first-build';

export interface Estimate {
  total: number | null;
  basis: EstimateBasis;
}

export interface ProgressSnapshot {
  compiled: number;
  estimate: number | null;
  basis: EstimateBasis;
  /** The directory of the last object compiled. */
  dir: string | null;
}

export class CompileCounter {
  private compiled = 0;
  private dir: string | null = null;
  constructor(private readonly estimate: Estimate) {}

  /** Feeds one log line; true when it was a CC line. */
  feed(line: string): boolean {
    const m = CC_RE.exec(line);
    if (!m) return false;
    this.compiled++;
    this.dir = dirname(m[1]);
    return true;
  }

  snapshot(): ProgressSnapshot {
    return { compiled: this.compiled, estimate: this.estimate.total, basis: this.estimate.basis, dir: this.dir };
  }
}

/** "12/~1088 objects compiled · drivers/dax/", "276 objects compiled (no estimate: first build)", "1200 objects compiled (~1088 estimated: exceeded)". Pure. */
export function renderProgress(s: ProgressSnapshot): string {
  let count: string;
  if (!s.estimate) count = `${s.compiled} objects compiled${s.basis === 'first-build' ? ' (no estimate: first build)' : ''}`;
  else if (s.compiled > s.estimate) count = `${s.compiled} objects compiled (~${s.estimate} estimated: exceeded)`;
  else count = `${s.compiled}/~${s.estimate} objects compiled`;
  return s.dir ? `${count} · ${s.dir}/` : count;
}

export interface BuildStats {
  /** CC lines of the last build. */
  compiled: number;
  /** .o files in the build directory after it. */
  objects: number;
}

/**
 * Top-level directories that hold no kernel objects: host programs (kconfig's conf, modpost,
 * objtool…, built with HOSTCC) and the guest files of `kseries selftest` (the kselftests' O=).
 */
const HOST_DIRS = new Set(['scripts', 'tools', GUEST_DIR]);

/** Counts the kernel's .o files under DIR (a few thousand for a small config), not those of host programs. */
export function countObjects(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  const walk = (d: string, top: boolean) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== 'logs' && e.name !== 'source' && !(top && HOST_DIRS.has(e.name))) walk(join(d, e.name), false);
      } else if (e.name.endsWith('.o')) n++;
    }
  };
  walk(dir, true);
  return n;
}

export function readStats(path: string): BuildStats | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as BuildStats;
    return typeof s.compiled === 'number' ? s : null;
  } catch {
    return null;
  }
}

export function writeStats(path: string, s: BuildStats): void {
  writeFileAtomic(path, `${JSON.stringify(s)}\n`);
}

/** The estimate from what an earlier build left: its objects (as counted after it, else now in the build directory), else its count, else none (a first build). Pure. */
export function estimateFrom(stats: BuildStats | null, objectsNow: number): Estimate {
  if (stats?.objects) return { total: stats.objects, basis: 'last-build' };
  if (objectsNow > 0) return { total: objectsNow, basis: 'build-dir' };
  if (stats?.compiled) return { total: stats.compiled, basis: 'previous-count' };
  return { total: null, basis: 'first-build' };
}

/** The estimate for the next build of BUILD_DIR (the directory is walked only when the stats do not say). */
export function estimateFor(buildDir: string, statsPath: string): Estimate {
  const stats = readStats(statsPath);
  return estimateFrom(stats, stats?.objects ? 0 : countObjects(buildDir));
}
