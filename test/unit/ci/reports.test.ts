// SPDX-License-Identifier: GPL-2.0-only
/** The report writers of a ci run: results.json (top and per tree), summary.md, junit.xml, commands.sh. */
import { renderCommandsSh } from '../../../src/lib/ci/commands-sh.js';
import { renderReports } from '../../../src/lib/ci/write.js';
import { KseriesError } from '../../../src/lib/errors.js';
import { parseCiResults, toCiResults, treeResultsOf } from '../../../src/lib/report/ci-results.js';
import { renderCiSummary } from '../../../src/lib/report/ci-summary.js';
import { stageSuite, stagesToReport } from '../../../src/lib/report/from-stages.js';
import { parseResults, type PipelineResults, type StageResult } from '../../../src/lib/report/results.js';
import { parseXml } from '../../helpers/xml.js';

const stage = (name: string, status: StageResult['status'], extra: Partial<StageResult> = {}): StageResult => ({
  name, status, durationMs: 1500, summary: `${name} ${status}`, logs: [`logs/${name}.log`], command: `kseries ${name} --tree k61`, ...extra,
});

const tree = (name: string, stages: StageResult[], overall: StageResult['status']): PipelineResults => ({
  schema: 'kseries-results/1', tree: name, kernel: '6.1.192', base: 'v6.1', seriesHead: 'a'.repeat(40),
  startedAt: '2024-01-01T12:00:00.000Z', finishedAt: '2024-01-01T12:10:00.000Z', stages, overall,
});

const k61 = tree('k61', [
  stage('apply', 'pass', { needs: [], tests: [{ name: '0001-a.patch', status: 'pass' }, { name: '0002-b.patch', status: 'pass' }] }),
  stage('build', 'fail', { needs: ['apply'], commands: ['make -C /s O=/b -j2 bzImage'], tests: [{ name: 'drivers/dax/kmem.c:5:9: error: x', classname: 'build.compiler', status: 'fail', message: 'x', file: 'drivers/dax/kmem.c', line: 5 }] }),
  stage('checkpatch', 'pass', { needs: ['apply'] }),
  stage('selftest:pmem-persistence', 'skip', { needs: ['build'], summary: 'not run: build failed', logs: [], tests: [{ name: 'boot1 x.sh', status: 'pass' }] }),
], 'fail');
const other = tree('k612', [stage('apply', 'error', { summary: 'git: command not found' })], 'error');
const ci = toCiResults([k61, other], { startedAt: '2024-01-01T12:00:00.000Z', finishedAt: '2024-01-01T12:20:00.000Z', interrupted: false, invocation: { argv: ['ci', '--all', '--keep-going'], cwd: '/w', stateDir: '/s', cacheDir: '/c' } });

describe('the top-level results.json of a ci run', () => {
  it('holds the trees, every stage with its tree (paths from the top), the overall status and the exit code: a failure beats an error', () => {
    expect(ci).toMatchObject({ schema: 'kseries-results/1', run: 'ci', overall: 'fail', exitCode: 1, interrupted: false });
    expect(ci.trees.map((t) => [t.tree, t.overall, t.dir])).toEqual([['k61', 'fail', 'k61'], ['k612', 'error', 'k612']]);
    expect(ci.stages[1]).toMatchObject({ tree: 'k61', name: 'build', logs: ['k61/logs/build.log'], needs: ['apply'] });
  });

  it('reads back (JSON round trip) and gives each tree its own document again', () => {
    const back = parseCiResults(JSON.parse(JSON.stringify(ci)));
    expect(back).toEqual(ci);
    expect(treeResultsOf(back)).toEqual([k61, other].map((t) => parseResults(JSON.parse(JSON.stringify(t)))));
  });

  const bad: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
    ['not a ci run', (r) => delete r.run, /run must be "ci"/],
    ['trees not a list', (r) => (r.trees = {}), /trees must be a list/],
    ['a stage of an unknown tree', (r) => ((r.stages as Array<Record<string, unknown>>)[0].tree = 'nope'), /stages\[0\]\.tree names no tree/],
    ['a bad test case', (r) => ((r.stages as Array<Record<string, unknown>>)[0].tests = [{ name: 'x', status: 'ok' }]), /stages\[0\]\.tests\[0\]\.status must be one of/],
    ['bad needs', (r) => ((r.stages as Array<Record<string, unknown>>)[1].needs = 'apply'), /stages\[1\]\.needs must be a list of stage names/],
  ];
  it.each(bad)('refuses %s (exit 2, names the field)', (_w, mutate, msg) => {
    const r = JSON.parse(JSON.stringify(ci));
    mutate(r);
    let err: unknown;
    try {
      parseCiResults(r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KseriesError);
    expect((err as KseriesError).exitCode).toBe(2);
    expect((err as KseriesError).message).toMatch(msg);
  });
});

