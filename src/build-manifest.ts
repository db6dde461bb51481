// SPDX-License-Identifier: GPL-2.0-only
/**
 * Writes oclif.manifest.json at the package root after `tsc` (npm run build, npm ci's
 * prepare, the tests' dist setup): oclif then finds a command and its flags in that file
 * instead of importing every command module (and execa, simple-git, listr2 with them) at
 * each start, which was most of kseries' fixed cost per run (0.45 s of 0.5 s on a no-op
 * build). bin/run.js deletes a manifest older than dist/commands, so a tsc run without
 * this step costs the old start-up, never a wrong flag.
 *
 *   node dist/build-manifest.js
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = fileURLToPath(new URL('..', import.meta.url));
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
const commands = Object.keys(plugin.manifest.commands);
if (!commands.length) throw new Error('oclif found no command: is dist/commands built?');
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
process.stderr.write(`oclif.manifest.json: ${commands.length} commands\n`);
