// SPDX-License-Identifier: GPL-2.0-only
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostMemo, statKey } from '../../src/lib/host-memo.js';
import { sharedLibraries } from '../../src/lib/vm/ldd.js';
import { archInfo } from '../../src/lib/build/arches.js';
import { probeToolchain } from '../../src/lib/build/toolchain.js';
import { FakeRunner } from '../helpers/fake-runner.js';

describe('host memo (busybox applets, ldd, sha256 across runs)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kseries-memo-'));
    file = join(dir, 'memo.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a value is computed once, remembered across instances (runs) while its key holds, and computed again when the key moves', async () => {
    let calls = 0;
    const compute = () => ++calls;
    const a = new HostMemo(file);
    expect(await a.remember('x', 'k1', compute)).toBe(1);
    expect(await a.remember('x', 'k1', compute)).toBe(1);
    a.save();
    const b = new HostMemo(file);
    expect(b.rememberSync('x', 'k1', compute)).toBe(1);
    expect(b.rememberSync('x', 'k2', compute)).toBe(2);
    expect(calls).toBe(2);
  });

  it.each([['torn', '{"version":1,"entr'], ['another version', '{"version":99,"entries":{"x":{"key":"k1","value":7}}}'], ['not an object', '[]']])('a %s file is a fresh memo, not an error', async (_what, text) => {
    writeFileSync(file, text);
    expect(await new HostMemo(file).remember('x', 'k1', () => 3)).toBe(3);
  });

  it('statKey moves with size, time and inode; a missing file has its own key', () => {
    const f = join(dir, 'f');
    writeFileSync(f, 'a');
    const k = statKey(f);
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    expect(statKey(f)).not.toBe(k);
    expect(statKey(join(dir, 'none'))).toBe('missing');
  });

  it('ldd runs once per binary while the binary and its libraries are unchanged; a library upgraded or gone since makes it run again', async () => {
    const bin = join(dir, 'tool');
    const lib = join(dir, 'libfoo.so.1');
    writeFileSync(bin, 'elf');
    writeFileSync(lib, 'so');
    const out = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibfoo.so.1 => ${lib} (0x00007f00)\n`;
    const first = new FakeRunner().expect('ldd', () => ({ stdout: out }));
    const memo = new HostMemo(file);
    expect(await sharedLibraries(first, [bin], memo)).toEqual([{ name: 'libfoo.so.1', path: lib }]);
    first.verify();
    memo.save();
    // a later run: no ldd (the strict fake runner fails on any command not expected)
    expect(await sharedLibraries(new FakeRunner(), [bin], new HostMemo(file))).toEqual([{ name: 'libfoo.so.1', path: lib }]);
    // upgraded in place (same path, new content): asked again
    writeFileSync(lib, 'so, version 2');
    const upgraded = new FakeRunner().expect('ldd', () => ({ stdout: out }));
    const memo2 = new HostMemo(file);
    expect(await sharedLibraries(upgraded, [bin], memo2)).toEqual([{ name: 'libfoo.so.1', path: lib }]);
    upgraded.verify();
    memo2.save();
    rmSync(lib);
    const again = new FakeRunner().expect('ldd', () => ({ stdout: '\tlinux-vdso.so.1 (0x00007ffd)\n' }));
    const later = new HostMemo(file);
    expect(await sharedLibraries(again, [bin], later)).toEqual([]);
    again.verify();
    later.save();
    // and the new answer is what the memo holds now
    expect(await sharedLibraries(new FakeRunner(), [bin], new HostMemo(file))).toEqual([]);
  });

  it('a tool\'s --version is remembered per binary, but a wrapper script (#!) is asked each time', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'make'), '\x7fELF make');
    writeFileSync(join(bin, 'gcc'), '#!/bin/sh\nexec gcc-12 "$@"\n');
    writeFileSync(join(bin, 'ld'), '\x7fELF ld');
    for (const f of ['make', 'gcc', 'ld']) chmodSync(join(bin, f), 0o755);
    const runner = new FakeRunner()
      .expect('make', { stdout: 'GNU Make 4.3\n' }, { args: ['--version'], times: 1 })
      .expect('gcc', { stdout: 'gcc (Debian 12.2.0-14) 12.2.0\n' }, { args: ['--version'], times: 2 })
      .expect('ld', { stdout: 'GNU ld 2.40\n' }, { args: ['--version'], times: 1 });
    const spec = { arch: archInfo('x86_64'), llvm: false, crossCompile: null, ccache: false };
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      for (let run = 0; run < 2; run++) {
        const t = await probeToolchain(runner, spec, 'k', new HostMemo(file));
        expect(t).toEqual({ make: 'GNU Make 4.3', cc: 'gcc (Debian 12.2.0-14) 12.2.0', ld: 'GNU ld 2.40', ccache: null });
      }
    } finally {
      process.env.PATH = path;
    }
    runner.verify();
  });
});
