// SPDX-License-Identifier: GPL-2.0-only
/** Progress lines of kseries ci when stderr is not a terminal (CI logs). */
import { lineHooks } from '../../../src/lib/ci/progress.js';
import { planCi } from '../../../src/lib/ci/plan.js';
import { OPTIONS } from './options.js';

describe('lineHooks', () => {
  it('prints starts and ends, every selftest line, and at most one other progress line a minute', () => {
    const out: string[] = [];
    let t = 0;
    const h = lineHooks((s) => out.push(s), 60_000, () => t);
    const plan = planCi({ trees: [{ name: 'k61', register: null }], resultsDir: '/r', keepGoing: false, options: OPTIONS });
    const tree = plan.trees[0];
    const [, , build, , selftest] = tree.stages;
    h.stageStart!(tree, build);
    for (let i = 0; i < 6; i++) {
      t += 20_000;
      h.stageOutput!(tree, build, `${i} objects compiled`);
    }
    h.stageEnd!(tree, build, [{ name: 'build', status: 'pass', durationMs: 100_000, summary: 'built bzImage', logs: [], command: null }]);
    h.stageOutput!(tree, selftest, 'kselftest:boot1: booting');
    h.stageOutput!(tree, selftest, 'kselftest:boot1: pass in 20.0 s');
    const part = (name: string, status: 'pass' | 'fail', summary: string) => ({ name, status, durationMs: 30_000, summary, logs: [], command: null });
    h.stageEnd!(tree, selftest, [part('selftest:a', 'pass', '1 boot(s): pass'), part('selftest:b', 'pass', '3 boot(s): pass, pass, pass')]);
    h.stageEnd!(tree, selftest, [part('selftest:a', 'pass', '1 boot(s): pass'), part('selftest:b', 'fail', 'boot2 (v.sh): exit 1')]);
    expect(out).toEqual([
      '[k61] build: build bzImage and modules\n',
      '[k61] build: 2 objects compiled\n',
      '[k61] build: 5 objects compiled\n',
      '[k61] build: PASS in 1 min 40 s: built bzImage\n',
      '[k61] selftest: kselftest:boot1: booting\n',
      '[k61] selftest: kselftest:boot1: pass in 20.0 s\n',
      '[k61] selftest: PASS in 1 min 0 s: 2 parts: 2 pass\n',
      '[k61] selftest: FAIL in 1 min 0 s: 2 parts: 1 pass, 1 fail; selftest:b: boot2 (v.sh): exit 1\n',
    ]);
  });
});
