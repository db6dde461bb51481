// SPDX-License-Identifier: GPL-2.0-only
/**
 * The QEMU x86_64 launch as data: a pure function from a VmSpec to an argv.
 *
 * Persistent memory comes in two shapes:
 * - nvdimm: an ACPI NFIT NVDIMM backed by a shared file (what it writes survives the
 *   QEMU process), on its own memory-only NUMA node (node 1, no CPUs) or on node 0 with
 *   the RAM and the CPUs;
 * - memmap: the legacy `memmap=SIZE!4G` pmem carved out of guest RAM. The RAM proper stays
 *   below 4 GiB (`max-ram-below-4g`) and the pmem is the RAM above 4 GiB: the firmware
 *   reserves the last 128 KiB below the RAM's top for itself, which would leave a
 *   misaligned range that nd_pmem refuses if the pmem were the top of the low RAM. On
 *   node 0, with the whole RAM backed by a shared file so that the carved range persists,
 *   or on a memory-only node 1 of its own: node 1's memory is backed by the file alone,
 *   and `memmap=` carves exactly that range (the guest's e820 pmem region gets node 1 as
 *   its target node from the SRAT);
 * - soft-reserved: the same range above 4 GiB, placed as memmap is, but turned into
 *   soft-reserved memory (`memmap=SIZE%4G-1+0xefffffff`, as EFI marks specific-purpose
 *   memory) that hmem makes a dynamic dax region of: volatile memory on a real machine,
 *   whose content survives here because its backing is the same shared file;
 * - virtio: a virtio-pmem-pci device backed by the file as the NVDIMM is (the guest sees
 *   an nvdimm region with an asynchronous flush), without NUMA options: one guest node.
 *
 * NVDIMM and virtio-pmem are memory devices, placed in QEMU's device memory area above
 * the RAM: both get the same `-m RAM,slots=2,maxmem=RAM+2*SIZE` (maxmem must cover RAM
 * plus the device; the second SIZE is headroom for the area's alignment).
 *
 * `panic=-1` plus `-no-reboot` makes QEMU exit when the guest panics.
 */
import { accelArgs, type Accel } from './accel.js';

export type PmemSpec =
  | { kind: 'nvdimm'; file: string; sizeMiB: number; node: 'own' | 0; share: boolean }
  | { kind: 'memmap' | 'soft-reserved'; file: string; sizeMiB: number; node: 'own' | 0; share: boolean }
  | { kind: 'virtio'; file: string; sizeMiB: number; share: boolean };

/** The kinds of pmem the kernel carves out of the guest's RAM (memmap=): the rest are QEMU devices of their own. */
export type CarvedKind = 'memmap' | 'soft-reserved';
export const carvedFromRam = <T extends { kind: string }>(p: T): p is Extract<T, { kind: CarvedKind }> => p.kind === 'memmap' || p.kind === 'soft-reserved';

export interface VmSpec {
  qemu?: string;
  kernel: string;
  initrd: string;
  /** Extra kernel command line words, after the ones kseries always sets. */
  append: string[];
  memMiB: number;
  cpus: number;
  accel: Accel;
  pmem: PmemSpec | null;
  /** Receives the guest console (ttyS0). */
  serialLog: string;
  /** The kernel console (default ttyS0,115200, which serialLog records). */
  console?: string;
  /** Receives the scripts' own output (ttyS1), without kernel messages. */
  outputLog?: string;
  extra?: string[];
}

/** Always on the kernel command line. */
export const BASE_APPEND = ['panic=-1', 'oops=panic', 'printk.time=1', 'rdinit=/init'];

/** QEMU option values double their commas. */
export const qemuValue = (s: string) => s.replace(/,/g, ',,');

export function validateVmSpec(s: VmSpec): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(s.memMiB) || s.memMiB < 128) errors.push(`memMiB must be an integer >= 128 (got ${s.memMiB})`);
  if (!Number.isInteger(s.cpus) || s.cpus < 1 || s.cpus > 64) errors.push(`cpus must be 1..64 (got ${s.cpus})`);
  if (s.pmem) {
    if (!Number.isInteger(s.pmem.sizeMiB) || s.pmem.sizeMiB < 128 || s.pmem.sizeMiB % 128 !== 0) {
      errors.push(`pmem sizeMiB must be a multiple of 128 (a memory block) (got ${s.pmem.sizeMiB})`);
    }
    if (carvedFromRam(s.pmem) && s.memMiB > 3072) {
      errors.push(`${s.pmem.kind} pmem: the RAM must stay below 3 GiB (the pmem goes above 4 GiB, the RAM below the PCI hole)`);
    }
  }
  return errors;
}

