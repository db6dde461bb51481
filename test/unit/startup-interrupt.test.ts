// SPDX-License-Identifier: GPL-2.0-only
/**
 * Ctrl-C while node loads oclif and the command: bin/run.js's own handler makes it an
 * interrupted run (exit 130, one line saying nothing was changed), not a death by the
 * signal; the command's handler then replaces it (a Ctrl-C at work says "stopping and
 * cleaning up"). The delays start inside node's own bootstrap and grow until one lands in
 * the start-up window, which lasts most of a second.
 */
import { describe, expect, it } from 'vitest';
import { interruptAfter } from '../helpers/kill.js';
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
});
