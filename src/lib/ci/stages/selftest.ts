// SPDX-License-Identifier: GPL-2.0-only
/**
 * The selftest stage: the selftest service (initramfs, QEMU on an NVDIMM, the scenarios and
 * the kselftest one) booting the kernel the build stage made. One result per scenario, with
 * a test case per boot and per KTAP test; its files go to RESULTS/<tree>/selftest/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '../../exec/shell-quote.js';
import { vmRoot } from '../../paths.js';
import type { TestCase, TestSuite } from '../../report/model.js';
import type { StageResult } from '../../report/results.js';
import { listScenarios, loadScenario } from '../../scenario/load.js';
import { builtKernel } from '../../selftest/built-kernel.js';
import { executeSelftest } from '../../selftest/execute.js';
import { ktapJudge } from '../../selftest/ktap-judge.js';
import { planSelftest } from '../../selftest/plan.js';
import { toPipelineResults, toTestReport } from '../../selftest/report.js';
import type { SelftestResults } from '../../selftest/results.js';
import { selectRuns } from '../../selftest/select.js';
import { Registry } from '../../trees/registry.js';
import { chooseAccelCached } from '../../vm/accel-cache.js';
import { buildDirFor, sourceDirFor } from '../../workspace.js';
import type { StageImpl } from '../executor.js';
import { selftestResultName, type TreePlan } from '../plan.js';
import { recorded } from '../recording.js';
import type { StageDeps } from './deps.js';

export const SELFTEST_DIR = 'selftest';

/** Where the selftest stage of a tree writes: RESULTS/<tree>/selftest (its lock is taken by the build stage, lock/order.ts). */
export const selftestResultsDir = (t: Pick<TreePlan, 'dir'>) => join(t.dir, SELFTEST_DIR);

/** The KTAP suites of each boot, read back from the ktap.txt files the run wrote. */
export function ktapSuitesOf(r: SelftestResults): Map<string, TestSuite[]> {
  const m = new Map<string, TestSuite[]>();
  for (const s of r.scenarios) {
    for (const b of s.boots) {
      const f = b.logs?.ktap;
      if (f && existsSync(f)) m.set(b.name, ktapJudge(readFileSync(f, 'utf8')).suites ?? []);
    }
  }
  return m;
}

/** A scenario's cases: one per boot, then the KTAP tests of its boots (classname: boot and suite). */
export function scenarioCases(scenario: string, suites: readonly TestSuite[]): TestCase[] {
  const out: TestCase[] = [];
  for (const s of suites) {
    if (s.name === `selftest:${scenario}`) out.push(...s.cases.map((c) => ({ ...c, classname: c.classname ?? scenario })));
    else if (s.name.startsWith(`${scenario}:`)) out.push(...s.cases.map(({ output: _o, ...c }) => ({ ...c, classname: s.name })));
  }
  return out.map(({ file: _f, ...c }) => c);
}

/** results.json stages of the run, with paths relative to the tree's results directory. */
export function selftestStages(r: SelftestResults, rerun: (scenario: string) => string): StageResult[] {
  const suites = toTestReport(r, ktapSuitesOf(r)).suites;
  const p = toPipelineResults(r, { kernelVersion: null, base: null, seriesHead: null, rerun }, new Date().toISOString());
  return p.stages.map((s, i) => {
    const scenario = r.scenarios[i].name;
    return {
      ...s,
      name: selftestResultName(scenario),
      logs: s.logs.map((l) => `${SELFTEST_DIR}/${l}`),
      junit: s.junit ? `${SELFTEST_DIR}/${s.junit}` : null,
      commands: r.scenarios[i].boots.flatMap((b) => (b.command ? [b.command] : [])),
      tests: scenarioCases(scenario, suites),
    };
  });
}

export const selftestStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const o = ctx.plan.options;
    const tree = new Registry(deps.paths).get(ctx.tree.tree);
    const { srcDir } = sourceDirFor(deps.paths, tree);
    const buildDir = buildDirFor(deps.paths, tree.name);
    const { kernel, kernelRelease, slowdown } = builtKernel(buildDir);
    const { scenarios, targets } = selectRuns(listScenarios(), o.scenarios, o.kselftests, (n) => loadScenario(n));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const plan = planSelftest({
      tree: tree.name,
      srcDir,
      buildDir,
      kernel,
      scenarios,
      kselftestTargets: targets,
      accel: o.accel,
      timeoutSec: null,
      resultsDir: selftestResultsDir(ctx.tree),
      imageDir: join(vmRoot(deps.paths), `ci-${stamp}-${process.pid}`),
      bootTimeoutSec: 60,
      kernelRelease,
      slowdown,
    });
    const rerun = (scenario: string) => ctx.stage.commands[o.scenarios.indexOf(scenario)] ?? commandLine('kseries', ['selftest', '--tree', tree.name, '--scenario', scenario]);
    const t0 = Date.now();
    const { value: r, commands } = await recorded(deps.runner, (runner) =>
      executeSelftest(plan, {
        runner,
        paths: deps.paths,
        judge: ktapJudge,
        info: { kernelVersion: tree.kernel.string, base: ctx.facts.base, seriesHead: ctx.facts.seriesHead, rerun },
        chooseAccel: () => chooseAccelCached(runner, deps.paths.cache),
        progress: ctx.output,
      }),
    );
    const stages = selftestStages(r, rerun);
    // The preparation (modules, kselftests, initramfs, the KVM probe) counts towards the first scenario.
    const booted = stages.reduce((a, s) => a + s.durationMs, 0);
    if (stages.length) stages[0].durationMs += Math.max(0, Date.now() - t0 - booted);
    const prepare = commands.filter((c) => !/^qemu-system-/.test(c));
    if (stages.length) stages[0].commands = [...prepare, ...(stages[0].commands ?? [])];
    return { results: stages };
  };
