// SPDX-License-Identifier: GPL-2.0-only
import { parseLdd, sharedLibraries } from '../../../src/lib/vm/ldd.js';
import { FakeRunner } from '../../helpers/fake-runner.js';

// Recorded: ldd /usr/bin/daxctl on Debian 12
const DAXCTL = `	linux-vdso.so.1 (0x00007f71b9e8d000)
	libdaxctl.so.1 => /lib/x86_64-linux-gnu/libdaxctl.so.1 (0x00007f71b9e58000)
	libndctl.so.6 => /lib/x86_64-linux-gnu/libndctl.so.6 (0x00007f71b9e2c000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f71b9c24000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f71b9e8f000)
`;

describe('parseLdd', () => {
  it('lists libraries and the loader, without the vDSO', () => {
    expect(parseLdd(DAXCTL)).toEqual([
      { name: 'libdaxctl.so.1', path: '/lib/x86_64-linux-gnu/libdaxctl.so.1' },
      { name: 'libndctl.so.6', path: '/lib/x86_64-linux-gnu/libndctl.so.6' },
      { name: 'libc.so.6', path: '/lib/x86_64-linux-gnu/libc.so.6' },
      { name: '/lib64/ld-linux-x86-64.so.2', path: '/lib64/ld-linux-x86-64.so.2' },
    ]);
  });
  it('fails on a missing library', () => {
    expect(() => parseLdd('\tlibjson-c.so.5 => not found\n\tlibc.so.6 => /lib/libc.so.6 (0x1)\n')).toThrow(/libjson-c\.so\.5/);
  });
  it('reads nothing from a static binary', () => {
    expect(parseLdd('\tstatically linked\n')).toEqual([]);
  });
});

describe('sharedLibraries', () => {
  it('merges the libraries of several binaries and skips static ones', async () => {
    const r = new FakeRunner()
      .expect('ldd', { stdout: DAXCTL }, { args: ['/usr/bin/daxctl'] })
      .expect('ldd', { stdout: '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n' }, { args: ['/usr/bin/bash'] })
      .expect('ldd', { exitCode: 1, stdout: '\tnot a dynamic executable\n' }, { args: ['/bin/busybox'] });
    const libs = await sharedLibraries(r, ['/usr/bin/daxctl', '/usr/bin/bash', '/bin/busybox']);
    expect(libs.map((l) => l.name)).toEqual(['libdaxctl.so.1', 'libndctl.so.6', 'libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
    r.verify();
  });
  it('is an infrastructure error when a library is missing', async () => {
    const r = new FakeRunner().expect('ldd', { stdout: '\tlibx.so.1 => not found\n' });
    await expect(sharedLibraries(r, ['/usr/bin/ndctl'])).rejects.toMatchObject({ kind: 'infra', message: /libx\.so\.1/ });
  });
});
