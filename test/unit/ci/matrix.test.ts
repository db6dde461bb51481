// SPDX-License-Identifier: GPL-2.0-only
/** `kseries ci matrix`: the GitHub JSON and the GitLab child pipeline, parsed back. */
import { parse } from 'yaml';
import { githubMatrix, gitlabMatrix, localSources, matrixEntries, parseAdd } from '../../../src/lib/ci/matrix.js';
import type { TreeRecord } from '../../../src/lib/trees/registry.js';

const tree = (name: string, kind: TreeRecord['kind'], source: string, ref: string) => ({ name, kind, source, ref });

describe('matrix entries', () => {
  it('with no tree registered: the default tree, k61 from debian:6.1', () => {
    expect(matrixEntries([])).toEqual([{ tree: 'k61', source: 'debian:6.1', ref: '' }]);
  });

  it('one entry per registered tree; a ref only for git trees and URLs', () => {
    expect(
      matrixEntries([tree('k61', 'imported', 'debian:6.1', 'v6.1.192'), tree('next', 'clone', 'https://example.org/linux.git', 'v6.13'), tree('mine', 'git', '/src/linux', 'HEAD')]),
    ).toEqual([
      { tree: 'k61', source: 'debian:6.1', ref: '' },
      { tree: 'next', source: 'https://example.org/linux.git', ref: 'v6.13' },
      { tree: 'mine', source: '/src/linux', ref: '' },
    ]);
  });

  it('--add NAME=SOURCE[#REF] adds trees that are not registered under that name', () => {
    expect(parseAdd('k612=debian:6.12')).toEqual({ tree: 'k612', source: 'debian:6.12', ref: '' });
    expect(parseAdd('next=git@example.org:linux.git#v6.13')).toEqual({ tree: 'next', source: 'git@example.org:linux.git', ref: 'v6.13' });
    expect(matrixEntries([tree('k61', 'imported', 'debian:6.1', 'v6.1.192')], [parseAdd('k61=debian:6.1'), parseAdd('k612=debian:6.12')]).map((e) => e.tree)).toEqual(['k61', 'k612']);
    expect(matrixEntries([], [parseAdd('k612=debian:6.12')]).map((e) => e.tree)).toEqual(['k612']);
    expect(() => parseAdd('no-equals')).toThrow(/expected NAME=SOURCE/);
    expect(() => parseAdd('bad name=debian:6.1')).toThrow(/expected NAME=SOURCE/);
  });

  it('flags trees a CI runner cannot register (a local path)', () => {
    expect(localSources(matrixEntries([tree('mine', 'git', '/src/linux', 'HEAD'), tree('k61', 'imported', 'debian:6.1', 'v6.1.192')])).map((e) => e.tree)).toEqual(['mine']);
  });
});

describe('rendered matrices', () => {
  const entries = [
    { tree: 'k61', source: 'debian:6.1', ref: '' },
    { tree: 'next', source: 'https://example.org/linux.git', ref: 'v6.13: "rc"' },
  ];

  it('github: one line of JSON for fromJSON, with include entries', () => {
    const text = githubMatrix(entries);
    expect(text).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({ include: entries });
  });

  it('gitlab: a child pipeline whose job fans out with parallel:matrix', () => {
    const doc = parse(gitlabMatrix(entries));
    expect(doc.stages).toEqual(['test']);
    const job = doc['kseries-ci'];
    expect(job.parallel.matrix).toEqual([
      { KSERIES_TREE: 'k61', KSERIES_SOURCE: 'debian:6.1', KSERIES_REF: '' },
      { KSERIES_TREE: 'next', KSERIES_SOURCE: 'https://example.org/linux.git', KSERIES_REF: 'v6.13: "rc"' },
    ]);
    expect(job.image).toBe('node:20-bookworm');
    expect(job.before_script).toContain('npx kseries doctor --fix');
    expect(job.before_script.join('\n')).toMatch(/kseries tree add "\$KSERIES_TREE" --source "\$KSERIES_SOURCE"/);
    expect(job.script).toEqual(['npx kseries ci --tree "$KSERIES_TREE" --ccache --results kseries-results']);
    expect(job.cache.map((c: { paths: string[] }) => c.paths).flat()).toEqual(['.xdg/cache/kseries/ccache/', '.xdg/data/kseries/trees/', '.xdg/data/kseries/trees.json']);
    expect(job.variables).toMatchObject({ XDG_DATA_HOME: '$CI_PROJECT_DIR/.xdg/data', XDG_CACHE_HOME: '$CI_PROJECT_DIR/.xdg/cache' });
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['kseries-results/'], reports: { junit: 'kseries-results/junit.xml' } });
  });
});
