// SPDX-License-Identifier: GPL-2.0-only
/**
 * The e2e fixtures as test files see them (what globalSetup provided, and the fixtures made
 * on first use). How they are made and where they live: test/helpers/e2e-fixture-store.ts.
 *
 *   import { k61Repo } from '../helpers/e2e-fixtures.js';
 *   const K61 = k61Repo(); // the Debian 6.1 import: register it as a git tree, never write into it
 */
import { join } from 'node:path';
import { inject } from 'vitest';
import { ensureImported, ensureKernel61, type E2eFixtures, type ImportedFixture, type KernelFixture } from './e2e-fixture-store.js';

export type { E2eFixtures, ImportedFixture, KernelFixture };

/** What globalSetup provided. */
export function e2eFixtures(): E2eFixtures {
  const f = inject('kseriesE2e');
  if (!f) throw new Error('no e2e fixtures: run the e2e project (vitest run --project e2e), whose globalSetup makes them');
  return f;
}

/** The e2e cache directory ($KSERIES_E2E_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/kseries-e2e). */
export const e2eRoot = () => e2eFixtures().root;
/** The k61 fixture (Debian 6.1 imported by kseries): register its repo as a git tree, never write into it. */
export const k61 = () => e2eFixtures().k61;
/** The k61 fixture's git repository (with its checkout). */
export const k61Repo = () => e2eFixtures().k61.repo;
/** A CCACHE_DIR in the e2e cache, kept between runs (the kernel fixture's too). */
export const e2eCcacheDir = () => join(e2eRoot(), 'ccache');
/** The k612 fixture (Debian 6.12): imported on first use (~1 min), reused afterwards. */
export const ensureK612 = (): Promise<ImportedFixture> => ensureImported(e2eRoot(), 'k612');
/** A bzImage of k61 (tinyconfig + feature + platform), built by kseries on first use, reused afterwards. */
export const ensureKernel = (): Promise<KernelFixture> => ensureKernel61(e2eRoot(), k61());
