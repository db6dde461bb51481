// SPDX-License-Identifier: GPL-2.0-only
/**
 * Follows a growing console log file (QEMU writes it) by polling, and reports lines as
 * they appear: this is how a panic stops the VM at once instead of at the deadline.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export interface LogWatcher {
  /** Reads what is new now (also called by the timer). */
  poll(): void;
  stop(): void;
}

export function watchLog(path: string, onLine: (line: string) => void, intervalMs = 100): LogWatcher {
  let offset = 0;
  let rest = '';
  const buf = Buffer.alloc(64 * 1024);
  const poll = () => {
    if (!existsSync(path)) return;
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return;
    }
    if (size < offset) offset = 0; // truncated: start over
    if (size === offset) return;
    const fd = openSync(path, 'r');
    try {
      while (offset < size) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, size - offset), offset);
        if (n <= 0) break;
        offset += n;
        rest += buf.subarray(0, n).toString('latin1');
      }
    } finally {
      closeSync(fd);
    }
    let i: number;
    while ((i = rest.indexOf('\n')) >= 0) {
      onLine(rest.slice(0, i).replace(/\r$/, ''));
      rest = rest.slice(i + 1);
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    poll,
    stop() {
      clearInterval(timer);
      poll();
      if (rest) onLine(rest.replace(/\r$/, ''));
      rest = '';
    },
  };
}
