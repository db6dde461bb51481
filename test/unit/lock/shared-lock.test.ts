// SPDX-License-Identifier: GPL-2.0-only
/**
 * Shared (read) locks (src/lib/lock/): `kseries build` holds its tree shared, apply holds it
 * exclusively. In this process (reentrancy, no upgrade) and against real child processes
 * (they import dist/, rebuilt from src/ by test/dist-setup.ts): shared holders coexist, an
 * exclusive one waits for all of them and keeps new ones out while it waits, a shared one
 * waits for an exclusive one, --no-wait refuses naming the holder, a SIGKILLed shared holder
 * is taken over; and a stress run of several processes taking both kinds at random never
 * has an exclusive holder beside any other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { KseriesError } from '../../../src/lib/errors.js';
import { readLockFile, sharedLockFiles } from '../../../src/lib/lock/file-lock.js';
import { acquireLock, configureLocks, heldLocks, heldSharedLocks, resetLocks, sharedLock, withLock, type LockTarget } from '../../../src/lib/lock/locks.js';

const REPO = new URL('../../..', import.meta.url).pathname;
const CHILD_COMMAND = 'kseries build --tree k61';

let dir: string;
let target: LockTarget;
let notes: string[];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kseries-shared-lock-'));
  target = { path: join(dir, 'locks', 'tree-k61.lock'), what: 'tree k61' };
  notes = [];
  configureLocks({ command: 'kseries apply --tree k61', notify: (l) => notes.push(l), pollMs: 50, wait: true });
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  resetLocks();
  rmSync(dir, { recursive: true, force: true });
});

const dist = (f: string) => JSON.stringify(join(REPO, 'dist/lib', f));

/** A child node that takes the lock (shared or not) and holds it until a line on stdin; with wait off it prints the refusal instead. */
function child(shared: boolean, opts: { wait?: boolean } = {}): Promise<{ proc: ChildProcess; said: string }> {
  const script = `
    import { acquireLock, configureLocks } from ${dist('lock/locks.js')};
    const target = { path: ${JSON.stringify(target.path)}, what: 'tree k61', shared: ${shared} };
    configureLocks({ command: ${JSON.stringify(CHILD_COMMAND)}, pollMs: 50, notify: (l) => console.log('note ' + l) });
    try {
      const release = await acquireLock(target, { wait: ${opts.wait ?? true} });
      console.log('held');
      process.stdin.once('data', () => { release(); process.exit(0); });
    } catch (err) {
      console.log('refused ' + err.message);
      process.exit(err.exitCode ?? 1);
    }
  `;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^(held|refused)/m.test(out)) resolve({ proc, said: out });
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      if (!/^(held|refused)/m.test(out)) reject(new Error(`the child exited ${code}: ${out} ${err}`));
    });
  });
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));
const lockFiles = () => (existsSync(join(dir, 'locks')) ? readdirSync(join(dir, 'locks')).sort() : []);

describe('shared locks in one process', () => {
  it('a shared hold is a file of its own beside the lock (LOCK.shared-TOKEN), gone on release', async () => {
    const release = await acquireLock(sharedLock(target));
    expect(existsSync(target.path)).toBe(false);
    const files = sharedLockFiles(target.path);
    expect(files.map((f) => basename(f))).toEqual([expect.stringMatching(/^tree-k61\.lock\.shared-[0-9a-f]{16}$/)]);
    expect(readLockFile(files[0])!.holder).toMatchObject({ pid: process.pid, command: 'kseries apply --tree k61' });
    expect(heldLocks()).toEqual([target.path]);
    expect(heldSharedLocks()).toEqual([target.path]);
    release();
    expect(lockFiles()).toEqual([]);
    expect(heldLocks()).toEqual([]);
  });

  it('an exclusive hold covers a shared request of the same run (ci: apply, then build); the shared one counts, no file is added', async () => {
    const outer = await acquireLock(target);
    await withLock(sharedLock(target), async () => {
      expect(lockFiles()).toEqual(['tree-k61.lock']);
      expect(heldSharedLocks()).toEqual([]);
    });
    expect(existsSync(target.path)).toBe(true);
    outer();
    expect(lockFiles()).toEqual([]);
  });

  it('a shared hold is not upgraded: asking for it exclusively is an internal error, and the shared hold stays', async () => {
    const release = await acquireLock(sharedLock(target));
    await expect(acquireLock(target)).rejects.toThrow(/^internal error: tree k61 is held shared by this run and cannot be taken exclusively$/);
    expect(sharedLockFiles(target.path)).toHaveLength(1);
    release();
    expect(lockFiles()).toEqual([]);
  });
});

