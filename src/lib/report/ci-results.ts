// SPDX-License-Identifier: GPL-2.0-only
/**
 * The top-level results.json of a `kseries ci` run over several trees (SCHEMA.md, "A ci
 * run"): the trees, every stage of every tree (with its tree, paths relative to the top
 * directory), the overall status and the exit code. Each tree also has its own results.json
 * (PipelineResults) in its directory; treeResultsOf() gives those back from this document.
 */
import { usageError } from '../errors.js';
import { exitCodeOf, overallOfTrees } from '../ci/exit.js';
import { parseStage, RESULTS_SCHEMA, STAGE_STATUSES, type PipelineResults, type StageResult, type StageStatus } from './results.js';

export interface CiTree {
  tree: string;
  kernel: string | null;
  base: string | null;
  seriesHead: string | null;
  startedAt: string;
  finishedAt: string;
  overall: StageStatus;
  /** The tree's directory, relative to the top results.json ("k61"); its own results.json is there. */
  dir: string;
}

export type CiStage = StageResult & { tree: string };

/** How the run was started: what commands.sh needs to reproduce it. */
export interface CiInvocation {
  /** kseries' arguments ("ci", "--tree", "k61", ...). */
  argv: string[];
  cwd: string;
  /** The state and cache directories (KSERIES_HOME, KSERIES_CACHE). */
  stateDir: string;
  cacheDir: string;
}

export interface CiResults {
  schema: typeof RESULTS_SCHEMA;
  run: 'ci';
  startedAt: string;
  finishedAt: string;
  trees: CiTree[];
  stages: CiStage[];
  overall: StageStatus;
  /** 1 when anything failed, else 3 when something could not run, else 0. */
  exitCode: number;
  /** True when Ctrl-C stopped the run (the process exits 130). */
  interrupted: boolean;
  invocation: CiInvocation | null;
}

const prefix = (dir: string, p: string) => (p.startsWith('/') ? p : `${dir}/${p}`);
const unprefix = (dir: string, p: string) => (p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : p);

export function toCiResults(
  trees: readonly PipelineResults[],
  o: { startedAt: string; finishedAt: string; interrupted: boolean; invocation?: CiInvocation | null },
): CiResults {
  const overall = overallOfTrees(trees);
  return {
    schema: RESULTS_SCHEMA,
    run: 'ci',
    startedAt: o.startedAt,
    finishedAt: o.finishedAt,
    trees: trees.map((t) => ({
      tree: t.tree,
      kernel: t.kernel,
      base: t.base,
      seriesHead: t.seriesHead,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
      overall: t.overall,
      dir: t.tree,
    })),
    stages: trees.flatMap((t) =>
      t.stages.map((s) => ({ tree: t.tree, ...s, logs: s.logs.map((l) => prefix(t.tree, l)), junit: s.junit ? prefix(t.tree, s.junit) : null })),
    ),
    overall,
    exitCode: exitCodeOf(overall),
    interrupted: o.interrupted,
    invocation: o.invocation ?? null,
  };
}

/** Each tree's own results.json, from the top-level document. */
export function treeResultsOf(ci: CiResults): PipelineResults[] {
  return ci.trees.map((t) => ({
    schema: RESULTS_SCHEMA,
    tree: t.tree,
    kernel: t.kernel,
    base: t.base,
    seriesHead: t.seriesHead,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    stages: ci.stages
      .filter((s) => s.tree === t.tree)
      .map(({ tree: _tree, ...s }) => ({ ...s, logs: s.logs.map((l) => unprefix(t.dir, l)), junit: s.junit ? unprefix(t.dir, s.junit) : s.junit })),
    overall: t.overall,
  }));
}

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw usageError(`results.json: ${where} ${what}`, `See src/lib/report/SCHEMA.md for the format (${RESULTS_SCHEMA}, a ci run).`);
}
const str = (o: Obj, k: string, where: string): string => (typeof o[k] === 'string' ? (o[k] as string) : fail(`${where}.${k}`, 'must be a string'));
const strOrNull = (o: Obj, k: string, where: string): string | null => (o[k] === undefined || o[k] === null ? null : str(o, k, where));
const status = (o: Obj, k: string, where: string): StageStatus =>
  STAGE_STATUSES.includes(o[k] as StageStatus) ? (o[k] as StageStatus) : fail(`${where}.${k}`, `must be one of ${STAGE_STATUSES.join(', ')}`);
const obj = (v: unknown, where: string): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : fail(where, 'must be an object'));

/** True for the top-level document of a ci run (it has `trees`), false for one tree's. */
export const isCiResults = (v: unknown): boolean => !!v && typeof v === 'object' && Array.isArray((v as Obj).trees);

/** Validates a parsed top-level results.json of a ci run; names the first wrong field. */
export function parseCiResults(v: unknown): CiResults {
  const o = obj(v, 'the document');
  if (o.schema !== RESULTS_SCHEMA) fail('schema', `must be "${RESULTS_SCHEMA}"`);
  if (o.run !== 'ci') fail('run', 'must be "ci"');
  if (!Array.isArray(o.trees)) fail('trees', 'must be a list');
  if (!Array.isArray(o.stages)) fail('stages', 'must be a list');
  const trees = (o.trees as unknown[]).map((t, i): CiTree => {
    const w = `trees[${i}]`;
    const x = obj(t, w);
    return {
      tree: str(x, 'tree', w),
      kernel: strOrNull(x, 'kernel', w),
      base: strOrNull(x, 'base', w),
      seriesHead: strOrNull(x, 'seriesHead', w),
      startedAt: str(x, 'startedAt', w),
      finishedAt: str(x, 'finishedAt', w),
      overall: status(x, 'overall', w),
      dir: str(x, 'dir', w),
    };
  });
  const names = new Set(trees.map((t) => t.tree));
  const stages = (o.stages as unknown[]).map((s, i): CiStage => {
    const w = `stages[${i}]`;
    const tree = str(obj(s, w), 'tree', w);
    if (!names.has(tree)) fail(`${w}.tree`, `names no tree of trees[] ("${tree}")`);
    return { tree, ...parseStage(s, w) };
  });
  const overall = o.overall === undefined ? overallOfTrees([{ stages }]) : status(o, 'overall', '$');
  return {
    schema: RESULTS_SCHEMA,
    run: 'ci',
    startedAt: str(o, 'startedAt', '$'),
    finishedAt: str(o, 'finishedAt', '$'),
    trees,
    stages,
    overall,
    exitCode: typeof o.exitCode === 'number' ? o.exitCode : exitCodeOf(overall),
    interrupted: o.interrupted === true,
    invocation: parseInvocation(o.invocation),
  };
}

function parseInvocation(v: unknown): CiInvocation | null {
  if (v === undefined || v === null) return null;
  const o = obj(v, 'invocation');
  if (!Array.isArray(o.argv) || o.argv.some((a) => typeof a !== 'string')) fail('invocation.argv', 'must be a list of strings');
  return { argv: o.argv as string[], cwd: str(o, 'cwd', 'invocation'), stateDir: str(o, 'stateDir', 'invocation'), cacheDir: str(o, 'cacheDir', 'invocation') };
}
