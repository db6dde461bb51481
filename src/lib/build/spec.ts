// SPDX-License-Identifier: GPL-2.0-only
/**
 * What to build: the BuildSpec the planner turns into make command lines. Everything
 * in it is resolved already (paths, cross prefix, whether ccache is really used), so
 * planning is a pure function of it.
 */
import { usageError } from '../errors.js';
import type { ArchInfo } from './arches.js';

export interface BuildSpec {
  tree: string;
  /** The kernel source (make -C). */
  srcDir: string;
  /** The O= directory. */
  buildDir: string;
  arch: ArchInfo;
  /** CROSS_COMPILE=, or null for a native build. */
  crossCompile: string | null;
  llvm: boolean;
  /** Wrap the compilers in ccache (only when ccache is present). */
  ccache: boolean;
  /** CCACHE_DIR when ccache is used. */
  ccacheDir: string | null;
  /** W=1 extra warnings. */
  w1: boolean;
  jobs: number;
  targets: string[];
  /** Copy this file to BUILD/.config and run olddefconfig before building. */
  configFile: string | null;
  /** Run make under `nice -n N` (0: not at all). */
  nice: number;
  /** Kill make after this many ms (an infrastructure error); 0: no limit. */
  timeoutMs: number;
}

/** A kbuild target name: "bzImage", "modules", "drivers/dax/", "drivers/dax/kmem.o". */
const TARGET_RE = /^[A-Za-z0-9_][A-Za-z0-9_./+-]*$/;

/** "bzImage,modules" → ["bzImage", "modules"]; rejects what is not a make target. */
export function parseTargets(list: string | undefined): string[] | null {
  if (list === undefined) return null;
  const targets = list
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  if (!targets.length) throw usageError('--targets is empty', 'Give make targets separated by commas, e.g. bzImage,modules.');
  for (const t of targets) {
    if (!TARGET_RE.test(t) || t.includes('..')) throw usageError(`--targets: "${t}" is not a make target`);
    if (/config$/.test(t) || t === 'clean' || t === 'mrproper' || t === 'distclean') {
      throw usageError(`--targets: "${t}" is not a build target`, t.endsWith('config') ? 'Configure with `kseries kconfig apply`.' : 'Delete the build directory to start afresh.');
    }
  }
  return [...new Set(targets)];
}

/** The targets built when none are given: the boot image, and modules when the config enables them. */
export const defaultTargets = (arch: ArchInfo, modulesEnabled: boolean): string[] => (modulesEnabled ? [arch.image, 'modules'] : [arch.image]);
