// SPDX-License-Identifier: GPL-2.0-only
/**
 * metadata.json, written beside the artifacts after every build: which tree and commits,
 * the config (sha256 of .config), the toolchain, the make command line that reproduces
 * the build, how long it took, the warnings, and the artifacts with their sizes.
 * Building the record is pure; listing artifacts and hashing read the build directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { LogIssue, Tool } from './make-log.js';
import type { Toolchain } from './toolchain.js';

export interface Artifact {
  /** "image", "vmlinux", "System.map", "module". */
  kind: string;
  /** Relative to the build directory. */
  path: string;
  bytes: number;
}

export interface BuildMetadata {
  version: 1;
  tree: string;
  srcDir: string;
  buildDir: string;
  arch: string;
  /** The series base the workspace was applied on, and its HEAD (the commit built). */
  baseCommit: string | null;
  head: string | null;
  series: string | null;
  configSha256: string | null;
  toolchain: Toolchain;
  options: { llvm: boolean; ccache: boolean; w1: boolean; jobs: number; crossCompile: string | null; targets: string[] };
  /** The command line that reproduces the build (run it from anywhere). */
  command: string;
  status: 'ok' | 'failed' | 'error';
  makeExitCode: number | null;
  startedAt: string;
  durations: { totalMs: number; prepareMs: number; makeMs: number };
  compiled: number;
  warnings: { run: number; byTool: Partial<Record<Tool, number>>; build: number };
  errors: number;
  firstError: { tool: Tool; rel: string | null; line: number | null; column: number | null; message: string; logLine: number } | null;
  artifacts: Artifact[];
  log: string;
}

export interface MetadataInput extends Omit<BuildMetadata, 'version' | 'warnings' | 'firstError' | 'errors'> {
  runWarnings: readonly LogIssue[];
  runErrors: readonly LogIssue[];
  buildWarnings: number;
  firstError: LogIssue | null;
}

export function buildMetadata(i: MetadataInput): BuildMetadata {
  const byTool: Partial<Record<Tool, number>> = {};
  for (const w of i.runWarnings) byTool[w.tool] = (byTool[w.tool] ?? 0) + 1;
  const { runWarnings, runErrors, buildWarnings, firstError, ...rest } = i;
  return {
    version: 1,
    ...rest,
    warnings: { run: runWarnings.length, byTool, build: buildWarnings },
    errors: runErrors.length,
    firstError: firstError
      ? { tool: firstError.tool, rel: firstError.rel, line: firstError.line, column: firstError.column, message: firstError.message, logLine: firstError.logLine }
      : null,
  };
}

export function sha256File(path: string): string | null {
  if (!existsSync(path)) return null;
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const sizeOf = (p: string): number | null => {
  try {
    const s = statSync(p);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
};

/** The artifacts present in BUILD_DIR: the boot image, vmlinux, System.map and the modules listed in modules.order. */
export function listArtifacts(buildDir: string, imagePath: string, withModules: boolean): Artifact[] {
  const out: Artifact[] = [];
  const add = (kind: string, rel: string) => {
    const bytes = sizeOf(join(buildDir, rel));
    if (bytes !== null) out.push({ kind, path: rel, bytes });
  };
  add('image', imagePath);
  if (imagePath !== 'vmlinux') add('vmlinux', 'vmlinux');
  add('System.map', 'System.map');
  const order = join(buildDir, 'modules.order');
  if (withModules && existsSync(order)) {
    for (const l of readFileSync(order, 'utf8').split('\n')) {
      const m = l.trim().replace(/^kernel\//, '');
      if (m) add('module', m.replace(/\.o$/, '.ko'));
    }
  }
  return out;
}

/** Written whole or not at all (a temporary file renamed): a killed build never leaves half a metadata.json. */
export function writeMetadata(path: string, m: BuildMetadata): void {
  writeFileAtomic(path, `${JSON.stringify(m, null, 2)}\n`);
}
