// SPDX-License-Identifier: GPL-2.0-only
/**
 * Where git command lines are reported (the reproducible command log, --verbose). Kept
 * apart from git.ts so that registering it does not load simple-git: a command that runs
 * no git (build, selftest) starts without it.
 */
let historySink: ((line: string) => void) | undefined;

/** The base command registers a sink so git commands land in the reproducible command log too. Returns the previous sink. */
export function setGitHistorySink(fn: ((line: string) => void) | undefined): ((line: string) => void) | undefined {
  const previous = historySink;
  historySink = fn;
  return previous;
}

export const gitHistorySink = () => historySink;
