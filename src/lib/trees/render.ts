// SPDX-License-Identifier: GPL-2.0-only
import type { TreeRecord } from './registry.js';

export function renderTreeTable(trees: TreeRecord[]): string {
  if (!trees.length) return 'no trees registered (kseries tree add NAME --source debian:6.1)';
  const rows = trees.map((t) => [t.name, t.kernel.string, t.kind, t.ref, t.commit.slice(0, 12), t.source]);
  const head = ['NAME', 'VERSION', 'KIND', 'REF', 'COMMIT', 'SOURCE'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n');
}

export function renderTree(t: TreeRecord): string {
  return [
    `name:     ${t.name}`,
    `kernel:   ${t.kernel.string}${t.debianVersion ? ` (Debian ${t.debianVersion})` : ''}`,
    `kind:     ${t.kind}`,
    `repo:     ${t.repo}`,
    `ref:      ${t.ref}`,
    `commit:   ${t.commit}`,
    `source:   ${t.source}`,
    `tags:     ${t.tags.join(', ') || '-'}`,
    `added:    ${t.addedAt}`,
  ].join('\n');
}
