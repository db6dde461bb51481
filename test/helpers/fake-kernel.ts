// SPDX-License-Identifier: GPL-2.0-only
/**
 * A tiny fake kernel source tree and tarball: just enough (top Makefile, Kconfig,
 * arch/x86/Kconfig, a Debian-style .gitignore) for kseries to take it for Linux.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The .gitignore as upstream has it (the tail of the real 6.1 one). */
export const UPSTREAM_GITIGNORE = ['# SPDX-License-Identifier: GPL-2.0-only', '*.o', '*.ko', '/vmlinux', '', '# Rust analyzer configuration', '/rust-project.json', ''].join('\n');

/** What Debian's linux-source package appends to it. */
export const DEBIAN_GITIGNORE_BLOCK = [
  '',
  '#',
  "# Debian packaging: ignore everything at the top level, since it isn't",
  '# included in our repository',
  '#',
  '/*',
  '!/debian/',
  '',
].join('\n');

export function kernelMakefile(sublevel: number, extraversion = ''): string {
  return [
    '# SPDX-License-Identifier: GPL-2.0',
    'VERSION = 6',
    'PATCHLEVEL = 1',
    `SUBLEVEL = ${sublevel}`,
    `EXTRAVERSION =${extraversion ? ` ${extraversion}` : ''}`,
    'NAME = Curry Ramen',
    '',
    '# *DOCUMENTATION*',
    'all:',
    '\t@echo fake kernel',
    '',
  ].join('\n');
}

/** Writes a fake kernel source tree into DIR (created). */
export function writeFakeKernel(dir: string, opts: { sublevel?: number; debianGitignore?: boolean } = {}): void {
  const files: Record<string, string> = {
    Makefile: kernelMakefile(opts.sublevel ?? 5),
    Kconfig: 'mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"\n\nsource "arch/$(SRCARCH)/Kconfig"\n',
    'arch/x86/Kconfig': 'config X86\n\tdef_bool y\n',
    'init/main.c': '// SPDX-License-Identifier: GPL-2.0-only\nint main(void) { return 0; }\n',
    'scripts/checkpatch.pl': '#!/usr/bin/perl\nexit 0;\n',
    // would be ignored by the Debian block ("/*"): must still be imported
    'COPYING': 'GPL-2.0\n',
    '.gitignore': UPSTREAM_GITIGNORE + (opts.debianGitignore === false ? '' : DEBIAN_GITIGNORE_BLOCK),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** Packs DIR's parent entry `top` into a tarball (the compression follows the file name). */
export function packTarball(parent: string, top: string, tarball: string): string {
  const flag = tarball.endsWith('.xz') ? '-J' : tarball.endsWith('.gz') ? '-z' : '';
  execFileSync('tar', ['-c', ...(flag ? [flag] : []), '-f', tarball, '-C', parent, top]);
  return tarball;
}

/** A fake linux-source-6.1.tar.xz in DIR: returns its path. */
export function fakeKernelTarball(dir: string, opts: { sublevel?: number; name?: string } = {}): string {
  const top = 'linux-source-6.1';
  writeFakeKernel(join(dir, top), opts);
  return packTarball(dir, top, join(dir, opts.name ?? `${top}.tar.xz`));
}

/** sha256 of every file under DIR (skipping .git), keyed by relative path: a byte-level snapshot. */
export function hashTree(dir: string, skip = new Set(['.git'])): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (skip.has(e)) continue;
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
