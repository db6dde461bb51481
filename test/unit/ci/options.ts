// SPDX-License-Identifier: GPL-2.0-only
/** The options of a default kseries ci run, for the ci tests. */
import type { CiOptions } from '../../../src/lib/ci/plan.js';

export const OPTIONS: CiOptions = {
  patches: null,
  scenarios: ['kmem-persist-suite', 'kmem-persist-blk', 'kmem-persist-exclusive', 'pmem-persistence', 'kselftest'],
  kselftests: ['memory-hotplug'],
  kconfig: { base: 'tinyconfig', platform: 'qemu-x86_64', persist: ['blk', 'fs'], selftests: ['memory-hotplug', 'dax'] },
  jobs: null,
  ccache: false,
  accel: 'auto',
};
