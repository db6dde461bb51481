// SPDX-License-Identifier: GPL-2.0-only
/**
 * How much slower than the scenarios assume a debug kernel runs, read from its .config (pure).
 *
 * KASAN checks every memory access; kmemleak, lockdep and debug_pagealloc add their own work
 * to every allocation, lock and free. Under TCG a KASAN kernel's boot spends tens of seconds
 * in the ACPI interpreter alone, which trips the soft-lockup watchdog (20 s) before any test
 * runs, and the kselftest runner's 45 s run out on work that is merely slow. So, for a
 * debug kernel:
 *  - every boot's deadline is multiplied by the factor (not an explicit --timeout: that is
 *    the user's number);
 *  - the guest is told the factor (kseries.time_factor=N, KSERIES_TIME_FACTOR in the
 *    scenarios' environment), and the kselftest scenario scales the runner's timeouts by it
 *    (a clock that is part of what a test checks, such as the BLK device's no_space_timeout,
 *    is not scaled: a slow kernel must still meet it);
 *  - the lockup and stall detectors get the thresholds syzbot boots its debug kernels with
 *    (watchdog_thresh=55, workqueue.watchdog_thresh=140, rcupdate.rcu_cpu_stall_timeout=100):
 *    they still report a CPU that is stuck, not one that is slow;
 *  - PCI interrupts are routed from the BIOS's PIRQ table, not ACPI (acpi=noirq): QEMU's
 *    i440fx _PRT method is a While loop over every slot, which a KASAN kernel under TCG runs
 *    past ACPICA's 30 s loop timeout (AE_AML_LOOP_TIMEOUT); PCI devices then got no INTx line
 *    ("PCI INT A: no GSI"), and virtio-pmem, which has no MSI-X, waited for ever on a flush.
 */

import { parseConfig, valueOf } from '../kconfig/config.js';

export interface Slowdown {
  factor: number;
  /** The options that made it, "KASAN", "lockdep", …; empty for factor 1. */
  because: string[];
  /** Kernel command line parameters for the lockup and stall detectors. */
  append: string[];
}

export const NO_SLOWDOWN: Slowdown = { factor: 1, because: [], append: [] };

/** Checked in this order; KASAN alone makes the factor 4, the others 2 together or alone. */
const SLOW_OPTIONS: Array<{ symbol: string; name: string; factor: number }> = [
  { symbol: 'KASAN', name: 'KASAN', factor: 4 },
  { symbol: 'DEBUG_KMEMLEAK', name: 'kmemleak', factor: 2 },
  { symbol: 'PROVE_LOCKING', name: 'lockdep', factor: 2 },
  { symbol: 'DEBUG_PAGEALLOC_ENABLE_DEFAULT', name: 'debug_pagealloc', factor: 2 },
];

export const SLOW_KERNEL_APPEND = ['watchdog_thresh=55', 'workqueue.watchdog_thresh=140', 'rcupdate.rcu_cpu_stall_timeout=100', 'acpi=noirq'];

/** The slowdown of a kernel built with CONFIG (the text of its .config; null: unknown, no slowdown). */
export function kernelSlowdown(config: string | null): Slowdown {
  if (config === null) return NO_SLOWDOWN;
  const parsed = parseConfig(config, '.config').config;
  const found = SLOW_OPTIONS.filter((o) => valueOf(parsed, o.symbol) === 'y');
  if (!found.length) return NO_SLOWDOWN;
  return { factor: Math.max(...found.map((o) => o.factor)), because: found.map((o) => o.name), append: SLOW_KERNEL_APPEND };
}

/** One line for the progress output and the dry-run. */
export function describeSlowdown(s: Slowdown): string | null {
  return s.factor === 1 ? null : `debug kernel (${s.because.join(', ')}): deadlines and the scenarios' clocks ×${s.factor}; ${s.append.join(' ')}`;
}
