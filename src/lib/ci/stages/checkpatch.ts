// SPDX-License-Identifier: GPL-2.0-only
/**
 * The checkpatch stage: the tree's scripts/checkpatch.pl on each patch of the series that
 * was applied, run in the applied worktree. It needs only the tree and the patches, so it
 * runs when the build fails. One test case per patch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { issueCounts } from '../../checkpatch/parser.js';
import { checkPatches, exceeds, type CheckpatchRun } from '../../checkpatch/run.js';
import { seriesPatchFiles } from '../../checkpatch/series-patches.js';
import { usageError } from '../../errors.js';
import { checkpatchToReport, countsText } from '../../report/from-checkpatch.js';
import { resolveSeries } from '../../series/choose.js';
import { Registry } from '../../trees/registry.js';
import { sourceDirFor } from '../../workspace.js';
import type { StageImpl } from '../executor.js';
import { recorded } from '../recording.js';
import { plural, writeLog, type StageDeps } from './deps.js';

export function checkpatchSummary(run: CheckpatchRun): string {
  const bad = run.patches.filter((p) => exceeds(p.report, run.failOn));
  if (bad.length) return `${bad.length} of ${plural(run.patches.length, 'patch', 'patches')}: ${bad.map((p) => `${p.file} (${countsText(issueCounts(p.report))})`).join('; ')}`;
  return `${plural(run.patches.length, 'patch', 'patches')}: ${countsText(run.totals)}`;
}

export const checkpatchStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const tree = new Registry(deps.paths).get(ctx.tree.tree);
    const { srcDir } = sourceDirFor(deps.paths, tree);
    if (!existsSync(srcDir)) throw usageError(`the source of tree ${tree.name} is not checked out at ${srcDir}`);
    const choice = resolveSeries(deps.patchesRoot, tree.kernel, ctx.facts.base ?? undefined);
    const patches = seriesPatchFiles(choice.dir);
    const { value: run, commands } = await recorded(deps.runner, (runner) =>
      checkPatches(runner, patches, {
        script: join(srcDir, 'scripts', 'checkpatch.pl'),
        cwd: srcDir,
        strict: false,
        failOn: 'warning',
        onPatch: (file, i, n) => ctx.output(`[${i + 1}/${n}] ${file}`),
      }),
    );
    const log = writeLog(ctx, 'checkpatch.log', run.patches.map((p) => `=== ${p.file}\n$ ${p.command}\n${p.output.trimEnd()}\n`).join('\n'));
    const tests = checkpatchToReport(run, `checkpatch.${choice.base}`).suites[0].cases.map(({ output: _output, file: _file, ...c }) => c);
    return {
      results: [{ name: 'checkpatch', status: run.failed ? 'fail' : 'pass', durationMs: 0, summary: checkpatchSummary(run), logs: [log], command: null, commands, tests }],
    };
  };
