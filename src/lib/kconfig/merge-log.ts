// SPDX-License-Identifier: GPL-2.0-only
/**
 * Reading what merge_config.sh and kconfig's conf print. merge_config.sh only warns and
 * exits 0; most of what it prints is about the base config (tinyconfig values the
 * fragment overrides, 100+ lines), so kseries summarises that noise and verifies the
 * request itself instead.
 */

export interface Redefinition {
  symbol: string;
  previous: string;
  next: string;
  fragment: string;
}

export interface NotInFinal {
  symbol: string;
  requested: string;
  actual: string;
}

export interface KconfigMessages {
  /** "Value of CONFIG_X is redefined by fragment F" (a fragment overrides the base). */
  redefined: Redefinition[];
  /** "Value requested for CONFIG_X not in final .config" (merge_config.sh without -m). */
  notInFinal: NotInFinal[];
  /** conf's warnings: ".config:12:warning: override: …", "WARNING: unmet direct dependencies detected for X". */
  warnings: Array<{ text: string; symbols: string[] }>;
}

export function parseKconfigOutput(output: string): KconfigMessages {
  const lines = output.split('\n');
  const res: KconfigMessages = { redefined: [], notInFinal: [], warnings: [] };
  const after = (i: number, label: RegExp) => (label.test(lines[i] ?? '') ? (lines[i] ?? '').replace(label, '').trim() : '');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let m = /^Value of CONFIG_([A-Za-z0-9_]+) is redefined by fragment (.*):\s*$/.exec(l);
    if (m) {
      res.redefined.push({ symbol: m[1], fragment: m[2], previous: after(i + 1, /^Previous\s+value:/), next: after(i + 2, /^New value:/) });
      continue;
    }
    m = /^Value requested for CONFIG_([A-Za-z0-9_]+) not in final \.config/.exec(l);
    if (m) {
      res.notInFinal.push({ symbol: m[1], requested: after(i + 1, /^Requested value:/), actual: after(i + 2, /^Actual value:/) });
      continue;
    }
    if (/warning/i.test(l)) {
      let text = l.trim();
      // "WARNING: unmet direct dependencies detected for X" is followed by indented "Depends on"/"Selected by" lines.
      while (/^\s+\S/.test(lines[i + 1] ?? '') && /unmet direct dependencies/.test(l)) text += ` | ${lines[++i].trim()}`;
      const symbols = [...text.matchAll(/\b(?:CONFIG_)?([A-Z][A-Z0-9_]{2,})\b/g)].map((x) => x[1]).filter((s) => s !== 'WARNING');
      res.warnings.push({ text, symbols });
    }
  }
  return res;
}

/** Splits messages into the ones about requested symbols and a count of the rest (noise about the base). */
export function classifyNoise(msgs: KconfigMessages, requested: ReadonlySet<string>) {
  const aboutRequest = msgs.warnings.filter((w) => w.symbols.some((s) => requested.has(s)));
  return {
    warningsAboutRequest: aboutRequest.map((w) => w.text),
    baseWarnings: msgs.warnings.length - aboutRequest.length,
    baseNotInFinal: msgs.notInFinal.filter((n) => !requested.has(n.symbol)).length,
    redefined: msgs.redefined.length,
  };
}
