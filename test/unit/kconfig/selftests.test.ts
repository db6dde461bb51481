// SPDX-License-Identifier: GPL-2.0-only
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTargets, selftestConfigPath } from '../../../src/lib/kconfig/selftests.js';
import { fixtureTree } from './helpers.js';

const probe = (root: string) => ({
  isDir: (r: string) => existsSync(join(root, r)) && statSync(join(root, r)).isDirectory(),
  isFile: (r: string) => existsSync(join(root, r)) && statSync(join(root, r)).isFile(),
});

describe('resolveTargets', () => {
  it.each([
    ['6.1', 'vm', 'vm'],
    ['6.1', 'mm', 'vm'],
    ['6.12', 'mm', 'mm'],
    ['6.12', 'vm', 'mm'],
    ['6.1', 'memory-hotplug', 'memory-hotplug'],
  ] as const)('on %s, %s is %s', (v, asked, target) => {
    expect(resolveTargets([asked], probe(fixtureTree(v)), v)).toEqual([{ asked, target, hasConfig: true }]);
  });

  it('says that the dax target comes with the series', () => {
    expect(() => resolveTargets(['memory-hotplug', 'dax'], probe(fixtureTree('6.1')), 'tree k61')).toThrow(
      expect.objectContaining({ kind: 'usage', message: 'selftest target "dax" does not exist in tree k61 (no tools/testing/selftests/dax/)', suggestion: expect.stringContaining('added by the series') }),
    );
  });

  it('notes a target without a config file', () => {
    const p = { isDir: () => true, isFile: () => false };
    expect(resolveTargets(['dax'], p, 't')).toEqual([{ asked: 'dax', target: 'dax', hasConfig: false }]);
    expect(selftestConfigPath('dax')).toBe('tools/testing/selftests/dax/config');
  });
});
