// SPDX-License-Identifier: GPL-2.0-only
/**
 * Planning `kconfig apply`: a pure function from the request to the exact steps, so that
 * --dry-run prints what would run and tests check the commands without running them.
 * Everything is written under the O= build directory; the source tree is only read.
 *
 *   mkdir -p BUILD
 *   make -C SRC O=BUILD ARCH=x86_64 tinyconfig            (or defconfig, or cp FILE BUILD/.config)
 *   write BUILD/kseries-requested.config                    (the merged request)
 *   (cd BUILD && sh SRC/scripts/kconfig/merge_config.sh -m -O BUILD BUILD/.config BUILD/kseries-requested.config)
 *   make -C SRC O=BUILD ARCH=x86_64 olddefconfig
 *
 * With --base debian (or debian-cloud) the base is Debian's own configuration of the tree's
 * version (the linux-config-X.Y package), its modules turned off (the request's fragments
 * bring back those the tests load) and kconfig/reduce-qemu.config merged first:
 *
 *   sh -c 'xz -dc -- "$1" > "$2"' sh /usr/src/linux-config-6.1/config.amd64_none_amd64.xz BUILD/.config
 *   sed -i -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=m$/# \1 is not set/' BUILD/.config
 *
 * ARCH is always passed: tinyconfig without it configures the host's default, 32-bit on x86.
 * merge_config.sh runs in BUILD because it creates its temporary files in the current directory.
 */
import { join } from 'node:path';
import { describe, type CommandSpec } from '../exec/runner.js';

export type BaseSpec =
  | { kind: 'target'; target: string }
  | { kind: 'file'; path: string }
  /** Debian's configuration of a flavour (amd64, cloud-amd64), resolved to its .xz file by the caller. */
  | { kind: 'debian'; flavour: DebianFlavour; xz: string };

/** --base debian: the generic amd64 kernel's config; debian-cloud: the cloud-amd64 kernel's (for VMs). */
export const DEBIAN_BASES = { debian: 'amd64', 'debian-cloud': 'cloud-amd64' } as const;
export type DebianFlavour = (typeof DEBIAN_BASES)[keyof typeof DEBIAN_BASES];

/** Where Debian's linux-config-X.Y package puts the config of FLAVOUR. */
export const debianConfigPath = (root: string, version: { version: number; patchlevel: number }, flavour: DebianFlavour) =>
  join(root, `linux-config-${version.version}.${version.patchlevel}`, `config.amd64_none_${flavour}.xz`);

/** tinyconfig, defconfig and the other make targets that write a whole .config. */
export const BASE_TARGETS = ['tinyconfig', 'defconfig', 'allnoconfig', 'allmodconfig', 'allyesconfig'] as const;

export function parseBase(base: string): BaseSpec {
  if ((BASE_TARGETS as readonly string[]).includes(base) || /^[a-z0-9_]+_defconfig$/.test(base)) return { kind: 'target', target: base };
  if (base in DEBIAN_BASES) return { kind: 'debian', flavour: DEBIAN_BASES[base as keyof typeof DEBIAN_BASES], xz: '' };
  return { kind: 'file', path: base };
}

export type Step =
  | { kind: 'run'; title: string; spec: CommandSpec }
  | { kind: 'write'; title: string; path: string; content: string };

export interface ApplyPlan {
  srcDir: string;
  buildDir: string;
  arch: string;
  configPath: string;
  requestedPath: string;
  logPath: string;
  reportPath: string;
  steps: Step[];
}

export interface PlanInput {
  srcDir: string;
  buildDir: string;
  arch: string;
  base: BaseSpec;
  /** The merged request, as fragment text. */
  requestedText: string;
  /** Extra make arguments (e.g. CC=clang). */
  makeArgs?: readonly string[];
}

export function planApply(i: PlanInput): ApplyPlan {
  const configPath = join(i.buildDir, '.config');
  const requestedPath = join(i.buildDir, 'kseries-requested.config');
  const make = (target: string): CommandSpec => ({
    cmd: 'make',
    args: ['-C', i.srcDir, `O=${i.buildDir}`, `ARCH=${i.arch}`, ...(i.makeArgs ?? []), target],
  });
  const steps: Step[] = [{ kind: 'run', title: 'create the build directory', spec: { cmd: 'mkdir', args: ['-p', i.buildDir] } }];
  if (i.base.kind === 'target') {
    steps.push({ kind: 'run', title: `base: make ${i.base.target}`, spec: make(i.base.target) });
  } else if (i.base.kind === 'file') {
    steps.push({ kind: 'run', title: `base: ${i.base.path}`, spec: { cmd: 'cp', args: ['--', i.base.path, configPath] } });
  } else {
    steps.push({ kind: 'run', title: `base: Debian's ${i.base.flavour} config`, spec: { cmd: 'sh', args: ['-c', 'xz -dc -- "$1" > "$2"', 'sh', i.base.xz, configPath] } });
    // the modules of a distribution kernel are hours of build a QEMU test never loads; the request brings back its own
    steps.push({ kind: 'run', title: 'turn its modules off', spec: { cmd: 'sed', args: ['-i', '-e', 's/^\\(CONFIG_[A-Za-z0-9_]*\\)=m$/# \\1 is not set/', configPath] } });
  }
  steps.push({ kind: 'write', title: 'write the requested fragment', path: requestedPath, content: i.requestedText });
  steps.push({
    kind: 'run',
    title: 'merge the fragment (merge_config.sh -m)',
    spec: {
      cmd: 'sh',
      args: [join(i.srcDir, 'scripts/kconfig/merge_config.sh'), '-m', '-O', i.buildDir, configPath, requestedPath],
      cwd: i.buildDir,
    },
  });
  steps.push({ kind: 'run', title: 'resolve dependencies (make olddefconfig)', spec: make('olddefconfig') });
  return {
    srcDir: i.srcDir,
    buildDir: i.buildDir,
    arch: i.arch,
    configPath,
    requestedPath,
    logPath: join(i.buildDir, 'kconfig-apply.log'),
    reportPath: join(i.buildDir, 'kconfig-report.json'),
    steps,
  };
}

/** One line per step, as --dry-run prints it (command lines can be pasted into a shell). */
export const renderPlan = (p: ApplyPlan): string =>
  p.steps.map((s) => (s.kind === 'run' ? describe(s.spec) : `# write ${s.path} (${s.content.split('\n').filter((l) => /^(CONFIG_|# CONFIG_)/.test(l)).length} symbols)`)).join('\n');
