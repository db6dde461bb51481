// SPDX-License-Identifier: GPL-2.0-only
import type { KernelVersion } from './registry.js';

/** Reads VERSION/PATCHLEVEL/SUBLEVEL/EXTRAVERSION from a top-level kernel Makefile; null if it is not one. */
export function parseKernelMakefile(text: string): KernelVersion | null {
  const get = (k: string) => new RegExp(`^${k}[ \\t]*=[ \\t]*(.*)$`, "m").exec(text)?.[1]?.trim();
  const v = get('VERSION');
  const p = get('PATCHLEVEL');
  const s = get('SUBLEVEL');
  if (!v || !/^\d+$/.test(v) || p === undefined || !/^\d+$/.test(p)) return null;
  const sub = s && /^\d+$/.test(s) ? Number(s) : 0;
  const extra = get('EXTRAVERSION') ?? '';
  return {
    version: Number(v),
    patchlevel: Number(p),
    sublevel: sub,
    extraversion: extra,
    string: `${v}.${p}${sub ? `.${sub}` : ''}${extra}`,
  };
}

/** "6.1" style series base of a version. */
export const baseOf = (k: Pick<KernelVersion, 'version' | 'patchlevel'>) => `v${k.version}.${k.patchlevel}`;

export function compareVersions(a: Pick<KernelVersion, 'version' | 'patchlevel' | 'sublevel'>, b: Pick<KernelVersion, 'version' | 'patchlevel' | 'sublevel'>): number {
  return a.version - b.version || a.patchlevel - b.patchlevel || a.sublevel - b.sublevel;
}
