// SPDX-License-Identifier: GPL-2.0-only
/** What `kseries build` prints for people: the build, the first error with its context, the per-commit table and the delta. */
import type { EachCommitReport } from './each-commit.js';
import type { DeltaReport } from './delta.js';
import { renderExcerpt } from './source-excerpt.js';
import type { BuildReport, FirstError, ReportedWarning } from './step.js';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const short = (c: string | null) => (c ? c.slice(0, 12) : '-');

export function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}

export function renderWarning(w: ReportedWarning): string {
  const place = [w.rel ?? '?', w.line, w.column].filter((x) => x !== null).join(':');
  const flag = w.flag && w.flag !== 'kernel-doc' && w.flag !== 'objtool' && w.flag !== 'modpost' ? ` [${w.flag}]` : '';
  const tool = w.tool === 'compiler' ? '' : `${w.tool}: `;
  return `${place}: warning: ${tool}${w.message}${flag}${w.count > 1 ? ` (in ${w.count} units)` : ''}`;
}

export function renderFirstError(e: FirstError, log: string, indent = '  '): string {
  const place = [e.rel ?? e.file, e.line, e.column].filter((x) => x !== null && x !== undefined).join(':');
  const out = [`${indent}${place ? `${place}: ` : ''}${e.tool === 'compiler' ? 'error' : `${e.tool} error`}: ${e.message}`];
  const ctx = e.context.filter((l) => l.trim());
  if (ctx.length > 1) out.push(...ctx.slice(0, 30).map((l) => `${indent}  | ${l}`));
  if (e.source) out.push(`${indent}source:`, renderExcerpt(e.source, `${indent}  `));
  out.push(`${indent}log: ${log}:${e.logLine}`);
  return out.join('\n');
}

export function renderArtifacts(r: BuildReport): string[] {
  const modules = r.artifacts.filter((a) => a.kind === 'module');
  const lines = r.artifacts.filter((a) => a.kind !== 'module').map((a) => `  ${a.path}  ${bytes(a.bytes)}`);
  if (modules.length) lines.push(`  ${modules.length} module${modules.length > 1 ? 's' : ''} (${bytes(modules.reduce((s, m) => s + m.bytes, 0))}): ${modules.slice(0, 5).map((m) => m.path).join(', ')}${modules.length > 5 ? ', …' : ''}`);
  return lines;
}

export function renderBuild(r: BuildReport): string {
  const out: string[] = [];
  if (r.status === 'ok') {
    out.push(`built ${r.tree} (${r.arch}) in ${secs(r.durationMs)}: ${r.compiled} object${r.compiled === 1 ? '' : 's'} compiled, ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'} (${r.buildWarnings} in the whole build)`);
    out.push(...renderArtifacts(r));
  } else {
    out.push(`FAILED: ${r.tree} (${r.arch}${r.commit ? ` at ${short(r.commit)}` : ''}) does not build (make exit ${r.makeExitCode}, ${r.errors} error${r.errors === 1 ? '' : 's'}); the first:`);
    out.push(r.firstError ? renderFirstError(r.firstError, r.log) : `  (no error message recognised: see ${r.log})`);
  }
  if (r.newWarnings.length) out.push(`new warnings since the previous build (${r.newWarnings.length}):`, ...r.newWarnings.map((w) => `  ${renderWarning(w)}`));
  else if (r.warnings.length) out.push(`warnings of this run (${r.warnings.length}, none new):`, ...r.warnings.slice(0, 10).map((w) => `  ${renderWarning(w)}`), ...(r.warnings.length > 10 ? [`  … ${r.warnings.length - 10} more in ${r.log}`] : []));
  out.push(`reproduce: ${r.command}`, `log: ${r.log}`, `metadata: ${r.metadata}`);
  return out.join('\n');
}

export function renderEachCommit(r: EachCommitReport): string {
  const from = r.from > 1 ? `, from patch ${r.from}` : '';
  const out = [`each commit of ${r.tree}: ${short(r.base)}..${short(r.head)}${from}${r.w1 ? ', W=1' : ''}, worktree ${r.worktree}, O=${r.buildDir}`];
  const n = r.commits[r.commits.length - 1].index;
  for (const c of r.commits) {
    const idx = c.role === 'base' ? 'base' : c.role === 'reference' ? 'ref' : `${c.index}/${n}`;
    const state = c.status === 'built' ? 'built ' : 'FAILED';
    out.push(`  ${idx.padEnd(5)} ${short(c.commit)}  ${state}  ${String(c.compiled).padStart(5)} object${c.compiled === 1 ? ' ' : 's'}  ${secs(c.durationMs).padStart(8)}  ${c.subject}`);
    if (c.firstError) out.push(renderFirstError(c.firstError, c.log, '        '));
    for (const w of c.newWarnings) out.push(`        new${c.newInSeriesFiles.includes(w) ? '' : ' (outside the series\' files)'}: ${renderWarning(w)}`);
  }
  out.push(
    r.ok
      ? `OK: every commit${r.from > 1 ? ` from patch ${r.from}` : ''} builds${r.w1 ? ' with W=1' : ''} and none adds a warning in the files the series touches`
      : `FAILED: ${[r.failed ? `${r.failed} commit${r.failed > 1 ? 's' : ''} do${r.failed > 1 ? '' : 'es'} not build` : '', r.withNewWarnings ? `${r.withNewWarnings} commit${r.withNewWarnings > 1 ? 's' : ''} add${r.withNewWarnings > 1 ? '' : 's'} warnings in the series' files` : ''].filter(Boolean).join(', ')}`,
  );
  out.push(`reproduce a step: ${r.command}`);
  return out.join('\n');
}

export function renderDelta(r: DeltaReport): string {
  const out = [`warnings delta of ${r.tree}: base ${short(r.base)} → with the series ${short(r.head)} (${r.touched.length} files touched)`];
  out.push(`  with the series:    ${r.headBuild.status === 'ok' ? `built, ${r.headBuild.buildWarnings} warnings` : 'FAILED'}  (${r.headBuild.buildDir})`);
  if (r.headBuild.firstError) out.push(renderFirstError(r.headBuild.firstError, r.headBuild.log, '    '));
  if (r.baseBuild) {
    out.push(`  without the series: ${r.baseBuild.status === 'ok' ? `built, ${r.baseBuild.buildWarnings} warnings` : 'FAILED'}  (${r.baseBuild.buildDir})`);
    if (r.baseBuild.firstError) out.push(renderFirstError(r.baseBuild.firstError, r.baseBuild.log, '    '));
  } else out.push('  without the series: not built (the build with the series failed)');
  const elsewhere = r.newWarnings.filter((w) => !r.newInSeriesFiles.includes(w));
  if (r.newInSeriesFiles.length) out.push(`new warnings in the series' files (${r.newInSeriesFiles.length}):`, ...r.newInSeriesFiles.map((w) => `  ${renderWarning(w)}`));
  if (elsewhere.length) out.push(`new warnings elsewhere (${elsewhere.length}):`, ...elsewhere.map((w) => `  ${renderWarning(w)}`));
  if (r.fixedWarnings.length) out.push(`warnings the series removes (${r.fixedWarnings.length}):`, ...r.fixedWarnings.map((w) => `  ${renderWarning(w)}`));
  out.push(r.ok ? 'OK: the series adds no warning in the files it touches' : r.headBuild.status !== 'ok' || r.baseBuild?.status !== 'ok' ? 'FAILED: a build failed' : `FAILED: the series adds ${r.newInSeriesFiles.length} warning${r.newInSeriesFiles.length > 1 ? 's' : ''} in the files it touches`);
  return out.join('\n');
}
