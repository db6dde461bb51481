// SPDX-License-Identifier: GPL-2.0-only
/**
 * The architectures `kseries build` knows, as data: what ARCH= make wants, the boot image
 * target and where it lands, the cross toolchain prefix and the Debian package that
 * provides it. Adding an architecture is adding a row here.
 */
import { usageError } from '../errors.js';

export interface ArchInfo {
  /** The name users pass (--arch) and build directories are keyed by. */
  name: string;
  /** ARCH= for make. */
  karch: string;
  /** The directory under arch/ (SRCARCH). */
  srcarch: string;
  /** The make target that produces the boot image. */
  image: string;
  /** Where that image lands, relative to the O= directory. */
  imagePath: string;
  /** CROSS_COMPILE= when the host cannot build it natively. */
  crossCompile: string;
  /** The Debian package with ${crossCompile}gcc. */
  gccPackage: string;
  /** Node's process.arch values of hosts whose own gcc builds this architecture. */
  nativeOn: readonly string[];
}

export const ARCHES: readonly ArchInfo[] = [
  {
    name: 'x86_64',
    karch: 'x86_64',
    srcarch: 'x86',
    image: 'bzImage',
    imagePath: 'arch/x86/boot/bzImage',
    crossCompile: 'x86_64-linux-gnu-',
    gccPackage: 'gcc-x86-64-linux-gnu',
    nativeOn: ['x64'],
  },
  {
    name: 'i386',
    karch: 'i386',
    srcarch: 'x86',
    image: 'bzImage',
    imagePath: 'arch/x86/boot/bzImage',
    crossCompile: 'i686-linux-gnu-',
    gccPackage: 'gcc-i686-linux-gnu',
    nativeOn: ['x64', 'ia32'],
  },
  {
    name: 'arm64',
    karch: 'arm64',
    srcarch: 'arm64',
    image: 'Image',
    imagePath: 'arch/arm64/boot/Image',
    crossCompile: 'aarch64-linux-gnu-',
    gccPackage: 'gcc-aarch64-linux-gnu',
    nativeOn: ['arm64'],
  },
  {
    name: 'arm',
    karch: 'arm',
    srcarch: 'arm',
    image: 'zImage',
    imagePath: 'arch/arm/boot/zImage',
    crossCompile: 'arm-linux-gnueabihf-',
    gccPackage: 'gcc-arm-linux-gnueabihf',
    nativeOn: ['arm'],
  },
  {
    name: 'riscv64',
    karch: 'riscv',
    srcarch: 'riscv',
    image: 'Image',
    imagePath: 'arch/riscv/boot/Image',
    crossCompile: 'riscv64-linux-gnu-',
    gccPackage: 'gcc-riscv64-linux-gnu',
    nativeOn: ['riscv64'],
  },
  {
    name: 'ppc64le',
    karch: 'powerpc',
    srcarch: 'powerpc',
    image: 'vmlinux',
    imagePath: 'vmlinux',
    crossCompile: 'powerpc64le-linux-gnu-',
    gccPackage: 'gcc-powerpc64le-linux-gnu',
    nativeOn: ['ppc64'],
  },
  {
    name: 's390x',
    karch: 's390',
    srcarch: 's390',
    image: 'bzImage',
    imagePath: 'arch/s390/boot/bzImage',
    crossCompile: 's390x-linux-gnu-',
    gccPackage: 'gcc-s390x-linux-gnu',
    nativeOn: ['s390x'],
  },
];

export const ARCH_NAMES = ARCHES.map((a) => a.name);

export function archInfo(name: string): ArchInfo {
  const a = ARCHES.find((x) => x.name === name);
  if (!a) throw usageError(`unknown architecture "${name}"`, `Known: ${ARCH_NAMES.join(', ')}.`);
  return a;
}

/** CROSS_COMPILE for building ARCH on a HOST (process.arch), or null when the host's own toolchain does it. */
export const crossPrefix = (arch: ArchInfo, host: string = process.arch): string | null => (arch.nativeOn.includes(host) ? null : arch.crossCompile);

/** The Debian packages that provide the LLVM toolchain LLVM=1 uses. */
export const LLVM_PACKAGES = ['clang', 'lld', 'llvm'] as const;
