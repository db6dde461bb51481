// SPDX-License-Identifier: GPL-2.0-only
// No circular imports in src/: every module's relative imports form a DAG (type-only imports included,
// since they tie the modules' designs together just the same).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    out.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  }
  return out;
}

/** The cycles of the graph, each as the list of its modules (relative to src/). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (!graph.has(m)) continue;
      if (state.get(m) === 'open') found.push(stack.slice(stack.indexOf(m)).concat(m).map((p) => relative(SRC, p)));
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('imports in src/', () => {
  it('the cycle finder finds a cycle it is given', () => {
    const g = new Map([
      [join(SRC, 'a.ts'), [join(SRC, 'b.ts')]],
      [join(SRC, 'b.ts'), [join(SRC, 'a.ts')]],
    ]);
    expect(cycles(g)).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });

  it('have no cycle', () => {
    const all = files(SRC);
    const graph = new Map(all.map((f) => [f, importsOf(f)]));
    expect(all.length).toBeGreaterThan(50);
    expect(cycles(graph)).toEqual([]);
  });

  it('reach the outside through one door each: execa only from exec/runner.ts, simple-git only from git/git.ts', () => {
    const importers = (pkg: string) =>
      files(SRC)
        .filter((f) => new RegExp(`from\\s+['"]${pkg}['"]`).test(readFileSync(f, 'utf8')))
        .map((f) => relative(SRC, f));
    expect(importers('execa')).toEqual(['lib/exec/runner.ts']);
    expect(importers('simple-git')).toEqual(['lib/git/git.ts']);
  });
});

/** Packages loaded at start-up by a command: what its module (and theirs) import statically, type-only imports left out (tsc erases them). */
function startupPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const pkgs = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      if (m[1].startsWith('.')) queue.push(resolve(dirname(f), m[1].replace(/\.js$/, '.ts')));
      else if (!m[1].startsWith('node:')) pkgs.add(m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]);
    }
  }
  return pkgs;
}

describe('start-up of the inner loop\'s commands', () => {
  // every import costs start-up time before make or the first VM (simple-git ~60 ms, listr2 ~30 ms on this machine):
  // the commands of the inner loop load git and the task renderer only when a path needs them
  it.each(['build', 'selftest', 'watch'])('kseries %s loads only oclif and execa before its first step', (cmd) => {
    expect([...startupPackages(join(SRC, 'commands', `${cmd}.ts`))].sort()).toEqual(['@oclif/core', 'execa']);
  });
});
