// SPDX-License-Identifier: GPL-2.0-only
/**
 * The subject line of a patch mail: "[RFC PATCH v2 3/7] mm/memory_hotplug: Summary".
 * Pure.
 */

export interface PatchSubject {
  /** The subject as sent, prefix included. */
  raw: string;
  /** The bracketed prefix without brackets ("PATCH v2 3/7"), or "" when there is none. */
  prefix: string;
  /** Keywords of the prefix other than the version and n/N ("PATCH", "RFC", "net-next"). */
  keywords: string[];
  /** n of [PATCH n/N], null when the prefix has no number. */
  number: number | null;
  /** N of [PATCH n/N]. */
  total: number | null;
  /** vN of the prefix (1 when absent). */
  version: number;
  rfc: boolean;
  /** The summary line: the subject without the prefix ("mm/memory_hotplug: Summary"). */
  summary: string;
  /** "mm/memory_hotplug" of "mm/memory_hotplug: Summary", null when the summary has no subsystem. */
  subsystem: string | null;
  /** The text after "subsystem: ". */
  title: string;
}

const SUBSYSTEM_RE = /^([A-Za-z0-9_][A-Za-z0-9_./,+ -]*?): +(\S.*)$/;

export function parseSubject(raw: string): PatchSubject {
  let rest = raw.trim();
  const groups: string[] = [];
  for (let m = /^\[([^\]]*)\]\s*/.exec(rest); m; m = /^\[([^\]]*)\]\s*/.exec(rest)) {
    groups.push(m[1].trim());
    rest = rest.slice(m[0].length);
  }
  const prefix = groups.join(' ');
  let number: number | null = null;
  let total: number | null = null;
  let version = 1;
  let rfc = false;
  const keywords: string[] = [];
  for (const tok of prefix.split(/\s+/).filter(Boolean)) {
    const nm = /^(\d+)\/(\d+)$/.exec(tok);
    const v = /^v(\d+)$/i.exec(tok);
    if (nm) {
      number = Number(nm[1]);
      total = Number(nm[2]);
    } else if (v) {
      version = Number(v[1]);
    } else {
      if (/^rfc$/i.test(tok)) rfc = true;
      keywords.push(tok);
    }
  }
  const summary = rest.trim();
  const sm = SUBSYSTEM_RE.exec(summary);
  return {
    raw,
    prefix,
    keywords,
    number,
    total,
    version,
    rfc,
    summary,
    subsystem: sm ? sm[1] : null,
    title: sm ? sm[2] : summary,
  };
}

/** The --subject-prefix that reproduces a subject's prefix without its n/N ("RFC PATCH v2"). */
export function subjectPrefixOf(s: PatchSubject): string {
  const kw = s.keywords.length ? s.keywords : ['PATCH'];
  return s.version > 1 ? `${kw.join(' ')} v${s.version}` : kw.join(' ');
}
