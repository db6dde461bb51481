// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries watch --dry-run`: what one round would run, as command lines, and what is
 * watched; nothing is built, booted or watched. The build is `kseries build`'s plan and the
 * scenarios `kseries selftest`'s, so a round can be reproduced by hand from this output.
 */
import { join } from 'node:path';
import type { StatePaths } from '../paths.js';
import { dryRunBuild } from '../build/command.js';
import { resolveBuild, type BuildRequest } from '../build/context.js';
import { planSelftestRequest } from '../selftest/command.js';
import { planCommands, renderPlan } from '../selftest/render-plan.js';

export interface WatchDryRun {
  dryRun: true;
  srcDir: string;
  build: string[];
  /** The selftest of a round (round-1's results directory), or null without scenarios. */
  selftest: ReturnType<typeof planCommands> | null;
  text: string;
}

export async function dryRunWatch(paths: StatePaths, build: BuildRequest, scenarios: string[], kselftests: string | undefined, resultsDir: string, accel: 'auto' | 'kvm' | 'tcg'): Promise<WatchDryRun> {
  const ctx = resolveBuild(paths, { ...build, dryRun: true });
  const b = await dryRunBuild(paths, build, ctx, 'build');
  const lines = [`# watched: ${b.srcDir} (every directory but .git and the build outputs); each save starts a round`, '# round N: build', ...b.commands];
  let selftest: WatchDryRun['selftest'] = null;
  if (scenarios.length || kselftests) {
    const setup = planSelftestRequest(paths, { tree: build.tree, buildDir: b.buildDir, scenario: scenarios, kselftests, accel, results: join(resultsDir, 'round-1'), dryRun: true });
    selftest = planCommands(setup.plan);
    lines.push('', '# round N: then, when the build is good, the scenarios (results in round-N/; shown for round 1)', renderPlan(setup.plan));
  }
  return { dryRun: true, srcDir: b.srcDir, build: b.commands, selftest, text: lines.join('\n') };
}
