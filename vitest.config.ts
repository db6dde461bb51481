// SPDX-License-Identifier: GPL-2.0-only
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    reporters: ['default'],
    projects: [
      // unit first, then e2e (sequence.groupOrder): kernel builds and VMs do not slow the unit tests down on 2 cores
      // test/dist-setup.ts: dist/ (what bin/run.js loads) is rebuilt first when src/ is newer, so the CLI tests run the sources
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], globalSetup: ['test/dist-setup.ts'], testTimeout: 30_000, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // the shared kernel trees and kernel, in ${XDG_CACHE_HOME:-~/.cache}/kseries-e2e (KSERIES_E2E_CACHE)
          globalSetup: ['test/dist-setup.ts', 'test/e2e/global-setup.ts'],
          testTimeout: 3_600_000,
          hookTimeout: 3_600_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
