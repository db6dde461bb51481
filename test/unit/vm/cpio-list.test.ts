// SPDX-License-Identifier: GPL-2.0-only
import { normalizeEntries, renderCpioList } from '../../../src/lib/vm/cpio-list.js';

describe('renderCpioList', () => {
  it('renders every entry type in gen_init_cpio syntax, parents first', () => {
    const text = renderCpioList([
      { type: 'nod', path: '/dev/console', dev: 'c', major: 5, minor: 1 },
      { type: 'file', path: '/usr/bin/ndctl', src: '/usr/bin/ndctl', mode: 0o755 },
      { type: 'slink', path: '/bin/sh', target: '/bin/busybox' },
      { type: 'dir', path: '/tmp', mode: 0o1777 },
    ]);
    expect(text.split('\n')).toEqual([
      'dir /dev 755 0 0',
      'nod /dev/console 600 0 0 c 5 1',
      'dir /usr 755 0 0',
      'dir /usr/bin 755 0 0',
      'file /usr/bin/ndctl /usr/bin/ndctl 755 0 0',
      'dir /bin 755 0 0',
      'slink /bin/sh /bin/busybox 777 0 0',
      'dir /tmp 1777 0 0',
      '',
    ]);
  });

  it('keeps one entry for exact duplicates and the first of two dirs', () => {
    const e = normalizeEntries([
      { type: 'dir', path: '/a', mode: 0o700 },
      { type: 'dir', path: '/a' },
      { type: 'slink', path: '/a/b', target: 'x' },
      { type: 'slink', path: '/a/b', target: 'x' },
    ]);
    expect(e).toEqual([{ type: 'dir', path: '/a', mode: 0o700 }, { type: 'slink', path: '/a/b', target: 'x' }]);
  });

  it.each([
    ['relative', 'bin/sh'],
    ['dot-dot', '/bin/../etc'],
    ['double slash', '/bin//sh'],
    ['blank', '/bin/a b'],
  ])('rejects a %s path', (_n, path) => {
    expect(() => renderCpioList([{ type: 'dir', path }])).toThrow(/bad initramfs path/);
  });

  it('rejects two different entries for one path', () => {
    expect(() => normalizeEntries([{ type: 'slink', path: '/x', target: 'a' }, { type: 'slink', path: '/x', target: 'b' }])).toThrow(/two different/);
  });

  it('rejects a source path gen_init_cpio cannot read', () => {
    expect(() => renderCpioList([{ type: 'file', path: '/x', src: '/tmp/a b' }])).toThrow(/blanks/);
  });
});
