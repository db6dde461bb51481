// SPDX-License-Identifier: GPL-2.0-only
/**
 * The lock module (src/lib/lock/): taken and released in this process, and contended by
 * real child processes (they import dist/, rebuilt from src/ by test/dist-setup.ts): a run
 * waits for a live holder and says who it is, refuses with exit 3 without waiting, takes
 * over from a SIGKILLed holder or a reused pid, never from another host's; the file goes
 * on error, on process exit and on SIGINT (exit 130).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KseriesError } from '../../../src/lib/errors.js';
import { bootId, holderRecord, procStartOf, readLockFile } from '../../../src/lib/lock/file-lock.js';
import { acquireLock, configureLocks, heldLocks, resetLocks, withLock, type LockTarget } from '../../../src/lib/lock/locks.js';

const REPO = new URL('../../..', import.meta.url).pathname;
const HOLDER_COMMAND = 'kseries build --tree k61 --ccache';

let dir: string;
let target: LockTarget;
let notes: string[];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-lock-'));
  target = { path: join(dir, 'locks', 'tree-k61.lock'), what: 'tree k61' };
  notes = [];
  configureLocks({ command: 'kseries apply --tree k61', notify: (l) => notes.push(l), pollMs: 50, wait: true });
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  resetLocks();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A child node holding the lock. mode hold: until a line on stdin (then it releases and
 * exits 0); exit: exits 130 without releasing; sigint: holds inside withLock until Ctrl-C.
 */
