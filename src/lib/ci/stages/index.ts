// SPDX-License-Identifier: GPL-2.0-only
/** The real stages, each calling the service its own command calls. Tests replace them. */
import type { StageImpls } from '../executor.js';
import { applyStage } from './apply.js';
import { buildStage } from './build.js';
import { checkpatchStage } from './checkpatch.js';
import type { StageDeps } from './deps.js';
import { kconfigStage } from './kconfig.js';
import { selftestStage } from './selftest.js';
import { treeAddStage } from './tree-add.js';

export function defaultStages(deps: StageDeps): StageImpls {
  return {
    'tree-add': treeAddStage(deps),
    apply: applyStage(deps),
    kconfig: kconfigStage(deps),
    build: buildStage(deps),
    checkpatch: checkpatchStage(deps),
    selftest: selftestStage(deps),
  };
}
