// SPDX-License-Identifier: GPL-2.0-only
/**
 * What `kseries selftest` runs, from its flags: the plan (tree, kernel, scenarios,
 * kselftests, results and image directories) and the command line that reruns one
 * scenario of it. The command only parses flags, calls executeSelftest and renders.
 */
import { join, resolve } from 'node:path';
import { commandLine } from '../exec/shell-quote.js';
import { vmRoot, type StatePaths } from '../paths.js';
import { claimRunDir, runDirStamp } from '../run-dir.js';
import { listScenarios, loadScenario, scenarioArg } from '../scenario/load.js';
import { Registry, type TreeRecord } from '../trees/registry.js';
import { buildDirFor, sourceDirFor } from '../workspace.js';
import { builtKernel } from './built-kernel.js';
import { planSelftest, type SelftestPlan } from './plan.js';
import { KSELFTEST_SCENARIO, parseTargets, selectRuns } from './select.js';

export interface SelftestRequest {
  tree: string;
  kernel?: string;
  buildDir?: string;
  scenario?: string[];
  kselftests?: string;
  accel: 'auto' | 'kvm' | 'tcg';
  timeout?: number;
  results?: string;
  dryRun: boolean;
}

export interface SelftestSetup {
  tree: TreeRecord;
  plan: SelftestPlan;
  base: string | null;
  seriesHead: string | null;
  warnings: string[];
  /** The command line that reruns one scenario (or the kselftests) of this run. */
  rerun: (scenario: string) => string;
}

export function planSelftestRequest(state: StatePaths, req: SelftestRequest): SelftestSetup {
  const tree = new Registry(state).get(req.tree);
  const { srcDir, workspace } = sourceDirFor(state, tree);
  const buildDir = resolve(req.buildDir ?? buildDirFor(state, tree.name));
  const { kernel, kernelRelease, releaseFile, slowdown } = builtKernel(buildDir, req.kernel ? resolve(req.kernel) : undefined);
  const { scenarios, targets } = selectRuns(listScenarios(), req.scenario, parseTargets(req.kselftests), (n) => loadScenario(n));
  // a scenario given by path is rerun by that path
  const asGiven = new Map(scenarios.map((l) => [l.scenario.name, scenarioArg(l)]));
  // a fresh directory per run, even for two runs started in the same second (selftest-STAMP-2)
  const resultsDir = req.results ? resolve(req.results) : claimRunDir(join('kseries-results', tree.name), `selftest-${runDirStamp()}`, { create: !req.dryRun });
  const plan = planSelftest({
    tree: tree.name,
    srcDir,
    buildDir,
    kernel,
    scenarios,
    kselftestTargets: targets,
    accel: req.accel,
    timeoutSec: req.timeout ?? null,
    resultsDir,
    imageDir: join(vmRoot(state), `selftest-${runDirStamp()}-${process.pid}`),
    bootTimeoutSec: 60,
    kernelRelease,
    slowdown,
  });
  const rerun = (scenario: string) =>
    commandLine('kseries', [
      'selftest', '--tree', tree.name, '--build-dir', buildDir, ...(req.kernel ? ['--kernel', kernel] : []),
      ...(scenario === KSELFTEST_SCENARIO ? ['--kselftests', targets.join(',')] : ['--scenario', asGiven.get(scenario) ?? scenario]),
      '--accel', req.accel, ...(req.timeout ? ['--timeout', String(req.timeout)] : []),
    ]);
  return {
    tree,
    plan,
    base: workspace?.series ?? null,
    seriesHead: workspace?.series ? workspace.head : null,
    warnings: plan.modulesDir ? [] : [`${releaseFile} is missing: no modules.builtin in the guest (daxctl may complain)`],
    rerun,
  };
}
