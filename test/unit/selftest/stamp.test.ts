// SPDX-License-Identifier: GPL-2.0-only
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputsKey, listedModules } from '../../../src/lib/selftest/stamp.js';

describe('guest-file stamps', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-stamp-'));
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'a.h'), 'a');
    writeFileSync(join(dir, 'tree', 'sub', 'b.h'), 'b');
    writeFileSync(join(dir, 'f'), 'f');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const spec = { cmd: 'make', args: ['headers'] };
  const key = (over: Partial<{ files: string[]; trees: string[] }> = {}) => inputsKey(spec, { files: [join(dir, 'f')], trees: [join(dir, 'tree')], ...over });

  it.each([
    ['nothing changed', () => {}, true],
    ['a file under a tree rewritten with the same size, newer time', () => utimesSync(join(dir, 'tree', 'sub', 'b.h'), new Date(), new Date(Date.now() + 5000)), false],
    ['a file under a tree added', () => writeFileSync(join(dir, 'tree', 'sub', 'c.h'), ''), false],
    ['a file under a tree removed', () => rmSync(join(dir, 'tree', 'a.h')), false],
    ['a listed file rewritten with the same content (modules.builtin.modinfo at each link)', () => (writeFileSync(join(dir, 'f'), 'f'), utimesSync(join(dir, 'f'), new Date(), new Date(Date.now() + 5000))), true],
    ['a listed file changed', () => writeFileSync(join(dir, 'f'), 'g'), false],
    ['a listed file removed', () => rmSync(join(dir, 'f')), false],
  ])('%s: same key %s', (_what, change, same) => {
    const before = key();
    change();
    expect(key() === before).toBe(same);
  });

  it('the command line is part of the key (other targets, other O=)', () => {
    expect(inputsKey({ cmd: 'make', args: ['TARGETS=vm'] }, { files: [], trees: [] })).not.toBe(inputsKey({ cmd: 'make', args: ['TARGETS=dax'] }, { files: [], trees: [] }));
  });

  it.each([
    ['6.1: .ko paths', 'drivers/dax/kmem.ko\nfs/ext4/ext4.ko\n', ['/b/drivers/dax/kmem.ko', '/b/fs/ext4/ext4.ko']],
    ['6.12: .o paths, the .ko beside each', 'drivers/dax/kmem.o\n\n', ['/b/drivers/dax/kmem.ko']],
    ['no modules', '', []],
  ])('modules.order, %s', (_what, order, want) => {
    expect(listedModules(order, '/b')).toEqual(want);
  });
});
