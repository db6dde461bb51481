// SPDX-License-Identifier: GPL-2.0-only
/**
 * The reports of a RECORDED real run — `kseries ci --tree k61 --ccache` on the Debian 6.1
 * tree, every stage green (test/fixtures/ci/k61/README.md) — regenerated from its
 * results.json: summary.md, junit.xml, commands.sh and each tree's results.json come out
 * byte for byte as the run wrote them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReports } from '../../../src/lib/ci/write.js';
import { parseCiResults, treeResultsOf } from '../../../src/lib/report/ci-results.js';
import { parseResults } from '../../../src/lib/report/results.js';
import { childrenNamed, parseXml } from '../../helpers/xml.js';

const DIR = new URL('../../fixtures/ci/k61/', import.meta.url).pathname;
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');

describe('a recorded kseries ci run on Debian 6.1', () => {
  const ci = parseCiResults(JSON.parse(read('results.json')));

  it('was green: every stage and scenario passed, exit 0', () => {
    expect(ci).toMatchObject({ run: 'ci', overall: 'pass', exitCode: 0, interrupted: false });
    expect(ci.trees).toEqual([expect.objectContaining({ tree: 'k61', kernel: '6.1.192', base: 'v6.1', overall: 'pass', dir: 'k61' })]);
    expect(ci.stages.map((s) => `${s.name}:${s.status}`)).toEqual([
      'apply:pass', 'kconfig:pass', 'build:pass', 'checkpatch:pass',
      'selftest:kmem-persist-suite:pass', 'selftest:kmem-persist-blk:pass', 'selftest:kmem-persist-exclusive:pass', 'selftest:pmem-persistence:pass', 'selftest:kselftest:pass',
    ]);
    expect(ci.invocation?.argv.slice(0, 3)).toEqual(['ci', '--tree', 'k61']);
  });

  it('regenerates every report byte for byte from results.json', () => {
    const files = renderReports(ci);
    expect([...files.keys()].sort()).toEqual(
      ['commands.sh', 'junit.xml', 'results.json', 'summary.md', 'k61/commands.sh', 'k61/junit.xml', 'k61/results.json', 'k61/summary.md'].sort(),
    );
    for (const [rel, text] of files) expect(text, rel).toBe(read(rel));
  });

  it('the tree\'s own results.json is the top-level one seen from its directory', () => {
    expect(parseResults(JSON.parse(read('k61/results.json')))).toEqual(treeResultsOf(ci)[0]);
  });

  it('records what reproduces each stage and what it ran', () => {
    const by = Object.fromEntries(ci.stages.map((s) => [s.name, s]));
    expect(by.apply.command).toBe('kseries apply --tree k61');
    expect(by.apply.commands?.some((c) => / am .*-3/.test(c))).toBe(true);
    expect(by.kconfig.commands?.some((c) => /merge_config\.sh -m/.test(c))).toBe(true);
    expect(by.build.commands?.some((c) => /^CCACHE_DIR=\S+ nice -n|^CCACHE_DIR=\S+ make -C /.test(c))).toBe(true);
    expect(by.checkpatch.commands?.filter((c) => /checkpatch\.pl --show-types/.test(c)).length).toBe(5);
    expect(by['selftest:pmem-persistence'].commands?.filter((c) => /^qemu-system-x86_64 /.test(c)).length).toBe(3);
  });

  it('has a test case per patch, per requested symbol, per boot and per kselftest', () => {
    const by = Object.fromEntries(ci.stages.map((s) => [s.name, s]));
    expect(by.apply.tests?.length).toBe(5);
    expect(by.checkpatch.tests?.length).toBe(5);
    expect(by.kconfig.tests?.map((t) => t.name)).toEqual(expect.arrayContaining(['CONFIG_DEV_DAX_KMEM_PERSIST', 'CONFIG_DEV_DAX_KMEM_BLK', 'CONFIG_MEMORY_HOTPLUG']));
    expect(by['selftest:kmem-persist-blk'].tests?.filter((t) => /^boot\d /.test(t.name)).length).toBe(7);
    expect(by['selftest:kselftest'].tests?.some((t) => /memory-hotplug/.test(`${t.classname} ${t.name}`))).toBe(true);
  });

  it('junit.xml: one testsuite per tree and stage, nothing failed', () => {
    const root = parseXml(read('junit.xml'));
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(ci.stages.map((s) => `k61/${s.name}`));
    expect(root.attrs).toMatchObject({ failures: '0', errors: '0' });
  });

  it('keeps the logs results.json points to (trimmed)', () => {
    for (const s of ci.stages) for (const l of s.logs) expect(existsSync(join(DIR, l)), l).toBe(true);
  });
});
