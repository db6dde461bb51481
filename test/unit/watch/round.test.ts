// SPDX-License-Identifier: GPL-2.0-only
import { renderRound, roundStatus, summarizeBuild, summarizeTests, type RoundBoot, type RoundBuild, type RoundSummary } from '../../../src/lib/watch/round.js';
import type { BuildReport } from '../../../src/lib/build/step.js';
import type { SelftestResults } from '../../../src/lib/selftest/results.js';

const ok = (over: Partial<RoundBuild> = {}): RoundBuild => ({ status: 'ok', compiled: 1, seconds: 6.94, warnings: 1, newWarnings: [], firstError: null, ...over });
const boot = (name: string, status: string, failures: string[] = [], detail = `${failures.length ? 'some fail' : '12 tests: 12 pass'}`): RoundBoot => ({ name, status, detail, failures });
const round = (index: number, over: Partial<RoundSummary> = {}): RoundSummary => ({
  index, changes: index === 1 ? [] : ['drivers/dax/kmem_persist_blk.c'], build: ok(), boots: [boot('kmem-persist-suite:boot1', 'pass')],
  status: 'ok', seconds: 30.04, results: null, ...over,
});

describe('renderRound', () => {
  it.each<[string, RoundSummary, RoundSummary | null, string[]]>([
    ['the first round says everything', round(1), null, [
      'round 1 (start), 30.0 s: build ok: 1 object in 6.9 s',
      '  kmem-persist-suite:boot1: pass (12 tests: 12 pass)',
    ]],
    ['nothing moved: one line for the tests', round(2), round(1), [
      'round 2 (drivers/dax/kmem_persist_blk.c), 30.0 s: build ok: 1 object in 6.9 s',
      '  tests unchanged: 1 boot, pass',
    ]],
    ['a new warning, and a test that now fails', round(2, {
      build: ok({ warnings: 2, newWarnings: ["drivers/dax/kmem_persist_blk.c:412: unused variable 'x' [-Wunused-variable]"] }),
      boots: [boot('kmem-persist-suite:boot1', 'fail', ['blk_discard_frees'], '12 tests: 11 pass, 1 fail')],
      status: 'fail',
    }), round(1), [
      'round 2 (drivers/dax/kmem_persist_blk.c), 30.0 s: build ok: 1 object in 6.9 s',
      "  + warning drivers/dax/kmem_persist_blk.c:412: unused variable 'x' [-Wunused-variable]",
      '  kmem-persist-suite:boot1: pass → fail (12 tests: 11 pass, 1 fail)',
      '    now failing: blk_discard_frees',
    ]],
    ['the build fails: the error, no tests', round(3, { build: ok({ status: 'failed', firstError: "drivers/dax/kmem_persist_blk.c:40: 'foo' undeclared" }), boots: null, status: 'fail' }), round(2), [
      "round 3 (drivers/dax/kmem_persist_blk.c), 30.0 s: build FAILED: drivers/dax/kmem_persist_blk.c:40: 'foo' undeclared",
      '  scenarios not run: the build failed',
    ]],
    ['fixed: the build, a warning gone, the test back', round(4, { build: ok({ warnings: 1 }) }), round(3, {
      build: ok({ status: 'failed', warnings: 2 }),
      boots: [boot('kmem-persist-suite:boot1', 'fail', ['blk_discard_frees'], '12 tests: 11 pass, 1 fail')],
    }), [
      'round 4 (drivers/dax/kmem_persist_blk.c), 30.0 s: build ok (fixed): 1 object in 6.9 s',
      '  kmem-persist-suite:boot1: fail → pass (12 tests: 12 pass)',
      '    fixed: blk_discard_frees',
    ]],
    ['a warning gone between two good builds', round(2, { build: ok({ warnings: 0, compiled: 2 }), boots: null }), round(1), [
      'round 2 (drivers/dax/kmem_persist_blk.c), 30.0 s: build ok: 2 objects in 6.9 s',
      '  - 1 warning gone (0 left)',
    ]],
    ['a boot that was not there before is shown whole', round(2, { boots: [boot('kmem-persist-suite:boot1', 'pass'), boot('kmem-persist-blk:boot1', 'pass')] }), round(1), [
      'round 2 (drivers/dax/kmem_persist_blk.c), 30.0 s: build ok: 1 object in 6.9 s',
      '  kmem-persist-blk:boot1: pass (12 tests: 12 pass)',
    ]],
  ])('%s', (_what, cur, prev, want) => {
    expect(renderRound(cur, prev)).toEqual(want);
  });
});

describe('summaries', () => {
  it('a build report: counts, new warnings in one line each, the first error', () => {
    const r = {
      status: 'failed', compiled: 3, durationMs: 7250, buildWarnings: 4,
      newWarnings: [{ tool: 'gcc', rel: 'drivers/dax/kmem.c', line: 12, column: 3, flag: '-Wunused-variable', message: "unused variable 'x'", count: 1 }],
      firstError: { tool: 'gcc', rel: 'drivers/dax/kmem.c', file: null, line: 40, column: 2, message: "'foo' undeclared", logLine: 9, context: [], source: null },
    } as unknown as BuildReport;
    expect(summarizeBuild(r)).toEqual({
      status: 'failed', compiled: 3, seconds: 7.25, warnings: 4,
      newWarnings: ["drivers/dax/kmem.c:12: unused variable 'x' [-Wunused-variable]"],
      firstError: "drivers/dax/kmem.c:40: 'foo' undeclared",
    });
  });

  it('selftest results: one entry per boot, the KTAP summary or the reason', () => {
    const r = {
      status: 'fail',
      scenarios: [{ name: 's', boots: [
        { name: 's:boot1', status: 'pass', reason: 'KTAP: 2 tests: 2 pass', ktap: { summary: '2 tests: 2 pass', failures: [] } },
        { name: 's:boot2', status: 'infra', reason: 'no output for 60 s', ktap: null },
      ] }],
    } as unknown as SelftestResults;
    expect(summarizeTests(r)).toEqual([
      { name: 's:boot1', status: 'pass', detail: '2 tests: 2 pass', failures: [] },
      { name: 's:boot2', status: 'infra', detail: 'no output for 60 s', failures: [] },
    ]);
    expect(roundStatus(ok(), r)).toBe('fail');
    expect(roundStatus(ok({ status: 'failed' }), null)).toBe('fail');
    expect(roundStatus(ok(), null)).toBe('ok');
  });
});
