// SPDX-License-Identifier: GPL-2.0-only
/**
 * Planning `kseries ci` (pure): for each tree, the stage graph — which stages run, what each
 * one needs, and the kseries command that reruns it alone — and where its results go.
 * The executor (executor.ts) runs the plan; --dry-run prints it.
 *
 *   tree-add (only for the default tree on a fresh machine)
 *     └─ apply ─┬─ kconfig ── build ── selftest (one result per scenario)
 *               └─ checkpatch   (needs only the tree and the patches: runs when the build fails)
 */
import { join } from 'node:path';
import { commandLine } from '../exec/shell-quote.js';

export type StageId = 'tree-add' | 'apply' | 'kconfig' | 'build' | 'checkpatch' | 'selftest';

/** The series' scenarios first, then the baseline and the generic kselftest one. */
export const DEFAULT_SCENARIOS = ['kmem-persist-suite', 'kmem-persist-blk', 'kmem-persist-fs', 'kmem-persist-pressure', 'kmem-persist-exclusive', 'kmem-persist-volatile', 'kmem-persist-flush', 'kmem-persist-memmap', 'kmem-persist-subdevices', 'pmem-persistence', 'kselftest'] as const;

export const KSELFTEST_SCENARIO = 'kselftest';

export interface CiOptions {
  /** --patches (the directory holding vX.Y/), null for the default. */
  patches: string | null;
  scenarios: string[];
  /** kselftest TARGETS the kselftest scenario runs. */
  kselftests: string[];
  kconfig: { base: string; platform: string; persist: string[]; selftests: string[] };
  jobs: number | null;
  /** ccache on or off, as resolved (resolveCcache): the build command says --ccache or --no-ccache either way. */
  ccache: boolean;
  accel: 'auto' | 'kvm' | 'tcg';
}

export interface TreeInput {
  name: string;
  /** Register the tree first (the default tree on a fresh machine). */
  register: { source: string } | null;
}

export interface PlannedStage {
  id: StageId;
  title: string;
  /** Stages that must pass first; when one does not, this one is skipped. */
  needs: StageId[];
  /** The names of the results it produces: its id, or one per scenario ("selftest:pmem-persistence"). */
  results: string[];
  /** The kseries command(s) that rerun it alone, shell-quoted (one per result). */
  commands: string[];
}

export interface TreePlan {
  tree: string;
  /** Registered by the tree-add stage, from this source. */
  register: { source: string } | null;
  /** The tree's results directory: RESULTS/<tree>. */
  dir: string;
  stages: PlannedStage[];
}

export interface CiPlan {
  resultsDir: string;
  /** Run every tree even after one failed. */
  keepGoing: boolean;
  options: CiOptions;
  trees: TreePlan[];
}

export interface PlanInput {
  trees: TreeInput[];
  resultsDir: string;
  keepGoing: boolean;
  options: CiOptions;
}

/** The scenarios of a default run: DEFAULT_SCENARIOS that exist, then any others, alphabetically. */
export function defaultScenarios(available: readonly string[]): string[] {
  const known = DEFAULT_SCENARIOS.filter((s) => available.includes(s));
  return [...known, ...[...available].filter((s) => !(DEFAULT_SCENARIOS as readonly string[]).includes(s)).sort()];
}

const ks = (...args: string[]) => commandLine('kseries', args);

export const selftestResultName = (scenario: string) => `selftest:${scenario}`;

function treeStages(t: TreeInput, o: CiOptions): PlannedStage[] {
  const patches = o.patches ? ['--patches', o.patches] : [];
  const stages: PlannedStage[] = [];
  if (t.register) {
    stages.push({
      id: 'tree-add',
      title: `register ${t.name} from ${t.register.source}`,
      needs: [],
      results: ['tree-add'],
      commands: [ks('tree', 'add', t.name, '--source', t.register.source)],
    });
  }
  const root: StageId[] = t.register ? ['tree-add'] : [];
  stages.push({ id: 'apply', title: 'apply the series', needs: root, results: ['apply'], commands: [ks('apply', '--tree', t.name, ...patches)] });
  const k = o.kconfig;
  stages.push({
    id: 'kconfig',
    title: `configure (${k.base} + fragments) and verify`,
    needs: ['apply'],
    results: ['kconfig'],
    commands: [
      ks(
        'kconfig', 'apply', '--tree', t.name, '--base', k.base, '--platform', k.platform,
        ...(k.persist.length ? ['--persist', k.persist.join(',')] : []),
        ...(k.selftests.length ? ['--selftests', k.selftests.join(',')] : []),
      ),
    ],
  });
  stages.push({
    id: 'build',
    title: 'build bzImage and modules',
    needs: ['kconfig'],
    results: ['build'],
    commands: [ks('build', '--tree', t.name, o.ccache ? '--ccache' : '--no-ccache', ...(o.jobs ? ['--jobs', String(o.jobs)] : []))],
  });
  stages.push({ id: 'checkpatch', title: 'checkpatch every patch', needs: ['apply'], results: ['checkpatch'], commands: [ks('checkpatch', '--tree', t.name, ...patches)] });
  if (o.scenarios.length) {
    stages.push({
      id: 'selftest',
      title: `boot and test: ${o.scenarios.join(', ')}`,
      needs: ['build'],
      results: o.scenarios.map(selftestResultName),
      commands: o.scenarios.map((s) =>
        ks(
          'selftest', '--tree', t.name, '--scenario', s,
          ...(s === KSELFTEST_SCENARIO && o.kselftests.length ? ['--kselftests', o.kselftests.join(',')] : []),
          ...(o.accel !== 'auto' ? ['--accel', o.accel] : []),
        ),
      ),
    });
  }
  return stages;
}

export function planCi(i: PlanInput): CiPlan {
  return {
    resultsDir: i.resultsDir,
    keepGoing: i.keepGoing,
    options: i.options,
    trees: i.trees.map((t) => ({ tree: t.name, register: t.register, dir: join(i.resultsDir, t.name), stages: treeStages(t, i.options) })),
  };
}

/** The plan as text: per tree, each stage with what it needs and the command that reruns it. */
export function renderCiPlan(p: CiPlan): string {
  const out = [`results: ${p.resultsDir}`, `trees: ${p.trees.map((t) => t.tree).join(', ')}${p.trees.length > 1 ? (p.keepGoing ? ' (every tree runs)' : ' (stops after the first tree that does not pass; --keep-going runs all)') : ''}`];
  for (const t of p.trees) {
    out.push('', `tree ${t.tree} → ${t.dir}`);
    for (const s of t.stages) {
      out.push(`  ${s.id}: ${s.title}${s.needs.length ? ` (needs ${s.needs.join(', ')})` : ''}`);
      for (const c of s.commands) out.push(`    $ ${c}`);
    }
  }
  return out.join('\n');
}
