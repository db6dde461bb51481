// SPDX-License-Identifier: GPL-2.0-only
/**
 * Progress of a ci run. On a terminal: a listr2 task tree (a task per tree, a subtask per
 * stage) that follows the executor's hooks — the executor decides what runs, listr2 only
 * draws it. Elsewhere (CI logs): one line per stage as it starts and ends, on stderr.
 */
import type { ListrTask } from 'listr2';
import { runTasks } from '../cli/progress.js';
import type { StageResult } from '../report/results.js';
import { overallOf } from '../report/results.js';
import { formatDuration } from '../report/summary.js';
import type { CiHooks } from './executor.js';
import type { CiPlan, PlannedStage, TreePlan } from './plan.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const key = (t: TreePlan, s: PlannedStage) => `${t.tree}\u0000${s.id}`;
const line = (results: StageResult[]) => {
  const st = overallOf(results);
  const first = results.find((r) => r.status === st) ?? results[0];
  const head = `${st.toUpperCase()} in ${formatDuration(results.reduce((a, r) => a + r.durationMs, 0))}: `;
  if (results.length <= 1) return `${head}${first?.summary ?? ''}`;
  // a stage of several results (the selftest scenarios): how many of each, and the worst one's words
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const tally = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  return `${head}${results.length} parts: ${tally}${st === 'pass' ? '' : `; ${first.name}: ${first.summary}`}`;
};

/**
 * Plain lines for logs that are not a terminal: each stage's start and end, every line of
 * the selftest stage (boots and their verdicts), and at most one progress line a minute
 * of the others (a kernel build prints one per object).
 */
export function lineHooks(write: (s: string) => void, everyMs = 60_000, now: () => number = Date.now): CiHooks {
  const last = new Map<string, number>();
  return {
    stageStart: (t, s) => {
      last.set(`${t.tree}\u0000${s.id}`, now());
      write(`[${t.tree}] ${s.id}: ${s.title}\n`);
    },
    stageOutput: (t, s, l) => {
      const k = `${t.tree}\u0000${s.id}`;
      if (s.id !== 'selftest' && now() - (last.get(k) ?? 0) < everyMs) return;
      last.set(k, now());
      write(`[${t.tree}] ${s.id}: ${l}\n`);
    },
    stageEnd: (t, s, results) => write(`[${t.tree}] ${s.id}: ${line(results)}\n`),
  };
}

/** A listr2 tree driven by the executor's hooks; `done` settles when the drawing ends. */
export function listrHooks(plan: CiPlan): { hooks: CiHooks; done: Promise<unknown>; finish: () => void } {
  const ends = new Map<string, Deferred<StageResult[]>>();
  const outputs = new Map<string, (l: string) => void>();
  for (const t of plan.trees) for (const s of t.stages) ends.set(key(t, s), deferred());
  const stageTask = (t: TreePlan, s: PlannedStage): ListrTask => ({
    title: `${s.id}: ${s.title}`,
    task: async (_ctx, task) => {
      outputs.set(key(t, s), (l) => (task.output = l));
      const results = await ends.get(key(t, s))!.promise;
      const st = overallOf(results);
      if (st === 'skip') task.skip(`${s.id}: ${results[0]?.summary ?? 'skipped'}`);
      else if (st === 'pass') task.title = `${s.id}: ${line(results)}`;
      else throw new Error(`${s.id}: ${line(results)}`);
    },
  });
  const tasks: ListrTask[] = plan.trees.map((t) => ({
    title: `tree ${t.tree}`,
    task: (_ctx, task) => task.newListr(t.stages.map((s) => stageTask(t, s)), { concurrent: false, exitOnError: false }),
  }));
  const done = runTasks(tasks, { quiet: false, exitOnError: false }).catch(() => undefined);
  return {
    hooks: {
      stageOutput: (t, s, l) => outputs.get(key(t, s))?.(l),
      stageEnd: (t, s, results) => ends.get(key(t, s))?.resolve(results),
    },
    done,
    // stages never reached (interrupted) end as skipped, so the drawing can finish
    finish: () => {
      for (const d of ends.values()) d.resolve([{ name: '', status: 'skip', durationMs: 0, summary: 'not run', logs: [], command: null }]);
    },
  };
}
