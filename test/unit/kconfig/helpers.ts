// SPDX-License-Identifier: GPL-2.0-only
/** Shared by the kconfig tests: the committed Kconfig excerpts. */
import { join } from 'node:path';

export { dbOf } from '../../helpers/kconfig-facts.js';

export const FIXTURES = new URL('../../fixtures/kconfig', import.meta.url).pathname;
export const fixtureTree = (v: '6.1' | '6.12') => join(FIXTURES, `linux-${v}`);
