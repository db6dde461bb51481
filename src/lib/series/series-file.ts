// SPDX-License-Identifier: GPL-2.0-only
/**
 * The `series` file of a patch directory: the order of the patches, one file name per
 * line; "#" starts a comment (a whole line, or after whitespace). Pure.
 */

export interface SeriesEntry {
  file: string;
  /** 1-based line in the series file. */
  line: number;
}

export interface SeriesFile {
  entries: SeriesEntry[];
  /** Lines that are not a plain file name (e.g. quilt's "-p1" options), kept for lint. */
  problems: Array<{ line: number; message: string }>;
}

export function parseSeriesFile(text: string): SeriesFile {
  const entries: SeriesEntry[] = [];
  const problems: SeriesFile['problems'] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const parts = line.split(/\s+/);
    if (parts.length > 1) problems.push({ line: i + 1, message: `"${line}": only the file name is read; options like ${parts.slice(1).join(' ')} are ignored` });
    const file = parts[0];
    if (file.includes('/') || file === '..' || file === '.') {
      problems.push({ line: i + 1, message: `"${file}": series entries are file names in the same directory` });
    }
    const prev = seen.get(file);
    if (prev !== undefined) problems.push({ line: i + 1, message: `${file} is listed twice (also on line ${prev})` });
    else seen.set(file, i + 1);
    entries.push({ file, line: i + 1 });
  });
  return { entries, problems };
}

export function renderSeriesFile(files: string[], comment?: string): string {
  const head = comment ? comment.split('\n').map((l) => `# ${l}`.trimEnd()) : [];
  return `${[...head, ...files].join('\n')}\n`;
}

/**
 * The kernel version tag a series was carried onto, as `kseries export` writes it in the
 * series file ("# v6.1: carried by kseries from v6.1 (k61, v6.1.192)"): "v6.1.192". Only a
 * version tag counts (a ref like HEAD names nothing outside the tree it came from); null when
 * there is none.
 */
export function carriedOntoTag(text: string): string | null {
  const m = /^#.*\bcarried by kseries from \S+ \([^,()]+, (v\d+\.\d+(?:\.\d+)?)\)\s*$/m.exec(text);
  return m ? m[1] : null;
}
