// SPDX-License-Identifier: GPL-2.0-only
import { parseScenario } from '../../../src/lib/scenario/scenario.js';
import { parseTargets, selectRuns } from '../../../src/lib/selftest/select.js';

const load = (name: string) => ({ scenario: parseScenario(name, { kselftests: name === 'series' ? ['dax'] : [], boots: [{ script: 'a.sh' }] }, ['a.sh']) });
const names = (r: { scenarios: Array<{ scenario: { name: string } }> }) => r.scenarios.map((s) => s.scenario.name);
const all = ['kselftest', 'pmem-persistence', 'series'];

describe('selectRuns', () => {
  it.each([
    [undefined, [], ['pmem-persistence', 'series'], ['dax']],
    [undefined, ['memory-hotplug'], ['kselftest'], ['memory-hotplug']],
    [['pmem-persistence'], [], ['pmem-persistence'], []],
    [['pmem-persistence'], ['vm'], ['pmem-persistence', 'kselftest'], ['vm']],
    [['series', 'series'], ['dax', 'vm'], ['series', 'kselftest'], ['dax', 'vm']],
  ])('--scenario %j --kselftests %j → %j building %j', (requested, asked, want, targets) => {
    const r = selectRuns(all, requested, asked, load);
    expect(names(r)).toEqual(want);
    expect(r.targets).toEqual(targets);
  });
  it('needs something to run', () => {
    expect(() => selectRuns(['kselftest'], undefined, [], load)).toThrow(/no scenario to run/);
  });
});

describe('parseTargets', () => {
  it('splits on commas and blanks, drops duplicates', () => expect(parseTargets('memory-hotplug, vm,,vm dax')).toEqual(['memory-hotplug', 'vm', 'dax']));
  it('rejects shell words', () => expect(() => parseTargets('a;b')).toThrow(/bad kselftest target "a;b"/));
});
