// SPDX-License-Identifier: GPL-2.0-only
/**
 * Progress that means something: objects compiled (kbuild's "  CC " lines) against an
 * estimate, and the directory being built. The estimate is the number of objects the
 * build directory already holds (what a full build of this config makes; a rebuild
 * compiles a part of it), else the count of the previous build, kept in
 * kseries-build-stats.json.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';

const CC_RE = /^ {2}CC(?: \[M\])?\s+(\S+)$/;

export interface ProgressSnapshot {
  compiled: number;
  estimate: number | null;
  /** The directory of the last object compiled. */
  dir: string | null;
}

export class CompileCounter {
  private compiled = 0;
  private dir: string | null = null;
  constructor(private readonly estimate: number | null) {}

  /** Feeds one log line; true when it was a CC line. */
  feed(line: string): boolean {
    const m = CC_RE.exec(line);
    if (!m) return false;
    this.compiled++;
    this.dir = dirname(m[1]);
    return true;
  }

  snapshot(): ProgressSnapshot {
    return { compiled: this.compiled, estimate: this.estimate, dir: this.dir };
  }
}

export function renderProgress(s: ProgressSnapshot): string {
  const count = s.estimate ? `${s.compiled}/~${Math.max(s.estimate, s.compiled)} objects` : `${s.compiled} objects`;
  return s.dir ? `${count} compiled · ${s.dir}/` : `${count} compiled`;
}

export interface BuildStats {
  /** CC lines of the last build. */
  compiled: number;
  /** .o files in the build directory after it. */
  objects: number;
}

/** Counts the .o files under DIR (kbuild's objects; a few thousand for a small config). */
export function countObjects(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== 'logs' && e.name !== 'source') walk(join(d, e.name));
      } else if (e.name.endsWith('.o')) n++;
    }
  };
  walk(dir);
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

/** The estimate for the next build of BUILD_DIR: its objects (as counted after the last build, else now), else the previous build's count, else unknown. */
export function estimateFor(buildDir: string, statsPath: string): number | null {
  const stats = readStats(statsPath);
  if (stats?.objects) return stats.objects;
  const objects = countObjects(buildDir);
  if (objects > 0) return objects;
  return stats?.compiled || null;
}