describe('JUnit of a ci run: one testsuite per tree and stage', () => {
  it('uses the stage\'s cases; a stage without cases is one case', () => {
    const r = stagesToReport('kseries ci', [k61]);
    expect(r.suites.map((s) => s.name)).toEqual(['k61/apply', 'k61/build', 'k61/checkpatch', 'k61/selftest:pmem-persistence']);
    expect(r.suites[0].cases.map((c) => c.name)).toEqual(['0001-a.patch', '0002-b.patch']);
    expect(r.suites[2].cases).toEqual([{ name: 'checkpatch', classname: 'checkpatch', status: 'pass', message: undefined, durationMs: 1500 }]);
    expect(r.suites[1].properties).toMatchObject({ tree: 'k61', stage: 'build', status: 'fail', command: 'kseries build --tree k61' });
  });

  it('is never greener than the stage: a skipped stage\'s cases are skipped, a failed stage without a failing case gets one', () => {
    expect(stageSuite('k61', k61.stages[3]).cases).toEqual([{ name: 'boot1 x.sh', status: 'skip', message: 'not run: build failed', details: undefined }]);
    const s = stageSuite('k61', stage('selftest:x', 'fail', { summary: 'boot1: kernel panic', tests: [{ name: 'ktap ok', status: 'pass' }] }));
    expect(s.cases.map((c) => [c.name, c.status])).toEqual([['ktap ok', 'pass'], ['selftest:x', 'fail']]);
    expect(stageSuite('k', stage('build', 'error', { tests: [] })).cases.map((c) => [c.name, c.status, c.message])).toEqual([['build', 'error', 'build error']]);
  });

  it('writes well-formed XML with the tallies per suite', () => {
    const xml = renderReports(ci).get('junit.xml')!;
    const doc = parseXml(xml);
    expect(doc).toBeTruthy();
    expect(xml).toMatch(/<testsuites name="kseries ci" tests="6" failures="1" errors="1" skipped="1"/);
    expect(xml).toMatch(/<testcase name="drivers\/dax\/kmem.c:5:9: error: x" classname="build.compiler" time="0.000" file="drivers\/dax\/kmem.c" line="5">/);
  });
});

describe('summary.md of a ci run', () => {
  const md = renderCiSummary(ci);
  it('has one row per tree, the exit code, then each tree\'s stage table with durations and the failing names', () => {
    expect(md).toMatch(/^# kseries ci: ❌ fail on 2 trees\n\nexit code `1`: a check failed · time: 20 min 0 s\n/);
    expect(md).toContain('| k61 | 6.1.192 | ❌ fail | 10 min 0 s | 2 pass, 1 fail, 1 skip |');
    expect(md).toContain('| k612 | 6.1.192 | 💥 error | 10 min 0 s | 1 error |');
    expect(md).toContain('| Stage | Status | Duration | Details |');
    expect(md).toContain('| build | ❌ fail | 1.5 s | build fail<br>failed: `drivers/dax/kmem.c:5:9: error: x`<br>logs: `k61/logs/build.log`<br>rerun: `kseries build --tree k61` |');
    expect(md).toContain('| selftest:pmem-persistence | ⏭️ skip | 1.5 s | not run: build failed |');
  });

  it('each tree\'s own summary.md has its paths relative to its directory', () => {
    expect(renderReports(ci).get('k61/summary.md')).toContain('logs: `logs/build.log`');
  });
});

describe('commands.sh', () => {
  const sh = renderCommandsSh([k61], ci.invocation);
  it('exports the state dirs, then per stage the kseries command and, commented out, what it ran', () => {
    expect(sh).toMatch(/^#!\/bin\/sh\n/);
    expect(sh).toContain("# the run: kseries ci --all --keep-going\ncd /w || exit 2\nexport KSERIES_HOME=/s\nexport KSERIES_CACHE=/c\n");
    expect(sh).toContain('# --- build: fail — build fail\nkseries build --tree k61\n#   make -C /s O=/b -j2 bzImage\n');
    expect(sh).toContain('# --- selftest:pmem-persistence: skip — not run: build failed\nkseries selftest:pmem-persistence --tree k61\n');
  });

  it('is a valid shell script', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(() => execFileSync('sh', ['-n'], { input: sh })).not.toThrow();
  });
});

describe('the files of a ci run', () => {
  it('are a fixed point: rendering what results.json reads back gives the same files', () => {
    const once = renderReports(parseCiResults(JSON.parse(JSON.stringify(ci))));
    const twice = renderReports(parseCiResults(JSON.parse(once.get('results.json')!)));
    expect([...twice]).toEqual([...once]);
  });

  it('are rendered from results.json alone: top level and per tree', () => {
    expect([...renderReports(ci).keys()]).toEqual([
      'results.json', 'summary.md', 'junit.xml', 'commands.sh',
      'k61/results.json', 'k61/summary.md', 'k61/junit.xml', 'k61/commands.sh',
      'k612/results.json', 'k612/summary.md', 'k612/junit.xml', 'k612/commands.sh',
    ]);
    expect(parseResults(JSON.parse(renderReports(ci).get('k61/results.json')!))).toEqual(parseResults(JSON.parse(JSON.stringify(k61))));
  });
});
