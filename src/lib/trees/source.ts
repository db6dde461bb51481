// SPDX-License-Identifier: GPL-2.0-only
/** Classifies a --source value. Pure except for stat(). */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';

export type SourceSpec =
  | { kind: 'debian'; series: string; package: string; pin?: string }
  | { kind: 'tarball'; path: string }
  | { kind: 'git'; path: string }
  | { kind: 'url'; url: string };

const TARBALL_RE = /\.(tar|tar\.xz|txz|tar\.gz|tgz|tar\.bz2|tbz2|tar\.zst)$/;

export function classifySource(src: string, cwd = process.cwd()): SourceSpec {
  const deb = /^debian:(\d+\.\d+)(?:=(.+))?$/.exec(src);
  if (deb) return { kind: 'debian', series: deb[1], package: `linux-source-${deb[1]}`, pin: deb[2] };
  if (src.startsWith('debian:')) throw usageError(`bad Debian source "${src}"`, 'Use debian:6.1 or debian:6.12 (optionally debian:6.1=VERSION for an older package).');
  if (/^(https?|git|ssh|file):\/\//.test(src) || /^[\w.-]+@[\w.-]+:/.test(src)) return { kind: 'url', url: src };
  const path = resolve(cwd, src);
  if (!existsSync(path)) throw usageError(`no such file or directory: ${src}`, 'Give a git tree, a kernel tarball, a git URL, or debian:6.1 / debian:6.12.');
  const st = statSync(path);
  if (st.isDirectory()) {
    const bare = existsSync(resolve(path, 'HEAD')) && existsSync(resolve(path, 'objects'));
    if (!existsSync(resolve(path, '.git')) && !bare) throw usageError(`${src} is a directory but not a git tree`, 'Give the top of a git working tree (or a bare repository ending in .git).');
    return { kind: 'git', path };
  }
  if (st.isFile()) {
    if (!TARBALL_RE.test(path)) throw usageError(`${src} is not a tarball (.tar, .tar.xz, .tar.gz, .tar.bz2, .tar.zst)`);
    return { kind: 'tarball', path };
  }
  throw usageError(`${src} is neither a file nor a directory`);
}

/** tar's decompression flag, and a faster parallel decompressor where there is one. */
export function decompressorFor(path: string): { cmd: string; args: string[] } | null {
  if (/\.(tar\.xz|txz)$/.test(path)) return { cmd: 'xz', args: ['-dc', '-T0', path] };
  if (/\.(tar\.gz|tgz)$/.test(path)) return { cmd: 'gzip', args: ['-dc', path] };
  if (/\.(tar\.bz2|tbz2)$/.test(path)) return { cmd: 'bzip2', args: ['-dc', path] };
  if (/\.tar\.zst$/.test(path)) return { cmd: 'zstd', args: ['-dc', '-T0', path] };
  return null;
}