function holder(mode: 'hold' | 'exit' | 'sigint'): Promise<ChildProcess> {
  const dist = (f: string) => JSON.stringify(join(REPO, 'dist/lib', f));
  const script = `
    import { acquireLock, configureLocks, withLock } from ${dist('lock/locks.js')};
    import { installInterruptHandler, interruptSignal } from ${dist('cli/interrupt.js')};
    const target = { path: ${JSON.stringify(target.path)}, what: 'tree k61' };
    configureLocks({ command: ${JSON.stringify(HOLDER_COMMAND)} });
    const mode = ${JSON.stringify(mode)};
    if (mode === 'sigint') {
      installInterruptHandler();
      const busy = setInterval(() => {}, 1000); // the work: a make, a VM
      try {
        await withLock(target, () => new Promise((_, reject) => {
          console.log('held');
          interruptSignal().addEventListener('abort', () => reject(new Error('interrupted')));
        }));
      } catch {
        process.exitCode = 130;
      } finally {
        clearInterval(busy);
      }
    } else {
      const release = await acquireLock(target);
      console.log('held');
      if (mode === 'exit') process.exit(130);
      process.stdin.once('data', () => { release(); process.exit(0); });
    }
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('held')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      if (!out.includes('held')) reject(new Error(`the holder exited ${code} before taking the lock: ${err}`));
    });
  });
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));

/** A lock file written by hand: a holder record with some fields changed. */
function writeRecord(fields: Partial<ReturnType<typeof holderRecord>>): void {
  mkdirSync(join(dir, 'locks'), { recursive: true });
  writeFileSync(target.path, JSON.stringify({ ...holderRecord('kseries export --tree k61 --as v6.12'), ...fields }));
}

describe('locks in one process', () => {
  it('a free lock is taken at once; its file names the holder (command, pid, host, since, start time) and goes on release', async () => {
    const release = await acquireLock(target);
    const s = readLockFile(target.path)!;
    expect(s.holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'kseries apply --tree k61', procStart: procStartOf(process.pid) });
    expect(Date.now() - Date.parse(s.holder!.since)).toBeLessThan(10_000);
    expect(heldLocks()).toEqual([target.path]);
    release();
    release(); // a second call is a no-op
    expect(existsSync(target.path)).toBe(false);
    expect(heldLocks()).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('is reentrant: ci calls services that lock what an outer call holds already; the file goes with the last release', async () => {
    const outer = await acquireLock(target);
    const inner = await withLock(target, async () => {
      expect(existsSync(target.path)).toBe(true);
      return 'done';
    });
    expect(inner).toBe('done');
    expect(existsSync(target.path)).toBe(true);
    outer();
    expect(existsSync(target.path)).toBe(false);
  });

  it('is released when the work throws, and the error goes through unchanged', async () => {
    const other: LockTarget = { path: join(dir, 'locks', 'build-x.lock'), what: 'build directory x' };
    await expect(
      withLock([target, other], async () => {
        expect(heldLocks().sort()).toEqual([other.path, target.path].sort());
        throw new KseriesError('check', 'make failed');
      }),
    ).rejects.toMatchObject({ kind: 'check', message: 'make failed' });
    expect(existsSync(target.path)).toBe(false);
    expect(existsSync(other.path)).toBe(false);
    expect(heldLocks()).toEqual([]);
  });

  it('Ctrl-C while waiting is an interrupt (exit 130), and nothing is left behind', async () => {
    writeRecord({ host: hostname(), pid: process.ppid, procStart: procStartOf(process.ppid) }); // alive: the test runner's parent
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const err = await acquireLock(target, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).exitCode).toBe(130);
    expect((err as KseriesError).message).toBe('interrupted while waiting for tree k61');
    expect(readLockFile(target.path)!.holder!.pid).toBe(process.ppid); // not ours to remove
  });
});

describe('locks between processes', () => {
  it('waits while another process holds it, says once who (command, pid, host, since), and takes it when released', async () => {
    const child = await holder('hold');
    const t0 = Date.now();
    const got = acquireLock(target);
    await new Promise((r) => setTimeout(r, 400));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      new RegExp(`^kseries: waiting for tree k61, in use by ${HOLDER_COMMAND} \\(pid ${child.pid} on ${hostname()}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, \\d+ s ago\\); Ctrl-C stops waiting, --no-wait exits at once instead$`),
    );
    expect(readLockFile(target.path)!.holder!.pid).toBe(child.pid);
    child.stdin!.write('release\n');
    const release = await got;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(await exited(child)).toBe(0);
    expect(readLockFile(target.path)!.holder!.pid).toBe(process.pid);
    expect(notes[1]).toMatch(/^kseries: got tree k61 after waiting \d+ s$/);
    release();
  });

  it('--no-wait: an infrastructure error (exit 3) at once, naming the holder and the lock file', async () => {
    const child = await holder('hold');
    const t0 = Date.now();
    const err = (await acquireLock(target, { wait: false }).catch((e: unknown) => e)) as KseriesError;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(KseriesError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(new RegExp(`^tree k61 is in use by ${HOLDER_COMMAND} \\(pid ${child.pid} on ${hostname()}, since .* UTC, \\d+ s ago\\)$`));
    expect(err.suggestion).toBe(`Let it finish (run without --no-wait to wait for it), or stop that run; the lock is ${target.path}.`);
    expect(readLockFile(target.path)!.holder!.pid).toBe(child.pid);
    expect(notes).toEqual([]);
  });

  it('takes over the lock of a holder that was SIGKILLed, and says so', async () => {
    const child = await holder('hold');
    child.kill('SIGKILL');
    await exited(child);
    expect(readLockFile(target.path)!.holder!.pid).toBe(child.pid); // left behind
    const release = await acquireLock(target, { wait: false });
    expect(readLockFile(target.path)!.holder!.pid).toBe(process.pid);
    expect(notes).toEqual([
      expect.stringMatching(new RegExp(`^kseries: tree k61 was locked by ${HOLDER_COMMAND} \\(pid ${child.pid} on .*\\), but process ${child.pid} is gone: taking the lock over$`)),
    ]);
    release();
  });

  it('is removed when the holder exits without releasing it (process.exit, as a second Ctrl-C does)', async () => {
    const child = await holder('exit');
    expect(await exited(child)).toBe(130);
    expect(existsSync(target.path)).toBe(false);
  });

  it('is released on SIGINT, and the holder still exits 130', async () => {
    const child = await holder('sigint');
    expect(readLockFile(target.path)!.holder!.pid).toBe(child.pid);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(existsSync(target.path)).toBe(false);
  });
});

describe('stale or foreign records', () => {
  it('a live pid with another start time is a reused pid: the lock is taken over', async () => {
    writeRecord({ pid: process.ppid, procStart: '1' });
    const release = await acquireLock(target, { wait: false });
    expect(notes).toEqual([expect.stringContaining(`but pid ${process.ppid} now belongs to another process: taking the lock over`)]);
    release();
  });

  it.runIf(bootId() !== null)('a record from before a reboot (another boot_id) is taken over', async () => {
    writeRecord({ bootId: 'not-this-boot' });
    const release = await acquireLock(target, { wait: false });
    expect(notes).toEqual([expect.stringContaining('but the machine has rebooted since: taking the lock over')]);
    release();
  });

  it('a holder on another host is never taken over: it cannot be checked', async () => {
    writeRecord({ host: 'ci-runner-7', pid: 999_999_999 });
    const err = (await acquireLock(target, { wait: false }).catch((e: unknown) => e)) as KseriesError;
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^tree k61 is in use by kseries export --tree k61 --as v6\.12 \(pid 999999999 on ci-runner-7, since .*\); held on another host \(ci-runner-7\): kseries cannot check that process$/);
  });

  it('an unreadable lock file: waited for while fresh, taken over once old', async () => {
    mkdirSync(join(dir, 'locks'), { recursive: true });
    writeFileSync(target.path, '');
    const err = (await acquireLock(target, { wait: false }).catch((e: unknown) => e)) as KseriesError;
    expect(err.message).toBe('tree k61 is in use by another kseries run (its lock file is being written)');
    const old = new Date(Date.now() - 60_000);
    utimesSync(target.path, old, old);
    const release = await acquireLock(target, { wait: false });
    expect(notes).toEqual([`kseries: the lock file of tree k61 (${target.path}) holds no valid record: taking the lock over`]);
    expect(JSON.parse(readFileSync(target.path, 'utf8')).pid).toBe(process.pid);
    release();
  });
});

describe('a lock directory kseries cannot use', () => {
  it.runIf(process.getuid?.() !== 0)('not writable: an infrastructure error (exit 3) naming what', async () => {
    mkdirSync(join(dir, 'locks'), { mode: 0o500 });
    const err = (await acquireLock(target).catch((e: unknown) => e)) as KseriesError;
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^cannot lock tree k61: EACCES/);
  });

  it('a file in its place: an infrastructure error (exit 3) naming what and where', async () => {
    writeFileSync(join(dir, 'locks'), '');
    const err = (await acquireLock(target).catch((e: unknown) => e)) as KseriesError;
    expect(err).toBeInstanceOf(KseriesError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/^cannot lock tree k61: (EEXIST|ENOTDIR)/);
    expect(err.suggestion).toBe(`Check that ${join(dir, 'locks')} can be written.`);
  });
});
