// SPDX-License-Identifier: GPL-2.0-only
/**
 * Runs a SelftestPlan: prepares the guest's files (modules.builtin*, kselftests; each step
 * only when its inputs changed, guest-files.ts), builds
 * the initramfs (or finds it in the cache), then boots each scenario's boots in order on
 * one backing file, one VM at a time. A boot that does not pass stops its scenario (later
 * boots would check state it never produced). Writes per boot console.log, output.log,
 * verdict.json, and results.json for the run.
 *
 * Locks (src/lib/lock/): the results directory for the whole run; the tree, shared, while
 * make reads its sources (modules_install, headers_install, kselftests) and the initramfs is
 * made; the build directory from then until the last boot of the last scenario (a rebuild
 * cannot swap the kernel or its modules between the boots of a multi-boot scenario); each
 * scenario's image while it boots. Another run on the same results, an apply of the tree
 * while it is read, or a build of the same O= directory waits (or exits 3 with --no-wait).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { infraError } from '../errors.js';
import { describe, type Runner } from '../exec/runner.js';
import { onCleanup } from '../cli/interrupt.js';
import { acquireLock, sharedLock, withLock } from '../lock/locks.js';
import { buildDirLock, imageLock, resultsDirLock, treeLock } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import type { Accel } from '../vm/accel.js';
import { findGenInitCpio, prepareInitramfs, type BuiltInitramfs, type InitramfsSources } from '../vm/initramfs.js';
import { runBoot } from '../vm/run.js';
import { loggingRunner } from './command-log.js';
import { prepareImage, removeImage } from './image.js';
import { judgeBoot, overallStatus } from './judge.js';
import type { KtapJudge } from './ktap-port.js';
import type { PlannedBoot, SelftestPlan } from './plan.js';
import { renderJUnit } from '../report/junit.js';
import type { TestSuite } from '../report/model.js';
import { JUNIT_FILE, toPipelineResults, toTestReport, type RunInfo } from './report.js';
import type { BootResult, ScenarioResult, SelftestResults } from './results.js';
import { describeSlowdown } from './slowdown.js';
import { clearStamp, inputsKey, upToDate, writeStamp } from './stamp.js';

export interface ExecuteOptions {
  runner: Runner;
  paths: StatePaths;
  judge: KtapJudge | null;
  /** Decides kvm or tcg when the plan says auto. */
  chooseAccel: () => Promise<{ accel: Accel; reason: string }>;
  keepImages?: boolean;
  progress?: (msg: string) => void;
  /** What results.json says about the tree and how to rerun a scenario. */
  info: RunInfo;
  /** Builds the initramfs (tests replace it). */
  initramfs?: (runner: Runner, sources: InitramfsSources) => Promise<BuiltInitramfs>;
}

const notRun = (b: PlannedBoot, reason: string): BootResult => ({
  scenario: b.scenario, index: b.index, name: b.name, script: b.script, status: 'not-run', reason,
  console: null, scriptExit: null, ktap: null, timings: null, logs: null, command: null,
});

/** The guest files' steps, each skipped when its stamp says its inputs are unchanged. */
async function prepare(runner: Runner, plan: SelftestPlan, say: (msg: string) => void): Promise<void> {
  const log = join(plan.resultsDir, 'prepare.log');
  for (const step of plan.prepare) {
    // taken once, before the step: the stamp is written only if the inputs still have it after
    const key = inputsKey(step.spec, step.inputs);
    if (upToDate(step, key)) {
      appendFileSync(log, `${step.name}: up to date (${step.stamp}), not run: ${describe(step.spec)}\n`);
      // commands.log is the record a run is reproduced from: the step belongs in it, not run here
      appendFileSync(plan.commandLog, `# up to date, not run (${step.stamp}): ${describe(step.spec)}\n`);
      say(`${step.name}: up to date`);
      continue;
    }
    say(`${step.name}: ${step.spec.args[step.spec.args.length - 1]}`);
    clearStamp(step);
    for (const d of step.fresh) rmSync(d, { recursive: true, force: true });
    const r = await runner.run({ ...step.spec, logFile: log });
    if (r.exitCode !== 0) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5).join('\n  ') : '';
      throw infraError(`${step.spec.cmd} ${step.spec.args.filter((a) => !a.startsWith('-')).slice(-1)[0]} failed (exit ${r.exitCode}):\n  ${tail}`, `See ${log}.`);
    }
    if (!writeStamp(step, key)) appendFileSync(log, `${step.name}: its inputs changed while it ran: no stamp, the next run makes it again\n`);
  }
}

