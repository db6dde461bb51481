// SPDX-License-Identifier: GPL-2.0-only
/**
 * The line layer of the Kconfig language: joins continued lines, drops comments and
 * help texts (which may contain words like "config" or "source"), and splits each
 * statement into its keyword and the rest.
 */

export interface KLine {
  file: string;
  /** 1-based line where the statement starts. */
  line: number;
  keyword: string;
  rest: string;
}

const indentOf = (s: string): number => {
  let w = 0;
  for (const c of s) {
    if (c === ' ') w++;
    else if (c === '\t') w = (Math.floor(w / 8) + 1) * 8;
    else break;
  }
  return w;
};

/** Cuts a "#" comment that is not inside quotes. */
export function stripComment(s: string): string {
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\') i++;
      else if (c === q) q = null;
    } else if (c === '"' || c === "'") q = c;
    else if (c === '#') return s.slice(0, i);
  }
  return s;
}

export function kconfigLines(text: string, file: string): KLine[] {
  const raw = text.split('\n');
  const out: KLine[] = [];
  let help: { indent: number | null } | null = null;
  for (let i = 0; i < raw.length; i++) {
    let s = raw[i].replace(/\r$/, '');
    if (help) {
      if (!s.trim()) continue;
      const ind = indentOf(s);
      if (help.indent === null && ind > 0) {
        help.indent = ind;
        continue;
      }
      if (help.indent !== null && ind >= help.indent) continue;
      help = null;
    }
    const start = i + 1;
    while (s.endsWith('\\') && i + 1 < raw.length) s = s.slice(0, -1) + raw[++i].replace(/\r$/, '');
    const t = stripComment(s).trim();
    if (!t) continue;
    const m = /^(\S+)\s*(.*)$/.exec(t)!;
    const keyword = m[1];
    if (keyword === 'help' || keyword === '---help---') {
      help = { indent: null };
      continue;
    }
    out.push({ file, line: start, keyword, rest: m[2].trim() });
  }
  return out;
}
