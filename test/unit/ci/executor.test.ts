// SPDX-License-Identifier: GPL-2.0-only
/** The executor on fake stages: skip propagation, thrown errors, Ctrl-C, several trees. */
import { checkError, infraError, InterruptedError } from '../../../src/lib/errors.js';
import { executeCi, type StageImpls, type StageRun } from '../../../src/lib/ci/executor.js';
import { exitCodeOf, overallOfTrees } from '../../../src/lib/ci/exit.js';
import { planCi, type StageId } from '../../../src/lib/ci/plan.js';
import type { StageStatus } from '../../../src/lib/report/results.js';
import { OPTIONS } from './options.js';

type Outcome = StageStatus | Error;

/** Fake stages: each returns the status given for it (per tree), or throws the error. */
function fakes(outcomes: Partial<Record<string, Outcome>>, ran: string[] = []): StageImpls {
  const impl = (id: StageId) => async (ctx: Parameters<StageImpls['apply']>[0]): Promise<StageRun> => {
    ran.push(`${ctx.tree.tree}:${id}`);
    const o = outcomes[`${ctx.tree.tree}:${id}`] ?? outcomes[id] ?? 'pass';
    if (o instanceof Error) throw o;
    return {
      results: ctx.stage.results.map((name) => ({ name, status: o, durationMs: 5, summary: `${name} ${o}`, logs: [`logs/${id}.log`], command: null })),
      facts: id === 'apply' ? { kernel: '6.1.5', base: 'v6.1', seriesHead: 'abc' } : undefined,
    };
  };
  return { 'tree-add': impl('tree-add'), apply: impl('apply'), kconfig: impl('kconfig'), build: impl('build'), checkpatch: impl('checkpatch'), selftest: impl('selftest') };
}

const plan = (trees = ['k61'], keepGoing = false, options = OPTIONS) => planCi({ trees: trees.map((name) => ({ name, register: null })), resultsDir: '/r', keepGoing, options });
const statuses = (r: Awaited<ReturnType<typeof executeCi>>, i = 0) => Object.fromEntries(r.trees[i].stages.map((s) => [s.name, s.status]));
const summaries = (r: Awaited<ReturnType<typeof executeCi>>, i = 0) => Object.fromEntries(r.trees[i].stages.map((s) => [s.name, s.summary]));

