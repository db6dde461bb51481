// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C while node loads oclif and the command: bin/run.js's own handler makes it an
 * interrupted run (exit 130, one line saying nothing was changed), not a death by the
 * signal; the command's handler then replaces it (a Ctrl-C at work says "stopping and
 * cleaning up"). The delays start inside node's own bootstrap and grow until one lands in
 * the start-up window, which lasts most of a second.
 *
 * Ctrl-C as a command ends (its output printed): the exit code is the command's. Node's
 * teardown after an empty event loop closes its signal handles first, so a signal then
 * killed the process (a shell saw 130 for a command that had finished); bin/run.js exits
 * by process.exit instead, with the handlers in place.
 */
import { describe, expect, it } from 'vitest';
import { interruptAfter, startGroup } from '../helpers/kill.js';
import { isolate } from '../helpers/env.js';

describe('Ctrl-C during start-up', () => {
  it('exits 130 with a word, no stack, nothing left running', async () => {
    const env = isolate();
    try {
      const seen: string[] = [];
      let hit = false;
      // node's bootstrap (no handler at all yet) takes tens of ms, more on a loaded machine
      for (let delay = 40; delay <= 3000 && !hit; delay += 60) {
        const c = await interruptAfter(['tree', 'list'], delay);
        expect(c.strays).toBe(false);
        expect(c.stderr).not.toMatch(/^\s+at /m);
        seen.push(`${delay} ms: ${c.bySignal ? 'killed by the signal in node bootstrap' : `exit ${c.code}`}`);
        if (c.bySignal) continue; // before bin/run.js ran
        expect(c.code, seen.join('; ')).toBe(130);
        expect(c.stderr).toMatch(/kseries: SIGINT received while starting; nothing was changed/);
        hit = true;
      }
      expect(hit, seen.join('; ')).toBe(true);
    } finally {
      env.cleanup();
    }
  });

  it("Ctrl-C once the output is printed: exit 0 as the command's, not a death by the signal", async () => {
    const env = isolate();
    try {
      const seen: string[] = [];
      for (let run = 0; run < 20; run++) {
        const r = startGroup(['tree', 'list']);
        // the signal follows the last line of output by 0-3 ms, while node finishes
        const printed = setInterval(() => {
          if (!r.stdout().includes('no trees registered')) return;
          clearInterval(printed);
          setTimeout(() => r.signal('SIGINT'), Math.random() * 3);
        }, 1);
        const c = await r.done;
        clearInterval(printed);
        seen.push(c.bySignal ? 'killed by the signal' : `exit ${c.code}`);
        expect(c.strays).toBe(false);
      }
      expect(seen.filter((s) => s !== 'exit 0'), seen.join('; ')).toEqual([]);
    } finally {
      env.cleanup();
    }
  });
});
