// SPDX-License-Identifier: GPL-2.0-only
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ktapSection } from '../../../src/lib/vm/ktap-section.js';
import { parseMarkers } from '../../../src/lib/vm/markers.js';

const fixture = (n: string) => readFileSync(join(new URL('../../fixtures/console', import.meta.url).pathname, `${n}.log`), 'latin1');

describe('parseMarkers', () => {
  it.each([
    ['clean', true, [{ name: 'clean', exit: 0 }], true],
    ['script-fails', true, [{ name: 'script-fails', exit: 1 }], true],
    ['lkdtm-exception', true, [{ name: 'lkdtm-exception', exit: null }], false],
    ['test-hang', true, [{ name: 'hang', exit: null }], false],
    ['init-exits-panic', false, [], false],
    ['boot-cut', false, [], false],
  ])('%s (recorded)', (name, initSeen, scripts, end) => {
    const m = parseMarkers(fixture(name));
    expect(m.initSeen).toBe(initSeen);
    expect(m.scripts.map(({ name: n, exit }) => ({ name: n, exit }))).toEqual(scripts);
    expect(m.end).toBe(end);
  });

  it("keeps a script's output and its guest uptime", () => {
    const m = parseMarkers(fixture('clean'));
    expect(m.initUptimeSec).toBeGreaterThan(0);
    expect(m.scripts[0].output).toMatch(/hello from the guest\nMemTotal:/);
  });

  it('reads the kmemleak scan /init makes after the script on a kernel with kmemleak (null: no scan)', () => {
    const m = parseMarkers('\nKSERIES-BEGIN a\nok 1 x\n\nKSERIES-RESULT a exit=0\n\nKSERIES-KMEMLEAK unreferenced=3\n\nKSERIES-END\n');
    expect(m.kmemleak).toBe(3);
    expect(m.scripts).toEqual([{ name: 'a', exit: 0, output: 'ok 1 x' }]);
    expect(parseMarkers(fixture('clean')).kmemleak).toBeNull();
  });

  it('closes a script that never reported when the next one begins', () => {
    const m = parseMarkers('\nKSERIES-BEGIN a\nx\nKSERIES-BEGIN b\ny\n\nKSERIES-RESULT b exit=4\n\nKSERIES-END\n');
    expect(m.scripts).toEqual([
      { name: 'a', exit: null, output: 'x' },
      { name: 'b', exit: 4, output: 'y' },
    ]);
  });

  it('finds a marker printed after a kernel message on the same line', () => {
    const m = parseMarkers('KSERIES-BEGIN a\n[    1.000000] random: crng init done KSERIES-RESULT a exit=0\n');
    expect(m.scripts[0].exit).toBe(0);
  });
});

describe('ktapSection', () => {
  it('starts at the version line and drops trailing blank lines', () => {
    expect(ktapSection('kseries: setup\nTAP version 13\n1..1\nok 1 x\n\n\n')).toBe('TAP version 13\n1..1\nok 1 x\n');
    expect(ktapSection('KTAP version 1\r\n1..0\r\n')).toBe('KTAP version 1\n1..0\n');
  });
  it('is null without one', () => {
    expect(ktapSection('no tests here\n')).toBeNull();
  });
});
