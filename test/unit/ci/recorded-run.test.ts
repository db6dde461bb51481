// SPDX-License-Identifier: GPL-2.0-only
/**
 * The reports of a RECORDED real run — `kseries ci --tree k61 --ccache` on the Debian 6.1
 * tree, every stage green (test/fixtures/ci/k61/README.md) — regenerated from its
 * results.json: summary.md, junit.xml, commands.sh and each tree's results.json come out
 * byte for byte as the run wrote them. That only shows the renderer still writes what it
 * wrote then; so the reports are also checked against what is known without it: the
 * fixture's README (what the run was), checkpatch.pl's own log, the boot directories and
 * the guests' KTAP output on disk.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReports } from '../../../src/lib/ci/write.js';
import { parseCiResults, treeResultsOf } from '../../../src/lib/report/ci-results.js';
import { parseResults } from '../../../src/lib/report/results.js';
import { childrenNamed, parseXml } from '../../helpers/xml.js';

const DIR = new URL('../../fixtures/ci/k61/', import.meta.url).pathname;
const read = (rel: string) => readFileSync(join(DIR, rel), 'utf8');

/**
 * The leaf results of a KTAP document, as a reader of KTAP counts them: every "ok N" / "not ok N"
 * line at any nesting depth ("# " prefixes), except a parent's, i.e. one that follows results
 * one level deeper (its subtests).
 */
function ktapLeaves(text: string): Array<{ ok: boolean; name: string }> {
  const results = [...text.matchAll(/^((?:# )*)(not )?ok \d+ (.*)$/gm)].map((m) => ({ depth: m[1].length / 2, ok: !m[2], name: m[3] }));
  return results.filter((r, i) => !(i > 0 && results[i - 1].depth === r.depth + 1)).map(({ ok, name }) => ({ ok, name }));
}

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

  it('shows the totals known without the renderer: the run README describes, checkpatch.pl\'s log, the boots and KTAP on disk', () => {
    const summary = read('summary.md');
    const junit = parseXml(read('junit.xml'));
    const suiteTests = Object.fromEntries(childrenNamed(junit, 'testsuite').map((x) => [x.attrs.name, Number(x.attrs.tests)]));
    const row = (stage: string) => summary.split('\n').find((l) => l.startsWith(`| ${stage} | `)) ?? `no row for ${stage}`;

    // test/fixtures/ci/README.md: apply (5 patches), kconfig (65 symbols), build (bzImage and 2 modules)
    expect(row('apply')).toMatch(/^\| apply \| ✅ pass \| [^|]+ \| 5 patches of v6\.1 applied on HEAD \(5 clean\)/);
    expect(suiteTests['k61/apply']).toBe(5);
    expect(row('kconfig')).toMatch(/\| 65 of 65 requested symbols hold /);
    expect(suiteTests['k61/kconfig']).toBe(65);
    expect(row('build')).toMatch(/\| built bzImage and 2 modules: \d+ objects compiled, no warnings /);
    expect(read('k61/logs/build.log')).not.toMatch(/warning:/);
    expect(suiteTests['k61/build']).toBe(1);

    // checkpatch.pl's own output: one "total:" line per patch
    const totals = [...read('k61/logs/checkpatch.log').matchAll(/^total: (\d+) errors, (\d+) warnings, \d+ lines checked$/gm)];
    expect(totals).toHaveLength(5);
    const sum = (k: 1 | 2) => totals.reduce((n, m) => n + Number(m[k]), 0);
    expect(row('checkpatch')).toMatch(new RegExp(`\\| 5 patches: ${sum(1)} errors, ${sum(2)} warnings, 0 checks<br>`));
    expect(suiteTests['k61/checkpatch']).toBe(5);

    // each scenario: its boot directories, and a test case per boot and per KTAP leaf result the guests printed
    const selftest = join(DIR, 'k61', 'selftest');
    const scenarios = readdirSync(selftest, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'junit').map((d) => d.name).sort();
    expect(scenarios).toEqual(['kmem-persist-blk', 'kmem-persist-exclusive', 'kmem-persist-suite', 'kselftest', 'pmem-persistence']);
    let selftestCases = 0;
    for (const sc of scenarios) {
      const boots = readdirSync(join(selftest, sc)).filter((b) => /^boot\d+$/.test(b));
      const leaves = boots.flatMap((b) => (existsSync(join(selftest, sc, b, 'ktap.txt')) ? ktapLeaves(readFileSync(join(selftest, sc, b, 'ktap.txt'), 'utf8')) : []));
      expect(leaves.filter((l) => !l.ok), sc).toEqual([]);
      expect(row(`selftest:${sc}`), sc).toMatch(new RegExp(`\\| ${boots.length} boot\\(s\\): ${boots.map(() => 'pass').join(', ')}<br>`));
      expect(suiteTests[`k61/selftest:${sc}`], sc).toBe(boots.length + leaves.length);
      selftestCases += boots.length + leaves.length;
    }
    // by hand from the fixture: 1 + 7 + 1 + 3 + 1 boots; 29 + 33 + 2 + 0 + 3 KTAP leaves (kselftest: mem-on-off-test.sh and the 2 subtests of dax)
    expect(selftestCases).toBe(13 + 67);

    // the totals: 4 pipeline stages and 5 scenarios passed; 5 + 65 + 1 + 5 + 80 test cases, none failed
    expect(summary).toMatch(/^# kseries ci: ✅ pass on 1 tree\n\nexit code `0`: everything passed/);
    expect(summary).toMatch(/^\| k61 \| 6\.1\.192 \| ✅ pass \| [^|]+ \| 9 pass \|$/m);
    expect(junit.attrs).toMatchObject({ tests: String(5 + 65 + 1 + 5 + selftestCases), failures: '0', errors: '0', skipped: '0' });
  });

  it('keeps the logs results.json points to (trimmed)', () => {
    for (const s of ci.stages) for (const l of s.logs) expect(existsSync(join(DIR, l)), l).toBe(true);
  });
});
