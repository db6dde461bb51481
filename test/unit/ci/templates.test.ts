// SPDX-License-Identifier: GPL-2.0-only
/**
 * The CI templates under ci/ parse as YAML (the `yaml` package: a real parser catches
 * indentation and quoting mistakes a textual check would miss) and have the structure the
 * README promises: doctor --fix, one job per tree from `kseries ci matrix`, caches of ccache
 * and the tree import, the results uploaded, JUnit published, a scheduled rebase job.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { repoRoot } from '../../../src/lib/paths.js';

const load = (rel: string) => {
  const text = readFileSync(`${repoRoot()}/${rel}`, 'utf8');
  expect(text.startsWith('# SPDX-License-Identifier: GPL-2.0-only\n')).toBe(true);
  return { text, doc: parse(text, { strict: true, uniqueKeys: true }) };
};

type Step = { uses?: string; run?: string; with?: Record<string, string>; if?: string; id?: string; name?: string };

describe('ci/github/kseries.yml', () => {
  const { doc } = load('ci/github/kseries.yml');
  const steps = (job: string): Step[] => doc.jobs[job].steps;
  const runs = (job: string) => steps(job).map((s) => s.run ?? '').join('\n');

  it('runs on pushes, pull requests and a schedule', () => {
    expect(Object.keys(doc.on)).toEqual(expect.arrayContaining(['push', 'pull_request', 'schedule', 'workflow_dispatch']));
    expect(doc.on.schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(doc.permissions).toMatchObject({ checks: 'write' });
  });

  it('fans out one ci job per tree from kseries ci matrix', () => {
    expect(runs('matrix')).toMatch(/npx kseries ci matrix --format github/);
    expect(doc.jobs.matrix.outputs.matrix).toBe('${{ steps.matrix.outputs.matrix }}');
    expect(doc.jobs.ci.needs).toBe('matrix');
    expect(doc.jobs.ci.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.matrix.outputs.matrix) }}' });
  });

  it('installs host dependencies with doctor --fix, registers the tree, runs kseries ci with ccache', () => {
    const r = runs('ci');
    expect(r).toMatch(/npx kseries doctor --fix/);
    expect(r).toMatch(/npx kseries tree add "\$TREE" --source "\$SOURCE"/);
    expect(r).toMatch(/npx kseries ci --tree "\$\{\{ matrix\.tree \}\}" --ccache --results kseries-results/);
    expect(r).toMatch(/cat kseries-results\/summary\.md >> "\$GITHUB_STEP_SUMMARY"/);
  });

  it('caches ccache and the tree import (the XDG cache and data dirs)', () => {
    expect(runs('ci')).toMatch(/XDG_DATA_HOME=.*\n.*XDG_CACHE_HOME=/);
    const cached = steps('ci').filter((s) => /^actions\/cache\/(restore|save)@/.test(s.uses ?? '')).map((s) => s.with!.path.trim());
    expect(cached).toEqual(expect.arrayContaining(['.xdg/cache/kseries/ccache', '.xdg/data/kseries/trees\n.xdg/data/kseries/trees.json']));
  });

  it('uploads the results and publishes the JUnit, even when kseries ci fails', () => {
    const upload = steps('ci').find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload).toMatchObject({ if: 'always()', with: { path: 'kseries-results/' } });
    const junit = steps('ci').find((s) => s.uses?.startsWith('mikepenz/action-junit-report@'))!;
    expect(junit).toMatchObject({ if: 'always()', with: { report_paths: 'kseries-results/junit.xml' } });
  });

  it('has a scheduled rebase job that publishes the conflict report', () => {
    expect(doc.jobs.rebase.if).toMatch(/schedule/);
    const r = runs('rebase');
    expect(r).toMatch(/npx kseries tree add next --source "\$KSERIES_NEXT_SOURCE"/);
    expect(r).toMatch(/npx kseries rebase --tree next --onto "\$ref" --json > rebase\.json/);
    expect(r).toMatch(/npx kseries ci rebase-summary rebase\.json > rebase\.md/);
    expect(r).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
    expect(steps('rebase').find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with?.path).toMatch(/rebase\.json/);
  });
});

describe('ci/gitlab/.gitlab-ci.yml', () => {
  const { doc } = load('ci/gitlab/.gitlab-ci.yml');

  it('generates the per-tree child pipeline with kseries ci matrix and triggers it', () => {
    expect(doc.stages).toEqual(['matrix', 'test', 'rebase']);
    expect(doc['kseries-matrix'].script.join('\n')).toMatch(/npx kseries ci matrix --format gitlab .*> kseries-matrix\.yml/);
    expect(doc['kseries-matrix'].artifacts.paths).toEqual(['kseries-matrix.yml']);
    expect(doc['kseries-ci'].trigger).toEqual({ include: [{ artifact: 'kseries-matrix.yml', job: 'kseries-matrix' }], strategy: 'depend' });
  });

  it('has a scheduled rebase job that keeps the conflict report as artifacts', () => {
    const j = doc['kseries-rebase'];
    expect(j.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    expect(j.script).toContain('npx kseries doctor --fix');
    expect(j.script.join('\n')).toMatch(/kseries rebase --tree next --onto "\$ref" --json > rebase\.json/);
    expect(j.script.join('\n')).toMatch(/kseries ci rebase-summary rebase\.json > rebase\.md/);
    expect(j.artifacts).toMatchObject({ when: 'always', paths: ['rebase.json', 'rebase.md'] });
  });
});