describe('executeCi', () => {
  it('everything passes: every stage and scenario PASS, facts from apply, needs recorded', async () => {
    const r = await executeCi(plan(), fakes({}));
    expect(Object.values(statuses(r))).toEqual(Array(9).fill('pass'));
    expect(r.trees[0]).toMatchObject({ tree: 'k61', kernel: '6.1.5', base: 'v6.1', seriesHead: 'abc', overall: 'pass' });
    expect(r.trees[0].stages.find((s) => s.name === 'checkpatch')).toMatchObject({ needs: ['apply'], command: 'kseries checkpatch --tree k61' });
    expect(r.trees[0].stages.find((s) => s.name === 'selftest:kselftest')?.command).toBe('kseries selftest --tree k61 --scenario kselftest --kselftests memory-hotplug');
    expect(exitCodeOf(overallOfTrees(r.trees))).toBe(0);
  });

  it('a failed apply skips everything else (SKIP, never PASS): exit 1', async () => {
    const ran: string[] = [];
    const r = await executeCi(plan(), fakes({ apply: 'fail' }, ran));
    expect(ran).toEqual(['k61:apply']);
    expect(statuses(r)).toEqual({
      apply: 'fail', kconfig: 'skip', build: 'skip', checkpatch: 'skip',
      'selftest:kmem-persist-suite': 'skip', 'selftest:kmem-persist-blk': 'skip', 'selftest:kmem-persist-exclusive': 'skip', 'selftest:pmem-persistence': 'skip', 'selftest:kselftest': 'skip',
    });
    expect(summaries(r)).toMatchObject({ kconfig: 'not run: apply failed', build: 'not run: kconfig was skipped', checkpatch: 'not run: apply failed' });
    expect(exitCodeOf(overallOfTrees(r.trees))).toBe(1);
  });

  it('a failed build skips the selftests, but checkpatch still runs', async () => {
    const ran: string[] = [];
    const r = await executeCi(plan(), fakes({ build: 'fail' }, ran));
    expect(ran).toEqual(['k61:apply', 'k61:kconfig', 'k61:build', 'k61:checkpatch']);
    expect(statuses(r)).toMatchObject({ apply: 'pass', kconfig: 'pass', build: 'fail', checkpatch: 'pass', 'selftest:kmem-persist-suite': 'skip', 'selftest:kselftest': 'skip' });
    expect(summaries(r)['selftest:pmem-persistence']).toBe('not run: build failed');
    // the skipped scenarios still say how to rerun them
    expect(r.trees[0].stages.find((s) => s.name === 'selftest:pmem-persistence')?.command).toBe('kseries selftest --tree k61 --scenario pmem-persistence');
  });

  it('a dropped Kconfig symbol skips build and selftests, not checkpatch', async () => {
    const r = await executeCi(plan(), fakes({ kconfig: 'fail', checkpatch: 'fail' }));
    expect(statuses(r)).toMatchObject({ kconfig: 'fail', build: 'skip', checkpatch: 'fail', 'selftest:kselftest': 'skip' });
    expect(summaries(r).build).toBe('not run: kconfig failed');
  });

  it('a stage that throws: a check error is a fail, anything else an error; the run goes on', async () => {
    const r1 = await executeCi(plan(), fakes({ build: infraError('gcc: command not found', 'apt-get install gcc') }));
    expect(statuses(r1)).toMatchObject({ build: 'error', checkpatch: 'pass', 'selftest:kselftest': 'skip' });
    expect(summaries(r1)).toMatchObject({ build: 'gcc: command not found (apt-get install gcc)', 'selftest:kselftest': 'not run: build could not run' });
    expect(exitCodeOf(overallOfTrees(r1.trees))).toBe(3);
    const r2 = await executeCi(plan(), fakes({ checkpatch: checkError('boom') }));
    expect(statuses(r2).checkpatch).toBe('fail');
    const r3 = await executeCi(plan(), fakes({ kconfig: new TypeError('oops') }));
    expect(summaries(r3).kconfig).toMatch(/^internal error: oops/);
  });

  it('a throwing multi-result stage: the first result carries the error, the others are skipped behind it', async () => {
    const r = await executeCi(plan(), fakes({ selftest: infraError('no kernel at /b/bzImage') }));
    expect(statuses(r)).toMatchObject({ 'selftest:kmem-persist-suite': 'error', 'selftest:kmem-persist-blk': 'skip', 'selftest:kselftest': 'skip' });
    expect(summaries(r)['selftest:kmem-persist-blk']).toBe('not run: selftest:kmem-persist-suite could not run');
  });

  it('a failing scenario does not hide the others: a fail among passes is a fail', async () => {
    const impls = fakes({});
    impls.selftest = async (ctx) => ({
      results: ctx.stage.results.map((name) => ({ name, status: name === 'selftest:kmem-persist-blk' ? 'fail' : 'pass', durationMs: 1000, summary: '', logs: [], command: null })),
    });
    const r = await executeCi(plan(), impls);
    expect(statuses(r)['selftest:kmem-persist-blk']).toBe('fail');
    expect(r.trees[0].overall).toBe('fail');
    // the per-scenario durations the stage measured are kept
    expect(r.trees[0].stages.find((s) => s.name === 'selftest:kselftest')?.durationMs).toBe(1000);
  });

  it('Ctrl-C: the stage is an error, everything after it is skipped, the run says interrupted', async () => {
    const r = await executeCi(plan(['a', 'b'], true), fakes({ 'a:build': new InterruptedError() }));
    expect(r.interrupted).toBe(true);
    expect(statuses(r, 0)).toMatchObject({ build: 'error', checkpatch: 'skip', 'selftest:kselftest': 'skip' });
    expect(summaries(r, 0)).toMatchObject({ build: 'interrupted', checkpatch: 'not run: interrupted' });
    expect(Object.values(statuses(r, 1))).toEqual(Array(9).fill('skip'));
  });

  it('without --keep-going, the trees after one that did not pass are skipped', async () => {
    const ran: string[] = [];
    const r = await executeCi(plan(['a', 'b']), fakes({ 'a:apply': 'fail' }, ran));
    expect(ran).toEqual(['a:apply']);
    expect(r.trees[1].overall).toBe('skip');
    expect(summaries(r, 1).apply).toBe('not run: tree a did not pass (--keep-going runs every tree)');
  });

  it('with --keep-going every tree runs; a failure on one tree beats an infrastructure error on another (exit 1)', async () => {
    const r = await executeCi(plan(['a', 'b'], true), fakes({ 'a:build': infraError('VM never printed'), 'b:checkpatch': 'fail' }));
    expect(r.trees.map((t) => t.overall)).toEqual(['error', 'fail']);
    expect(overallOfTrees(r.trees)).toBe('fail');
    expect(exitCodeOf(overallOfTrees(r.trees))).toBe(1);
  });

  it('reports progress through the hooks: start and end of every stage that ran, end of every skipped one', async () => {
    const events: string[] = [];
    await executeCi(plan(), fakes({ build: 'fail' }), {
      stageStart: (_t, s) => events.push(`start ${s.id}`),
      stageEnd: (_t, s, res) => events.push(`end ${s.id} ${res.map((x) => x.status).join(',')}`),
      treeEnd: (t, res) => events.push(`tree ${t.tree} ${res.overall}`),
    });
    expect(events).toEqual([
      'start apply', 'end apply pass', 'start kconfig', 'end kconfig pass', 'start build', 'end build fail', 'start checkpatch', 'end checkpatch pass',
      'end selftest skip,skip,skip,skip,skip', 'tree k61 fail',
    ]);
  });
});
