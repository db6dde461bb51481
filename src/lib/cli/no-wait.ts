// SPDX-License-Identifier: GPL-2.0-only
/** --no-wait, on every command that takes a lock (src/lib/lock/): base-command.ts reads it into the lock policy. */
import { Flags } from '@oclif/core';

export const noWaitFlag = {
  'no-wait': Flags.boolean({
    summary: 'When another kseries run holds the tree, build directory or results this needs, exit 3 at once saying who, instead of waiting.',
  }),
};
