// SPDX-License-Identifier: GPL-2.0-only
import { describeChanges, isSourceChange, sourceChanges } from '../../../src/lib/watch/changes.js';

describe('isSourceChange', () => {
  it.each([
    ['drivers/dax/kmem.c', true],
    ['drivers/dax/Kconfig', true],
    ['Documentation/admin-guide/mm/dax-kmem-persist.rst', true],
    ['tools/testing/selftests/dax/kmem_persist.sh', true],
    ['Makefile', true],
    ['.git/index.lock', false],
    ['.git', false],
    ['drivers/dax/.kmem.c.swp', false],
    ['drivers/dax/.kmem.c.swx', false],
    ['drivers/dax/.kmem.c.swo', false],
    ['drivers/dax/4913', false],
    ['drivers/dax/kmem.c~', false],
    ['drivers/dax/.#kmem.c', false],
    ['drivers/dax/#kmem.c#', false],
    ['drivers/dax/kmem.c.orig', false],
    ['drivers/dax/kmem.c.rej', false],
    ['drivers/dax/kmem.o', false],
    ['drivers/dax/.kmem.o.cmd', false],
    ['drivers/dax/kmem.ko', false],
    ['', false],
  ])('%s: %s', (rel, want) => {
    expect(isSourceChange(rel)).toBe(want);
  });
});

describe('sourceChanges / describeChanges', () => {
  it('keeps each edited file once, sorted, without the editor\'s files', () => {
    const got = sourceChanges(['drivers/dax/kmem.c', 'drivers/dax/.kmem.c.swp', 'drivers/dax/4913', 'drivers/dax/bus.c', 'drivers/dax/kmem.c']);
    expect(got).toEqual(['drivers/dax/bus.c', 'drivers/dax/kmem.c']);
    expect(describeChanges(got)).toBe('drivers/dax/bus.c and 1 more');
    expect(describeChanges(['mm/memory_hotplug.c'])).toBe('mm/memory_hotplug.c');
    expect(describeChanges([])).toBe('start');
  });
});
