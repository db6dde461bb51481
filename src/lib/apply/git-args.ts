// SPDX-License-Identifier: GPL-2.0-only
/**
 * The exact git command lines apply runs, built in one place so that the plan printed by
 * --dry-run is what the executor runs. A user's config must not change the outcome:
 * hooks, rerere, signing, am/apply defaults and the locale (we parse git's messages)
 * are pinned.
 */
import { KSERIES_IDENTITY } from '../git/git.js';

export const PINNED_CONFIG = [
  'core.hooksPath=/dev/null',
  'core.autocrlf=false',
  'rerere.enabled=false',
  'merge.conflictStyle=diff3',
  'commit.gpgSign=false',
  'am.keepCR=false',
  'am.messageId=false',
  'am.threeWay=false',
  'mailinfo.scissors=false',
  'apply.whitespace=nowarn',
  'advice.detachedHead=false',
].flatMap((c) => ['-c', c]);

/** English messages: the am-output parser reads them. */
export const C_LOCALE = { LC_ALL: 'C', LANGUAGE: 'C' };

/** Committer identity and date of commits apply makes: the patch's own date, so re-applying gives the same commits. */
export function committerEnv(date: string | null): Record<string, string> {
  return {
    ...C_LOCALE,
    GIT_COMMITTER_NAME: KSERIES_IDENTITY.GIT_COMMITTER_NAME,
    GIT_COMMITTER_EMAIL: KSERIES_IDENTITY.GIT_COMMITTER_EMAIL,
    GIT_COMMITTER_DATE: date ?? '@0 +0000',
  };
}

export const worktreeAddArgs = (dir: string, branch: string, commit: string) => [
  ...PINNED_CONFIG,
  'worktree',
  'add',
  '--no-track',
  '-b',
  branch,
  dir,
  commit,
];

export const amArgs = (patchPath: string) => [...PINNED_CONFIG, 'am', '-3', '--no-rerere-autoupdate', patchPath];
export const amContinueArgs = () => [...PINNED_CONFIG, 'am', '--continue', '--no-rerere-autoupdate'];
export const amSkipArgs = () => [...PINNED_CONFIG, 'am', '--skip'];
export const amAbortArgs = () => [...PINNED_CONFIG, 'am', '--abort'];
