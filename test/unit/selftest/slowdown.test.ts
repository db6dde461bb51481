// SPDX-License-Identifier: GPL-2.0-only
import { describeSlowdown, kernelSlowdown, NO_SLOWDOWN, SLOW_KERNEL_APPEND } from '../../../src/lib/selftest/slowdown.js';

const config = (...lines: string[]) => ['#', '# Automatically generated file; DO NOT EDIT.', ...lines, ''].join('\n');

describe('kernelSlowdown', () => {
  it.each([
    // [.config lines, factor, because]
    [['CONFIG_SOFTLOCKUP_DETECTOR=y'], 1, []],
    [['# CONFIG_KASAN is not set', 'CONFIG_KASAN_GENERIC=y'], 1, []],
    [['CONFIG_KASAN=y', 'CONFIG_DEBUG_KMEMLEAK=y', 'CONFIG_PROVE_LOCKING=y', 'CONFIG_DEBUG_PAGEALLOC_ENABLE_DEFAULT=y'], 4, ['KASAN', 'kmemleak', 'lockdep', 'debug_pagealloc']],
    [['CONFIG_DEBUG_KMEMLEAK=y', 'CONFIG_PROVE_LOCKING=y'], 2, ['kmemleak', 'lockdep']],
    // debug_pagealloc built but off by default costs nothing
    [['CONFIG_DEBUG_PAGEALLOC=y'], 1, []],
    [['CONFIG_KASAN=m'], 1, []],
  ])('%j: ×%i %j', (lines, factor, because) => {
    const s = kernelSlowdown(config(...lines));
    expect(s).toMatchObject({ factor, because });
    expect(s.append).toEqual(factor > 1 ? SLOW_KERNEL_APPEND : []);
  });

  it('no .config: no slowdown, and nothing to say', () => {
    expect(kernelSlowdown(null)).toBe(NO_SLOWDOWN);
    expect(describeSlowdown(NO_SLOWDOWN)).toBeNull();
  });

  it('says what it scales and why', () => {
    expect(describeSlowdown(kernelSlowdown(config('CONFIG_KASAN=y')))).toBe(
      "debug kernel (KASAN): deadlines and the scenarios' clocks ×4; watchdog_thresh=55 workqueue.watchdog_thresh=140 rcupdate.rcu_cpu_stall_timeout=100 acpi=noirq",
    );
  });
});
