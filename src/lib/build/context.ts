// SPDX-License-Identifier: GPL-2.0-only
/**
 * From what the user asked (`kseries build` flags) to what will be built: the tree and
 * its source directory (the applied worktree), the O= directory (keyed by tree, arch and
 * profile so a rebuild is incremental), the config, the toolchain variables and whether
 * ccache is really used. Everything a user can get wrong is a usage error here, before
 * anything runs; a missing compiler is an infrastructure error naming its package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { sharedLock, type LockTarget } from '../lock/locks.js';
import { buildDirLock, treeLock } from '../lock/targets.js';
import { usageError } from '../errors.js';
import { parseConfig } from '../kconfig/config.js';
import { ccacheDir, type StatePaths } from '../paths.js';
import { Registry, type TreeRecord } from '../trees/registry.js';
import { buildDirFor, sourceDirFor, type WorkspaceRecord } from '../workspace.js';
import { archInfo, crossPrefix, type ArchInfo } from './arches.js';
import { resolveCcache, type CcacheChoice } from './ccache.js';
import { buildLayout } from './layout.js';
import { defaultTargets, parseTargets, type BuildSpec } from './spec.js';
import { missingToolError, missingTools } from './toolchain.js';

export interface BuildRequest {
  tree: string;
  arch: string;
  profile: string;
  jobs?: number;
  llvm: boolean;
  /** --ccache (true), --no-ccache (false), neither (undefined: on when ccache is installed). */
  ccache?: boolean;
  w1: boolean;
  /** "bzImage,modules" as given. */
  targets?: string;
  buildDir?: string;
  config?: string;
  nice: number;
  timeoutSec: number;
  dryRun: boolean;
  /** --each-commit --from N: start at patch N. */
  from?: number;
}

export interface BuildContext {
  tree: TreeRecord;
  workspace: WorkspaceRecord | null;
  /** The spec of the main build (the tree's applied worktree, its O= directory). */
  spec: BuildSpec;
  /** ccache on or off, and why. */
  ccache: CcacheChoice;
  /** Notes for the user (ccache not installed, …). */
  warnings: string[];
}

/** Does the .config build modules (CONFIG_MODULES=y)? */
export const modulesEnabled = (configText: string) => parseConfig(configText).config.get('MODULES')?.value === 'y';

export function resolveBuild(paths: StatePaths, req: BuildRequest, env: NodeJS.ProcessEnv = process.env): BuildContext {
  const tree = new Registry(paths).get(req.tree);
  const arch: ArchInfo = archInfo(req.arch);
  const { srcDir, workspace } = sourceDirFor(paths, tree);
  if (!existsSync(srcDir)) {
    throw usageError(`the source directory ${srcDir} of tree ${tree.name} does not exist`, `Apply the series first: kseries apply --tree ${tree.name}`);
  }
  const buildDir = resolve(req.buildDir ?? buildDirFor(paths, tree.name, arch.name, req.profile));
  const layout = buildLayout(buildDir);
  let configFile: string | null = null;
  let configText: string;
  if (req.config) {
    configFile = resolve(req.config);
    if (!existsSync(configFile)) throw usageError(`--config ${req.config}: no such file`);
    configText = readFileSync(configFile, 'utf8');
    if (!/^CONFIG_/m.test(configText)) throw usageError(`--config ${req.config} is not a kernel .config (no CONFIG_ line)`);
  } else if (existsSync(layout.config)) {
    configText = readFileSync(layout.config, 'utf8');
  } else {
    throw usageError(
      `the build directory ${buildDir} has no .config`,
      `Configure it first: kseries kconfig apply --tree ${tree.name}${req.arch !== 'x86_64' ? ` --arch ${req.arch}` : ''}${req.profile !== 'default' ? ` --profile ${req.profile}` : ''} (or pass --config FILE)`,
    );
  }
  if (req.jobs !== undefined && (!Number.isInteger(req.jobs) || req.jobs < 1)) throw usageError(`--jobs ${req.jobs}: give a positive number`);
  const targets = parseTargets(req.targets) ?? defaultTargets(arch, modulesEnabled(configText));
  const warnings: string[] = [];
  const choice = resolveCcache(req.ccache, env);
  if (choice.warning) warnings.push(choice.warning);
  const ccache = choice.use;
  const spec: BuildSpec = {
    tree: tree.name,
    srcDir,
    buildDir,
    arch,
    crossCompile: crossPrefix(arch),
    llvm: !!req.llvm,
    ccache,
    ccacheDir: ccache ? (env.CCACHE_DIR ?? ccacheDir(paths)) : null,
    w1: !!req.w1,
    jobs: req.jobs ?? availableParallelism(),
    targets,
    configFile,
    nice: req.nice,
    timeoutMs: req.timeoutSec * 1000,
  };
  const missing = missingTools(spec, env.PATH);
  if (missing.length) {
    const err = missingToolError(missing, `${tree.name} for ${arch.name}${spec.llvm ? ' with LLVM' : ''}`);
    if (!req.dryRun) throw err;
    warnings.push(`${err.message} (${err.suggestion})`);
  }
  return { tree, workspace, spec, ccache: choice, warnings };
}

/**
 * What a build holds from before make starts until it ends: the tree shared (apply, rebase,
 * export and tree remove wait: they would change the sources under make; other builds of
 * the tree do not), then its O= directory (one make at a time in it, its .base/.commits
 * siblings included). --warnings-delta and --each-commit also take their worktree's lock.
 */
export const buildLocks = (paths: StatePaths, ctx: Pick<BuildContext, 'tree' | 'spec'>): LockTarget[] => [
  sharedLock(treeLock(paths, ctx.tree.name)),
  buildDirLock(paths, ctx.spec.buildDir),
];
