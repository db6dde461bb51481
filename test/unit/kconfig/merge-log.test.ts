// SPDX-License-Identifier: GPL-2.0-only
import { describe, expect, it } from 'vitest';
import { classifyNoise, parseKconfigOutput } from '../../../src/lib/kconfig/merge-log.js';

const MERGE_M = `Using /b/.config as base
Merging /b/kseries-requested.config
Value of CONFIG_BLOCK is redefined by fragment /b/kseries-requested.config:
Previous value: # CONFIG_BLOCK is not set
New value: CONFIG_BLOCK=y

Value of CONFIG_64BIT is redefined by fragment /b/kseries-requested.config:
Previous  value: # CONFIG_64BIT is not set
New value:       CONFIG_64BIT=y

#
# merged configuration written to /b/.config (needs make)
#`;

const MERGE_FULL = `Value requested for CONFIG_X86_32 not in final .config
Requested value:  CONFIG_X86_32=y
Actual value:     # CONFIG_X86_32 is not set

Value requested for CONFIG_DEV_DAX not in final .config
Requested value:  CONFIG_DEV_DAX=y
Actual value:     `;

const CONF = `.config:1309:warning: override: UNWINDER_GUESS changes choice state
.config:1328:warning: override: SLUB changes choice state

WARNING: unmet direct dependencies detected for PAGE_POISONING
  Depends on [n]: DEBUG_KERNEL [=n]
  Selected by [y]:
  - DEBUG_PAGEALLOC [=y] && !ARCH_SUPPORTS_DEBUG_PAGEALLOC [=n]
#
# configuration written to .config
#`;

describe('parseKconfigOutput', () => {
  it('reads merge_config.sh -m redefinitions', () => {
    const m = parseKconfigOutput(MERGE_M);
    expect(m.redefined).toEqual([
      { symbol: 'BLOCK', fragment: '/b/kseries-requested.config', previous: '# CONFIG_BLOCK is not set', next: 'CONFIG_BLOCK=y' },
      { symbol: '64BIT', fragment: '/b/kseries-requested.config', previous: '# CONFIG_64BIT is not set', next: 'CONFIG_64BIT=y' },
    ]);
    expect(m.warnings).toEqual([]);
  });

  it('reads "not in final .config" reports', () => {
    expect(parseKconfigOutput(MERGE_FULL).notInFinal).toEqual([
      { symbol: 'X86_32', requested: 'CONFIG_X86_32=y', actual: '# CONFIG_X86_32 is not set' },
      { symbol: 'DEV_DAX', requested: 'CONFIG_DEV_DAX=y', actual: '' },
    ]);
  });

  it("reads conf's warnings, keeping an unmet-dependency warning in one piece", () => {
    const w = parseKconfigOutput(CONF).warnings;
    expect(w.map((x) => x.text)).toEqual([
      '.config:1309:warning: override: UNWINDER_GUESS changes choice state',
      '.config:1328:warning: override: SLUB changes choice state',
      'WARNING: unmet direct dependencies detected for PAGE_POISONING | Depends on [n]: DEBUG_KERNEL [=n] | Selected by [y]: | - DEBUG_PAGEALLOC [=y] && !ARCH_SUPPORTS_DEBUG_PAGEALLOC [=n]',
    ]);
    expect(w[2].symbols).toEqual(expect.arrayContaining(['PAGE_POISONING', 'DEBUG_KERNEL', 'DEBUG_PAGEALLOC']));
  });
});

describe('classifyNoise', () => {
  it('keeps what concerns the request and counts the rest as noise about the base', () => {
    const all = [MERGE_M, MERGE_FULL, CONF].map(parseKconfigOutput);
    const merged = { redefined: all.flatMap((m) => m.redefined), notInFinal: all.flatMap((m) => m.notInFinal), warnings: all.flatMap((m) => m.warnings) };
    expect(classifyNoise(merged, new Set(['SLUB', 'DEBUG_PAGEALLOC', 'DEV_DAX']))).toEqual({
      warningsAboutRequest: [merged.warnings[1].text, merged.warnings[2].text],
      baseWarnings: 1,
      baseNotInFinal: 1,
      redefined: 2,
    });
  });
});
