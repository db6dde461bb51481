// SPDX-License-Identifier: GPL-2.0-only
/**
 * Run after `tsc` (npm run build, npm ci's prepare, the tests' dist setup). Two things spare
 * kseries' start-up, which is paid before every make and every VM of the inner loop:
 *
 * 1. oclif.manifest.json at the package root: oclif finds a command and its flags in that
 *    file instead of importing every command module (and execa, simple-git, listr2 with
 *    them) at each start (0.45 s of 0.5 s on a no-op build, before).
 * 2. dist/bundle/: the commands and @oclif/core bundled by esbuild into a few chunk files
 *    (one per set of modules shared by the same commands), with its own package.json and
 *    manifest. Node then opens 21 JavaScript files instead of 358 for `build` (strace), and
 *    `build --dry-run` went from 0.44–0.52 s to 0.31 s, measured beside a kernel build.
 *
 * bin/run.js takes the bundle when its manifest is newer than dist/commands, else dist/
 * with the root manifest when that is newer, else dist/ alone (a tsc run without this step
 * costs start-up time, never a stale flag). Without esbuild (npm install --omit=dev) the
 * bundle is left out with a note.
 *
 *   node dist/build-manifest.js
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';
import { renameIntoPlace, tempPathFor } from './lib/atomic-write.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

async function writeManifest(): Promise<Record<string, unknown>> {
  const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  const commands = Object.keys(plugin.manifest.commands);
  if (!commands.length) throw new Error('oclif found no command: is dist/commands built?');
  writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  process.stderr.write(`oclif.manifest.json: ${commands.length} commands\n`);
  return plugin.manifest as unknown as Record<string, unknown>;
}

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));

/** The root manifest with each command's path relative to dist/bundle/ (dist/commands/x.js → commands/x.js). */
function bundleManifest(manifest: Record<string, unknown>): string {
  const copy = structuredClone(manifest) as { commands: Record<string, { relativePath?: string[] }> };
  for (const c of Object.values(copy.commands)) if (c.relativePath?.[0] === 'dist') c.relativePath = c.relativePath.slice(1);
  return `${JSON.stringify(copy, null, 2)}\n`;
}

async function writeBundle(manifest: Record<string, unknown>): Promise<void> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    rmSync(join(dist, 'bundle'), { recursive: true, force: true });
    process.stderr.write('dist/bundle: esbuild is not installed (a production install?); kseries starts from dist/, about 0.1 s slower\n');
    return;
  }
  const entryPoints = Object.fromEntries(jsFiles(join(dist, 'commands')).map((f) => [relative(dist, f).replace(/\.js$/, ''), f]));
  entryPoints.start = join(dist, 'start.js');
  const tmp = tempPathFor(join(dist, 'bundle'));
  await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: tmp,
    // oclif's ts-node/tsx support, for plugins written in TypeScript: never taken here
    external: ['typescript', 'ts-node', 'tsx'],
    logLevel: 'error',
    // the CommonJS packages inside (oclif, cross-spawn, …) call require and read __dirname
    banner: {
      js: [
        "import { createRequire as __kseriesRequire } from 'node:module';",
        "import { fileURLToPath as __kseriesPath } from 'node:url';",
        'const require = __kseriesRequire(import.meta.url);',
        'const __filename = __kseriesPath(import.meta.url);',
        "const __dirname = __kseriesPath(new URL('.', import.meta.url));",
      ].join('\n'),
    },
  });
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { oclif: { commands: string } };
  pjson.oclif.commands = './commands';
  writeFileSync(join(tmp, 'package.json'), `${JSON.stringify(pjson, null, 2)}\n`);
  writeFileSync(join(tmp, 'oclif.manifest.json'), bundleManifest(manifest));
  rmSync(join(dist, 'bundle'), { recursive: true, force: true });
  renameIntoPlace(tmp, join(dist, 'bundle'));
  process.stderr.write(`dist/bundle: ${jsFiles(join(dist, 'bundle')).length} files\n`);
}

const manifest = await writeManifest();
if (existsSync(join(dist, 'start.js'))) await writeBundle(manifest);
