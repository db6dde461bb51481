// SPDX-License-Identifier: GPL-2.0-only
/**
 * KTAP lines: turns a captured console (a VM's serial console, dmesg, run_kselftest.sh
 * output) into lines the parser can read, and says what kind each line is.
 *
 * A console mixes test output with kernel messages, carriage returns and terminal
 * escapes. The kernel's printk prefixes (`[   12.345678] ` and the caller id
 * `[    T1] ` of CONFIG_PRINTK_CALLER) are removed, and the line remembers it came from
 * the kernel. Pure: string in, lines out.
 */

export interface KtapLine {
  /** 1-based line number in the input. */
  no: number;
  /** The line as captured (without the newline). */
  raw: string;
  /** The line without console noise (printk prefix, \r, escapes), indentation kept. */
  text: string;
  /** Leading whitespace width (a tab counts 4, like a KTAP indentation level). */
  indent: number;
  /** The text without its indentation. */
  content: string;
  /** The line carried a printk timestamp. */
  kernel: boolean;
}

export type LineKind = 'version' | 'plan' | 'result' | 'subtest' | 'bail' | 'other';

export const VERSION_RE = /^(KTAP|TAP) version (\d+)\s*$/;
export const PLAN_RE = /^1\.\.(\d+)\s*(?:#\s*(.*))?$/;
/** `ok 1 - name # DIRECTIVE reason`; the number is required (KTAP) to keep console chatter out. */
export const RESULT_RE = /^(ok|not ok)\s+(\d+)(?:\s+(.*))?$/;
export const SUBTEST_RE = /^# Subtest: (.*)$/;
export const BAIL_RE = /^Bail out!\s*(.*)$/i;
/** Lines that end a kernel's useful output (kunit_parser's KTAP_END, plus any panic and power-off). */
export const END_RE = /(?:List of all partitions:|Kernel panic - not syncing|reboot: System halted|reboot: Power down|reboot: Restarting system)/;

const PRINTK_RE = /^\[\s*\d+\.\d{6}\](?:\[\s*[A-Z]?\d+\])?\s?/;
// CSI and OSC escape sequences, other escapes (ESC c, ESC ( B), then any C0 control character but tab.
// eslint-disable-next-line no-control-regex
const ESCAPE_RE = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function indentWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    if (ch === ' ') w += 1;
    else if (ch === '\t') w += 4;
    else break;
  }
  return w;
}

/** Removes up to `width` columns of leading whitespace. */
export function dedent(text: string, width: number): string {
  let w = 0;
  let i = 0;
  while (i < text.length && w < width && (text[i] === ' ' || text[i] === '\t')) {
    w += text[i] === '\t' ? 4 : 1;
    i++;
  }
  return text.slice(i);
}

export function classify(content: string): LineKind {
  if (RESULT_RE.test(content)) return 'result';
  if (PLAN_RE.test(content)) return 'plan';
  if (VERSION_RE.test(content)) return 'version';
  if (SUBTEST_RE.test(content)) return 'subtest';
  if (BAIL_RE.test(content)) return 'bail';
  return 'other';
}

export function makeLine(no: number, raw: string, text: string, kernel: boolean): KtapLine {
  return { no, raw, text, indent: indentWidth(text), content: text.trimStart(), kernel };
}

/** Splits console output into cleaned lines. */
export function consoleLines(input: string): KtapLine[] {
  const parts = input.split('\n');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts.map((raw, i) => {
    // A serial console ends lines with \r\n and may redraw with a bare \r: keep what was drawn last.
    let text = raw.replace(/\r+$/, '');
    const cr = text.lastIndexOf('\r');
    if (cr >= 0) text = text.slice(cr + 1);
    text = text.replace(ESCAPE_RE, '').replace(CONTROL_RE, '').replace(/\s+$/, '');
    const m = PRINTK_RE.exec(text);
    if (m) text = text.slice(m[0].length);
    return makeLine(i + 1, raw, text, !!m);
  });
}

/**
 * kunit_parser's prefix rule: whatever precedes the first version line on its line (after
 * the printk prefix) is a console prefix, removed from the lines that follow when they carry it.
 */
export function stripPrefix(lines: KtapLine[], prefix: string): KtapLine[] {
  if (!prefix) return lines;
  return lines.map((l) => (l.text.startsWith(prefix) ? makeLine(l.no, l.raw, l.text.slice(prefix.length), l.kernel) : l));
}

/** The index of the line where the test output starts, and its console prefix; null when there is none. */
export function findStart(lines: KtapLine[]): { index: number; prefix: string } | null {
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.*?)(?:KTAP|TAP) version \d+\s*$/.exec(lines[i].text);
    // A kselftest program's own header ("# TAP version 13") is nested output, not a start.
    if (m && !m[1].includes('#')) return { index: i, prefix: m[1] };
  }
  // TAP without a version line: the first plan or numbered result at column 0.
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text;
    if (/^1\.\.\d+\s*$/.test(t) || /^(ok|not ok) 1(\s|$)/.test(t)) return { index: i, prefix: '' };
  }
  return null;
}
