// SPDX-License-Identifier: GPL-2.0-only
/**
 * Runs a CiPlan: the trees one after the other (one kernel build and one VM at a time),
 * each tree's stages in plan order. A stage whose needs did not all pass is skipped
 * (graph.ts). What a stage does is injected (StageImpls), so tests run the graph on fakes.
 * A stage that throws is recorded — a check error as fail, anything else as error — and
 * the run goes on; Ctrl-C marks the run interrupted, skips the rest and returns, so the
 * caller can still write the reports before exiting 130. Locks a stage keeps (ctx.hold) are
 * released when the tree's stages are done, whatever happened.
 */
import { toKseriesError } from '../errors.js';
import { overallOf, RESULTS_SCHEMA, type PipelineResults, type StageResult, type StageStatus } from '../report/results.js';
import { assertOrdered, blockerOf, skipReason } from './graph.js';
import type { CiPlan, PlannedStage, StageId, TreePlan } from './plan.js';

export interface TreeFacts {
  kernel: string | null;
  base: string | null;
  seriesHead: string | null;
}

export interface StageContext {
  plan: CiPlan;
  tree: TreePlan;
  stage: PlannedStage;
  /** What earlier stages learnt about the tree (kernel version, series base and head). */
  facts: TreeFacts;
  /** One line of progress. */
  output: (line: string) => void;
  /**
   * Keeps a lock (its release) until the tree's last stage has run: the build stage keeps the
   * tree (shared) and the build directory, so that no other run changes the sources or swaps
   * the kernel before the selftests have booted it for the last time.
   */
  hold: (release: () => void) => void;
}

export interface StageRun {
  /** One result per name in stage.results, in that order (missing ones are filled in as errors). */
  results: StageResult[];
  facts?: Partial<TreeFacts>;
}

export type StageImpl = (ctx: StageContext) => Promise<StageRun>;
export type StageImpls = Record<StageId, StageImpl>;

export interface CiHooks {
  stageStart?: (tree: TreePlan, stage: PlannedStage) => void;
  stageOutput?: (tree: TreePlan, stage: PlannedStage, line: string) => void;
  stageEnd?: (tree: TreePlan, stage: PlannedStage, results: StageResult[]) => void;
  treeEnd?: (tree: TreePlan, results: PipelineResults) => void;
}

export interface CiRun {
  startedAt: string;
  finishedAt: string;
  /** One per planned tree, in plan order; stages carry `needs`. */
  trees: PipelineResults[];
  interrupted: boolean;
}

const blank = (stage: PlannedStage, name: string, i: number, status: StageStatus, summary: string, durationMs = 0): StageResult => ({
  name,
  status,
  durationMs,
  summary,
  logs: [],
  command: stage.commands[i] ?? null,
  needs: [...stage.needs],
});

/** Every result of STAGE with one status and summary (skips, errors). */
const all = (stage: PlannedStage, status: StageStatus, summary: string, durationMs = 0) =>
  stage.results.map((name, i) => blank(stage, name, i, status, summary, i === 0 ? durationMs : 0));

/** The results a stage returned, in plan order, with needs and rerun commands filled in. */
function normalise(stage: PlannedStage, run: StageRun, wallMs: number): StageResult[] {
  const single = stage.results.length === 1;
  return stage.results.map((name, i) => {
    const r = run.results.find((x) => x.name === name);
    if (!r) return blank(stage, name, i, 'error', 'internal error: the stage returned no result for it');
    return { ...r, durationMs: single ? wallMs : r.durationMs, command: r.command ?? stage.commands[i] ?? null, needs: [...stage.needs] };
  });
}

/** A thrown error: the first result carries it, the others are skipped behind it. */
function thrown(stage: PlannedStage, err: unknown, wallMs: number): StageResult[] {
  const e = toKseriesError(err);
  const status: StageStatus = e.kind === 'check' ? 'fail' : 'error';
  const msg = `${e.kind === 'interrupted' ? 'interrupted' : e.message}${e.suggestion && e.kind !== 'interrupted' ? ` (${e.suggestion})` : ''}`;
  const details = e.details as { log?: string } | undefined;
  return stage.results.map((name, i) => {
    const r = i === 0 ? blank(stage, name, i, status, msg, wallMs) : blank(stage, name, i, 'skip', `not run: ${stage.results[0]} ${status === 'fail' ? 'failed' : 'could not run'}`);
    if (i === 0 && details?.log) r.logs = [details.log];
    return r;
  });
}

export async function executeCi(plan: CiPlan, impls: StageImpls, hooks: CiHooks = {}, now: () => Date = () => new Date()): Promise<CiRun> {
  const startedAt = now().toISOString();
  const trees: PipelineResults[] = [];
  let interrupted = false;
  let stopAfter: string | null = null;
  for (const t of plan.trees) {
    assertOrdered(t.stages);
    const treeStarted = now().toISOString();
    const facts: TreeFacts = { kernel: null, base: null, seriesHead: null };
    const stages: StageResult[] = [];
    const done = new Map<StageId, StageStatus>();
    const holds: Array<() => void> = [];
    const hold = (release: () => void) => void holds.push(release);
    try {
      for (const stage of t.stages) {
        let results: StageResult[];
        if (interrupted) results = all(stage, 'skip', 'not run: interrupted');
        else if (stopAfter) results = all(stage, 'skip', `not run: tree ${stopAfter} did not pass (--keep-going runs every tree)`);
        else {
          const b = blockerOf(stage, done);
          if (b) results = all(stage, 'skip', skipReason(b));
          else {
            hooks.stageStart?.(t, stage);
            const t0 = Date.now();
            try {
              const run = await impls[stage.id]({ plan, tree: t, stage, facts, output: (l) => hooks.stageOutput?.(t, stage, l), hold });
              Object.assign(facts, run.facts ?? {});
              results = normalise(stage, run, Date.now() - t0);
            } catch (err) {
              if (toKseriesError(err).kind === 'interrupted') interrupted = true;
              results = thrown(stage, err, Date.now() - t0);
            }
          }
        }
        done.set(stage.id, overallOf(results) === 'pass' ? 'pass' : results.some((r) => r.status === 'fail') ? 'fail' : results.some((r) => r.status === 'error') ? 'error' : 'skip');
        stages.push(...results);
        hooks.stageEnd?.(t, stage, results);
      }
    } finally {
      for (const release of holds.reverse()) release();
    }
    const overall = overallOf(stages);
    const r: PipelineResults = {
      schema: RESULTS_SCHEMA,
      tree: t.tree,
      kernel: facts.kernel,
      base: facts.base,
      seriesHead: facts.seriesHead,
      startedAt: treeStarted,
      finishedAt: now().toISOString(),
      stages,
      overall,
    };
    trees.push(r);
    hooks.treeEnd?.(t, r);
    if (!plan.keepGoing && !stopAfter && (overall === 'fail' || overall === 'error')) stopAfter = t.tree;
  }
  return { startedAt, finishedAt: now().toISOString(), trees, interrupted };
}
