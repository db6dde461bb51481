// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kconfig apply`: build the request, plan the commands, run them in the O= build
 * directory, then verify the final .config against the request and explain every
 * dropped symbol from the tree's own Kconfig. Writes BUILD/kconfig-report.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { infraError, usageError } from '../errors.js';
import type { Runner } from '../exec/runner.js';
import { sharedLock, withLock, type LockTarget } from '../lock/locks.js';
import { buildDirLock, treeLock } from '../lock/targets.js';
import type { StatePaths } from '../paths.js';
import type { TreeRecord } from '../trees/registry.js';
import { buildDirFor } from '../workspace.js';
import { parseConfig } from './config.js';
import { renderComposition } from './compose.js';
import { executePlan } from './execute.js';
import { readKconfig } from './kconfig-reader.js';
import { classifyNoise, parseKconfigOutput } from './merge-log.js';
import { debianConfigPath, parseBase, planApply, type ApplyPlan, type DebianFlavour } from './plan.js';
import type { KconfigReport } from './report.js';
import { strictRefusal, type FragmentFinding } from './fragments.js';
import { buildRequest, type RequestOptions } from './request.js';
import { srcarchFor, treeFileReader } from './tree-files.js';
import { verifyConfig } from './verify.js';

export interface ApplyOptions extends Omit<RequestOptions, 'tree' | 'noCreate'> {
  tree: string;
  base: string;
  arch: string;
  profile: string;
  dryRun: boolean;
  /** Where Debian's linux-config-X.Y packages are (default /usr/src). */
  debianConfigRoot?: string;
}

/** The .xz config of Debian's FLAVOUR kernel for the tree's version; a dry run names it even when it is missing. */
function debianConfig(tree: TreeRecord, flavour: DebianFlavour, root: string, dryRun: boolean): string {
  const xz = debianConfigPath(root, tree.kernel, flavour);
  if (existsSync(xz) || dryRun) return xz;
  const pkg = `linux-config-${tree.kernel.version}.${tree.kernel.patchlevel}`;
  throw infraError(`no Debian configuration for Linux ${tree.kernel.version}.${tree.kernel.patchlevel}: ${xz} does not exist`, `Install it: apt-get install ${pkg} (Debian 12 has linux-config-6.1 and linux-config-6.12).`);
}

export interface ApplyOutcome {
  plan: ApplyPlan;
  dryRun: boolean;
  report: KconfigReport | null;
  warnings: string[];
  createdWorktree: boolean;
  /** Fragment lines that are not Kconfig assignments (each is also a warning). */
  findings: FragmentFinding[];
  /** With --strict and findings: why nothing ran (exit 1). */
  refused: string | null;
}

/**
 * What kconfig apply holds, as `kseries build` does: the tree shared (make reads its Kconfig
 * and sources: apply, rebase, export and tree remove wait, builds and other configs do not),
 * then the build directory (a build or another kconfig apply there waits).
 */
export const kconfigLocks = (paths: StatePaths, o: Pick<ApplyOptions, 'tree' | 'arch' | 'profile'>): LockTarget[] => [
  sharedLock(treeLock(paths, o.tree)),
  buildDirLock(paths, buildDirFor(paths, o.tree, o.arch, o.profile)),
];

/** Configures the build directory holding kconfigLocks(); a dry run takes none. */
export async function kconfigApply(runner: Runner, paths: StatePaths, o: ApplyOptions): Promise<ApplyOutcome> {
  if (o.dryRun) return configure(runner, paths, o);
  return withLock(kconfigLocks(paths, o), () => configure(runner, paths, o));
}

async function configure(runner: Runner, paths: StatePaths, o: ApplyOptions): Promise<ApplyOutcome> {
  const base = parseBase(o.base);
  if (base.kind === 'file') {
    base.path = resolve(base.path);
    if (!existsSync(base.path)) throw usageError(`--base ${o.base}: no such file, and not a known make target`, 'Use tinyconfig, defconfig, allnoconfig, an ARCH_defconfig, debian, debian-cloud, or a .config file.');
  }
  const req = await buildRequest(paths, { ...o, reduce: base.kind === 'debian' ? 'qemu' : null, noCreate: o.dryRun });
  const tree = req.tree!;
  if (base.kind === 'debian') base.xz = debianConfig(tree, base.flavour, o.debianConfigRoot ?? '/usr/src', o.dryRun);
  const srcDir = req.srcDir!;
  const buildDir = buildDirFor(paths, tree.name, o.arch, o.profile);
  const header = [`Requested by kseries kconfig apply for tree ${tree.name} (Linux ${tree.kernel.string})`, `Layers: ${req.composition.layers.map((l) => l.name).join(', ')}`];
  const plan = planApply({ srcDir, buildDir, arch: o.arch, base, requestedText: renderComposition(req.composition, header) });
  const warnings = [...req.warnings];
  const findings = req.composition.findings;
  const refused = o.strict ? strictRefusal(findings) : null;
  if (o.dryRun || refused) return { plan, dryRun: o.dryRun, report: null, warnings, createdWorktree: req.createdWorktree, findings, refused };

  const steps = await executePlan(runner, plan, { onStep: o.onStep ? (t) => o.onStep!(t) : undefined });
  o.onStep?.('verifying the final .config');
  const final = parseConfig(readFileSync(plan.configPath, 'utf8'), '.config').config;
  const db = readKconfig(treeFileReader(srcDir), { srcarch: srcarchFor(o.arch), arch: o.arch, macros: { KERNELVERSION: tree.kernel.string } });
  if (db.issues.length) warnings.push(`the Kconfig reader skipped ${db.issues.length} statement(s) it did not understand (first: ${db.issues[0].file}:${db.issues[0].line}: ${db.issues[0].message})`);
  const requested = req.composition.requested;
  const v = verifyConfig(requested, final, db);

  const msgs = steps.map((s) => parseKconfigOutput(s.output));
  const all = { redefined: msgs.flatMap((m) => m.redefined), notInFinal: msgs.flatMap((m) => m.notInFinal), warnings: msgs.flatMap((m) => m.warnings) };
  const noise = classifyNoise(all, new Set(requested.keys()));
  if (noise.baseWarnings || noise.baseNotInFinal) {
    warnings.push(`kconfig printed ${noise.baseWarnings + noise.baseNotInFinal} warning(s) about the base, not about the request: ignored (see ${plan.logPath})`);
  }
  for (const w of noise.warningsAboutRequest) warnings.push(`kconfig: ${w}`);
  for (const u of v.unknownNotSet) warnings.push(`CONFIG_${u.symbol} (from ${u.source}): no such symbol in this tree, so "is not set" has no effect`);

  const report: KconfigReport = {
    ok: v.ok,
    tree: tree.name,
    kernel: tree.kernel.string,
    srcDir,
    buildDir,
    arch: o.arch,
    base: base.kind === 'target' ? base.target : base.kind === 'file' ? base.path : base.xz,
    config: plan.configPath,
    layers: req.composition.layers.map((l) => ({ name: l.name, path: l.path, symbols: l.config.size })),
    summary: {
      requested: v.results.length,
      ok: v.results.filter((r) => r.status === 'ok').length,
      dropped: v.dropped.length,
      unknownNotSet: v.unknownNotSet.length,
    },
    results: v.results,
    noise,
    commands: steps.map((s) => s.command),
    log: plan.logPath,
    generatedAt: new Date().toISOString(),
  };
  writeFileSync(plan.reportPath, `${JSON.stringify({ ...report, warnings }, null, 2)}\n`);
  return { plan, dryRun: false, report, warnings, createdWorktree: req.createdWorktree, findings, refused: null };
}
