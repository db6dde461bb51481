// SPDX-License-Identifier: GPL-2.0-only
/**
 * The one entry of dist/bundle/ that is not a command: bin/run.js imports oclif's `execute`
 * from here when the bundle is there, so that oclif and the commands it loads share one copy
 * of @oclif/core (the bundle's chunk), not one each.
 */
export { execute } from '@oclif/core';
