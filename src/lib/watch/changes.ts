// SPDX-License-Identifier: GPL-2.0-only
/**
 * Which file events in a worktree are an edit of the source, for `kseries watch`: an
 * editor's swap, backup and probe files, git's own directory and what an in-tree build
 * writes are not, so saving a file starts one round and nothing else does. Pure.
 */
import { basename } from 'node:path';

/** Directories never watched (their events are never a source change). */
export const IGNORED_DIRS = new Set(['.git', '.pc', 'node_modules']);

const IGNORED_SUFFIXES = ['~', '.swp', '.swo', '.swx', '.tmp', '.orig', '.rej', '.o', '.cmd', '.ko', '.mod', '.d'];

/** Whether REL lies in (or is) a directory that is never watched. */
export const inIgnoredDir = (rel: string): boolean => rel.split('/').some((p) => IGNORED_DIRS.has(p));

/** Whether an event on REL (a path relative to the worktree root) is an edit of the source. */
export function isSourceChange(rel: string): boolean {
  if (!rel || inIgnoredDir(rel)) return false;
  const name = basename(rel);
  if (name.startsWith('.#') || (name.startsWith('#') && name.endsWith('#'))) return false; // emacs lock and autosave
  if (name === '4913') return false; // vim's probe that the directory is writable
  if (/\.sw[a-p]$/.test(name)) return false; // vim swap files (.swp, .swo, … .swa)
  if (IGNORED_SUFFIXES.some((s) => name.endsWith(s))) return false;
  return true;
}

/** The distinct source changes of a batch of events, sorted. */
export function sourceChanges(rels: Iterable<string>): string[] {
  return [...new Set([...rels].filter(isSourceChange))].sort();
}

/** "drivers/dax/kmem.c" or "drivers/dax/kmem.c and 2 more" for a round's heading. */
export function describeChanges(changes: string[]): string {
  if (!changes.length) return 'start';
  return changes.length === 1 ? changes[0] : `${changes[0]} and ${changes.length - 1} more`;
}
