// SPDX-License-Identifier: GPL-2.0-only
/**
 * One build, start to end: plan, execute, list the artifacts, write metadata.json and
 * say what happened (BuildReport). A host problem found in the log (a missing tool or
 * header, the compiler killed) is an infrastructure error, after metadata.json is written.
 * `kseries build`, the warnings delta and the per-commit check all build through here.
 */
import { infraError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { executeBuild, type BuildOutcome } from './executor.js';
import { runStamp } from './layout.js';
import { ledgerWarnings } from './ledger.js';
import type { LogIssue } from './make-log.js';
import { buildMetadata, listArtifacts, sha256File, writeMetadata, type Artifact } from './metadata.js';
import { planBuild, type BuildPlan } from './plan.js';
import { sourceExcerpt, type SourceExcerpt } from './source-excerpt.js';
import type { BuildSpec } from './spec.js';
import type { Toolchain } from './toolchain.js';
import type { ProgressSnapshot } from './compile-progress.js';
import { buildsDelta, distinctWarnings } from './warnings-delta.js';

export interface ReportedWarning {
  tool: LogIssue['tool'];
  rel: string | null;
  line: number | null;
  column: number | null;
  flag: string | null;
  message: string;
  /** How many compilation units printed it (a header warning shows once per includer). */
  count: number;
}

export interface FirstError {
  tool: LogIssue['tool'];
  rel: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
  /** Line of the log where it starts. */
  logLine: number;
  /** The log lines of the error (include chain, notes, the compiler's excerpt). */
  context: string[];
  /** The source lines around it, read from the tree. */
  source: SourceExcerpt | null;
}

export interface BuildReport {
  tree: string;
  srcDir: string;
  buildDir: string;
  arch: string;
  /** The commit built (HEAD of the source directory), when known. */
  commit: string | null;
  command: string;
  status: 'ok' | 'failed';
  makeExitCode: number;
  durationMs: number;
  compiled: number;
  /** Warnings this run printed (distinct). */
  warnings: ReportedWarning[];
  /** Warnings the build has now that it did not have before this run (from the ledger). */
  newWarnings: ReportedWarning[];
  /** All warnings of the build as it stands (the ledger), counted per unit. */
  buildWarnings: number;
  errors: number;
  firstError: FirstError | null;
  artifacts: Artifact[];
  metadata: string;
  log: string;
}

export interface StepInput {
  spec: BuildSpec;
  /** Probed while make runs (a missing compiler was caught before, from PATH): only metadata.json waits for it. */
  toolchain: Toolchain | Promise<Toolchain>;
  commit: string | null;
  baseCommit: string | null;
  series: string | null;
  header?: string[];
  onProgress?: (s: ProgressSnapshot) => void;
  stamp?: string;
}

export const toReported = (w: Omit<ReportedWarning, 'count'> & { count?: number }): ReportedWarning => ({
  tool: w.tool,
  rel: w.rel,
  line: w.line,
  column: w.column,
  flag: w.flag,
  message: w.message,
  count: w.count ?? 1,
});

/** Distinct warnings (one per place), with how many units printed each. */
export const reported = (ws: ReadonlyArray<Omit<ReportedWarning, 'count'>>): ReportedWarning[] => distinctWarnings(ws).map(toReported);

export function firstErrorOf(issue: LogIssue | null): FirstError | null {
  if (!issue) return null;
  return {
    tool: issue.tool,
    rel: issue.rel,
    file: issue.file,
    line: issue.line,
    column: issue.column,
    message: issue.message,
    logLine: issue.logLine,
    context: issue.context,
    source: sourceExcerpt(issue.file, issue.line),
  };
}

export function planStep(i: StepInput): BuildPlan {
  return planBuild(i.spec, i.stamp ?? runStamp());
}

export async function buildStep(runner: Runner, i: StepInput): Promise<{ report: BuildReport; outcome: BuildOutcome; plan: BuildPlan }> {
  const plan = planStep(i);
  const startedAt = new Date().toISOString();
  const outcome = await executeBuild(runner, plan, { header: i.header, onProgress: i.onProgress });
  const { spec } = plan;
  const artifacts = outcome.ok ? listArtifacts(spec.buildDir, plan.imagePath, spec.targets.includes('modules')) : [];
  const all = ledgerWarnings(outcome.ledger);
  const delta = buildsDelta(outcome.ledgerBefore ? ledgerWarnings(outcome.ledgerBefore) : [], all);
  const status = outcome.ok ? 'ok' : 'failed';
  const meta = buildMetadata({
    tree: spec.tree,
    srcDir: spec.srcDir,
    buildDir: spec.buildDir,
    arch: spec.arch.name,
    baseCommit: i.baseCommit,
    head: i.commit,
    series: i.series,
    configSha256: sha256File(plan.layout.config),
    toolchain: await i.toolchain,
    options: { llvm: spec.llvm, ccache: spec.ccache, w1: spec.w1, jobs: spec.jobs, crossCompile: spec.crossCompile, targets: spec.targets },
    command: plan.commandLine,
    status: outcome.hostProblem ? 'error' : status,
    makeExitCode: outcome.makeExitCode,
    startedAt,
    durations: outcome.durations,
    compiled: outcome.log.compiled.length,
    runWarnings: outcome.log.warnings,
    runErrors: outcome.log.errors,
    buildWarnings: all.length,
    firstError: outcome.log.firstError,
    artifacts,
    log: outcome.logPath,
  });
  writeMetadata(plan.layout.metadata, meta);
  if (outcome.hostProblem) {
    const p = outcome.hostProblem;
    throw infraError(`the build of ${spec.tree} failed because of the host: ${p.message}`, p.package ? `Install it: apt-get install ${p.package}` : `See ${outcome.logPath}.`, {
      log: outcome.logPath,
    });
  }
  const report: BuildReport = {
    tree: spec.tree,
    srcDir: spec.srcDir,
    buildDir: spec.buildDir,
    arch: spec.arch.name,
    commit: i.commit,
    command: plan.commandLine,
    status,
    makeExitCode: outcome.makeExitCode,
    durationMs: outcome.durations.totalMs,
    compiled: outcome.log.compiled.length,
    warnings: reported(outcome.log.warnings),
    newWarnings: delta.added.map(toReported),
    buildWarnings: all.length,
    errors: outcome.log.errors.length,
    firstError: outcome.ok ? null : firstErrorOf(outcome.log.firstError),
    artifacts,
    metadata: plan.layout.metadata,
    log: outcome.logPath,
  };
  return { report, outcome, plan };
}
