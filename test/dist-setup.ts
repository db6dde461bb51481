// SPDX-License-Identifier: GPL-2.0-only
/**
 * globalSetup (unit and e2e projects): the tests that run the CLI go through bin/run.js,
 * which loads the compiled dist/, and a few tests import dist/lib in a child node process.
 * So that they test the sources and not an old build, dist/ is rebuilt here — tsc -p
 * tsconfig.json, what `npm run build` runs — before any test file runs, whenever a source
 * under src/ (or tsconfig.json) is newer than its compiled file, or has none. Sources that
 * do not compile fail the run here with tsc's messages; a marker (dist/.tsc-failed) keeps
 * the half-emitted dist/ stale until a build succeeds. oclif.manifest.json is written after
 * tsc, as npm run build does, with dist/bundle/ (and whenever either is missing or older than
 * dist/commands).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The sources whose compiled file under dist/ is missing or older than them (or than tsconfig.json); all of them after a failed build. */
export function staleSources(root = ROOT): string[] {
  const src = join(root, 'src');
  const all = sources(src);
  if (existsSync(join(root, 'dist', '.tsc-failed'))) return all.map((f) => relative(root, f));
  const config = statSync(join(root, 'tsconfig.json')).mtimeMs;
  return all
    .filter((f) => {
      const out = join(root, 'dist', relative(src, f).replace(/\.ts$/, '.js'));
      return !existsSync(out) || statSync(out).mtimeMs < Math.max(statSync(f).mtimeMs, config);
    })
    .map((f) => relative(root, f));
}

/** Whether oclif.manifest.json or dist/bundle/ is missing or older than a compiled command (bin/run.js then ignores it). */
function manifestStale(root = ROOT): boolean {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const compiled = newest(join(root, 'dist', 'commands'));
  // the root manifest and dist/bundle's: the CLI tests run the bundle, as users do
  return [join(root, 'oclif.manifest.json'), join(root, 'dist', 'bundle', 'oclif.manifest.json')].some((f) => !existsSync(f) || compiled > statSync(f).mtimeMs);
}

/** dist/build-manifest.js: what npm run build runs after tsc (the manifest and dist/bundle/). */
function writeManifest(): void {
  execFileSync(process.execPath, [join(ROOT, 'dist', 'build-manifest.js')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export default function setup(): void {
  const stale = staleSources();
  if (!stale.length) {
    if (manifestStale()) writeManifest();
    return;
  }
  process.stderr.write(`[dist] ${stale.length} source(s) newer than dist/ (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''}): tsc -p tsconfig.json\n`);
  const t = Date.now();
  const marker = join(ROOT, 'dist', '.tsc-failed');
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    writeFileSync(marker, `${new Date().toISOString()}\n`);
    const out = e as { stdout?: string; stderr?: string };
    throw new Error(`src/ does not compile (tsc -p tsconfig.json), so the CLI tests cannot run the sources:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
  rmSync(marker, { force: true });
  writeManifest();
  process.stderr.write(`[dist] rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}
