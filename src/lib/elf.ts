// SPDX-License-Identifier: GPL-2.0-only
/** Tiny ELF reader: enough to tell a static executable (no PT_INTERP) from a dynamic one. */
import { openSync, readSync, closeSync } from 'node:fs';

export function isStaticElf(path: string): boolean | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const hdr = Buffer.alloc(64);
    readSync(fd, hdr, 0, 64, 0);
    if (hdr.readUInt32BE(0) !== 0x7f454c46) return null;
    const is64 = hdr[4] === 2;
    const le = hdr[5] === 1;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? hdr.readBigUInt64LE(32) : hdr.readBigUInt64BE(32)) : u32(hdr, 28);
    const phentsize = u16(hdr, is64 ? 54 : 42);
    const phnum = u16(hdr, is64 ? 56 : 44);
    const ph = Buffer.alloc(phentsize * phnum);
    readSync(fd, ph, 0, ph.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(ph, i * phentsize) === 3 /* PT_INTERP */) return false;
    return true;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
