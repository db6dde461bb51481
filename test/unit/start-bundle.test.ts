// SPDX-License-Identifier: GPL-2.0-only
/**
 * bin/run.js starts from dist/bundle/ (esbuild chunks, src/build-manifest.ts) when its
 * manifest is newer than every compiled command, and from dist/ otherwise: a `tsc` run
 * without the bundling step must cost start-up time, never run the old code. Each case
 * works on a copy of bin/ and dist/ beside links to the repository's package.json,
 * node_modules, patches and kconfig, so the mtimes it changes are its own.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isolate, type IsolatedEnv } from '../helpers/env.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

let dir: string;
let env: IsolatedEnv;

beforeEach(() => {
  env = isolate();
  dir = mkdtempSync(join(tmpdir(), 'kseries-start-'));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'oclif.manifest.json'), join(dir, 'oclif.manifest.json'), { preserveTimestamps: true });
  for (const name of ['package.json', 'node_modules', 'patches', 'kconfig', 'ci']) symlinkSync(join(ROOT, name), join(dir, name));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  env.cleanup();
});

/** Runs `kseries series show --json` from the copy; returns where oclif found its root, and the result. */
function start(): { root: string; code: number | null; stderr: string; series: number } {
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'run.js'), 'series', 'show', '--json'], {
    env: { ...process.env, DEBUG: 'oclif:find-root:root-plugin' },
    encoding: 'utf8',
  });
  const root = /Found root at (\S+)/.exec(r.stderr)?.[1] ?? '';
  let series = 0;
  try {
    series = (JSON.parse(r.stdout) as { result: unknown[] }).result.length;
  } catch {
    /* asserted by the caller */
  }
  return { root, code: r.status, stderr: r.stderr, series };
}

/** Makes one compiled command newer than both manifests, as `tsc` alone does. */
function recompileOneCommand(): void {
  const future = new Date(Date.now() + 60_000);
  utimesSync(join(dir, 'dist', 'commands', 'build.js'), future, future);
}

describe('bin/run.js: the bundle or dist/', () => {
  it('takes dist/bundle/ when it is newer than the compiled commands', () => {
    const r = start();
    expect(r.root, r.stderr).toBe(join(dir, 'dist', 'bundle'));
    expect(r.code, r.stderr).toBe(0);
    // the series found through the bundle's paths (repoRoot walks up to patches/)
    expect(r.series).toBeGreaterThan(0);
  });

  it('takes dist/ and drops the stale root manifest when a command was compiled after them', () => {
    recompileOneCommand();
    const r = start();
    expect(r.root, r.stderr).toBe(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.series).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'oclif.manifest.json'))).toBe(false);
  });

  it('takes dist/ with the root manifest when there is no bundle (installed without esbuild)', () => {
    rmSync(join(dir, 'dist', 'bundle'), { recursive: true, force: true });
    const r = start();
    expect(r.root, r.stderr).toBe(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.series).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'oclif.manifest.json'))).toBe(true);
  });
});
