// SPDX-License-Identifier: GPL-2.0-only
/**
 * What `kseries watch` checks before its first round, so that bad input exits 2 at once
 * rather than after a build: the tree and its worktree (as `kseries build` resolves
 * them), every scenario and kselftest target named, and an architecture the VMs boot.
 */
import type { StatePaths } from '../paths.js';
import { resolveBuild, type BuildRequest } from '../build/context.js';
import { usageError } from '../errors.js';
import { loadScenario } from '../scenario/load.js';
import { parseTargets } from '../selftest/select.js';

export function checkWatchRequest(paths: StatePaths, build: BuildRequest, scenarios: string[], kselftests: string | undefined): { srcDir: string } {
  for (const s of scenarios) loadScenario(s);
  const targets = parseTargets(kselftests);
  if ((scenarios.length || targets.length) && build.arch !== 'x86_64') {
    throw usageError(`scenarios boot x86_64 kernels only, not ${build.arch}`, 'Drop --scenario/--kselftests to only rebuild, or watch the x86_64 build.');
  }
  return { srcDir: resolveBuild(paths, build).spec.srcDir };
}
