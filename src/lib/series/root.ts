// SPDX-License-Identifier: GPL-2.0-only
import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { patchesRoot } from '../paths.js';

/** The directory holding the vX.Y patch sets: --patches, else $KSERIES_PATCHES, else patches/ of this checkout. */
export function seriesRoot(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.KSERIES_PATCHES ?? patchesRoot());
}

export const patchesFlag = Flags.directory({
  summary: 'Directory holding the vX.Y/ patch sets (default $KSERIES_PATCHES, else patches/ of kseries).',
});
