// SPDX-License-Identifier: GPL-2.0-only
/** The lines of a source file around a diagnostic, numbered, the diagnostic's line marked: what a failed build shows. */
import { existsSync, readFileSync } from 'node:fs';

export interface SourceExcerpt {
  file: string;
  line: number;
  lines: Array<{ n: number; text: string }>;
}

export function sourceExcerpt(file: string | null, line: number | null, around = 3): SourceExcerpt | null {
  if (!file || !line || !existsSync(file)) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const all = text.split('\n');
  if (line > all.length) return null;
  const from = Math.max(1, line - around);
  const to = Math.min(all.length, line + around);
  return { file, line, lines: all.slice(from - 1, to).map((t, i) => ({ n: from + i, text: t })) };
}

export function renderExcerpt(x: SourceExcerpt, indent = '  '): string {
  const w = String(x.lines[x.lines.length - 1]?.n ?? x.line).length;
  return x.lines.map((l) => `${indent}${l.n === x.line ? '>' : ' '} ${String(l.n).padStart(w)} | ${l.text}`).join('\n');
}
