// SPDX-License-Identifier: GPL-2.0-only
/** What the real stages need from outside, and where a stage's logs go in the tree's results directory. */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../../exec/runner.js';
import type { StatePaths } from '../../paths.js';
import type { StageContext } from '../executor.js';

export interface StageDeps {
  runner: Runner;
  paths: StatePaths;
  /** The directory holding the vX.Y/ patch sets. */
  patchesRoot: string;
}

/** RESULTS/<tree>/logs/NAME: returns the path relative to the tree's directory (as results.json records it). */
export function writeLog(ctx: Pick<StageContext, 'tree'>, name: string, text: string): string {
  const dir = join(ctx.tree.dir, 'logs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return `logs/${name}`;
}

/** Copies a log into RESULTS/<tree>/logs/NAME, when it exists. */
export function copyLog(ctx: Pick<StageContext, 'tree'>, from: string | null | undefined, name: string): string[] {
  if (!from || !existsSync(from)) return [];
  const dir = join(ctx.tree.dir, 'logs');
  mkdirSync(dir, { recursive: true });
  copyFileSync(from, join(dir, name));
  return [`logs/${name}`];
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
