// SPDX-License-Identifier: GPL-2.0-only
/**
 * kseries ci with the real stages on a fixture repository whose tree conflicts with the
 * series: apply fails (git am -3, for real), every later stage is SKIP, no process is
 * spawned for them (a strict FakeRunner with no expectation would throw), exit 1, and the
 * reports say so.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeCi } from '../../../src/lib/ci/executor.js';
import { planCi } from '../../../src/lib/ci/plan.js';
import { defaultStages } from '../../../src/lib/ci/stages/index.js';
import { writeCiReports } from '../../../src/lib/ci/write.js';
import { parseResults } from '../../../src/lib/report/results.js';
import { FakeRunner } from '../../helpers/fake-runner.js';
import { gitSync, isolate, type IsolatedEnv } from '../../helpers/env.js';
import { makeSeriesFixture, type SeriesFixture } from '../../helpers/series-fixture.js';
import { OPTIONS } from './options.js';

describe('kseries ci on a tree the series does not apply to (real apply, fake runner)', () => {
  let env: IsolatedEnv;
  let fx: SeriesFixture;

  beforeAll(() => {
    env = isolate('kseries-ci-broken-');
    fx = makeSeriesFixture(join(env.root, 'fx'));
    const commit = gitSync(fx.repo, ['rev-parse', 'conflict']).trim();
    const rec = {
      name: 'fx', kind: 'git', repo: fx.repo, source: fx.repo, ref: 'conflict', commit,
      kernel: { version: 6, patchlevel: 1, sublevel: 10, extraversion: '', string: '6.1.10' }, tags: [], addedAt: '2024-01-01T00:00:00Z',
    };
    mkdirSync(env.paths.data, { recursive: true });
    writeFileSync(join(env.paths.data, 'trees.json'), JSON.stringify({ version: 1, trees: { fx: rec } }));
  });
  afterAll(() => env.cleanup());

  it('apply fails; kconfig, build, checkpatch and the selftests are skipped; exit 1', async () => {
    const runner = new FakeRunner(); // strict: any process a later stage spawned would throw
    const resultsDir = join(env.root, 'results');
    const plan = planCi({ trees: [{ name: 'fx', register: null }], resultsDir, keepGoing: false, options: { ...OPTIONS, patches: fx.patches } });
    const run = await executeCi(plan, defaultStages({ runner, paths: env.paths, patchesRoot: fx.patches }));
    expect(runner.calls).toEqual([]);
    const t = run.trees[0];
    expect(t.stages.map((s) => [s.name, s.status])).toEqual([
      ['apply', 'fail'],
      ['kconfig', 'skip'],
      ['build', 'skip'],
      ['checkpatch', 'skip'],
      ...OPTIONS.scenarios.map((s) => [`selftest:${s}`, 'skip']),
    ]);
    const apply = t.stages[0];
    expect(apply.summary).toMatch(/^cannot apply to conflict: patch 1\/2 0001-dax-kmem-Keep-persistent-memory-across-kexec\.patch conflicts in drivers\/dax\/kmem\.c$/);
    expect(apply.tests?.map((c) => [c.name, c.status])).toEqual([
      ['0001-dax-kmem-Keep-persistent-memory-across-kexec.patch', 'fail'],
      ['0002-mm-memory_hotplug-Honour-persistent-ranges.patch', 'skip'],
    ]);
    expect(apply.commands?.some((c) => /\bam\b.*-3/.test(c))).toBe(true);
    expect(t.stages[1].summary).toBe('not run: apply failed');
    expect(t.stages[2].summary).toBe('not run: kconfig was skipped');

    const w = writeCiReports(resultsDir, run, { paths: env.paths, cwd: env.root, argv: ['ci', '--tree', 'fx'] });
    expect(w.ci.exitCode).toBe(1);
    const summary = readFileSync(join(resultsDir, 'fx', 'summary.md'), 'utf8');
    expect(summary).toContain('| apply | ❌ fail |');
    expect(summary).toContain('failed: `0001-dax-kmem-Keep-persistent-memory-across-kexec.patch`');
    expect(summary).toContain('| build | ⏭️ skip | 0 ms | not run: kconfig was skipped |');
    expect(summary).not.toContain('✅');
    const junit = readFileSync(join(resultsDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="fx\/apply" id="0" tests="2" failures="1" errors="0" skipped="1"/);
    expect(junit).toMatch(/<testsuite name="fx\/build" id="2" tests="1" failures="0" errors="0" skipped="1"/);
    expect(parseResults(JSON.parse(readFileSync(join(resultsDir, 'fx', 'results.json'), 'utf8'))).overall).toBe('fail');
    expect(readFileSync(join(resultsDir, 'fx', 'logs', 'apply.log'), 'utf8')).toMatch(/CONFLICT at patch 1\/2/);
    expect(readFileSync(join(resultsDir, 'commands.sh'), 'utf8')).toMatch(/^kseries apply --tree fx --patches .*\n# {3}git -C /m);
  });
});