export async function executeSelftest(plan: SelftestPlan, o: ExecuteOptions): Promise<SelftestResults> {
  if (!existsSync(plan.kernel)) throw infraError(`no kernel at ${plan.kernel}`, 'Build the tree first (`kseries build`), or pass --kernel.');
  return withLock(resultsDirLock(o.paths, plan.resultsDir), () => execute(plan, o));
}

async function execute(plan: SelftestPlan, o: ExecuteOptions): Promise<SelftestResults> {
  const started = Date.now();
  mkdirSync(plan.resultsDir, { recursive: true });
  writeFileSync(plan.commandLog, '');
  const runner = loggingRunner(o.runner, plan.commandLog);
  const sources: InitramfsSources = { modulesDir: plan.modulesDir, kselftestDir: plan.kselftestDir, scenarios: plan.scenarioDirs };
  const build = o.initramfs ?? (async (r: Runner, s: InitramfsSources) => prepareInitramfs(r, o.paths, s, await findGenInitCpio(r, o.paths, plan.buildDir, plan.srcDir)));
  // make reads the tree's sources and runs in the O= directory here; the build directory (its
  // kernel and modules) stays locked until the last boot, so a rebuild cannot swap them between boots
  const releaseTree = await acquireLock(sharedLock(treeLock(o.paths, plan.tree)));
  let releaseBuild: () => void;
  try {
    releaseBuild = await acquireLock(buildDirLock(o.paths, plan.buildDir));
  } catch (err) {
    releaseTree();
    throw err;
  }
  try {
    return await boot(plan, o, runner, sources, build, releaseTree, started);
  } finally {
    releaseTree();
    releaseBuild();
  }
}

