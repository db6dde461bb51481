// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL loops (test/unit/*-kill.test.ts): a kseries run started in a process group of its
 * own and killed whole (node and its git, tar, make children), as a power cut or the OOM
 * killer would, after a random delay; SIGINT loops (*-interrupt.test.ts): the same group
 * sent SIGINT, as Ctrl-C does. KSERIES_INTERRUPT_RUNS sets the number of kills (default
 * 5, for CI; the documented full runs use 200, README, testing). Test setup only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const KILL_RUNS = Math.max(1, Number(process.env.KSERIES_INTERRUPT_RUNS ?? 5) || 5);

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts kseries ARGS in a process group of its own and SIGKILLs the whole group after DELAY ms (or lets it finish). */
export async function killAfter(args: string[], delay: number, env: Record<string, string> = {}): Promise<{ code: number | null; ms: number; killed: boolean }> {
  const r = await signalAfter(args, delay, 'SIGKILL', env);
  return { code: r.bySignal ? null : r.code, ms: r.ms, killed: r.signalled };
}

/**
 * Starts kseries ARGS in a process group of its own and, after DELAY ms, sends SIGINT to the
 * whole group, as Ctrl-C in a terminal does (node and its git, tar, make children all get it).
 * `code` is what a shell reports: the exit code, or 128 + 2 when node died of the signal
 * itself (before kseries installed its handler; `bySignal` says so). `interrupted`: the
 * signal was sent before the run ended. `strays`: processes of the group outlived kseries by 5 s.
 */
export async function interruptAfter(args: string[], delay: number, env: Record<string, string> = {}): Promise<{ code: number; bySignal: boolean; interrupted: boolean; strays: boolean; stderr: string; ms: number }> {
  const r = await signalAfter(args, delay, 'SIGINT', env);
  return { ...r, interrupted: r.signalled };
}

/** A kseries run in a process group of its own (see startGroup). */
export interface GroupRun {
  pid: number;
  stderr: () => string;
  stdout: () => string;
  /** Sends SIG to the whole group, as Ctrl-C (SIGINT) or the OOM killer (SIGKILL) would; false when it was gone. */
  signal: (sig: 'SIGKILL' | 'SIGINT') => boolean;
  /** Whether a process of the group named NAME runs (pgrep -g). */
  running: (name: string) => boolean;
  /**
   * The run's end: `code` is what a shell reports (the exit code, or 128 + the signal when node
   * died of it; `bySignal` says so); `strays`: processes of the group outlived kseries by 5 s
   * (reported, then killed).
   */
  done: Promise<{ code: number; bySignal: boolean; signalled: boolean; strays: boolean; stderr: string; ms: number }>;
}

/** Starts kseries ARGS in a process group of its own, to be signalled whole when the test decides. */
export function startGroup(args: string[], env: Record<string, string> = {}): GroupRun {
  const bin = join(new URL('../..', import.meta.url).pathname, 'bin', 'run.js');
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: true });
  const pid = child.pid!;
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let signalled = false;
  const signal = (sig: 'SIGKILL' | 'SIGINT') => {
    try {
      process.kill(-pid, sig);
      signalled = true;
      return true;
    } catch {
      return false; // already gone
    }
  };
  const done = (async () => {
    const { code, signal: sig } = await exited;
    const ms = Date.now() - t0;
    // children killed with the group are reaped by init; one still running 5 s after kseries exited is one it left behind
    for (let i = 0; i < 250 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    const strays = groupAlive(pid);
    if (strays) process.kill(-pid, 'SIGKILL');
    return { code: code ?? 128 + (sig === 'SIGINT' ? 2 : 9), bySignal: code === null, signalled, strays, stderr, ms };
  })();
  const running = (name: string) => spawnSync('pgrep', ['-g', String(pid), '-x', name]).status === 0;
  return { pid, stderr: () => stderr, stdout: () => stdout, signal, running, done };
}

async function signalAfter(args: string[], delay: number, sig: 'SIGKILL' | 'SIGINT', env: Record<string, string>) {
  const run = startGroup(args, env);
  const timer = setTimeout(() => run.signal(sig), delay);
  const r = await run.done;
  clearTimeout(timer);
  return r;
}

/**
 * A delay within the work of a run that takes FULL ms, of which about START ms are node's and
 * oclif's start-up (the time of `kseries tree list`): Ctrl-C then mostly hits kseries at work
 * rather than node loading modules, before any handler (a run killed there did nothing).
 */
export const workDelay = (startMs: number, fullMs: number) => Math.floor(startMs * 0.8 + Math.random() * Math.max(1, fullMs * 1.1 - startMs * 0.8));

/** The start-up time of a kseries run: a `tree list`, ms. */
export async function startupMs(): Promise<number> {
  const { runCliAsync } = await import('./cli-async.js');
  const t0 = Date.now();
  await runCliAsync(['tree', 'list']);
  return Date.now() - t0;
}

/** A delay for run RUN: spread over the whole run (and a bit past it), seeded by nothing (each loop differs). */
export const randomDelay = (fullMs: number) => Math.floor(Math.random() * fullMs * 1.1);

export interface CtrlCSeen {
  interrupted: number;
  early: number;
  done: number;
}

/**
 * The checks every Ctrl-C loop makes of one interrupted run, counted in SEEN: no process
 * left, and either exit 0 (done before the signal), or 130, stopped in start-up (node's
 * bootstrap or bin/run.js's own handler: nothing was done) or by the command's handler
 * (it says so, without a stack trace). Returns what happened.
 */
export function expectCtrlC(c: Awaited<ReturnType<typeof interruptAfter>>, why: string, seen: CtrlCSeen): keyof CtrlCSeen {
  expect(c.strays, `${why}: processes left running`).toBe(false);
  let what: keyof CtrlCSeen;
  if (c.code === 0) what = 'done';
  else {
    expect(c.code, `${why}: ${c.stderr}`).toBe(130);
    if (c.bySignal || /received while starting; nothing was changed/.test(c.stderr)) what = 'early';
    else {
      expect(c.stderr, why).toMatch(/SIGINT received/);
      expect(c.stderr, why).not.toMatch(/^\s+at /m); // no stack trace
      what = 'interrupted';
    }
  }
  seen[what]++;
  return what;
}
