// SPDX-License-Identifier: GPL-2.0-only
/** The tree-add stage: registers the default tree on a fresh machine (kseries tree add). */
import { addTree } from '../../trees/import.js';
import type { StageImpl } from '../executor.js';
import { recorded } from '../recording.js';
import type { StageDeps } from './deps.js';
import { writeLog } from './deps.js';

export const treeAddStage =
  (deps: StageDeps): StageImpl =>
  async (ctx) => {
    const src = ctx.tree.register?.source;
    if (!src) throw new Error(`tree ${ctx.tree.tree} has no source to register it from`);
    const { value: rec, commands } = await recorded(deps.runner, (runner) => addTree(runner, deps.paths, { name: ctx.tree.tree, source: src, onStep: ctx.output }));
    const summary = `Linux ${rec.kernel.string} from ${src}${rec.debianVersion ? ` (Debian ${rec.debianVersion})` : ''} at ${rec.commit.slice(0, 12)}`;
    const log = writeLog(ctx, 'tree-add.log', `${summary}\nrepository: ${rec.repo}\ntags: ${rec.tags.join(', ') || '-'}\n\n${commands.join('\n')}\n`);
    return {
      results: [{ name: 'tree-add', status: 'pass', durationMs: 0, summary, logs: [log], command: null, commands }],
      facts: { kernel: rec.kernel.string },
    };
  };
