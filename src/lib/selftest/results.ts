// SPDX-License-Identifier: GPL-2.0-only
/** The results of a selftest run: the model written to results.json, and its text rendering. */
import type { Finding } from '../vm/console.js';
import type { BootStatus } from './judge.js';
import type { KtapJudgement } from './ktap-port.js';

export interface BootResult {
  scenario: string;
  index: number;
  name: string;
  script: string;
  status: BootStatus;
  reason: string;
  console: { verdict: string; exitClass: string; summary: string; findings: Finding[] } | null;
  scriptExit: number | null;
  ktap: KtapJudgement | null;
  timings: { elapsedMs: number; firstOutputMs: number | null; initMs: number | null; panicMs: number | null; userspaceAtSec: number | null } | null;
  /** Objects kmemleak's scan after the script reported (a debug kernel); absent or null: no scan. */
  kmemleak?: number | null;
  logs: { console: string; output: string; ktap: string | null; verdict: string } | null;
  command: string | null;
}

export interface ScenarioResult {
  name: string;
  image: string | null;
  status: 'ok' | 'fail' | 'infra';
  boots: BootResult[];
}

export interface SelftestResults {
  status: 'ok' | 'fail' | 'infra';
  tree: string;
  kernel: string;
  accel: { used: string; reason: string };
  initramfs: { path: string; hash: string; cached: boolean } | null;
  resultsDir: string;
  commandLog: string;
  startedAt: string;
  elapsedMs: number;
  scenarios: ScenarioResult[];
}

const secs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

export function renderResults(r: SelftestResults): string {
  const lines = [
    `kernel:  ${r.kernel}`,
    `accel:   ${r.accel.used} (${r.accel.reason})`,
    r.initramfs ? `initrd:  ${r.initramfs.path}${r.initramfs.cached ? ' (cached)' : ''}` : '',
    '',
  ].filter((l, i) => l !== '' || i === 3);
  for (const s of r.scenarios) {
    lines.push(`${s.name}: ${s.status}`);
    for (const b of s.boots) {
      const t = b.timings ? ` [${secs(b.timings.elapsedMs)}, userspace ${b.timings.userspaceAtSec?.toFixed(2) ?? '-'} s]` : '';
      const leaks = b.kmemleak != null ? `, kmemleak scan: ${b.kmemleak} unreferenced` : '';
      lines.push(`  boot${b.index} ${b.script}: ${b.status.toUpperCase()}${t} ${b.reason}${leaks}`);
      if (b.console?.findings.length) lines.push(...b.console.findings[0].excerpt.split('\n').slice(0, 12).map((l) => `      | ${l}`));
      if (b.status !== 'pass' && b.logs) lines.push(`      console: ${b.logs.console}`);
    }
  }
  lines.push('', `${r.status === 'ok' ? 'OK' : r.status === 'fail' ? 'FAILED' : 'ERROR'} in ${secs(r.elapsedMs)}; results in ${r.resultsDir}`);
  return lines.join('\n');
}
