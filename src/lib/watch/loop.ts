// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries watch`: the inner loop kept running. A first round at once, then one after each
 * save in the worktree (a batch of changes, debounced): the incremental build of the tree
 * (as `kseries build`: same locks, O= directory, ccache, log and metadata), then, when it
 * built, the chosen scenarios (as `kseries selftest --scenario`, each round in its own
 * results directory). Each round prints only what changed since the one before
 * (round.ts). The accelerator is chosen once, not per round. A save during a round starts
 * the next round when this one ends.
 */
import { join } from 'node:path';
import type { Runner } from '../exec/runner.js';
import type { StatePaths } from '../paths.js';
import { executeBuild } from '../build/command.js';
import { resolveBuild, type BuildRequest } from '../build/context.js';
import type { BuildReport } from '../build/step.js';
import { executeSelftest } from '../selftest/execute.js';
import { ktapJudge } from '../selftest/ktap-judge.js';
import { planSelftestRequest } from '../selftest/command.js';
import type { SelftestResults } from '../selftest/results.js';
import { KseriesError } from '../errors.js';
import { renderRound, roundStatus, summarizeBuild, summarizeTests, type RoundSummary } from './round.js';
import { TreeWatcher } from './watcher.js';

export interface WatchRequest {
  build: BuildRequest;
  /** Scenarios to run after each good build (names or directories); none: build only. */
  scenarios: string[];
  kselftests?: string;
  /** Where the rounds' selftest results go (round-N/ under it). */
  resultsDir: string;
  debounceMs: number;
  /** Stop after this many rounds (0: until interrupted). */
  rounds: number;
}

export interface WatchDeps {
  runner: Runner;
  paths: StatePaths;
  /** Chosen once for every round. */
  chooseAccel: () => Promise<{ accel: 'kvm' | 'tcg'; reason: string }>;
  /** A line of the loop's output (the rounds). */
  say: (line: string) => void;
  /** Progress of the rounds' VMs (stderr). */
  progress: (line: string) => void;
  /** Resolves when the user interrupts: the loop stops after the round it is in. */
  interrupted?: Promise<void>;
}

export interface WatchReport {
  srcDir: string;
  watched: number;
  rounds: RoundSummary[];
}

async function round(req: WatchRequest, d: WatchDeps, index: number, changes: string[], accel: { accel: 'kvm' | 'tcg'; reason: string }): Promise<RoundSummary> {
  const started = Date.now();
  let build: BuildReport | null = null;
  let tests: SelftestResults | null = null;
  let results: string | null = null;
  try {
    const ctx = resolveBuild(d.paths, req.build);
    build = (await executeBuild(d.runner, d.paths, req.build, ctx, 'build', true)).result as BuildReport;
    if (build.status === 'ok' && (req.scenarios.length || req.kselftests)) {
      results = join(req.resultsDir, `round-${index}`);
      const setup = planSelftestRequest(d.paths, {
        tree: req.build.tree, buildDir: build.buildDir, scenario: req.scenarios, kselftests: req.kselftests,
        accel: accel.accel, results, dryRun: false,
      });
      tests = await executeSelftest(setup.plan, {
        runner: d.runner, paths: d.paths, judge: ktapJudge,
        info: { kernelVersion: setup.tree.kernel.string, base: setup.base, seriesHead: setup.seriesHead, rerun: setup.rerun },
        keepImages: false, chooseAccel: async () => accel, progress: d.progress,
      });
    }
  } catch (err) {
    if (!(err instanceof KseriesError) || err.kind === 'interrupted') throw err;
    // a round that cannot run (a lock held, a VM that never printed) is reported, and the loop goes on
    const summary = { index, changes, build: build ? summarizeBuild(build) : null, boots: null, status: 'infra' as const, seconds: (Date.now() - started) / 1000, results };
    d.say(`round ${index}: ${err.message}`);
    return summary;
  }
  const b = build ? summarizeBuild(build) : null;
  return { index, changes, build: b, boots: tests ? summarizeTests(tests) : null, status: roundStatus(b, tests), seconds: (Date.now() - started) / 1000, results };
}

export async function watchLoop(req: WatchRequest, d: WatchDeps, srcDir: string): Promise<WatchReport> {
  const watcher = new TreeWatcher(srcDir);
  const watched = watcher.start();
  const stop = d.interrupted?.then(() => watcher.close());
  stop?.catch(() => undefined);
  d.progress(`watching ${srcDir} (${watched} directories); a save rebuilds${req.scenarios.length || req.kselftests ? ' and reruns the scenarios' : ''}`);
  const accel = req.scenarios.length || req.kselftests ? await d.chooseAccel() : { accel: 'tcg' as const, reason: 'no scenario' };
  const rounds: RoundSummary[] = [];
  let lastTested: RoundSummary['boots'] = null;
  let changes: string[] = [];
  try {
    for (let i = 1; req.rounds === 0 || i <= req.rounds; i++) {
      const cur = await round(req, d, i, changes, accel);
      const prev = rounds.length ? { ...rounds[rounds.length - 1], boots: lastTested } : null;
      if (cur.status !== 'infra') for (const line of renderRound(cur, prev)) d.say(line);
      if (cur.boots) lastTested = cur.boots;
      rounds.push(cur);
      if (req.rounds && i === req.rounds) break;
      changes = await watcher.next(req.debounceMs);
      if (!changes.length) break; // closed: interrupted
    }
  } finally {
    watcher.close();
  }
  return { srcDir, watched, rounds };
}
