// SPDX-License-Identifier: GPL-2.0-only
/** The host requirements of the pipeline, as data: what to probe and which Debian package provides it. */

export type CheckKind = 'binary' | 'file' | 'static-binary' | 'kvm';

export interface HostCheck {
  id: string;
  kind: CheckKind;
  /** binary name, file path(s), or the busybox binary */
  target: string[];
  package: string;
  required: boolean;
  why: string;
}

export const HOST_CHECKS: HostCheck[] = [
  { id: 'git', kind: 'binary', target: ['git'], package: 'git', required: true, why: 'trees, worktrees, git am' },
  { id: 'gcc', kind: 'binary', target: ['gcc'], package: 'build-essential', required: true, why: 'kernel build' },
  { id: 'make', kind: 'binary', target: ['make'], package: 'build-essential', required: true, why: 'kernel build' },
  { id: 'flex', kind: 'binary', target: ['flex'], package: 'flex', required: true, why: 'Kconfig and dtc parsers' },
  { id: 'bison', kind: 'binary', target: ['bison'], package: 'bison', required: true, why: 'Kconfig parser' },
  { id: 'bc', kind: 'binary', target: ['bc'], package: 'bc', required: true, why: 'kernel build (timeconst)' },
  { id: 'perl', kind: 'binary', target: ['perl'], package: 'perl', required: true, why: 'checkpatch.pl, kernel build' },
  { id: 'libelf-headers', kind: 'file', target: ['/usr/include/gelf.h', '/usr/include/libelf.h'], package: 'libelf-dev', required: true, why: 'objtool' },
  { id: 'openssl-headers', kind: 'file', target: ['/usr/include/openssl/opensslv.h'], package: 'libssl-dev', required: true, why: 'module signing tools' },
  { id: 'cpio', kind: 'binary', target: ['cpio'], package: 'cpio', required: true, why: 'initramfs' },
  { id: 'gzip', kind: 'binary', target: ['gzip'], package: 'gzip', required: true, why: 'initramfs' },
  { id: 'xz', kind: 'binary', target: ['xz'], package: 'xz-utils', required: true, why: 'Debian source tarballs' },
  { id: 'tar', kind: 'binary', target: ['tar'], package: 'tar', required: true, why: 'tarball import' },
  { id: 'rsync', kind: 'binary', target: ['rsync'], package: 'rsync', required: true, why: 'make headers_install' },
  { id: 'depmod', kind: 'binary', target: ['depmod'], package: 'kmod', required: true, why: 'modules_install' },
  { id: 'qemu', kind: 'binary', target: ['qemu-system-x86_64'], package: 'qemu-system-x86', required: true, why: 'VM tests' },
  { id: 'busybox-static', kind: 'static-binary', target: ['/bin/busybox', '/usr/bin/busybox'], package: 'busybox-static', required: true, why: 'initramfs userland' },
  { id: 'ndctl', kind: 'binary', target: ['ndctl'], package: 'ndctl', required: true, why: 'namespaces in the VM' },
  { id: 'daxctl', kind: 'binary', target: ['daxctl'], package: 'daxctl', required: true, why: 'kmem onlining in the VM' },
  { id: 'bash', kind: 'binary', target: ['bash'], package: 'bash', required: true, why: 'kselftest runner in the VM' },
  { id: 'timeout', kind: 'binary', target: ['timeout'], package: 'coreutils', required: true, why: 'kselftest runner in the VM' },
  { id: 'e2fsprogs', kind: 'binary', target: ['mke2fs'], package: 'e2fsprogs', required: true, why: 'ext4 on the BLK device in the VM' },
  { id: 'ccache', kind: 'binary', target: ['ccache'], package: 'ccache', required: false, why: 'build and ci use it when installed' },
  { id: 'pahole', kind: 'binary', target: ['pahole'], package: 'dwarves', required: false, why: 'BTF (CONFIG_DEBUG_INFO_BTF)' },
  { id: 'zstd', kind: 'binary', target: ['zstd'], package: 'zstd', required: false, why: 'zstd-compressed modules' },
  { id: 'python3-ply', kind: 'file', target: ['/usr/lib/python3/dist-packages/ply/__init__.py'], package: 'python3-ply', required: false, why: "checkpatch's SPDX check" },
  { id: 'python3-git', kind: 'file', target: ['/usr/lib/python3/dist-packages/git/__init__.py'], package: 'python3-git', required: false, why: "checkpatch's SPDX check" },
  { id: 'linux-config-6.1', kind: 'file', target: ['/usr/src/linux-config-6.1/config.amd64_none_amd64.xz'], package: 'linux-config-6.1', required: false, why: "kconfig apply --base debian on 6.1 (Debian's own configuration)" },
  { id: 'kvm', kind: 'kvm', target: ['/dev/kvm'], package: '', required: false, why: 'fast VMs; TCG is used otherwise' },
];

export interface CheckResult {
  id: string;
  ok: boolean;
  required: boolean;
  package: string;
  why: string;
  detail: string;
}

/** The one apt-get line that installs what is missing (deduplicated, stable order). */
export function aptInstallLine(results: CheckResult[]): string | null {
  const pkgs = [...new Set(results.filter((r) => !r.ok && r.package).map((r) => r.package))].sort();
  return pkgs.length ? `apt-get install -y ${pkgs.join(' ')}` : null;
}
