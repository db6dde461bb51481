// SPDX-License-Identifier: GPL-2.0-only
/** The kernel a selftest boots, read from its O= build directory (kseries selftest and the ci stage). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelSlowdown, type Slowdown } from './slowdown.js';

export interface BuiltKernel {
  /** The boot image: KERNEL when given, else BUILD/arch/x86/boot/bzImage. */
  kernel: string;
  /** BUILD/include/config/kernel.release, the modules' directory name; null when it is missing. */
  kernelRelease: string | null;
  releaseFile: string;
  /** BUILD/.config: a debug kernel's deadlines and watchdogs are scaled (slowdown.ts). */
  slowdown: Slowdown;
}

export function builtKernel(buildDir: string, kernel?: string): BuiltKernel {
  const releaseFile = join(buildDir, 'include', 'config', 'kernel.release');
  const config = join(buildDir, '.config');
  return {
    kernel: kernel ?? join(buildDir, 'arch', 'x86', 'boot', 'bzImage'),
    kernelRelease: existsSync(releaseFile) ? readFileSync(releaseFile, 'utf8').trim() : null,
    releaseFile,
    slowdown: kernelSlowdown(existsSync(config) ? readFileSync(config, 'utf8') : null),
  };
}
