// SPDX-License-Identifier: GPL-2.0-only
/**
 * Building a request from flags: the shipped fragments, the selftests' own config files
 * read from the tree, and the user's fragment files, composed in a fixed order.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kconfigRoot, type StatePaths } from '../paths.js';
import { Registry, type TreeRecord } from '../trees/registry.js';
import { usageError } from '../errors.js';
import { compose, type Composition } from './compose.js';
import { pickNames, readCatalog, readFragmentFile, type Catalog, type Fragment } from './fragments.js';
import { resolveTargets, selftestConfigPath, selftestFragment, type TargetLookup } from './selftests.js';
import { ensureSourceDir } from './source-dir.js';
import { sourceDirFor } from '../workspace.js';

export interface RequestOptions {
  feature: boolean;
  /** A platform name, or null/"none" for no platform fragment. */
  platform: string | null;
  persist: readonly string[];
  debug: boolean;
  module: boolean;
  selftests: readonly string[];
  /** The user's fragment files. */
  fragments: readonly string[];
  /** A reduce-NAME.config to merge first (a distribution base: --base debian). */
  reduce?: string | null;
  /** Refuse (exit 1) when a fragment line is not a Kconfig assignment, instead of warning and leaving it out. */
  strict?: boolean;
  /** Needed for selftests (their config files live in the tree). */
  tree?: string;
  /** Do not create a missing worktree (dry runs). */
  noCreate?: boolean;
  /** Where the shipped fragments are (default: kconfig/ in the kseries repository). */
  kconfigDir?: string;
  onStep?: (m: string) => void;
}

export interface Request {
  catalog: Catalog;
  composition: Composition;
  tree: TreeRecord | null;
  srcDir: string | null;
  /** Whether this request created the tree's worktree. */
  createdWorktree: boolean;
  selftests: TargetLookup[];
  warnings: string[];
}

function selftestFragments(srcDir: string, names: readonly string[], label: string, warnings: string[]): { lookups: TargetLookup[]; fragments: Fragment[] } {
  const stat = (rel: string) => {
    try {
      return statSync(join(srcDir, rel));
    } catch {
      return null;
    }
  };
  const lookups = resolveTargets(names, { isDir: (r) => !!stat(r)?.isDirectory(), isFile: (r) => !!stat(r)?.isFile() }, label);
  const fragments: Fragment[] = [];
  for (const t of lookups) {
    if (t.target !== t.asked) warnings.push(`selftest target "${t.asked}" is called "${t.target}" in ${label}`);
    if (!t.hasConfig) {
      warnings.push(`selftest target "${t.target}" has no config file in ${label}: it asks nothing of Kconfig`);
      continue;
    }
    const rel = selftestConfigPath(t.target);
    fragments.push(selftestFragment(t.target, rel, readFileSync(join(srcDir, rel), 'utf8')));
  }
  return { lookups, fragments };
}

export async function buildRequest(paths: StatePaths, o: RequestOptions): Promise<Request> {
  const catalog = readCatalog(o.kconfigDir ?? kconfigRoot());
  const warnings: string[] = [];
  const platform = o.platform && o.platform !== 'none' ? pickNames([o.platform], catalog.platform, 'platform')[0] : null;
  const persist = pickNames(o.persist, catalog.persist, 'persistence type');
  const tree = o.tree ? new Registry(paths).get(o.tree) : null;
  const selftestNames = o.selftests.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (selftestNames.length && !tree) throw usageError('--selftests needs --tree: the selftests\' config files are read from the tree');

  let srcDir: string | null = null;
  let createdWorktree = false;
  if (tree) {
    if (o.noCreate) {
      srcDir = sourceDirFor(paths, tree).srcDir;
    } else {
      const s = await ensureSourceDir(paths, tree, o.onStep);
      srcDir = s.srcDir;
      createdWorktree = s.created;
    }
  }
  let lookups: TargetLookup[] = [];
  let stFragments: Fragment[] = [];
  if (selftestNames.length && srcDir) {
    if (existsSync(srcDir)) ({ lookups, fragments: stFragments } = selftestFragments(srcDir, selftestNames, `tree ${tree!.name} (${tree!.kernel.string})`, warnings));
    else warnings.push(`${srcDir} does not exist yet: the selftests' config files are not read in a dry run`);
  }
  const user = o.fragments.map((f) => readFragmentFile(resolve(f)));
  for (const f of user) if (!f.config.size) warnings.push(`fragment ${f.path} sets no symbol`);
  const composition = compose(catalog, { reduce: o.reduce ?? null, feature: o.feature, platform, persist, debug: o.debug, module: o.module, selftests: stFragments, fragments: user });
  return { catalog, composition, tree, srcDir, createdWorktree, selftests: lookups, warnings: [...warnings, ...composition.warnings] };
}
