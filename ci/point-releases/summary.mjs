// SPDX-License-Identifier: GPL-2.0-only
// The point-release matrix's summary (run.sh): a Markdown row per version from runs.tsv and
// each run's results.json: every stage's verdict and time, and ccache's hits of the build.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The summary of the matrix results in DIR (runs.tsv and each run's results.json), as Markdown. */
export function summarize(dir) {
  const rows = readFileSync(join(dir, 'runs.tsv'), 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
  const secs = (ms) => `${Math.round(ms / 1000)} s`;
  const out = [
    '| line | Debian version | apply | kconfig | build | ccache hits | checkpatch | scenarios | total |',
    '|---|---|---|---|---|---:|---|---|---:|',
  ];
  let buildMs = 0;
  for (const [line, version, name, rc, seconds, stats] of rows) {
    const top = join(dir, name, 'results.json');
    if (!existsSync(top)) {
      out.push(`| ${line} | ${version} | no results (exit ${rc}) | | | | | | ${seconds} s |`);
      continue;
    }
    const ci = JSON.parse(readFileSync(top, 'utf8'));
    const t = ci.trees[0];
    const res = JSON.parse(readFileSync(join(dir, name, t.dir, 'results.json'), 'utf8'));
    const cell = (n) => {
      const ss = res.stages.filter((s) => s.name === n || s.name.startsWith(`${n}:`));
      if (!ss.length) return '—';
      const bad = ss.filter((s) => s.status !== 'pass');
      const ms = ss.reduce((a, s) => a + s.durationMs, 0);
      if (n === 'build') buildMs += ms;
      if (n === 'apply' && !bad.length) return `PASS ${secs(ms)}: ${ss[0].summary.replace(/^\d+ patches of v[\d.]+ applied on \S+ /, '')}`;
      if (n === 'selftest') return `${bad.length ? `${bad.length} of ${ss.length} not passed: ${bad.map((s) => `${s.name} ${s.status.toUpperCase()}`).join(', ')}` : `${ss.length} PASS`} (${secs(ms)})`;
      return bad.length ? `${bad[0].status.toUpperCase()}: ${bad[0].summary}` : `PASS ${secs(ms)}`;
    };
    const [h0, m0, h1, m1] = stats.split(' ').map(Number);
    const hits = h1 - h0;
    const calls = hits + (m1 - m0);
    out.push(`| ${line} | ${version} | ${cell('apply')} | ${cell('kconfig')} | ${cell('build')} | ${calls ? `${hits}/${calls} (${Math.round((100 * hits) / calls)} %)` : '—'} | ${cell('checkpatch')} | ${cell('selftest')} | ${seconds} s |`);
  }
  out.push('', `Builds: ${secs(buildMs)} in all for ${rows.length} trees.`);
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(summarize(process.argv[2]));
