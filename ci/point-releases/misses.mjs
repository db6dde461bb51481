#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
/**
 * Why a point release's build misses the shared ccache: which objects must be compiled
 * again because a file they read changed between two kernel trees.
 *
 *   node ci/point-releases/misses.mjs --build O_DIR --old SRC_A --new SRC_B [--top 15]
 *
 * O_DIR is a finished build of SRC_A (its kbuild .o.cmd files list, for every object, the
 * source and every header the compiler read: `deps_...`). For each object, the files it read
 * are compared between SRC_A and SRC_B by content; an object with one file that differs (or
 * that is missing in SRC_B) has a different preprocessed text, so no cache keyed on its
 * inputs (ccache's direct or preprocessor mode, or make's own timestamps) can serve it. The
 * count is what a build of SRC_B must compile at the least; the headers are listed by how
 * many objects read them. Paths the build generated (include/generated, include/config) are
 * left out: they follow from .config, which the matrix keeps the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

let o;
try {
  ({ values: o } = parseArgs({ options: { build: { type: 'string' }, old: { type: 'string' }, new: { type: 'string' }, top: { type: 'string', default: '15' } } }));
  if (!o.build || !o.old || !o.new) throw new Error('--build, --old and --new are required');
} catch (err) {
  console.error(`misses.mjs: ${err.message}\nusage: node ci/point-releases/misses.mjs --build O_DIR --old SRC_A --new SRC_B [--top 15]`);
  process.exit(2);
}
const build = resolve(o.build);
const oldSrc = resolve(o.old);
const newSrc = resolve(o.new);
for (const [what, dir] of [['--build', build], ['--old', oldSrc], ['--new', newSrc]]) {
  if (!existsSync(dir)) {
    console.error(`misses.mjs: ${what} ${dir}: no such directory`);
    process.exit(2);
  }
}
if (!existsSync(join(build, 'Makefile')) || !existsSync(join(build, '.config'))) {
  console.error(`misses.mjs: ${build} is not a kbuild O= directory (no Makefile and .config)`);
  process.exit(2);
}

function* cmdFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* cmdFiles(p);
    else if (e.name.endsWith('.o.cmd')) yield p;
  }
}

// the files an object read (its source_ line and the indented lines of its deps_ list), as
// paths inside the source tree; generated ones and $(wildcard include/config/...) left out
function inputs(text) {
  const files = [];
  for (const line of text.split('\n')) {
    const path = /^source_\S+ := (\S+)$/.exec(line)?.[1] ?? /^\s+(\S+)(?: \\)?$/.exec(line)?.[1];
    if (!path) continue;
    const rel = relative(oldSrc, resolve(build, path));
    if (!rel.startsWith('..') && /\.[chS]$/.test(rel)) files.push(rel);
  }
  return files;
}

const same = new Map();
function unchanged(rel) {
  if (!same.has(rel)) {
    const b = join(newSrc, rel);
    same.set(rel, existsSync(b) && readFileSync(join(oldSrc, rel)).equals(readFileSync(b)));
  }
  return same.get(rel);
}

let objects = 0;
let must = 0;
const byFile = new Map();
for (const cmd of cmdFiles(build)) {
  const text = readFileSync(cmd, 'utf8');
  if (!text.includes('deps_')) continue;
  objects++;
  const changed = [...new Set(inputs(text))].filter((f) => !unchanged(f));
  if (changed.length === 0) continue;
  must++;
  for (const f of changed) byFile.set(f, (byFile.get(f) ?? 0) + 1);
}
const changedFiles = [...same].filter(([, s]) => !s).length;
console.log(`${must} of ${objects} compiled objects read a file that differs (${((100 * must) / Math.max(1, objects)).toFixed(0)} %); ${changedFiles} of the ${same.size} files they read differ`);
for (const [f, n] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, Number(o.top))) console.log(`${String(n).padStart(6)}  ${f}`);