async function boot(
  plan: SelftestPlan,
  o: ExecuteOptions,
  runner: Runner,
  sources: InitramfsSources,
  build: (r: Runner, s: InitramfsSources) => Promise<BuiltInitramfs>,
  releaseTree: () => void,
  started: number,
): Promise<SelftestResults> {
  const say = o.progress ?? (() => {});
  // the accelerator's probe (a firmware boot, or a cached verdict) runs beside the makes of prepare
  const choosing = plan.accel === 'auto' ? o.chooseAccel() : Promise.resolve({ accel: plan.accel, reason: `--accel ${plan.accel}` });
  choosing.catch(() => undefined);
  await prepare(runner, plan, say);
  const accel = await choosing;
  say(`accelerator: ${accel.accel} (${accel.reason})`);
  const slow = describeSlowdown(plan.slowdown);
  if (slow) say(slow);
  const initrd = await build(runner, sources);
  releaseTree(); // the sources are read: apply may go on while the VMs run
  say(`initramfs ${initrd.cached ? 'cached' : 'built'}: ${initrd.path}`);

  const scenarios: ScenarioResult[] = [];
  const ktapSuites = new Map<string, TestSuite[]>();
  for (const s of plan.scenarios) {
    const boots: BootResult[] = [];
    let unregister = () => {};
    let release = () => {};
    if (s.image) {
      const image = s.image;
      release = await acquireLock(imageLock(o.paths, image));
      try {
        prepareImage(image, s.imageMiB, s.reuseImage);
      } catch (err) {
        release();
        throw err;
      }
      if (!o.keepImages) unregister = onCleanup(() => removeImage(image));
    }
    try {
      let stopped: string | null = null;
      for (const b of s.boots) {
        if (stopped) {
          boots.push(notRun(b, stopped));
          continue;
        }
        say(`${b.name}: booting (${b.script}, deadline ${b.timeoutMs / 1000} s)`);
        rmSync(b.dir, { recursive: true, force: true });
        const out = await runBoot(runner, { spec: { ...b.vm, accel: accel.accel, initrd: initrd.path }, timeoutMs: b.timeoutMs });
        const scriptExit = out.scripts.find((x) => x.name === b.name)?.exit ?? null;
        const judged = judgeBoot(out.verdict, scriptExit, out.ktap, b.ktap, o.judge);
        // a leak the console did not show as a report (its lines filtered): the count still fails the boot
        const j = out.kmemleak && judged.status === 'pass' ? { ...judged, status: 'fail' as const, reason: `kmemleak: ${out.kmemleak} unreferenced object(s) after the script` } : judged;
        if (j.ktap?.suites) ktapSuites.set(b.name, j.ktap.suites);
        const ktap = j.ktap ? { status: j.ktap.status, ok: j.ktap.ok, summary: j.ktap.summary, failures: j.ktap.failures } : null;
        const ktapFile = out.ktap ? join(b.dir, 'ktap.txt') : null;
        if (ktapFile) writeFileSync(ktapFile, out.ktap!);
        const verdictFile = join(b.dir, 'verdict.json');
        const result: BootResult = {
          scenario: b.scenario, index: b.index, name: b.name, script: b.script,
          status: j.status, reason: j.reason,
          console: { verdict: out.verdict.verdict, exitClass: out.verdict.exitClass, summary: out.verdict.summary, findings: out.verdict.findings },
          scriptExit, ktap,
          timings: { elapsedMs: out.elapsedMs, firstOutputMs: out.firstOutputMs, initMs: out.initMs, panicMs: out.panicMs, userspaceAtSec: out.verdict.userspaceAtSec },
          kmemleak: out.kmemleak,
          logs: { console: out.serialLog, output: out.outputLog ?? '', ktap: ktapFile, verdict: verdictFile },
          command: out.command,
        };
        writeFileSync(verdictFile, `${JSON.stringify({ ...result, qemuExitCode: out.qemuExitCode, timedOut: out.timedOut, stoppedOnPanic: out.stoppedOnPanic }, null, 2)}\n`);
        boots.push(result);
        say(`${b.name}: ${j.status} in ${(out.elapsedMs / 1000).toFixed(1)} s: ${j.reason}`);
        if (j.status !== 'pass' && j.status !== 'skip') stopped = `not run: ${b.name} did not pass`;
      }
    } finally {
      if (s.image && !o.keepImages) removeImage(s.image);
      unregister();
      release();
    }
    scenarios.push({ name: s.name, image: s.image, status: overallStatus(boots.map((b) => b.status)), boots });
  }
  const results: SelftestResults = {
    status: overallStatus(scenarios.flatMap((s) => s.boots.map((b) => b.status))),
    tree: plan.tree,
    kernel: plan.kernel,
    accel: { used: accel.accel, reason: accel.reason },
    initramfs: { path: initrd.path, hash: initrd.hash, cached: initrd.cached },
    resultsDir: plan.resultsDir,
    commandLog: plan.commandLog,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    scenarios,
  };
  const junit = join(plan.resultsDir, JUNIT_FILE);
  mkdirSync(dirname(junit), { recursive: true });
  writeFileSync(junit, renderJUnit(toTestReport(results, ktapSuites)));
  writeFileSync(join(plan.resultsDir, 'results.json'), `${JSON.stringify(toPipelineResults(results, o.info, new Date().toISOString()), null, 2)}\n`);
  return results;
}
