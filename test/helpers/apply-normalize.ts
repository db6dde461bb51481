// SPDX-License-Identifier: GPL-2.0-only
/**
 * The stable part of an apply report: what a recording of a real run is compared on.
 * Paths, tree names, durations and the worktree's own commits vary between runs and
 * machines; the series, the target, the base ladder, per-patch statuses and the whole
 * conflict (files, kinds, blob ids, hunks and where they apply) do not.
 */
type Json = Record<string, unknown>;

export function stableApplyReport(result: Json): Json {
  const r = result as {
    status: string;
    series: { base: string; baseCommit: string | null; patches: number; hash: string };
    target: { commit: string; kernel: string };
    base: { step: string | null; commit: string; ladder: unknown[] };
    patches: Array<{ index: number; subject: string; status: string }>;
    conflict: { patch: unknown; threeWay: unknown; files: unknown[] } | null;
  };
  return {
    status: r.status,
    series: { base: r.series.base, baseCommit: r.series.baseCommit, patches: r.series.patches, hash: r.series.hash },
    target: { commit: r.target.commit, kernel: r.target.kernel },
    base: { step: r.base.step, commit: r.base.commit, ladder: r.base.ladder },
    patches: r.patches.map((p) => ({ index: p.index, subject: p.subject, status: p.status })),
    conflict: r.conflict ? { patch: r.conflict.patch, threeWay: r.conflict.threeWay, files: r.conflict.files } : null,
  };
}
