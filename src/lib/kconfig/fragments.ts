// SPDX-License-Identifier: GPL-2.0-only
/**
 * The fragments kseries ships in kconfig/: data files, one per concern.
 *
 *   feature-dax-kmem.config      DEV_DAX_KMEM and everything it needs
 *   persist-<type>.config        the series' persistence types (none, blk)
 *   platform-<name>.config       a test platform (qemu-x86_64)
 *   debug.config                 debugging options worth having in CI
 *
 * A fragment may carry directives in comments:
 *   # kseries-module: SYM SYM …  the tristates that --module turns from y into m
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { usageError } from '../errors.js';
import { parseConfig, type Config, type ParseIssue } from './config.js';

export interface Fragment {
  /** "feature-dax-kmem", "persist-blk", "platform-qemu-x86_64", "debug", or a user's file name. */
  name: string;
  path: string;
  config: Config;
  issues: ParseIssue[];
  /** Symbols that --module may build as modules. */
  moduleSymbols: string[];
}

/** A fragment line that is not a Kconfig assignment, a comment or blank: where, what, why. */
export interface FragmentFinding {
  /** The fragment's path as given (absolute for --fragment, tree-relative for a selftest's config). */
  file: string;
  /** 1-based. */
  line: number;
  /** The line, trimmed. */
  text: string;
  message: string;
}

export const findingsOf = (f: Pick<Fragment, 'path' | 'issues'>): FragmentFinding[] =>
  f.issues.map((i) => ({ file: f.path, line: i.line, text: i.text.trim(), message: i.message }));

/** "FILE:LINE: why: the line", as warnings and --strict say it. */
export const formatFinding = (x: FragmentFinding): string => `${x.file}:${x.line}: ${x.message}: ${x.text}`;

/** What --strict says when fragment lines are not assignments (null: nothing to refuse). */
export function strictRefusal(findings: readonly FragmentFinding[]): string | null {
  if (!findings.length) return null;
  const n = findings.length;
  const files = [...new Set(findings.map((x) => x.file))];
  return `--strict: ${n} fragment line${n === 1 ? ' is' : 's are'} not ${n === 1 ? 'a Kconfig assignment' : 'Kconfig assignments'} (in ${files.join(', ')}; first: ${formatFinding(findings[0])})`;
}

export function parseFragment(name: string, path: string, text: string): Fragment {
  const { config, issues } = parseConfig(text, name);
  const moduleSymbols = [...text.matchAll(/^#\s*kseries-module:\s*(.*)$/gm)].flatMap((m) =>
    m[1]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((s) => s.replace(/^CONFIG_/, '')),
  );
  return { name, path, config, issues, moduleSymbols };
}

export function readFragmentFile(path: string, name = basename(path).replace(/\.config$/, '')): Fragment {
  if (!existsSync(path)) throw usageError(`fragment ${path} does not exist`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`cannot read fragment ${path}: ${(err as Error).message}`, 'Give a fragment file: CONFIG_SYMBOL=value lines.');
  }
  return parseFragment(name, path, text);
}

export interface Catalog {
  dir: string;
  feature: Fragment;
  persist: Record<string, Fragment>;
  platform: Record<string, Fragment>;
  debug: Fragment;
  /** reduce-NAME.config: what a distribution base sheds for QEMU tests (--base debian). */
  reduce: Record<string, Fragment>;
}

export const FEATURE = 'feature-dax-kmem';

/** Reads kconfig/ (or DIR). */
export function readCatalog(dir: string): Catalog {
  if (!existsSync(dir)) throw usageError(`the fragment directory ${dir} does not exist`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.config')).sort();
  const frag = (f: string) => readFragmentFile(join(dir, f));
  const pick = (prefix: string) =>
    Object.fromEntries(files.filter((f) => f.startsWith(prefix)).map((f) => [f.slice(prefix.length, -'.config'.length), frag(f)]));
  const need = (f: string) => {
    if (!files.includes(f)) throw usageError(`${join(dir, f)} is missing`, 'The kconfig/ directory of kseries is incomplete.');
    return frag(f);
  };
  return { dir, feature: need(`${FEATURE}.config`), persist: pick('persist-'), platform: pick('platform-'), debug: need('debug.config'), reduce: pick('reduce-') };
}

/** Splits "none,blk" and repeated flags into a list, checking each against the known names. */
export function pickNames(values: readonly string[] | undefined, known: Record<string, unknown>, what: string): string[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!(n in known)) throw usageError(`unknown ${what} "${n}"`, `Known: ${Object.keys(known).join(', ') || '(none)'}.`);
  }
  return [...new Set(names)];
}
