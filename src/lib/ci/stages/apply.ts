// SPDX-License-Identifier: GPL-2.0-only
/** The apply stage: the apply service (git am -3 in kseries' worktree), one test case per patch. */
import { applyTree } from '../../apply/apply.js';
import { renderApplyReport } from '../../apply/render.js';
import { prerequisitesText, summaryCounts, type ApplyReport, type PatchResult } from '../../apply/report.js';
import type { TestCase } from '../../report/model.js';
import { Registry } from '../../trees/registry.js';
import type { StageImpl } from '../executor.js';
import { recorded } from '../recording.js';
import { plural, writeLog, type StageDeps } from './deps.js';

function caseOf(p: PatchResult, r: ApplyReport): TestCase {
  const c: TestCase = { name: p.file, classname: `apply.${r.series.base}`, status: 'pass' };
  switch (p.status) {
    case 'conflict': {
      c.status = 'fail';
      const files = r.conflict?.files.filter((f) => f.kind !== 'ok') ?? [];
      c.message = `cannot apply to ${r.target.ref}${r.target.kernel ? ` (Linux ${r.target.kernel})` : ''}: ${files.map((f) => `${f.path} (${f.kind})`).join(', ') || 'conflict'}`;
      c.details = files
        .map((f) => [`${f.path}: ${f.kind}`, ...f.hunks.filter((h) => h.status === 'fails').map((h) => `  hunk ${h.header} does not apply`)].join('\n'))
        .concat(r.conflict?.gitOutput ? ['', r.conflict.gitOutput.trim()] : [])
        .join('\n');
      c.file = r.conflict?.patch.file;
      break;
    }
    case 'pending':
      c.status = 'skip';
      c.message = 'not reached: an earlier patch conflicted';
      break;
    case 'already-upstream':
      // a prerequisite the tree has is satisfied, not skipped
      if (p.prerequisite) {
        c.message = 'prerequisite: in the tree already';
        break;
      }
      c.status = 'skip';
      c.message = `already upstream${p.upstream?.commit ? ` (${p.upstream.commit.slice(0, 12)})` : ''}`;
      break;
    default:
      c.message = p.status === '3way' ? 'applied by 3-way merge' : undefined;
      if (p.prerequisite && p.commit) c.message = `prerequisite: applied (the tree lacked it)${c.message ? `, ${c.message}` : ''}`;
  }
  return c;
}

export function applySummary(r: ApplyReport): string {
  if (r.status === 'conflict' && r.conflict) {
    const files = r.conflict.files.filter((f) => f.kind !== 'ok').map((f) => f.path);
    // numbered as the series numbers its patches (prerequisites apart), as the file names are
    const pre = r.patches.filter((p) => p.prerequisite).length;
    const i = r.conflict.patch.index;
    const which = i <= pre ? `prerequisite ${i}/${pre}` : `patch ${i - pre}/${r.patches.length - pre}`;
    return `cannot apply to ${r.target.ref}: ${which} ${r.conflict.patch.file} conflicts${files.length ? ` in ${files.join(', ')}` : ''}`;
  }
  const c = summaryCounts(r);
  if (r.status === 'already-applied') return `series ${r.series.base} already applied (${r.head?.slice(0, 12)})`;
  const how = [c.clean ? `${c.clean} clean` : '', c['3way'] ? `${c['3way']} by 3-way merge` : '', c['already-upstream'] ? `${c['already-upstream']} already upstream` : '']
    .filter(Boolean)
    .join(', ');
  const own = r.patches.filter((p) => !p.prerequisite).length;
  const pre = prerequisitesText(r);
  return `${plural(own, 'patch', 'patches')} of ${r.series.base} applied on ${r.target.ref}${how ? ` (${how})` : ''}${pre ? `; ${pre}` : ''}`;
}

export const applyStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const tree = new Registry(deps.paths).get(ctx.tree.tree);
    const { value: r, commands } = await recorded(deps.runner, () => applyTree(deps.paths, tree, { patchesRoot: deps.patchesRoot }, { onStep: ctx.output }));
    const log = writeLog(ctx, 'apply.log', `${renderApplyReport(r)}\n${r.conflict?.gitOutput ? `\ngit am said:\n${r.conflict.gitOutput}` : ''}`);
    return {
      results: [
        {
          name: 'apply',
          status: r.status === 'conflict' ? 'fail' : r.status === 'interrupted' ? 'error' : 'pass',
          durationMs: r.durationMs,
          summary: applySummary(r),
          logs: [log],
          command: null,
          commands,
          tests: r.patches.map((p) => caseOf(p, r)),
        },
      ],
      facts: { kernel: tree.kernel.string, base: r.series.base, seriesHead: r.status === 'conflict' ? null : r.head },
    };
  };