export function kernelCommandLine(s: VmSpec): string {
  const words = [`console=${s.console ?? 'ttyS0,115200'}`, ...BASE_APPEND];
  if (s.outputLog) words.push('kseries.out=ttyS1');
  if (s.pmem?.kind === 'memmap') words.push(`memmap=${s.pmem.sizeMiB}M!4G`);
  if (s.pmem?.kind === 'soft-reserved') words.push(`memmap=${s.pmem.sizeMiB}M%4G-1+0xefffffff`);
  return [...words, ...s.append].join(' ');
}


function memoryArgs(s: VmSpec): string[] {
  const cpus = s.cpus > 1 ? `0-${s.cpus - 1}` : '0';
  const p = s.pmem;
  if (!p) return ['-machine', 'pc', '-m', `${s.memMiB}M`];
  if (!carvedFromRam(p)) return deviceMemoryArgs(s, p, cpus);
  const share = p.share ? 'on' : 'off';
  if (p.node === 'own') {
    return [
      '-machine', `pc,max-ram-below-4g=${s.memMiB}M`,
      '-m', `${s.memMiB + p.sizeMiB}M`,
      '-object', `memory-backend-ram,id=ram0,size=${s.memMiB}M`,
      '-numa', `node,nodeid=0,cpus=${cpus},memdev=ram0`,
      '-object', `memory-backend-file,id=ram1,share=${share},mem-path=${qemuValue(p.file)},size=${p.sizeMiB}M`,
      '-numa', 'node,nodeid=1,memdev=ram1',
    ];
  }
  // one node that the SRAT gives all the RAM, the pmem above 4 GiB too (without an
  // SRAT the guest's dummy node ends at the RAM's top and the pmem would have no node)
  const total = s.memMiB + p.sizeMiB;
  return [
    '-machine', `pc,max-ram-below-4g=${s.memMiB}M`,
    '-m', `${total}M`,
    '-object', `memory-backend-file,id=ram0,share=${share},mem-path=${qemuValue(p.file)},size=${total}M`,
    '-numa', `node,nodeid=0,cpus=${cpus},memdev=ram0`,
  ];
}

/** NVDIMM and virtio-pmem: memory devices in QEMU's device memory area above the RAM. */
function deviceMemoryArgs(s: VmSpec, p: Extract<PmemSpec, { kind: 'nvdimm' | 'virtio' }>, cpus: string): string[] {
  const share = p.share ? 'on' : 'off';
  const backing = (id: string) => `memory-backend-file,id=${id},share=${share},mem-path=${qemuValue(p.file)},size=${p.sizeMiB}M`;
  const m = `${s.memMiB}M,slots=2,maxmem=${s.memMiB + 2 * p.sizeMiB}M`;
  if (p.kind === 'virtio') {
    return ['-machine', 'pc', '-m', m, '-object', backing('vpmem0'), '-device', 'virtio-pmem-pci,memdev=vpmem0,id=vpmem0'];
  }
  const args = [
    '-machine', 'pc,nvdimm=on',
    '-m', m,
    '-object', `memory-backend-ram,id=ram0,size=${s.memMiB}M`,
    '-numa', `node,nodeid=0,cpus=${cpus},memdev=ram0`,
  ];
  if (p.node === 'own') args.push('-numa', 'node,nodeid=1');
  args.push(
    '-object', backing('nvmem0'),
    '-device', `nvdimm,id=nvdimm0,memdev=nvmem0,node=${p.node === 'own' ? 1 : 0}`,
  );
  return args;
}

export function qemuArgv(s: VmSpec): { cmd: string; args: string[] } {
  const errors = validateVmSpec(s);
  if (errors.length) throw new Error(`invalid VM spec: ${errors.join('; ')}`);
  const args = [
    ...accelArgs(s.accel),
    ...memoryArgs(s),
    '-smp', String(s.cpus),
    '-kernel', s.kernel,
    '-initrd', s.initrd,
    '-append', kernelCommandLine(s),
    '-nodefaults', '-nographic', '-no-reboot',
    '-chardev', `file,id=con0,path=${qemuValue(s.serialLog)}`,
    '-serial', 'chardev:con0',
  ];
  if (s.outputLog) args.push('-chardev', `file,id=out0,path=${qemuValue(s.outputLog)}`, '-serial', 'chardev:out0');
  args.push(...(s.extra ?? []));
  return { cmd: s.qemu ?? 'qemu-system-x86_64', args };
}
