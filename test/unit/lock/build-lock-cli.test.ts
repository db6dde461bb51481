// SPDX-License-Identifier: GPL-2.0-only
/**
 * Two real `kseries build` runs on one O= directory of the fixture tree (fake-kbuild.ts,
 * built with the real gcc), through the built CLI: `make` is a wrapper that logs when it
 * starts and ends and takes a few seconds. A second run with --no-wait exits 3 at once
 * naming the first; a second run without it waits, says who it waits for, and runs make
 * only after the first one's make ended. The tree is held shared meanwhile: `tree remove
 * --no-wait` is refused naming a build, a build of another profile of the tree runs beside
 * it. And `tree remove --no-wait --json` on a tree a child process holds: exit 3, the holder
 * in the JSON error.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../../helpers/cli-async.js';
import { isolate, type IsolatedEnv } from '../../helpers/env.js';
import { fakeSeriesRepo, registerFakeTree, SOURCES, writeFakeBuildDir } from '../../helpers/fake-kbuild.js';
import { treeLock } from '../../../src/lib/lock/targets.js';

const REPO = new URL('../../..', import.meta.url).pathname;
let env: IsolatedEnv;
afterEach(() => env.cleanup());

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two kseries build runs on one build directory', () => {
  it('the second one refuses with --no-wait (exit 3) or waits, and make never runs twice at once', async () => {
    env = isolate();
    const r = fakeSeriesRepo(join(env.root, 'linux'), [{ subject: 'dax/kmem: a change', files: { 'drivers/dax/kmem.c': SOURCES['drivers/dax/kmem.c'].replace('x + 1', 'x + 2') } }]);
    registerFakeTree(env.paths.data, 'k', r);
    writeFakeBuildDir(join(env.paths.cache, 'build', 'k', 'x86_64-default'));
    const bin = join(env.root, 'bin');
    const makeLog = join(env.root, 'make.log');
    const gate = join(env.root, 'A-may-finish');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'make'),
      // A's make goes on only once the test has seen the others (a loaded machine starts them slowly)
      `#!/bin/sh\ncase "$*" in *--version*) exec /usr/bin/make "$@";; esac\necho "$RUN start $(date +%s%N)" >> ${makeLog}\nsleep 3\nif [ "$RUN" = A ]; then while [ ! -e ${gate} ]; do sleep 0.1; done; fi\n/usr/bin/make "$@"\nrc=$?\necho "$RUN end $(date +%s%N)" >> ${makeLog}\nexit $rc\n`,
    );
    chmodSync(join(bin, 'make'), 0o755);
    const build = (run: string, extra: string[] = []) =>
      runCliAsync(['build', '--tree', 'k', '-j2', '--json', ...extra], { env: { PATH: `${bin}:${process.env.PATH}`, RUN: run }, timeoutMs: 120_000 });
    const locks = join(env.paths.cache, 'locks');

    const first = build('A');
    await until(() => existsSync(locks) && readdirSync(locks).some((f) => /^build-.*x86_64-default-[0-9a-f]{12}\.lock$/.test(f)));
    const lockFile = join(locks, readdirSync(locks).find((f) => f.startsWith('build-'))!);
    const holder = JSON.parse(readFileSync(lockFile, 'utf8'));
    expect(holder.command).toBe('kseries build --tree k -j2 --json');

    // the tree is held shared for the build: tree remove (exclusive) is refused naming the build; a build of another profile is not held up
    writeFakeBuildDir(join(env.paths.cache, 'build', 'k', 'x86_64-other'));
    const waiting = build('C');
    const [refused, other, removal] = await Promise.all([
      build('B', ['--no-wait']),
      build('D', ['--no-wait', '--profile', 'other']),
      runCliAsync(['tree', 'remove', 'k', '--no-wait', '--json']),
    ]);
    await new Promise((r) => setTimeout(r, 1500)); // C, started with B, is waiting by now
    writeFileSync(gate, '');
    const [done, waited] = await Promise.all([first, waiting]);
    expect(other.code, other.stderr).toBe(0);
    expect(removal.code).toBe(3);
    expect(JSON.parse(removal.stdout).error.message).toMatch(new RegExp(`^tree k is in use by kseries build --tree k -j2 --json( --no-wait --profile other)? \\(pid \\d+ on `));
    expect(readFileSync(join(env.paths.data, 'trees.json'), 'utf8')).toContain('"k"');
    expect(done.code).toBe(0);
    expect(done.stderr).toBe('');
    expect(refused.code).toBe(3);
    const err = JSON.parse(refused.stdout);
    expect(err).toMatchObject({ status: 'error', error: { kind: 'infra', exitCode: 3 } });
    expect(err.error.message).toMatch(new RegExp(`^build directory .*/build/k/x86_64-default is in use by kseries build --tree k -j2 --json \\(pid ${holder.pid} on .*, since .* UTC, \\d+ s ago\\)$`));
    expect(err.error.suggestion).toContain('run without --no-wait to wait for it');

    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({ status: 'ok', result: { status: 'ok', compiled: 0 } }); // after the first: nothing left to compile
    expect(waited.stderr).toMatch(new RegExp(`^kseries: waiting for build directory .*/x86_64-default, in use by kseries build --tree k -j2 --json \\(pid ${holder.pid} on `, 'm'));
    expect(waited.stderr).toMatch(/^kseries: got build directory .* after waiting \d+ s$/m);

    // make of C started after make of A ended; B never ran make
    const events = readFileSync(makeLog, 'utf8').trim().split('\n').map((l) => l.split(' ')).filter((e) => e[0] !== 'D');
    expect(events.map((e) => `${e[0]} ${e[1]}`)).toEqual(['A start', 'A end', 'C start', 'C end']);
    expect(BigInt(events[2][2])).toBeGreaterThan(BigInt(events[1][2]));
    expect(readdirSync(locks).filter((f) => f.endsWith('.lock'))).toEqual([]);
    expect(readdirSync(join(env.paths.data, 'locks'))).toEqual([]);
  }, 120_000);
});

describe('tree commands', () => {
  it('tree remove --no-wait --json on a tree another process holds: exit 3, the holder in the error, nothing removed', async () => {
    env = isolate();
    const r = fakeSeriesRepo(join(env.root, 'linux'), []);
    registerFakeTree(env.paths.data, 'k', r);
    const target = treeLock(env.paths, 'k');
    const script = `
      import { acquireLock, configureLocks } from ${JSON.stringify(join(REPO, 'dist/lib/lock/locks.js'))};
      configureLocks({ command: 'kseries apply --tree k' });
      await acquireLock(${JSON.stringify(target)});
      console.log('held');
      process.stdin.once('data', () => process.exit(0));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve()));
      const out = await runCliAsync(['tree', 'remove', 'k', '--no-wait', '--json']);
      expect(out.code).toBe(3);
      expect(JSON.parse(out.stdout).error).toMatchObject({
        kind: 'infra',
        exitCode: 3,
        message: expect.stringMatching(new RegExp(`^tree k is in use by kseries apply --tree k \\(pid ${child.pid} on `)),
      });
      expect(readFileSync(join(env.paths.data, 'trees.json'), 'utf8')).toContain('"k"');
    } finally {
      child.stdin!.write('go\n');
    }
  }, 60_000);
});
