// SPDX-License-Identifier: GPL-2.0-only
/**
 * Stamps of the guest files' steps (guest-files.ts): a key over the step's command line,
 * the content of each listed file and of each source-tree file the kselftests name, the
 * path, size and modification time of each file under an input tree and of each module (as
 * make judges a target by its prerequisites' times), and the compiler's binary. Listed files are hashed, not stat'ed: kbuild rewrites modules.builtin.modinfo
 * at every link of vmlinux, with the same content unless a built-in module changed. The stamp is removed before a step runs and written only after it
 * succeeded, so an interrupted or failed run never leaves a stamp that skips the redo.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findInPath } from '../doctor/doctor.js';
import { describe } from '../exec/runner.js';
import { statKey } from '../host-memo.js';
import { fileSha256 } from '../vm/host-files.js';
import type { PrepareStep, StampInputs } from './guest-files.js';

const statLine = (path: string) => `${path} ${statKey(path)}`;

function contentLine(path: string): string {
  try {
    return `${path} ${fileSha256(path)}`;
  } catch {
    return `${path} missing`;
  }
}

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    out.push(`${dir} missing`);
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(statLine(p));
  }
}

/** Module objects named by modules.order: lines of .ko (6.1) or .o (6.2 on, the .ko beside it). */
export function listedModules(order: string, base: string): string[] {
  return order
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => join(base, l.replace(/\.o$/, '.ko')));
}

const INCLUDE = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/gm;
const TOP_SRCDIR = /\$\(top_srcdir\)\/([\w./+-]+)/g;
const UP = /(?:^|[\s=:(]|\.\/)(\.\.\/[\w./+-]+)/gm;

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Files outside the kselftest directories that their sources and Makefiles name: an
 * include resolved against the source tree (the tests build with -I $(top_srcdir)), a
 * $(top_srcdir)/ path, a ../ path of a Makefile. One level deep: what those files include
 * in turn is not followed (the uapi headers they reach are an input of their own).
 */
export function referencedFiles(dirs: readonly string[], top: string): string[] {
  const found = new Set<string>();
  const scan = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        scan(p);
        continue;
      }
      const make = /^Makefile|\.mk$/.test(e.name);
      if (!make && !/\.[ch]$/.test(e.name)) continue;
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(INCLUDE)) if (isFile(join(top, m[1]))) found.add(join(top, m[1]));
      if (!make) continue;
      for (const m of text.matchAll(TOP_SRCDIR)) if (isFile(join(top, m[1]))) found.add(join(top, m[1]));
      for (const m of text.matchAll(UP)) if (isFile(resolve(dir, m[1]))) found.add(resolve(dir, m[1]));
    }
  };
  for (const d of dirs) scan(d);
  return [...found].sort();
}

export function inputsKey(spec: PrepareStep['spec'], inputs: StampInputs): string {
  const lines = [describe(spec), ...inputs.files.map(contentLine)];
  for (const t of inputs.trees) walk(t, lines);
  if (inputs.moduleList && existsSync(inputs.moduleList.file)) {
    lines.push(...listedModules(readFileSync(inputs.moduleList.file, 'utf8'), inputs.moduleList.base).map(statLine));
  }
  if (inputs.referencedFrom) lines.push(...referencedFiles(inputs.referencedFrom.dirs, inputs.referencedFrom.top).map(contentLine));
  for (const t of inputs.hostTools ?? []) {
    const path = findInPath(t);
    lines.push(`tool ${t} ${path ?? 'missing'} ${path ? statKey(path) : ''}`);
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Does the step's stamp hold KEY (its inputs' key now), with its outputs in place? */
export function upToDate(step: PrepareStep, key: string): boolean {
  if (!step.outputs.every((o) => existsSync(o))) return false;
  try {
    return (JSON.parse(readFileSync(step.stamp, 'utf8')) as { key?: string }).key === key;
  } catch {
    return false;
  }
}

export function clearStamp(step: PrepareStep): void {
  rmSync(step.stamp, { force: true });
}

/**
 * After a successful run: KEY is the inputs' key taken before the step ran. The stamp is
 * written only when the inputs still have it: a file saved while make ran (kseries watch)
 * may not be in the output, so the next run must redo the step. Returns whether it was written.
 */
export function writeStamp(step: PrepareStep, key: string): boolean {
  if (inputsKey(step.spec, step.inputs) !== key) return false;
  mkdirSync(dirname(step.stamp), { recursive: true });
  writeFileSync(step.stamp, `${JSON.stringify({ step: step.name, command: describe(step.spec), key, at: new Date().toISOString() }, null, 2)}\n`);
  return true;
}
