// SPDX-License-Identifier: GPL-2.0-only
/** What the benchmarks share: git's identity for their own repos, GNU time's figures, medians. */

/** A git with no system or user config and a fixed identity: the benches' own repositories. */
export const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@localhost',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@localhost',
};

/** `/usr/bin/time -f TIME_FORMAT CMD…` appends a line that gnuTime() reads. */
export const TIME_FORMAT = 'KSERIES_BENCH %e %U %S';

/** The figures of GNU time at the end of STDERR: wall, cpu (user + system of every descendant) and system seconds. */
export function gnuTime(stderr) {
  const m = /KSERIES_BENCH (\S+) (\S+) (\S+)\s*$/.exec(stderr);
  if (!m) throw new Error(`no timing from /usr/bin/time: ${stderr.slice(-500)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), sys: Number(m[3]) };
}

/** The lower median (a value that was measured, for an even count too). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** `BENCH key=value …` lines of a guest's log whose first key is FIRST, as objects (values are strings). */
export function benchLines(text, first) {
  return [...text.matchAll(new RegExp(`\\bBENCH (${first}=.*)$`, 'gm'))].map((m) =>
    Object.fromEntries(m[1].trim().split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  );
}
