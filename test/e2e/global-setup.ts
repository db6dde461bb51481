// SPDX-License-Identifier: GPL-2.0-only
/**
 * globalSetup of the e2e project: makes (or reuses) the fixture every e2e file needs, the
 * Debian 6.1 import k61, in the e2e cache (test/helpers/e2e-fixtures.ts), and provides
 * its paths to the test files (inject('kseriesE2e')). The fixtures only some files need
 * (k612, the built kernel) are made on first use by those files.
 */
import type { TestProject } from 'vitest/node';
import { e2eCacheRoot, ensureImported } from '../helpers/e2e-fixture-store.js';

export default async function setup(project: TestProject): Promise<void> {
  const root = e2eCacheRoot();
  const t0 = Date.now();
  const k61 = await ensureImported(root, 'k61');
  process.stderr.write(`[e2e fixtures] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s under ${root}\n`);
  project.provide('kseriesE2e', { root, k61 });
}
