// SPDX-License-Identifier: GPL-2.0-only
/**
 * results.json: what one pipeline run did, stage by stage (documented in SCHEMA.md).
 * Read back with parseResults(), which names the first field that is wrong.
 */
import { usageError } from '../errors.js';

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

/** error beats fail beats pass; skipped stages do not count; no stage at all is skip. */
export function overallOf(stages: readonly Pick<StageResult, 'status'>[]): StageStatus {
  if (stages.some((s) => s.status === 'error')) return 'error';
  if (stages.some((s) => s.status === 'fail')) return 'fail';
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

function parseStage(v: unknown, where: string): StageResult {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be an object');
  const o = v as Obj;
  if (typeof o.durationMs !== 'number' || !Number.isFinite(o.durationMs) || o.durationMs < 0) fail(`${where}.durationMs`, 'must be a number of milliseconds');
  const logs = o.logs ?? [];
  if (!Array.isArray(logs) || logs.some((l) => typeof l !== 'string')) fail(`${where}.logs`, 'must be a list of paths');
  return {
    name: str(o, 'name', where),
    status: status(o, 'status', where),
    durationMs: o.durationMs as number,
    summary: typeof o.summary === 'string' ? o.summary : '',
    logs: logs as string[],
    command: strOrNull(o, 'command', where),
    junit: strOrNull(o, 'junit', where),
  };
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
