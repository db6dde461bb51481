// SPDX-License-Identifier: GPL-2.0-only
/**
 * Whether a build runs its compilers under ccache: one default for `kseries build` and
 * `kseries ci` (and so for the README's main job and .ci/run): on whenever the ccache
 * binary is installed (`kseries doctor --fix` installs it), off with --no-ccache. The
 * mode is part of every compile command (CC='ccache gcc'), so switching it recompiles
 * everything once: a default that depends on a flag people forget would throw builds away.
 */
import { findInPath } from '../doctor/doctor.js';

export interface CcacheChoice {
  use: boolean;
  /** The flag that reproduces this choice on any host: --ccache or --no-ccache. */
  flag: '--ccache' | '--no-ccache';
  /** Why, in words: "--no-ccache", "installed", "not installed", … */
  why: string;
  /** Said to the user when --ccache was asked for and cannot be had. */
  warning: string | null;
}

/** From --ccache (true), --no-ccache (false) or neither (undefined), and whether ccache is installed. Pure. */
export function chooseCcache(asked: boolean | undefined, installed: boolean): CcacheChoice {
  if (asked === false) return { use: false, flag: '--no-ccache', why: '--no-ccache', warning: null };
  if (installed) return { use: true, flag: '--ccache', why: asked ? '--ccache' : 'the default when ccache is installed; --no-ccache turns it off', warning: null };
  if (asked) {
    return { use: false, flag: '--no-ccache', why: '--ccache, but ccache is not installed', warning: 'ccache is not installed (kseries doctor --fix, or apt-get install ccache): building without it' };
  }
  return { use: false, flag: '--no-ccache', why: 'ccache is not installed; kseries doctor --fix installs it, and the first build with it recompiles everything', warning: null };
}

/** chooseCcache with ccache looked up in PATH. */
export const resolveCcache = (asked: boolean | undefined, env: NodeJS.ProcessEnv = process.env): CcacheChoice =>
  chooseCcache(asked, asked === false ? false : findInPath('ccache', env.PATH) !== null);

/** "ccache: on (the default when ccache is installed; …)", shown above the make command. */
export const describeCcache = (c: CcacheChoice): string => `ccache: ${c.use ? 'on' : 'off'} (${c.why})`;
