// SPDX-License-Identifier: GPL-2.0-only
/**
 * The make command lines that produce what the guest needs from a kernel tree, as data.
 * Nothing is written into the source tree: headers go to the build dir (O=), selftest
 * objects and the install to directories of the run, modules.* to an INSTALL_MOD_PATH.
 */
import { join } from 'node:path';
import type { CommandSpec } from '../exec/runner.js';

export { TARGET_RE } from '../scenario/scenario.js';

/** `make O=BUILD headers`: kselftests compile against the tree's uapi headers, not /usr/include. */
export function headersSpec(srcDir: string, buildDir: string): CommandSpec {
  return { cmd: 'make', args: ['-C', srcDir, `O=${buildDir}`, 'headers'], buffer: false };
}

export function kselftestInstallSpec(srcDir: string, buildDir: string, targets: readonly string[], objDir: string, installDir: string, jobs = 2): CommandSpec {
  return {
    cmd: 'make',
    args: [
      '-C', join(srcDir, 'tools', 'testing', 'selftests'),
      `-j${jobs}`,
      `O=${objDir}`,
      `KHDR_INCLUDES=-isystem ${join(buildDir, 'usr', 'include')}`,
      `TARGETS=${targets.join(' ')}`,
      // every target must build: by default make succeeds when one of them does, and a target that no longer compiles would be missing from the guest without a word
      'FORCE_TARGETS=1',
      `INSTALL_PATH=${installDir}`,
      'install',
    ],
    buffer: false,
  };
}

/** modules_install writes only under INSTALL_MOD_PATH; daxctl needs its modules.builtin*. */
export function modulesInstallSpec(srcDir: string, buildDir: string, modPath: string): CommandSpec {
  return { cmd: 'make', args: ['-C', srcDir, `O=${buildDir}`, `INSTALL_MOD_PATH=${modPath}`, 'modules_install'], buffer: false };
}
