// SPDX-License-Identifier: GPL-2.0-only
/**
 * Reading /init's markers back from a console log (pure): which scripts ran, how they
 * exited, and the output each printed between its BEGIN and RESULT markers.
 */
import { MARKER } from './init-script.js';

export interface ScriptRun {
  name: string;
  /** null when the script never reported (the VM died or hung first). */
  exit: number | null;
  /** What the script printed, as seen on the console, without the kernel's own (time-stamped) lines. */
  output: string;
}

export interface Markers {
  initSeen: boolean;
  /** Guest uptime /init reported. */
  initUptimeSec: number | null;
  scripts: ScriptRun[];
  /** Objects kmemleak's scan after the script reported (kernels with kmemleak), else null. */
  kmemleak: number | null;
  end: boolean;
}

const KERNEL_LINE = /^\[\s*\d+\.\d{3,9}\] /;
const re = (m: string) => new RegExp(`(?:^|\\s)${m} (\\S+)(?: exit=(\\d+))?\\s*$`);

export function parseMarkers(text: string): Markers {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const begin = re(MARKER.begin);
  const result = re(MARKER.result);
  const init = new RegExp(`${MARKER.init} uptime=(\\d+(?:\\.\\d+)?)`);
  const leaks = new RegExp(`${MARKER.kmemleak} unreferenced=(\\d+)`);
  const out: Markers = { initSeen: false, initUptimeSec: null, scripts: [], kmemleak: null, end: false };
  let open: { name: string; lines: string[] } | null = null;
  const close = (exit: number | null) => {
    if (!open) return;
    // the marker is printed after an empty line; drop that one
    while (open.lines.length && open.lines[open.lines.length - 1] === '') open.lines.pop();
    out.scripts.push({ name: open.name, exit, output: open.lines.join('\n') });
    open = null;
  };
  for (const l of lines) {
    let m = init.exec(l);
    if (m) {
      out.initSeen = true;
      out.initUptimeSec = Number(m[1]);
      continue;
    }
    m = leaks.exec(l);
    if (m) {
      close(null);
      out.kmemleak = Number(m[1]);
      continue;
    }
    m = begin.exec(l);
    if (m) {
      close(null);
      open = { name: m[1], lines: [] };
      continue;
    }
    m = result.exec(l);
    if (m && m[2] !== undefined) {
      if (open && open.name !== m[1]) close(null);
      if (!open) open = { name: m[1], lines: [] };
      close(Number(m[2]));
      continue;
    }
    if (l.trim() === MARKER.end || l.endsWith(` ${MARKER.end}`)) {
      close(null);
      out.end = true;
      continue;
    }
    if (open && !KERNEL_LINE.test(l)) open.lines.push(l);
  }
  close(null);
  return out;
}
