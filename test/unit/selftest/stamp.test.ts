// SPDX-License-Identifier: GPL-2.0-only
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputsKey, listedModules, referencedFiles } from '../../../src/lib/selftest/stamp.js';

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

  it('the source-tree files a kselftest names: includes resolved against the tree, $(top_srcdir)/ and ../ paths of its Makefile; not the system headers, not directories', () => {
    const top = join(dir, 'linux');
    const ks = join(top, 'tools', 'testing', 'selftests');
    for (const f of ['mm/gup_test.h', 'lib/test_hmm_uapi.h', 'include/vdso/time64.h', 'tools/testing/selftests/x86/check_cc.sh', 'tools/testing/selftests/vm/vm_util.h']) {
      mkdirSync(join(top, f, '..'), { recursive: true });
      writeFileSync(join(top, f), '');
    }
    mkdirSync(join(top, 'tools', 'include'), { recursive: true });
    writeFileSync(join(ks, 'vm', 'gup_test.c'), '#include <stdio.h>\n#include <linux/types.h>\n#include <mm/gup_test.h>\n# include "vm_util.h"\n#include <lib/test_hmm_uapi.h>\n');
    writeFileSync(join(ks, 'vm', 'Makefile'), 'LOCAL_HDRS += $(top_srcdir)/mm/gup_test.h\nCFLAGS = -I $(top_srcdir)/tools/include -I $(top_srcdir)\nCAN_BUILD_I386 := $(shell ./../x86/check_cc.sh "$(CC)" ../x86/trivial_32bit_program.c -m32)\ninclude ../lib.mk\n');
    writeFileSync(join(ks, 'vm', 'hmm-tests.c'), '#include <include/vdso/time64.h>\n');
    expect(referencedFiles([join(ks, 'vm')], top)).toEqual([
      join(top, 'include/vdso/time64.h'), join(top, 'lib/test_hmm_uapi.h'), join(top, 'mm/gup_test.h'), join(ks, 'x86', 'check_cc.sh'),
    ].sort());
    // and a change to one of them moves the key of the step
    const k = inputsKey(spec, { files: [], trees: [], referencedFrom: { dirs: [join(ks, 'vm')], top } });
    writeFileSync(join(top, 'mm/gup_test.h'), '#define GUP_FAST_BENCHMARK 1\n');
    expect(inputsKey(spec, { files: [], trees: [], referencedFrom: { dirs: [join(ks, 'vm')], top } })).not.toBe(k);
  });
});
