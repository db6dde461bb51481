// SPDX-License-Identifier: GPL-2.0-only
/** One ccache default for build and ci: on when installed, --no-ccache turns it off (issue 17, point 3). */
import { chooseCcache, describeCcache } from '../../../src/lib/build/ccache.js';

describe('chooseCcache', () => {
  it.each<[string, boolean | undefined, boolean, boolean, '--ccache' | '--no-ccache', boolean, string]>([
    ['neither flag, installed', undefined, true, true, '--ccache', false, 'ccache: on (the default when ccache is installed; --no-ccache turns it off)'],
    ['neither flag, not installed', undefined, false, false, '--no-ccache', false, 'ccache: off (ccache is not installed; kseries doctor --fix installs it, and the first build with it recompiles everything)'],
    ['--ccache, installed', true, true, true, '--ccache', false, 'ccache: on (--ccache)'],
    ['--ccache, not installed', true, false, false, '--no-ccache', true, 'ccache: off (--ccache, but ccache is not installed)'],
    ['--no-ccache, installed', false, true, false, '--no-ccache', false, 'ccache: off (--no-ccache)'],
    ['--no-ccache, not installed', false, false, false, '--no-ccache', false, 'ccache: off (--no-ccache)'],
  ])('%s', (_what, asked, installed, use, flag, warns, described) => {
    const c = chooseCcache(asked, installed);
    expect({ use: c.use, flag: c.flag, warns: c.warning !== null }).toEqual({ use, flag, warns });
    expect(describeCcache(c)).toBe(described);
  });
});
