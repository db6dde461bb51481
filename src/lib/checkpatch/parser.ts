// SPDX-License-Identifier: GPL-2.0-only
/**
 * Parses what scripts/checkpatch.pl prints. Pure: output in, reports out.
 *
 * kseries runs it with --show-types and without --terse, so each issue reads
 *
 *   WARNING:LONG_LINE: line length of 147 exceeds 100 columns
 *   #20: FILE: drivers/dax/kmem.c:72:
 *   +	if (numa_node > 64 && ...
 *   <blank line>
 *
 * ("#NN" is the line in the patch, FILE the source file and line; commit message issues
 * have "#NN: " alone, whole-patch issues have no location). Also read: the output without
 * --show-types (type null), --terse lines ("PATCH:NN: WARNING:TYPE: msg"), the
 * "total: N errors, N warnings[, N checks], N lines checked" line, the clean verdict, and
 * the banner checkpatch prints around each file when given several.
 */

export type CheckpatchLevel = 'error' | 'warning' | 'check';

export interface CheckpatchIssue {
  level: CheckpatchLevel;
  /** The message type (LONG_LINE), with --show-types; else null. */
  type: string | null;
  message: string;
  /** The source file the issue is in; null for the commit message or the whole patch. */
  file: string | null;
  /** The line in that source file. */
  line: number | null;
  /** The line in the patch file ("#NN"). */
  patchLine: number | null;
  /** The lines checkpatch quotes (patch lines, a caret marker). */
  context: string[];
}

export interface CheckpatchTotals {
  errors: number;
  warnings: number;
  /** Null when checkpatch ran without --strict (it then omits the count). */
  checks: number | null;
  lines: number;
}

export interface CheckpatchReport {
  /** The patch file as checkpatch named it, when it did. */
  patch: string | null;
  errors: CheckpatchIssue[];
  warnings: CheckpatchIssue[];
  checks: CheckpatchIssue[];
  /** All of them, in the order checkpatch printed them. */
  issues: CheckpatchIssue[];
  /** From the "total:" line; null when there was none (checkpatch did not finish). */
  totals: CheckpatchTotals | null;
  /** "has no obvious style problems and is ready for submission". */
  clean: boolean;
  /** Disagreements between the issues read and the totals printed. */
  problems: string[];
}

const ISSUE_RE = /^(ERROR|WARNING|CHECK):(?:([A-Z][A-Z0-9_]*):)?\s(.*)$/;
const TERSE_RE = /^(.+?):(\d+): (ERROR|WARNING|CHECK):(?:([A-Z][A-Z0-9_]*):)?\s(.*)$/;
const LOCATION_RE = /^#(\d+): ?(?:FILE: (.+?):(\d+):)?\s*(.*)$/;
const TOTAL_RE = /^total: (\d+) errors, (\d+) warnings, (?:(\d+) checks, )?(\d+) lines checked$/;
const CLEAN_RE = /^(.+) has no obvious style problems and is ready for submission\.$/;
const DIRTY_RE = /^(.+) has style problems, please review\.$/;
const RULE_RE = /^-{3,}$/;

const LEVEL: Record<string, CheckpatchLevel> = { ERROR: 'error', WARNING: 'warning', CHECK: 'check' };

function emptyReport(patch: string | null): CheckpatchReport {
  return { patch, errors: [], warnings: [], checks: [], issues: [], totals: null, clean: false, problems: [] };
}

function add(r: CheckpatchReport, i: CheckpatchIssue): void {
  r.issues.push(i);
  (i.level === 'error' ? r.errors : i.level === 'warning' ? r.warnings : r.checks).push(i);
}

