// SPDX-License-Identifier: GPL-2.0-only
/** The flags `kconfig generate` and `kconfig apply` share: what to request. */
import { Flags } from '@oclif/core';

export const requestFlags = {
  feature: Flags.boolean({
    default: true,
    allowNo: true,
    summary: 'Include the DAX KMEM feature fragment (kconfig/feature-dax-kmem.config); --no-feature leaves it out.',
  }),
  persist: Flags.string({
    multiple: true,
    summary: 'Persistence types of the series to enable, comma-separated (none, blk): kconfig/persist-TYPE.config.',
  }),
  platform: Flags.string({
    default: 'qemu-x86_64',
    summary: 'Test platform fragment (kconfig/platform-NAME.config), or "none".',
  }),
  debug: Flags.boolean({ summary: 'Add kconfig/debug.config (DEBUG_VM, lockdep, KASAN, DEBUG_PAGEALLOC, …).' }),
  module: Flags.boolean({ summary: 'Build the feature\'s device-dax drivers as modules (=m).', exclusive: ['builtin'] }),
  builtin: Flags.boolean({ summary: 'Build everything in (=y); the default.', exclusive: ['module'] }),
  selftests: Flags.string({
    multiple: true,
    summary: 'kselftest targets whose own config files to add, comma-separated (memory-hotplug, dax, mm/vm); needs --tree.',
  }),
  fragment: Flags.string({ char: 'f', multiple: true, summary: 'Your own fragment file(s), merged last (a later value wins).' }),
  strict: Flags.boolean({
    summary: 'Fail (exit 1) when a fragment line is not a Kconfig assignment, a comment or blank; without it each such line is a warning (FILE:LINE) and is left out.',
  }),
};

/** Flags → request options. */
export const requestOptions = (f: {
  feature: boolean;
  persist?: string[];
  platform: string;
  debug: boolean;
  module: boolean;
  selftests?: string[];
  fragment?: string[];
  strict: boolean;
}) => ({
  feature: f.feature,
  persist: f.persist ?? [],
  platform: f.platform,
  debug: f.debug,
  module: f.module,
  selftests: f.selftests ?? [],
  fragments: f.fragment ?? [],
  strict: f.strict,
});
