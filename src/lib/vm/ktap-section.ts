// SPDX-License-Identifier: GPL-2.0-only
/**
 * Cuts the KTAP/TAP document out of a script's output (pure): from its version line to
 * the end. Parsing it is the KTAP parser's job (src/lib/ktap/).
 */
const VERSION = /^(?:K?TAP version \d+)\s*$/;

export function ktapSection(output: string): string | null {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  const start = lines.findIndex((l) => VERSION.test(l.trim()));
  if (start < 0) return null;
  let end = lines.length;
  while (end > start && lines[end - 1].trim() === '') end--;
  return `${lines.slice(start, end).join('\n')}\n`;
}