/** One file's part of the output. */
export function parseCheckpatchReport(output: string, patch: string | null = null): CheckpatchReport {
  const r = emptyReport(patch);
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let m: RegExpExecArray | null;
    if ((m = TOTAL_RE.exec(l))) {
      r.totals = { errors: Number(m[1]), warnings: Number(m[2]), checks: m[3] !== undefined ? Number(m[3]) : null, lines: Number(m[4]) };
      continue;
    }
    if ((m = CLEAN_RE.exec(l))) {
      r.clean = true;
      r.patch ??= m[1];
      continue;
    }
    if ((m = DIRTY_RE.exec(l))) {
      r.patch ??= m[1];
      continue;
    }
    if ((m = TERSE_RE.exec(l))) {
      r.patch ??= m[1];
      add(r, { level: LEVEL[m[3]], type: m[4] ?? null, message: m[5].trim(), file: null, line: null, patchLine: Number(m[2]), context: [] });
      continue;
    }
    if ((m = ISSUE_RE.exec(l))) {
      const issue: CheckpatchIssue = { level: LEVEL[m[1]], type: m[2] ?? null, message: m[3].trim(), file: null, line: null, patchLine: null, context: [] };
      let located = false;
      // The block runs to the next blank line: message continuation, "#NN:" location, quoted lines.
      while (i + 1 < lines.length && lines[i + 1] !== '' && !TOTAL_RE.test(lines[i + 1])) {
        const next = lines[++i];
        const loc = !located ? LOCATION_RE.exec(next) : null;
        if (loc) {
          located = true;
          issue.patchLine = Number(loc[1]);
          if (loc[2]) {
            issue.file = loc[2];
            issue.line = Number(loc[3]);
          } else if (loc[4]) {
            issue.context.push(loc[4]);
          }
        } else if (!located && !ISSUE_RE.test(next)) {
          issue.message += `\n${next}`;
        } else if (ISSUE_RE.test(next)) {
          i--;
          break;
        } else {
          issue.context.push(next);
        }
      }
      add(r, issue);
    }
  }
  if (r.totals) {
    const t = r.totals;
    if (t.errors !== r.errors.length) r.problems.push(`checkpatch counted ${t.errors} errors, ${r.errors.length} were read`);
    if (t.warnings !== r.warnings.length) r.problems.push(`checkpatch counted ${t.warnings} warnings, ${r.warnings.length} were read`);
    if (t.checks !== null && t.checks !== r.checks.length) r.problems.push(`checkpatch counted ${t.checks} checks, ${r.checks.length} were read`);
  }
  return r;
}

/**
 * The whole output of one checkpatch run: one report per file. Given several files,
 * checkpatch frames each file's name between two rules of dashes.
 */
export function parseCheckpatch(output: string): CheckpatchReport[] {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  const sections: Array<{ patch: string | null; lines: string[] }> = [];
  let cur: { patch: string | null; lines: string[] } = { patch: null, lines: [] };
  for (let i = 0; i < lines.length; i++) {
    if (RULE_RE.test(lines[i]) && i + 2 < lines.length && RULE_RE.test(lines[i + 2]) && lines[i + 1].trim() !== '' && !RULE_RE.test(lines[i + 1])) {
      if (cur.patch !== null || cur.lines.some((l) => l.trim())) sections.push(cur);
      cur = { patch: lines[i + 1], lines: [] };
      i += 2;
      continue;
    }
    cur.lines.push(lines[i]);
  }
  if (cur.patch !== null || cur.lines.some((l) => l.trim()) || !sections.length) sections.push(cur);
  return sections.map((s) => parseCheckpatchReport(s.lines.join('\n'), s.patch));
}

/** Error, warning and check counts: the totals line when there is one, else the issues read. */
export function issueCounts(r: CheckpatchReport): { errors: number; warnings: number; checks: number } {
  return {
    errors: r.totals?.errors ?? r.errors.length,
    warnings: r.totals?.warnings ?? r.warnings.length,
    checks: r.totals?.checks ?? r.checks.length,
  };
}

export const allIssues = (r: CheckpatchReport): CheckpatchIssue[] => r.issues;