describe('what a run killed while taking a lock leaves beside it', () => {
  it('its temporary record (its pid gone) and an old takeover guard go with the next acquisition; a live run\'s temporary record stays', async () => {
    mkdirSync(join(dir, 'locks'), { recursive: true });
    const dead = join(dir, 'locks', 'tree-k61.lock.999999999.0123456789abcdef.tmp');
    const deadShared = join(dir, 'locks', 'tree-k61.lock.shared-0123456789abcdef.999999999.0123456789abcdef.tmp');
    const live = join(dir, 'locks', `tree-k61.lock.${process.ppid}.0123456789abcdef.tmp`);
    const guard = join(dir, 'locks', 'tree-k61.lock.takeover');
    for (const f of [dead, deadShared, live, guard]) writeFileSync(f, '{}');
    const old = new Date(Date.now() - 60_000);
    utimesSync(guard, old, old);
    const release = await acquireLock(sharedLock(target));
    release();
    expect(lockFiles()).toEqual([basename(live)]);
  });
});

describe('shared locks between processes', () => {
  it('shared holders coexist; an exclusive run refuses with --no-wait naming one, or waits for all of them, keeping new shared ones out while it waits', async () => {
    const a = await child(true);
    expect(a.said).toBe('held\n');
    const mine = await acquireLock(sharedLock(target), { wait: false }); // beside a
    expect(sharedLockFiles(target.path)).toHaveLength(2);
    mine();

    const err = (await acquireLock(target, { wait: false }).catch((e: unknown) => e)) as KseriesError;
    expect(err).toBeInstanceOf(KseriesError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(new RegExp(`^tree k61 is in use by ${CHILD_COMMAND} \\(pid ${a.proc.pid} on ${hostname()}, since .* UTC, \\d+ s ago\\)$`));
    expect(lockFiles()).toEqual([basename(sharedLockFiles(target.path)[0])]); // the refusal left nothing

    const got = acquireLock(target);
    await new Promise((r) => setTimeout(r, 300));
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^kseries: waiting for tree k61, in use by ${CHILD_COMMAND} \\(pid ${a.proc.pid} .*\\); Ctrl-C stops waiting`))]);
    // the exclusive run waits holding LOCK: a new shared run is refused (it would wait)
    const b = await child(true, { wait: false });
    expect(b.said).toMatch(/^refused tree k61 is in use by kseries apply --tree k61 \(pid \d+ /m);
    expect(await exited(b.proc)).toBe(3);
    a.proc.stdin!.write('release\n');
    expect(await exited(a.proc)).toBe(0);
    const release = await got;
    expect(readLockFile(target.path)!.holder!.pid).toBe(process.pid);
    expect(notes[1]).toMatch(/^kseries: got tree k61 after waiting \d+ s$/);
    release();
    expect(lockFiles()).toEqual([]);
  });

  it('a shared run waits for an exclusive holder (or refuses with --no-wait), then holds beside nobody', async () => {
    const a = await child(false);
    const err = (await acquireLock(sharedLock(target), { wait: false }).catch((e: unknown) => e)) as KseriesError;
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(new RegExp(`^tree k61 is in use by ${CHILD_COMMAND} \\(pid ${a.proc.pid} `));
    expect(sharedLockFiles(target.path)).toEqual([]); // backed off
    const got = acquireLock(sharedLock(target));
    await new Promise((r) => setTimeout(r, 300));
    expect(notes).toHaveLength(1);
    a.proc.stdin!.write('release\n');
    await exited(a.proc);
    const release = await got;
    expect(lockFiles()).toEqual([basename(sharedLockFiles(target.path)[0])]);
    release();
  });

  it('the file of a SIGKILLed shared holder goes when the next shared run takes the lock, which says so', async () => {
    const a = await child(true);
    a.proc.kill('SIGKILL');
    await exited(a.proc);
    const release = await acquireLock(sharedLock(target), { wait: false });
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^kseries: tree k61 was locked by ${CHILD_COMMAND} \\(pid ${a.proc.pid} .*\\), but process ${a.proc.pid} is gone: taking the lock over$`))]);
    expect(sharedLockFiles(target.path)).toHaveLength(1); // this run's own
    release();
    expect(lockFiles()).toEqual([]);
  });

  it('the file of a SIGKILLed shared holder is taken over by an exclusive run, which says so', async () => {
    const a = await child(true);
    a.proc.kill('SIGKILL');
    await exited(a.proc);
    expect(sharedLockFiles(target.path)).toHaveLength(1); // left behind
    const release = await acquireLock(target, { wait: false });
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^kseries: tree k61 was locked by ${CHILD_COMMAND} \\(pid ${a.proc.pid} .*\\), but process ${a.proc.pid} is gone: taking the lock over$`))]);
    expect(lockFiles()).toEqual(['tree-k61.lock']);
    release();
  });

  it('Ctrl-C while an exclusive run waits for shared holders: exit 130, its lock file goes, the shared holder keeps its hold', async () => {
    const a = await child(true);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const err = (await acquireLock(target, { signal: ac.signal }).catch((e: unknown) => e)) as KseriesError;
    expect(err.exitCode).toBe(130);
    expect(existsSync(target.path)).toBe(false);
    expect(sharedLockFiles(target.path)).toHaveLength(1);
    expect(heldLocks()).toEqual([]);
    a.proc.stdin!.write('release\n');
    await exited(a.proc);
  });

  it('an exclusive --no-wait run that meets a shared holder gives up without creating the lock: shared --no-wait runs beside it are never refused (CI saw build --no-wait exit 3 beside tree remove --no-wait)', async () => {
    const a = await child(true);
    expect(a.said).toBe('held\n');
    const loop = (shared: boolean) => {
      const script = `
        import { acquireLock, configureLocks } from ${dist('lock/locks.js')};
        configureLocks({ command: 'kseries ${shared ? 'build' : 'tree remove'}', pollMs: 2, notify: () => {} });
        let got = 0, refused = 0;
        for (let i = 0; i < 300; i++) {
          try { (await acquireLock({ path: ${JSON.stringify(target.path)}, what: 'tree k61', shared: ${shared} }, { wait: false }))(); got++; } catch { refused++; }
        }
        console.log(got + ' ' + refused);
      `;
      const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(p);
      let out = '';
      p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      return exited(p).then(() => out.trim());
    };
    const [readers, writers] = await Promise.all([loop(true), loop(false)]);
    expect(readers).toBe('300 0');
    expect(writers).toBe('0 300');
    a.proc.stdin!.write('release\n');
    await exited(a.proc);
    expect(lockFiles()).toEqual([]);
  }, 60_000);

  it('stress: 4 processes taking it shared or exclusively at random, 40 times each: an exclusive holder is never beside another holder', async () => {
    const inside = join(dir, 'inside');
    mkdirSync(inside, { recursive: true });
    const script = `
      import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
      import { join } from 'node:path';
      import { acquireLock, configureLocks } from ${dist('lock/locks.js')};
      configureLocks({ command: 'kseries stress', pollMs: 2, notify: () => {} });
      const inside = ${JSON.stringify(inside)};
      let bad = 0;
      for (let i = 0; i < 40; i++) {
        const shared = Math.random() < 0.6;
        const release = await acquireLock({ path: ${JSON.stringify(target.path)}, what: 'tree k61', shared });
        const me = join(inside, (shared ? 's-' : 'x-') + process.pid);
        writeFileSync(me, '');
        const others = () => readdirSync(inside).filter((f) => !f.endsWith('-' + process.pid));
        const check = () => { const o = others(); if (shared ? o.some((f) => f.startsWith('x-')) : o.length) { bad++; console.log('overlap ' + (shared ? 's' : 'x') + ' ' + o.join(',')); } };
        check();
        await new Promise((r) => setTimeout(r, Math.random() * 5));
        check();
        rmSync(me);
        release();
      }
      process.exit(bad ? 1 : 0);
    `;
    const runs = Array.from({ length: 4 }, () => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(p);
      let out = '';
      p.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      return exited(p).then((code) => ({ code, out }));
    });
    const results = await Promise.all(runs);
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ code: 0, out: '' })));
    expect(lockFiles()).toEqual([]);
  }, 60_000);
});
