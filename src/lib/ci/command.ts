// SPDX-License-Identifier: GPL-2.0-only
/**
 * What `kseries ci` does once its flags are parsed: the plan from the request (trees,
 * scenarios, kselftests, ccache, results directory), and its run under the results
 * directory's lock with progress, the reports written.
 */
import { resolve } from 'node:path';
import { resolveCcache } from '../build/ccache.js';
import type { Runner } from '../exec/runner.js';
import { withLock } from '../lock/locks.js';
import { resultsDirLock } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import type { CiResults } from '../report/ci-results.js';
import { claimRunDir, runDirStamp } from '../run-dir.js';
import { ciDefaultScenarios, loadScenario } from '../scenario/load.js';
import { parseTargets } from '../selftest/select.js';
import { seriesRoot } from '../series/root.js';
import { Registry } from '../trees/registry.js';
import { executeCi, type CiHooks, type CiRun } from './executor.js';
import { defaultScenarios, planCi, type CiPlan } from './plan.js';
import { lineHooks, listrHooks } from './progress.js';
import { defaultStages } from './stages/index.js';
import { chooseTrees } from './trees.js';
import { writeCiReports } from './write.js';

export interface CiRequest {
  tree?: string[];
  all: boolean;
  keepGoing: boolean;
  results?: string;
  scenario?: string[];
  kselftests: string;
  jobs?: number;
  ccache?: boolean;
  accel: 'auto' | 'kvm' | 'tcg';
  patches?: string;
  dryRun: boolean;
}

/** The plan of the request; usage errors (unknown tree, scenario, target) before anything runs. */
export function planCiRequest(state: StatePaths, req: CiRequest): { plan: CiPlan; warnings: string[] } {
  const trees = chooseTrees(
    new Registry(state).list().map((t) => t.name),
    { tree: req.tree, all: req.all },
  );
  const scenarios = req.scenario?.length ? [...new Set(req.scenario)] : defaultScenarios(ciDefaultScenarios());
  for (const s of scenarios) loadScenario(s); // unknown or invalid: a usage error before anything runs
  const kselftests = parseTargets(req.kselftests);
  const ccache = resolveCcache(req.ccache);
  const resultsDir = req.results ? resolve(req.results) : claimRunDir('kseries-results', `ci-${runDirStamp()}`, { create: !req.dryRun });
  const plan = planCi({
    trees,
    resultsDir,
    keepGoing: req.keepGoing,
    options: {
      patches: req.patches ? seriesRoot(req.patches) : null,
      scenarios,
      kselftests,
      kconfig: { base: 'tinyconfig', platform: 'qemu-x86_64', persist: ['blk', 'fs'], selftests: ['memory-hotplug', 'dax'] },
      jobs: req.jobs ?? null,
      ccache: ccache.use,
      accel: req.accel,
    },
  });
  return { plan, warnings: ccache.warning ? [ccache.warning] : [] };
}

/** Runs the plan with listr2 progress (a terminal), lines on stderr, or nothing (--json); writes the reports. */
export async function runCiPlan(
  runner: Runner,
  state: StatePaths,
  plan: CiPlan,
  opts: { patches?: string; progress: boolean; json: boolean; argv: string[] },
): Promise<{ run: CiRun; ci: CiResults }> {
  const drawing = opts.progress ? listrHooks(plan) : null;
  const hooks: CiHooks = drawing?.hooks ?? (opts.json || process.env.KSERIES_NO_PROGRESS === '1' ? {} : lineHooks((s) => process.stderr.write(s)));
  // the results directory for the whole run; each stage takes its tree, build directory or selftest results itself
  return withLock(resultsDirLock(state, plan.resultsDir), async () => {
    const run = await executeCi(plan, defaultStages({ runner, paths: state, patchesRoot: seriesRoot(opts.patches) }), hooks);
    if (drawing) {
      drawing.finish();
      await drawing.done;
    }
    return { run, ci: writeCiReports(plan.resultsDir, run, { paths: state, cwd: process.cwd(), argv: ['ci', ...opts.argv] }).ci };
  });
}
