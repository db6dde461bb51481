// SPDX-License-Identifier: GPL-2.0-only
/** The stage planner: which stages, what each needs, the commands that rerun them. */
import { assertOrdered } from '../../../src/lib/ci/graph.js';
import { defaultScenarios, planCi, renderCiPlan } from '../../../src/lib/ci/plan.js';
import { OPTIONS } from './options.js';

describe('planCi', () => {
  const plan = planCi({ trees: [{ name: 'k61', register: null }], resultsDir: '/r', keepGoing: false, options: OPTIONS });
  const stages = plan.trees[0].stages;

  it('plans apply → kconfig → build → selftest, and checkpatch beside the build needing only apply', () => {
    expect(stages.map((s) => [s.id, s.needs])).toEqual([
      ['apply', []],
      ['kconfig', ['apply']],
      ['build', ['kconfig']],
      ['checkpatch', ['apply']],
      ['selftest', ['build']],
    ]);
    expect(() => assertOrdered(stages)).not.toThrow();
    expect(plan.trees[0].dir).toBe('/r/k61');
  });

  it('gives the selftest stage one result per scenario, each with the command that reruns it', () => {
    const s = stages.find((x) => x.id === 'selftest')!;
    expect(s.results).toEqual(OPTIONS.scenarios.map((n) => `selftest:${n}`));
    expect(s.commands[0]).toBe('kseries selftest --tree k61 --scenario kmem-persist-suite');
    expect(s.commands[4]).toBe('kseries selftest --tree k61 --scenario kselftest --kselftests memory-hotplug');
  });

  it('records the kseries command of every stage', () => {
    expect(Object.fromEntries(stages.map((s) => [s.id, s.commands[0]]))).toEqual({
      apply: 'kseries apply --tree k61',
      kconfig: 'kseries kconfig apply --tree k61 --base tinyconfig --platform qemu-x86_64 --persist blk,fs --selftests memory-hotplug,dax',
      build: 'kseries build --tree k61 --no-ccache',
      checkpatch: 'kseries checkpatch --tree k61',
      selftest: 'kseries selftest --tree k61 --scenario kmem-persist-suite',
    });
  });

  it('passes --patches, --ccache, --jobs and --accel through to the commands', () => {
    const p = planCi({ trees: [{ name: 'x', register: null }], resultsDir: '/r', keepGoing: true, options: { ...OPTIONS, patches: '/p', ccache: true, jobs: 3, accel: 'tcg', scenarios: ['pmem-persistence'] } });
    const c = Object.fromEntries(p.trees[0].stages.map((s) => [s.id, s.commands]));
    expect(c.apply).toEqual(['kseries apply --tree x --patches /p']);
    expect(c.checkpatch).toEqual(['kseries checkpatch --tree x --patches /p']);
    expect(c.build).toEqual(['kseries build --tree x --ccache --jobs 3']);
    expect(c.selftest).toEqual(['kseries selftest --tree x --scenario pmem-persistence --accel tcg']);
  });

  it('registers the default tree first when asked, and apply needs it', () => {
    const p = planCi({ trees: [{ name: 'k61', register: { source: 'debian:6.1' } }], resultsDir: '/r', keepGoing: false, options: OPTIONS });
    const [add, apply] = p.trees[0].stages;
    expect(add).toMatchObject({ id: 'tree-add', needs: [], commands: ['kseries tree add k61 --source debian:6.1'] });
    expect(apply.needs).toEqual(['tree-add']);
    expect(p.trees[0].register).toEqual({ source: 'debian:6.1' });
  });

  it('plans no selftest stage without scenarios', () => {
    const p = planCi({ trees: [{ name: 'k', register: null }], resultsDir: '/r', keepGoing: false, options: { ...OPTIONS, scenarios: [] } });
    expect(p.trees[0].stages.map((s) => s.id)).toEqual(['apply', 'kconfig', 'build', 'checkpatch']);
  });

  it('one graph per tree, in order', () => {
    const p = planCi({ trees: [{ name: 'a', register: null }, { name: 'b', register: null }], resultsDir: '/r', keepGoing: false, options: OPTIONS });
    expect(p.trees.map((t) => [t.tree, t.dir, t.stages.length])).toEqual([['a', '/r/a', 5], ['b', '/r/b', 5]]);
  });

  it('renders the plan for --dry-run', () => {
    const text = renderCiPlan(plan);
    expect(text).toContain('tree k61 → /r/k61');
    expect(text).toContain('  checkpatch: checkpatch every patch (needs apply)\n    $ kseries checkpatch --tree k61');
  });

  it('orders the default scenarios: the series first, then the baseline and kselftest, then others', () => {
    expect(defaultScenarios(['kmem-persist-blk', 'kmem-persist-exclusive', 'kmem-persist-suite', 'kselftest', 'pmem-persistence', 'zz', 'aa'])).toEqual([
      'kmem-persist-suite', 'kmem-persist-blk', 'kmem-persist-exclusive', 'pmem-persistence', 'kselftest', 'aa', 'zz',
    ]);
  });

  it('refuses a graph whose needs come later', () => {
    expect(() => assertOrdered([{ id: 'build', needs: ['kconfig'] }, { id: 'kconfig', needs: [] }])).toThrow(/build needs kconfig/);
  });
});
