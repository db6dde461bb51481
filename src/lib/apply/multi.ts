// SPDX-License-Identifier: GPL-2.0-only
/**
 * Applying to several trees at once. Trees whose repositories share one object store (the
 * same repository, or worktrees of it) run one after the other, since git serialises
 * worktree and ref updates there; different repositories run side by side.
 */
import type { ListrTask } from 'listr2';
import { runTasks } from '../cli/progress.js';
import { toKseriesError, type KseriesError } from '../errors.js';
import { inOwnLockTask } from '../lock/locks.js';
import { Git } from '../git/git.js';
import type { TreeRecord } from '../trees/registry.js';

/** Groups items by key, keeping the first-seen order of keys and items. Pure. */
export function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(t);
  }
  return [...m.values()];
}

export async function objectStoreOf(tree: TreeRecord): Promise<string> {
  const r = await new Git(tree.repo).run(['rev-parse', '--path-format=absolute', '--git-common-dir']);
  return r.exitCode === 0 ? r.stdout.trim() : tree.repo;
}

export interface TreeOutcome<R> {
  tree: string;
  result?: R;
  error?: KseriesError;
}

/** Runs fn for every tree with listr2 progress: same-store trees in sequence, stores in parallel (2 at a time). */
export async function runPerTree<R>(
  trees: TreeRecord[],
  fn: (tree: TreeRecord, onStep: (m: string) => void) => Promise<R>,
  opts: { quiet: boolean; title: (t: TreeRecord) => string; done: (t: TreeRecord, r: R) => string },
): Promise<Array<TreeOutcome<R>>> {
  const stores = await Promise.all(trees.map(objectStoreOf));
  const groups = groupBy(
    trees.map((t, i) => ({ t, store: stores[i] })),
    (x) => x.store,
  );
  const outcomes = new Map<string, TreeOutcome<R>>();
  const tasks: ListrTask[] = groups.map((g) => ({
    title: g.map((x) => x.t.name).join(', '),
    task: async (_ctx, task) => {
      for (const { t } of g) {
        task.title = opts.title(t);
        try {
          const r = await inOwnLockTask(() => fn(t, (m) => (task.output = m)));
          outcomes.set(t.name, { tree: t.name, result: r });
          task.title = opts.done(t, r);
        } catch (err) {
          const e = toKseriesError(err);
          if (e.kind === 'interrupted') throw e;
          outcomes.set(t.name, { tree: t.name, error: e });
          task.title = `${t.name}: ${e.message}`;
        }
      }
    },
  }));
  await runTasks(tasks, { quiet: opts.quiet, concurrent: groups.length > 1 ? 2 : false, exitOnError: true });
  return trees.map((t) => outcomes.get(t.name) ?? { tree: t.name });
}

export interface TreeError {
  tree: string;
  kind: KseriesError['kind'];
  message: string;
  suggestion: string | null;
}

/** The reports and errors of a run over several trees, and its verdict: infra when a tree had one, fail on any other error or a conflict. */
export function summarizeOutcomes<R extends { status: string }>(outcomes: Array<TreeOutcome<R>>): { reports: R[]; errors: TreeError[]; verdict: 'ok' | 'fail' | 'infra' } {
  const reports = outcomes.filter((o) => o.result).map((o) => o.result!);
  const errors = outcomes.filter((o) => o.error).map((o) => ({ tree: o.tree, kind: o.error!.kind, message: o.error!.message, suggestion: o.error!.suggestion ?? null }));
  const verdict = errors.some((e) => e.kind === 'infra') ? 'infra' : errors.length || reports.some((r) => r.status === 'conflict') ? 'fail' : 'ok';
  return { reports, errors, verdict };
}
