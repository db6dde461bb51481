// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which patch set fits a kernel: patches/v<major>.<minor> on an exact match, else the
 * nearest lower base; --series overrides (a base name or a directory).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { usageError } from '../errors.js';
import type { KernelVersion } from '../trees/registry.js';

export interface SeriesBase {
  /** "v6.1" */
  base: string;
  major: number;
  minor: number;
  dir: string;
}

export type ChosenBy = 'exact' | 'nearest-lower' | 'override';

export interface SeriesChoice {
  base: string;
  dir: string;
  chosenBy: ChosenBy;
}

const BASE_RE = /^v(\d+)\.(\d+)$/;

export function parseBase(name: string): { major: number; minor: number } | null {
  const m = BASE_RE.exec(name);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** The vX.Y directories of the patches root that have a series file, oldest first. */
export function listBases(root: string): SeriesBase[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, v: parseBase(name), dir: join(root, name) }))
    .filter((e) => e.v && statSync(e.dir).isDirectory() && existsSync(join(e.dir, 'series')))
    .map((e) => ({ base: e.name, major: e.v!.major, minor: e.v!.minor, dir: e.dir }))
    .sort((a, b) => a.major - b.major || a.minor - b.minor);
}

/** Pure choice among the available bases. */
export function chooseBase(kernel: Pick<KernelVersion, 'version' | 'patchlevel'>, bases: SeriesBase[]): SeriesChoice | null {
  const exact = bases.find((b) => b.major === kernel.version && b.minor === kernel.patchlevel);
  if (exact) return { base: exact.base, dir: exact.dir, chosenBy: 'exact' };
  const lower = bases.filter((b) => b.major < kernel.version || (b.major === kernel.version && b.minor < kernel.patchlevel));
  const near = lower[lower.length - 1];
  return near ? { base: near.base, dir: near.dir, chosenBy: 'nearest-lower' } : null;
}

/** Resolves --series (a base name under the root, or a directory path) or chooses by version. */
export function resolveSeries(root: string, kernel: Pick<KernelVersion, 'version' | 'patchlevel'> | null, override?: string): SeriesChoice {
  if (override) {
    const byName = join(root, override);
    if (parseBase(override) && existsSync(byName)) return { base: override, dir: byName, chosenBy: 'override' };
    const asPath = isAbsolute(override) ? override : resolve(override);
    if (existsSync(asPath) && statSync(asPath).isDirectory()) {
      const name = asPath.replace(/\/+$/, '').split('/').pop()!;
      return { base: name, dir: asPath, chosenBy: 'override' };
    }
    const known = listBases(root).map((b) => b.base);
    throw usageError(`no patch series "${override}"`, known.length ? `Available in ${root}: ${known.join(', ')}.` : `${root} has no vX.Y/series directories yet.`);
  }
  const bases = listBases(root);
  if (!bases.length) throw usageError(`no patch series in ${root}`, 'Add patches/vX.Y/series with the patch files, or give --series DIR.');
  const v = kernel ?? { version: Infinity, patchlevel: Infinity };
  const c = chooseBase(v, bases);
  if (!c) {
    throw usageError(
      `no patch series fits Linux ${kernel ? `${kernel.version}.${kernel.patchlevel}` : '?'}: the oldest is ${bases[0].base}`,
      'Give --series vX.Y (or a directory) to apply one anyway.',
    );
  }
  return c;
}
