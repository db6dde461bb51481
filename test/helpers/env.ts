// SPDX-License-Identifier: GPL-2.0-only
/**
 * Test isolation: a temp HOME, state and cache dir, and a git config that ignores the
 * user's (~/.gitconfig, /etc/gitconfig), so fixture repositories behave the same everywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { statePaths, type StatePaths } from '../../src/lib/paths.js';

export interface IsolatedEnv {
  root: string;
  home: string;
  paths: StatePaths;
  env: Record<string, string>;
  cleanup(): void;
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.org',
  GIT_COMMITTER_NAME: 'Test Committer',
  GIT_COMMITTER_EMAIL: 'committer@example.org',
  GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
};

/** Creates an isolated environment and applies it to process.env until cleanup(). */
export function isolate(prefix = 'kseries-test-'): IsolatedEnv {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, 'home');
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_GLOBAL: '/dev/null',
    KSERIES_HOME: join(root, 'state'),
    KSERIES_CACHE: join(root, 'cache'),
    KSERIES_NO_PROGRESS: '1',
    ...GIT_ENV,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  execFileSync('mkdir', ['-p', home]);
  return {
    root,
    home,
    paths: statePaths(process.env),
    env,
    cleanup() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs git synchronously in a fixture repo (test setup only; product code uses src/lib/git). */
export function gitSync(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/** Runs the built CLI (bin/run.js) as a user would; returns exit code and both outputs. dist/ is rebuilt from src/ before the tests (test/dist-setup.ts). */
export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}) {
  const bin = join(new URL('../..', import.meta.url).pathname, 'bin', 'run.js');
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...(opts.env ?? {}) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
