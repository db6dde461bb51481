// SPDX-License-Identifier: GPL-2.0-only
/**
 * What the guest needs from a build (modules.builtin*, the uapi headers, the kselftests),
 * kept in the build directory beside the kernel it belongs to, and the steps that make it,
 * as data (pure). Each step names the files its output depends on; the executor runs a
 * step only when their sizes and times differ from the last successful run's stamp, so
 * that a second scenario on an unchanged kernel costs no make at all (as kunit.py reuses
 * its build and virtme-ng its modules). make itself would redo the same work: every
 * modules_install re-runs depmod, and a kselftest build into a fresh O= compiles again.
 *
 *   <build>/kseries-guest/modules/lib/modules/<release>/   INSTALL_MOD_PATH
 *   <build>/kseries-guest/kselftest/build/                 the kselftests' O=, shared by every target set
 *   <build>/kseries-guest/kselftest/<targets>/              INSTALL_PATH of one target set
 *   <build>/kseries-guest/stamps/<step>.json                the inputs' key of the last successful run
 */
import { join } from 'node:path';
import { GUEST_DIR } from '../build/layout.js';
import type { CommandSpec } from '../exec/runner.js';
import { headersSpec, kselftestInstallSpec, modulesInstallSpec } from './kselftest-build.js';

/** The files a step's output depends on: FILES by content, every file under TREES and (modules) each object a list names by size and time. */
export interface StampInputs {
  files: string[];
  trees: string[];
  /** modules.order: each line names a module (.ko, or .o since 6.2) relative to BASE. */
  moduleList?: { file: string; base: string };
  /**
   * Source-tree files the kselftests of DIRS reach by name (`#include <mm/gup_test.h>` with
   * -I $(top_srcdir), `$(top_srcdir)/mm/gup_test.h` in LOCAL_HDRS, `../x86/check_cc.sh`),
   * found in their sources and Makefiles when the key is taken; TOP is the source tree.
   */
  referencedFrom?: { dirs: string[]; top: string };
  /** Host programs whose binary (size, time, inode) is part of the key: the compiler. */
  hostTools?: string[];
}

export interface PrepareStep {
  /** "modules", "headers", "kselftest:dax+vm": the stamp's name and the progress line's. */
  name: string;
  spec: CommandSpec;
  stamp: string;
  inputs: StampInputs;
  /** Files that must exist for the stamp to count (a `make clean` or a hand may remove them). */
  outputs: string[];
  /**
   * Removed before the step runs: lib.mk's rules depend on the .c files only (not on the
   * uapi headers, CFLAGS or the compiler) and its install is an rsync without --delete, so
   * a kselftest build whose inputs changed starts from empty directories, as it did when
   * every run had a fresh O=.
   */
  fresh: string[];
}

export interface GuestFiles {
  steps: PrepareStep[];
  modulesDir: string | null;
  kselftestDir: string | null;
}

/** As given: the order is the guest's run order, so "vm,dax" and "dax,vm" are two sets. */
const targetsName = (targets: readonly string[]) => targets.join('+').replace(/\//g, '_');

export function planGuestFiles(srcDir: string, buildDir: string, kernelRelease: string | null, targets: readonly string[]): GuestFiles {
  const root = join(buildDir, GUEST_DIR);
  const stamp = (name: string) => join(root, 'stamps', `${name.replace(/[:/]/g, '_')}.json`);
  const steps: PrepareStep[] = [];
  let modulesDir: string | null = null;
  if (kernelRelease) {
    const modPath = join(root, 'modules');
    modulesDir = join(modPath, 'lib', 'modules', kernelRelease);
    steps.push({
      name: 'modules',
      spec: modulesInstallSpec(srcDir, buildDir, modPath),
      stamp: stamp('modules'),
      inputs: {
        // not System.map: depmod -F only checks symbols against it, and every link of vmlinux rewrites it
        // auto.conf: modules_install compresses and signs as the .config says, without changing a .ko
        files: ['modules.builtin', 'modules.builtin.modinfo', 'modules.builtin.ranges', 'modules.order', 'include/config/kernel.release', 'include/config/auto.conf'].map((f) => join(buildDir, f)),
        trees: [],
        moduleList: { file: join(buildDir, 'modules.order'), base: buildDir },
      },
      outputs: [join(modulesDir, 'modules.builtin'), join(modulesDir, 'modules.dep')],
      fresh: [],
    });
  }
  let kselftestDir: string | null = null;
  if (targets.length) {
    const headers = join(buildDir, 'usr', 'include');
    steps.push({
      name: 'headers',
      spec: headersSpec(srcDir, buildDir),
      stamp: stamp('headers'),
      inputs: {
        files: [join(srcDir, 'Makefile'), join(buildDir, '.config'), ...['headers_install.sh', 'unifdef.c', 'Makefile.headersinst'].map((f) => join(srcDir, 'scripts', f))],
        // the syscall tables: archheaders generates the uapi unistd headers from them
        trees: [
          join(srcDir, 'include', 'uapi'), join(srcDir, 'arch', 'x86', 'include', 'uapi'), join(srcDir, 'arch', 'x86', 'entry', 'syscalls'),
          join(buildDir, 'include', 'generated', 'uapi'), join(buildDir, 'arch', 'x86', 'include', 'generated', 'uapi'),
        ],
      },
      outputs: [join(headers, 'linux', 'version.h')],
      fresh: [],
    });
    const ks = join(srcDir, 'tools', 'testing', 'selftests');
    const name = `kselftest:${targetsName(targets)}`;
    kselftestDir = join(root, 'kselftest', targetsName(targets));
    const objDir = join(root, 'kselftest', 'build');
    steps.push({
      name,
      spec: kselftestInstallSpec(srcDir, buildDir, targets, objDir, kselftestDir),
      stamp: stamp(name),
      inputs: {
        files: [...['Makefile', 'lib.mk', 'run_kselftest.sh', 'kselftest.h', 'kselftest_harness.h'].map((f) => join(ks, f)), join(srcDir, 'scripts', 'subarch.include')],
        // net/lib: 6.12 builds it for every target set (INSTALL_DEP_TARGETS)
        trees: [...targets.map((t) => join(ks, t)), join(ks, 'kselftest'), join(ks, 'net', 'lib'), join(srcDir, 'tools', 'include'), headers],
        referencedFrom: { dirs: targets.map((t) => join(ks, t)), top: srcDir },
        hostTools: ['cc', 'gcc'],
      },
      outputs: [join(kselftestDir, 'run_kselftest.sh'), join(kselftestDir, 'kselftest-list.txt')],
      fresh: [objDir, kselftestDir],
    });
  }
  return { steps, modulesDir, kselftestDir };
}
