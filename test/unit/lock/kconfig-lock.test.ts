// SPDX-License-Identifier: GPL-2.0-only
/**
 * `kseries kconfig apply` holds its tree shared, as `kseries build` does, besides its build
 * directory: make reads the tree's Kconfig files and sources, so apply, rebase, export and
 * tree remove (exclusive) must not change them meanwhile, while builds and other configs of
 * the tree go on. The strict FakeRunner stands in for make on the committed 6.1 Kconfig
 * excerpt; another run is a record naming this test's parent process (alive), or a real
 * child process taking the lock (it imports dist/, rebuilt from src/ by test/dist-setup.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KseriesError } from '../../../src/lib/errors.js';
import { kconfigApply, type ApplyOptions } from '../../../src/lib/kconfig/apply.js';
import { holderRecord, procStartOf, sharedLockFile } from '../../../src/lib/lock/file-lock.js';
import { configureLocks, heldLocks, heldSharedLocks, resetLocks, type LockTarget } from '../../../src/lib/lock/locks.js';
import { buildDirLock, treeLock } from '../../../src/lib/lock/targets.js';
import { Registry } from '../../../src/lib/trees/registry.js';
import { buildDirFor } from '../../../src/lib/workspace.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fixtureTree } from '../kconfig/helpers.js';

const REPO = new URL('../../..', import.meta.url).pathname;
let env: IsolatedEnv;

beforeEach(() => {
  env = isolate('kseries-kconfig-lock-');
  new Registry(env.paths).add({
    name: 'k61', kind: 'imported', repo: fixtureTree('6.1'), source: 'fixture', ref: 'v6.1.192', commit: '0'.repeat(40),
    kernel: { version: 6, patchlevel: 1, sublevel: 192, extraversion: '', string: '6.1.192' }, tags: [], addedAt: '2024-01-01T00:00:00Z',
  });
  configureLocks({ wait: false, command: 'kseries kconfig apply --tree k61', notify: () => {} });
});
afterEach(() => {
  resetLocks();
  env.cleanup();
});

const request: ApplyOptions = {
  tree: 'k61', base: 'tinyconfig', arch: 'x86_64', profile: 'default', dryRun: false,
  feature: false, platform: null, persist: [], debug: false, module: false, selftests: [], fragments: [],
};

/** A record of another live run (this test's parent process) for lock file FILE. */
function liveRecord(file: string, command: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...holderRecord(command), pid: process.ppid, procStart: procStartOf(process.ppid) }));
}
const heldElsewhere = (t: LockTarget, command = 'kseries apply --tree k61') => liveRecord(t.path, command);

/** A runner whose first command (mkdir -p BUILD) calls SEEN, then make fails: kconfig apply stops there. */
function probe(seen: () => void | Promise<void>): FakeRunner {
  const buildDir = buildDirFor(env.paths, 'k61');
  return new FakeRunner()
    .expect('mkdir', async () => {
      await seen();
      return {};
    }, { args: ['-p', buildDir] })
    .expect('make', { exitCode: 2, stderr: 'make: *** stopped by the test' });
}

describe('kconfig apply and the tree lock', () => {
  it('holds the tree shared and the build directory while make runs, and neither afterwards', async () => {
    const tree = treeLock(env.paths, 'k61').path;
    const build = buildDirLock(env.paths, buildDirFor(env.paths, 'k61')).path;
    let held: string[] = [];
    let shared: string[] = [];
    const runner = probe(() => {
      held = heldLocks().sort();
      shared = heldSharedLocks();
    });
    await kconfigApply(runner, env.paths, request).catch(() => undefined);
    runner.verify();
    expect(held).toEqual([build, tree].sort());
    expect(shared).toEqual([tree]);
    expect(heldLocks()).toEqual([]);
    expect(readdirSync(join(env.paths.data, 'locks'))).toEqual([]);
  });

  it('waits for an exclusive holder of the tree (apply, rebase, export; here: refuses, --no-wait), running nothing', async () => {
    heldElsewhere(treeLock(env.paths, 'k61'));
    const runner = new FakeRunner();
    const err = (await kconfigApply(runner, env.paths, request).catch((e: unknown) => e)) as KseriesError;
    expect(err).toBeInstanceOf(KseriesError);
    expect({ exitCode: err.exitCode, message: err.message }).toEqual({
      exitCode: 3,
      message: expect.stringMatching(new RegExp(`^tree k61 is in use by kseries apply --tree k61 \\(pid ${process.ppid} `)),
    });
    runner.verify();
    expect(existsSync(buildDirFor(env.paths, 'k61'))).toBe(false);
    expect(heldLocks()).toEqual([]);
  });

  it('runs beside another shared holder of the tree (a build of another profile)', async () => {
    const t = treeLock(env.paths, 'k61');
    liveRecord(sharedLockFile(t.path, 'feedc0de'), 'kseries build --tree k61 --profile other');
    let held: string[] = [];
    const runner = probe(() => void (held = heldSharedLocks()));
    await kconfigApply(runner, env.paths, request).catch(() => undefined);
    runner.verify();
    expect(held).toEqual([t.path]);
    expect(readdirSync(join(env.paths.data, 'locks'))).toEqual([`${'tree-k61.lock'}.shared-feedc0de`]);
  });

  it('another process taking the tree exclusively while kconfig apply runs is refused naming it (--no-wait)', async () => {
    const t = treeLock(env.paths, 'k61');
    let said = '';
    const runner = probe(async () => {
      const script = `
        import { acquireLock, configureLocks } from ${JSON.stringify(join(REPO, 'dist/lib/lock/locks.js'))};
        configureLocks({ command: 'kseries rebase --tree k61', notify: () => {} });
        try {
          (await acquireLock(${JSON.stringify(t)}, { wait: false }))();
          console.log('held');
        } catch (err) {
          console.log('refused ' + err.message);
        }
      `;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (d: Buffer) => (said += d.toString()));
      await new Promise((resolve) => child.on('close', resolve));
    });
    await kconfigApply(runner, env.paths, request).catch(() => undefined);
    runner.verify();
    expect(said.trim()).toMatch(new RegExp(`^refused tree k61 is in use by kseries kconfig apply --tree k61 \\(pid ${process.pid} `));
    expect(readdirSync(join(env.paths.data, 'locks'))).toEqual([]);
  });
});
