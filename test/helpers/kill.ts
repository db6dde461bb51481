// SPDX-License-Identifier: GPL-2.0-only
/**
 * SIGKILL loops (test/unit/*-kill.test.ts): a kseries run started in a process group of its
 * own and killed whole (node and its git, tar, make children), as a power cut or the OOM
 * killer would, after a random delay. KSERIES_INTERRUPT_RUNS sets the number of kills (default
 * 5, for CI; the documented full runs use 200, README, testing). Test setup only.
 */
import { spawn } from 'node:child_process';
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
  const bin = join(new URL('../..', import.meta.url).pathname, 'bin', 'run.js');
  const t0 = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore', env: { ...process.env, ...env }, detached: true });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let killed = false;
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
      killed = true;
    } catch {
      /* already gone */
    }
  }, delay);
  const code = await exited;
  clearTimeout(timer);
  const ms = Date.now() - t0;
  // children killed with the group are reaped by init; wait until none is left
  for (let i = 0; i < 100 && groupAlive(child.pid!); i++) await new Promise((r) => setTimeout(r, 20));
  return { code, ms, killed };
}

/** A delay for run RUN: spread over the whole run (and a bit past it), seeded by nothing (each loop differs). */
export const randomDelay = (fullMs: number) => Math.floor(Math.random() * fullMs * 1.1);
