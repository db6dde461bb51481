// SPDX-License-Identifier: GPL-2.0-only
/**
 * The warnings ledger of a build directory: the warnings of every object as it was last
 * compiled. An incremental build's log only shows the warnings of what it recompiled;
 * folding each log into the ledger gives the warnings of the whole build as it stands,
 * which is what the warnings delta and the per-commit check compare.
 *
 * Each warning is filed under the object of its compilation unit (a warning in a header
 * goes to every .c that included it, as the compiler printed it). Objects a log shows as
 * compiled lose their old warnings; link-time warnings (modpost, objtool on vmlinux.o) are
 * replaced whenever the log shows a link. Units whose source file is gone are dropped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import { objectOf, type LogIssue, type MakeLog, type Tool } from './make-log.js';

export interface LedgerWarning {
  tool: Tool;
  rel: string | null;
  line: number | null;
  column: number | null;
  flag: string | null;
  message: string;
  unit: string | null;
}

export interface Ledger {
  version: 1;
  srcDir: string;
  /** Object (relative to the build dir) → its unit and warnings; only objects with warnings are listed. */
  objects: Record<string, { unit: string | null; warnings: LedgerWarning[] }>;
  /** Warnings of the last link (modpost, objtool on vmlinux.o). */
  link: LedgerWarning[];
}

export const emptyLedger = (srcDir: string): Ledger => ({ version: 1, srcDir, objects: {}, link: [] });

const slim = (w: LogIssue): LedgerWarning => ({ tool: w.tool, rel: w.rel, line: w.line, column: w.column, flag: w.flag, message: w.message, unit: w.unit });

const isLinkWarning = (w: LogIssue) => w.tool === 'modpost' || w.tool === 'linker' || (w.tool === 'objtool' && /(^|\/)vmlinux\.o$/.test(w.rel ?? ''));

/** Folds one build log into the ledger. EXISTS tells whether a source file (relative to the source dir) still exists. */
export function updateLedger(prev: Ledger | null, log: MakeLog, srcDir: string, exists: (rel: string) => boolean): Ledger {
  const base = prev && prev.srcDir === srcDir ? prev : emptyLedger(srcDir);
  const objects: Ledger['objects'] = { ...base.objects };
  for (const o of log.built) delete objects[objectOf(o)];
  const link: LedgerWarning[] = [];
  for (const w of log.warnings) {
    if (isLinkWarning(w)) {
      link.push(slim(w));
      continue;
    }
    const key = w.tool === 'objtool' ? (w.rel ?? '?') : objectOf(w.unit ?? w.rel ?? '?');
    const e = (objects[key] ??= { unit: w.tool === 'objtool' ? null : (w.unit ?? w.rel), warnings: [] });
    e.warnings.push(slim(w));
  }
  for (const [obj, e] of Object.entries(objects)) {
    if (e.unit && !e.unit.startsWith('/') && !exists(e.unit)) delete objects[obj];
  }
  return { version: 1, srcDir, objects, link: log.linked || link.length ? link : base.link };
}

/** Every warning of the build as the ledger has it. */
export const ledgerWarnings = (l: Ledger): LedgerWarning[] => [...Object.values(l.objects).flatMap((e) => e.warnings), ...l.link];

export function readLedger(path: string): Ledger | null {
  if (!existsSync(path)) return null;
  try {
    const l = JSON.parse(readFileSync(path, 'utf8')) as Ledger;
    return l.version === 1 && l.objects && Array.isArray(l.link) ? l : null;
  } catch {
    return null;
  }
}

export function writeLedger(path: string, l: Ledger): void {
  writeFileAtomic(path, `${JSON.stringify(l, null, 1)}\n`);
}
