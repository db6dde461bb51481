// SPDX-License-Identifier: GPL-2.0-only
/**
 * results.json: what one pipeline run did, stage by stage (documented in SCHEMA.md).
 * Read back with parseResults(), which names the first field that is wrong.
 */
import { usageError } from '../errors.js';
import type { CaseStatus, TestCase } from './model.js';

export const RESULTS_SCHEMA = 'kseries-results/1';

export type StageStatus = 'pass' | 'fail' | 'skip' | 'error';
export const STAGE_STATUSES: readonly StageStatus[] = ['pass', 'fail', 'skip', 'error'];

export interface StageResult {
  /** "apply", "kconfig", "build", "checkpatch", "selftest", ... */
  name: string;
  status: StageStatus;
  durationMs: number;
  /** One line for people: "3 patches applied", "2 errors in 0002-foo.patch". */
  summary: string;
  /** Log files, relative to the results.json's directory (or absolute). */
  logs: string[];
  /** The command that reproduces the stage, shell-quoted; null when there is none. */
  command: string | null;
  /** A JUnit file the stage wrote, relative like logs. */
  junit?: string | null;
  /** The stages this one needs (`kseries ci`): when one of them did not pass, this one is skipped. */
  needs?: string[];
  /** Every command line the stage ran, in order (git, make, perl, qemu, ...), shell-quoted. */
  commands?: string[];
  /** The stage's test cases (a patch, a Kconfig symbol, a build error, a kselftest): JUnit is written from them. */
  tests?: TestCase[];
}

export interface PipelineResults {
  schema: typeof RESULTS_SCHEMA;
  /** The registered tree's name. */
  tree: string;
  /** The kernel version of the tree ("6.1.192"), when known. */
  kernel: string | null;
  /** The series base applied ("v6.1"), null when none was. */
  base: string | null;
  /** The commit at the top of the applied series, null when nothing was applied. */
  seriesHead: string | null;
  startedAt: string;
  finishedAt: string;
  stages: StageResult[];
  overall: StageStatus;
}

/**
 * fail beats error beats pass: a definite failure (a conflict, a build error, a failing test,
 * a panic) is never masked by an infrastructure problem elsewhere. Skipped stages do not
 * count; no stage at all is skip.
 */
export function overallOf(stages: readonly Pick<StageResult, 'status'>[]): StageStatus {
  if (stages.some((s) => s.status === 'fail')) return 'fail';
  if (stages.some((s) => s.status === 'error')) return 'error';
  if (stages.some((s) => s.status === 'pass')) return 'pass';
  return 'skip';
}

type Obj = Record<string, unknown>;

function fail(where: string, what: string): never {
  throw usageError(`results.json: ${where} ${what}`, `See src/lib/report/SCHEMA.md for the format (${RESULTS_SCHEMA}).`);
}

const str = (o: Obj, k: string, where: string): string => {
  if (typeof o[k] !== 'string') fail(`${where}.${k}`, 'must be a string');
  return o[k] as string;
};
const strOrNull = (o: Obj, k: string, where: string): string | null => {
  if (o[k] === undefined || o[k] === null) return null;
  return str(o, k, where);
};
const status = (o: Obj, k: string, where: string): StageStatus => {
  const v = o[k];
  if (!STAGE_STATUSES.includes(v as StageStatus)) fail(`${where}.${k}`, `must be one of ${STAGE_STATUSES.join(', ')}`);
  return v as StageStatus;
};

const strings = (o: Obj, k: string, where: string, what: string): string[] | undefined => {
  const v = o[k];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((l) => typeof l !== 'string')) fail(`${where}.${k}`, `must be a list of ${what}`);
  return v as string[];
};

function parseCase(v: unknown, where: string): TestCase {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be an object');
  const o = v as Obj;
  const st = o.status;
  if (!STAGE_STATUSES.includes(st as StageStatus)) fail(`${where}.status`, `must be one of ${STAGE_STATUSES.join(', ')}`);
  const c: TestCase = { name: str(o, 'name', where), status: st as CaseStatus };
  for (const k of ['classname', 'message', 'details', 'output', 'file'] as const) if (o[k] !== undefined) c[k] = str(o, k, where);
  for (const k of ['durationMs', 'line'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'number') fail(`${where}.${k}`, 'must be a number');
    c[k] = o[k] as number;
  }
  return c;
}

/** One stage; `where` names it in errors ("stages[2]"). */
export function parseStage(v: unknown, where: string): StageResult {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be an object');
  const o = v as Obj;
  if (typeof o.durationMs !== 'number' || !Number.isFinite(o.durationMs) || o.durationMs < 0) fail(`${where}.durationMs`, 'must be a number of milliseconds');
  const logs = o.logs ?? [];
  if (!Array.isArray(logs) || logs.some((l) => typeof l !== 'string')) fail(`${where}.logs`, 'must be a list of paths');
  const stage: StageResult = {
    name: str(o, 'name', where),
    status: status(o, 'status', where),
    durationMs: o.durationMs as number,
    summary: typeof o.summary === 'string' ? o.summary : '',
    logs: logs as string[],
    command: strOrNull(o, 'command', where),
    junit: strOrNull(o, 'junit', where),
  };
  const needs = strings(o, 'needs', where, 'stage names');
  if (needs) stage.needs = needs;
  const commands = strings(o, 'commands', where, 'command lines');
  if (commands) stage.commands = commands;
  if (o.tests !== undefined) {
    if (!Array.isArray(o.tests)) fail(`${where}.tests`, 'must be a list');
    stage.tests = (o.tests as unknown[]).map((t, i) => parseCase(t, `${where}.tests[${i}]`));
  }
  return stage;
}

/** Validates a parsed results.json. */
export function parseResults(v: unknown): PipelineResults {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail('the document', 'must be a JSON object');
  const o = v as Obj;
  if (o.schema !== RESULTS_SCHEMA) fail('schema', `must be "${RESULTS_SCHEMA}"`);
  if (!Array.isArray(o.stages)) fail('stages', 'must be a list');
  const stages = (o.stages as unknown[]).map((s, i) => parseStage(s, `stages[${i}]`));
  return {
    schema: RESULTS_SCHEMA,
    tree: str(o, 'tree', '$'),
    kernel: strOrNull(o, 'kernel', '$'),
    base: strOrNull(o, 'base', '$'),
    seriesHead: strOrNull(o, 'seriesHead', '$'),
    startedAt: str(o, 'startedAt', '$'),
    finishedAt: str(o, 'finishedAt', '$'),
    stages,
    overall: o.overall === undefined ? overallOf(stages) : status(o, 'overall', '$'),
  };
}
