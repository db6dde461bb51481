// SPDX-License-Identifier: GPL-2.0-only
/**
 * The KTAP parser over recorded logs: KUnit's own test data (expectations taken from
 * tools/testing/kunit/kunit_tool_test.py), real run_kselftest.sh output, and edge cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayName, parseKtap, parseResultLine, type KtapResult, type KtapTest } from '../../src/lib/ktap/parser.js';
import { verdict, type KtapCounts } from '../../src/lib/ktap/verdict.js';

const FIXTURES = join(new URL('../fixtures/ktap', import.meta.url).pathname);
const kunit = (f: string) => parseKtap(readFileSync(join(FIXTURES, 'kunit', f), 'utf8'));
const kselftest = (f: string) => parseKtap(readFileSync(join(FIXTURES, f), 'utf8'));

/** Names and statuses only, for comparing shapes. */
function shape(t: KtapTest): unknown {
  return { n: t.number, name: t.name, s: t.status, sub: t.subtests.map(shape) };
}
const counts = (c: Partial<KtapCounts>): KtapCounts => {
  const full = { pass: 0, fail: 0, skip: 0, todo: 0, crashed: 0, error: 0, ...c } as KtapCounts;
  full.total = full.pass + full.fail + full.skip + full.todo + full.crashed + full.error;
  return full;
};
const find = (r: KtapResult, ...path: string[]): KtapTest => {
  let t = r.root;
  for (const p of path) {
    const next = t.subtests.find((s) => displayName(s) === p);
    if (!next) throw new Error(`no ${p} under ${displayName(t)}: ${t.subtests.map(displayName).join(', ')}`);
    t = next;
  }
  return t;
};

describe('KUnit test data (as kunit_tool_test.py expects)', () => {
  // [file, verdict, problems (kunit's error count; null: at least one), counts or null, first subtest name or null]
  const table: Array<[string, string, number | null, Partial<KtapCounts> | null, string | null]> = [
    ['test_is_test_passed-all_passed.log', 'pass', 0, { pass: 10 }, 'sysctl_test'],
    ['test_is_test_passed-all_passed_nested.log', 'pass', 0, { pass: 7 }, 'sysctl_test'],
    ['test_is_test_passed-kselftest.log', 'pass', 0, { pass: 4 }, 'selftests: membarrier: membarrier_test_single_thread'],
    ['test_is_test_passed-failure.log', 'fail', 0, { pass: 9, fail: 1 }, 'sysctl_test'],
    ['test_is_test_passed-no_tests_run_no_header.log', 'no-tests', 1, {}, null],
    ['test_is_test_passed-missing_plan.log', 'pass', 0, { pass: 10 }, 'sysctl_test'],
    ['test_is_test_passed-no_tests_run_with_header.log', 'no-tests', 1, {}, null],
    ['test_is_test_passed-no_tests_no_plan.log', 'pass', 1, { pass: 1 }, 'suite'],
    ['test_insufficient_memory.log', 'no-tests', 1, {}, null],
    ['test_skip_tests.log', 'pass', 0, { pass: 4, skip: 1 }, 'string-stream-test'],
    ['test_skip_all_tests.log', 'skip', 0, { skip: 5 }, 'string-stream-test'],
    ['test_strip_hyphen.log', 'pass', 0, { pass: 2 }, 'sysctl_test'],
    ['test_config_printk_time.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
    ['test_multiple_prefixes.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
    ['test_interrupted_tap_output.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
    ['test_pound_sign.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
    ['test_pound_no_prefix.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
    ['test_kernel_panic_interrupt.log', 'fail', null, { pass: 8, crashed: 2 }, 'kunit-resource-test'],
    ['test_parse_ktap_output.log', 'pass', 0, { pass: 3 }, 'suite'],
    ['test_parse_subtest_header.log', 'pass', 0, { pass: 1 }, 'suite'],
    ['test_parse_attributes.log', 'pass', 0, { pass: 1 }, 'suite'],
    ['test_output_isolated_correctly.log', 'pass', 0, { pass: 2 }, 'example'],
    ['test_output_with_prefix_isolated_correctly.log', 'pass', 0, { pass: 10 }, 'kunit-resource-test'],
  ];
  it.each(table)('%s: %s', (file, v, problems, c, first) => {
    const r = kunit(file);
    expect(verdict(r).status).toBe(v);
    if (problems === null) expect(r.problems.length).toBeGreaterThanOrEqual(1);
    else expect(r.problems).toHaveLength(problems);
    if (c) expect(r.counts).toEqual(counts(c));
    if (first) expect(r.root.subtests[0].name).toBe(first);
    else expect(r.root.subtests).toHaveLength(0);
  });

  it('finds no output in a boot log without KTAP (FAILURE_TO_PARSE_TESTS)', () => {
    const r = kunit('test_is_test_passed-no_tests_run_no_header.log');
    expect(r.found).toBe(false);
    expect(r.problems[0].message).toMatch(/no KTAP\/TAP output/);
  });

  it('strips hyphens from names (test_ignores_hyphen)', () => {
    const r = kunit('test_strip_hyphen.log');
    expect(r.root.subtests.map((t) => t.name)).toEqual(['sysctl_test', 'example']);
    expect(r.root.subtests[1].subtests[0].name).toBe('example_simple_test');
  });

  it('reads KTAP v1 nesting without # Subtest headers (test_ktap_format)', () => {
    const r = kunit('test_parse_ktap_output.log');
    expect(r.format).toBe('KTAP');
    expect(r.version).toBe(1);
    expect(find(r, 'suite').subtests.map((t) => t.name)).toEqual(['case_1', 'case_2', 'case_3']);
  });

  it('takes the suite header and plan (test_parse_subtest_header)', () => {
    const s = find(kunit('test_parse_subtest_header.log'), 'suite');
    expect(s.plan).toBe(1);
    expect(s.subtests).toHaveLength(1);
  });

  it('attaches attributes to the suite and the case (test_parse_attributes)', () => {
    const r = kunit('test_parse_attributes.log');
    expect(find(r, 'suite').diagnostics).toContain('# module: example');
    expect(find(r, 'suite', 'test').diagnostics).toContain('# test.speed: slow');
  });

  it('records a test that ran no subtests (test_no_tests_no_plan)', () => {
    const r = kunit('test_is_test_passed-no_tests_no_plan.log');
    const c = find(r, 'suite', 'case');
    expect(c.subtests).toHaveLength(0);
    expect(c.errors).toEqual(['0 tests run']);
  });

  it('marks what the panic cut off as crashed and keeps the panic (test_kernel_panic_end)', () => {
    const r = kunit('test_kernel_panic_interrupt.log');
    expect(r.root.status).toBe('crashed');
    const s = find(r, 'string-stream-test');
    expect(s.status).toBe('crashed');
    expect(s.reported).toBeNull();
    expect(s.subtests.map((t) => t.status)).toEqual(['pass', 'crashed', 'crashed']);
    expect(s.subtests[1].diagnostics.join('\n')).toMatch(/Kernel panic - not syncing: VFS/);
    expect(verdict(r).failures).toEqual(['string-stream-test / #2 (crashed)', 'string-stream-test / #3 (crashed)']);
  });

  it('keeps kernel messages between results as diagnostics (test_prefix_mixed_kernel_output)', () => {
    const r = kunit('test_interrupted_tap_output.log');
    const t = find(r, 'kunit-resource-test', 'kunit_resource_test_cleanup_resources');
    expect(t.diagnostics).toContain('kAFS: Red Hat AFS client v0.1 registering.');
    expect(t.status).toBe('pass');
  });

  it('keeps the failure diagnostics of a failed case', () => {
    const t = find(kunit('test_is_test_passed-failure.log'), 'example', 'example_simple_test');
    expect(t.status).toBe('fail');
    expect(t.diagnostics).toEqual([
      'init_suite',
      '# example_simple_test: initializing',
      '# example_simple_test: EXPECTATION FAILED at lib/kunit/example-test.c:30',
      'Expected 1 + 1 == 3, but',
      '\t1 + 1 == 2',
      '\t3 == 3',
      '# example_simple_test: example_simple_test failed',
    ]);
  });

  it('summarizes failures (test_summarize_failures)', () => {
    const r = parseKtap(`
		KTAP version 1
		1..2
			# Subtest: all_failed_suite
			1..2
			not ok 1 - test1
			not ok 2 - test2
		not ok 1 - all_failed_suite
			# Subtest: some_failed_suite
			1..2
			ok 1 - test1
			not ok 2 - test2
		not ok 1 - some_failed_suite
		`);
    const v = verdict(r);
    expect(v.status).toBe('fail');
    expect(v.failures).toEqual(['all_failed_suite / test1 (fail)', 'all_failed_suite / test2 (fail)', 'some_failed_suite / test2 (fail)']);
    expect(r.problems).toEqual([{ test: 'some_failed_suite', message: 'line 13: expected test number 2 but found 1' }]);
  });

  it('keeps indented test output with the failed test (test_show_test_output_on_failure)', () => {
    const r = parseKtap(`
		KTAP version 1
		1..1
		  Test output.
		    Indented more.
		not ok 1 test1
		`);
    expect(verdict(r).status).toBe('fail');
    expect(find(r, 'test1').diagnostics).toEqual(['  Test output.', '    Indented more.']);
  });
});

describe('run_kselftest.sh output (recorded, see test/fixtures/ktap/README.md)', () => {
  it('reads a passing run: one document per collection, nested TAP as subtests', () => {
    const r = kselftest('kselftest-pass.log');
    expect(verdict(r)).toMatchObject({ status: 'pass', ok: true });
    expect(r.counts).toEqual(counts({ pass: 8, skip: 1 }));
    expect(r.problems).toEqual([]);
    expect(r.root.subtests.map((t) => t.name)).toEqual(['size', 'sigaltstack', 'mincore']);
    const sas = find(r, 'sigaltstack', 'selftests: sigaltstack: sas');
    expect(sas.plan).toBe(3);
    expect(sas.diagnostics[0]).toBe('# selftests: sigaltstack: sas');
    expect(sas.diagnostics).toContain('# Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0');
    const huge = find(r, 'mincore', 'selftests: mincore: mincore_selftest', '#3');
    expect(huge).toMatchObject({ status: 'skip', directive: { kind: 'SKIP', reason: 'No huge pages available.' } });
    // size prints its plan after the result, and a YAML block
    expect(find(r, 'size', 'selftests: size: get_size').plan).toBe(1);
  });

  it('tells the truth about a run that exits 0: failures, errors, timeouts and short plans', () => {
    const r = kselftest('kselftest-run.log');
    const v = verdict(r);
    expect(v.status).toBe('fail');
    expect(r.counts).toEqual(counts({ pass: 14, fail: 3, crashed: 2, error: 3, skip: 3 }));
    const demo = (n: string) => find(r, 'ksdemo', `selftests: ksdemo: ${n}`);
    expect(demo('ktap_mixed').subtests.map((t) => [t.status, t.directive?.kind ?? null])).toEqual([
      ['pass', null],
      ['fail', null],
      ['skip', 'SKIP'],
      ['pass', 'XFAIL'],
      ['error', 'ERROR'],
    ]);
    expect(demo('ktap_mixed')).toMatchObject({ status: 'fail', comment: 'exit=1', reported: 'not ok' });
    expect(demo('ktap_mixed').subtests[1].diagnostics).toEqual(['# expected 1, got 2']);
    expect(demo('ktap_bail').subtests.map((t) => t.status)).toEqual(['pass', 'error', 'error']);
    expect(demo('ktap_bail').subtests[1].diagnostics[0]).toBe('not run: Bail out! cannot open /dev/dax0.0: No such device');
    // the runner says "ok", the plan says 2 of 4 never came
    expect(demo('ktap_short_plan')).toMatchObject({ reported: 'ok', status: 'crashed' });
    expect(demo('pass.sh')).toMatchObject({ status: 'pass', diagnostics: ['# selftests: ksdemo: pass.sh', '# pass.sh: doing the work', '# pass.sh: all good'] });
    expect(demo('fail.sh')).toMatchObject({ status: 'fail', comment: 'exit=1' });
    expect(demo('skip.sh')).toMatchObject({ status: 'skip', directive: { kind: 'SKIP', reason: '' } });
    expect(demo('hang.sh')).toMatchObject({ status: 'fail', directive: { kind: 'TIMEOUT', reason: '3 seconds' } });
    expect(v.failures).toContain('ksdemo / selftests: ksdemo: fail.sh (fail)');
    expect(v.failures).toContain('ksdemo / selftests: ksdemo: ktap_short_plan / #3 (crashed)');
  });

  it('marks everything after a VM death as crashed, naming the test that was running', () => {
    const r = kselftest('kselftest-truncated.log');
    expect(verdict(r).status).toBe('fail');
    const demo = r.root.subtests[3];
    expect(demo.name).toBe('ksdemo');
    expect(demo.subtests.map((t) => [t.number, t.status])).toEqual([
      [1, 'fail'],
      [2, 'crashed'],
      [3, 'crashed'],
      [4, 'crashed'],
      [5, 'crashed'],
      [6, 'crashed'],
      [7, 'crashed'],
    ]);
    const running = demo.subtests[1];
    expect(running.name).toBe('selftests: ksdemo: ktap_bail');
    expect(running.plan).toBe(3);
    expect(running.subtests.map((t) => t.status)).toEqual(['crashed', 'crashed', 'crashed']);
    expect(r.problems.map((p) => p.message)).toContain('6 planned test(s) never reported: the output ends early');
  });

  it('reads the same run from a serial console: CRLF, printk lines and boot noise change nothing', () => {
    const clean = kselftest('kselftest-run.log');
    const console = kselftest('kselftest-console.log');
    expect(shape(console.root)).toEqual(shape(clean.root));
    expect(console.counts).toEqual(clean.counts);
    const huge = find(console, 'mincore', 'selftests: mincore: mincore_selftest', '#3');
    expect(huge.diagnostics).toContain('hugetlbfs: disabling because there are no supported hugepage sizes');
    expect(console.root.subtests[3].diagnostics).toContain('reboot: Power down');
  });
});

describe('edge cases', () => {
  const tap = (...lines: string[]) => parseKtap(`${lines.join('\n')}\n`);

  it('ignores results after Bail out! and counts the rest as not run (error)', () => {
    const r = tap('TAP version 13', '1..4', 'ok 1 a', 'Bail out! disk on fire', 'ok 2 b');
    expect(r.root.subtests.map((t) => [displayName(t), t.status])).toEqual([
      ['a', 'pass'],
      ['#2', 'error'],
      ['#3', 'error'],
      ['#4', 'error'],
    ]);
    expect(r.problems.map((p) => p.message)).toEqual([
      'line 5: result after Bail out! ignored: ok 2 b',
      '3 planned test(s) not run after Bail out! (disk on fire)',
    ]);
    expect(verdict(r).status).toBe('fail');
  });

  it('counts a plan promising more tests than reported as crashed, never passed', () => {
    const r = tap('KTAP version 1', '1..3', 'ok 1 a');
    expect(r.counts).toEqual(counts({ pass: 1, crashed: 2 }));
    expect(verdict(r)).toMatchObject({ status: 'fail', ok: false });
  });

  it('accepts a plan after the results, and reports more results than planned', () => {
    expect(tap('TAP version 13', 'ok 1 a', 'ok 2 b', '1..2').problems).toEqual([]);
    expect(tap('TAP version 13', '1..1', 'ok 1 a', 'ok 2 b').problems.map((p) => p.message)).toEqual(['2 results, but the plan announced 1']);
  });

  it('reads TODO as todo (not a failure) and 1..0 # SKIP as skipped', () => {
    const r = tap('TAP version 13', '1..2', 'not ok 1 a # TODO not yet', 'ok 2 b # todo');
    expect(r.root.subtests.map((t) => t.status)).toEqual(['todo', 'todo']);
    expect(verdict(r).ok).toBe(true);
    const skipped = tap('TAP version 13', '1..0 # SKIP no persistent memory');
    expect(skipped.problems).toEqual([]);
    expect(verdict(skipped)).toMatchObject({ status: 'skip', ok: true });
  });

  it('reads TAP without a version line', () => {
    expect(verdict(tap('1..2', 'ok 1 a', 'not ok 2 b')).status).toBe('fail');
  });

  it('ends unindented # Subtest blocks like kunit_parser.py', () => {
    const r = tap('TAP version 14', '1..2', '# Subtest: suite', '1..2', 'ok 1 - a', 'ok 2 - b', 'ok 1 - suite', '# Subtest: other', 'ok 1 - c', 'ok 2 - other');
    expect(shape(r.root)).toEqual({
      n: null,
      name: 'main',
      s: 'pass',
      sub: [
        { n: 1, name: 'suite', s: 'pass', sub: [{ n: 1, name: 'a', s: 'pass', sub: [] }, { n: 2, name: 'b', s: 'pass', sub: [] }] },
        { n: 2, name: 'other', s: 'pass', sub: [{ n: 1, name: 'c', s: 'pass', sub: [] }] },
      ],
    });
    expect(r.problems).toEqual([]);
  });

  it('reads kselftest output nested two levels behind "# "', () => {
    const r = tap(
      'TAP version 13',
      '1..1',
      '# selftests: x: y',
      '# TAP version 13',
      '# 1..1',
      '# # TAP version 13',
      '# # 1..1',
      '# # not ok 1 deep',
      '# not ok 1 inner',
      'not ok 1 selftests: x: y # exit=1',
    );
    expect(find(r, 'selftests: x: y', 'inner', 'deep').status).toBe('fail');
    expect(r.counts).toEqual(counts({ fail: 1 }));
  });

  it('lets a parent that failed on its own count, even when its subtests passed', () => {
    const r = tap('TAP version 13', '1..1', '# TAP version 13', '# 1..1', '# ok 1 fine', 'not ok 1 selftests: x: y # exit=139');
    expect(r.counts).toEqual(counts({ pass: 1, fail: 1 }));
    expect(verdict(r).failures).toEqual(['selftests: x: y (fail)']);
  });

  it('gives a YAML block to the result before it', () => {
    const r = tap('TAP version 13', '1..2', 'not ok 1 a', '  ---', '  message: boom', '  ...', 'ok 2 b');
    expect(find(r, 'a').diagnostics).toEqual(['  ---', '  message: boom', '  ...']);
    expect(find(r, 'b').diagnostics).toEqual([]);
  });

  it('stops at a kernel panic: the running test and the rest are crashed, nothing after counts', () => {
    const r = tap(
      'TAP version 13',
      '1..2',
      '# selftests: dax: persist',
      '[    5.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008',
      '[    5.100000] Kernel panic - not syncing: Fatal exception',
      'ok 1 selftests: dax: persist',
    );
    expect(r.root.subtests.map((t) => [t.name, t.status])).toEqual([
      ['selftests: dax: persist', 'crashed'],
      ['', 'crashed'],
    ]);
    const d = r.root.subtests[0].diagnostics;
    expect(d).toContain('BUG: kernel NULL pointer dereference, address: 0000000000000008');
    expect(d).toContain('Kernel panic - not syncing: Fatal exception');
    expect(d).toContain('ok 1 selftests: dax: persist');
  });

  it('cleans a serial console: CRLF, escapes, redraws, printk caller ids', () => {
    const r = parseKtap('\x1bc\x1b[?7l\x1b[2J[    0.100000][    T1] KTAP version 1\r\n[    0.200000][    T1] 1..1\r\nprogress 10%\rprogress 100%\r\n[    0.300000][    T1] ok 1 a\r\n');
    expect(r.problems).toEqual([]);
    expect(r.root.subtests[0]).toMatchObject({ name: 'a', status: 'pass', diagnostics: ['progress 100%'] });
  });

  it('copes with a long console after the end (no argument-count limits)', () => {
    const tail = Array.from({ length: 150_000 }, (_, i) => `[ 1${String(i).padStart(5, '0')}.000000] rcu: stall ${i}`);
    const r = parseKtap(['TAP version 13', '1..2', 'ok 1 a', '[    9.000000] Kernel panic - not syncing: hung'].concat(tail).join('\n'));
    expect(r.counts).toEqual(counts({ pass: 1, crashed: 1 }));
    expect(r.root.subtests[1].diagnostics).toHaveLength(150_001);
  });

  it('does not mistake console chatter for results', () => {
    const r = tap('TAP version 13', '1..1', 'ok, loading module', '[    1.000000] ok thanks', 'ok 1 a');
    expect(r.root.subtests).toHaveLength(1);
    expect(r.root.subtests[0].diagnostics).toEqual(['ok, loading module', 'ok thanks']);
  });
});

describe('parseResultLine', () => {
  const table: Array<[string, object | null]> = [
    ['ok 1 - foo', { ok: true, number: 1, name: 'foo', directive: null, comment: null }],
    ['not ok 12 foo bar', { ok: false, number: 12, name: 'foo bar' }],
    ['ok 1 foo # SKIP no device', { name: 'foo', directive: { kind: 'SKIP', reason: 'no device' } }],
    ['ok 1 - foo # skipped: why', { name: 'foo', directive: { kind: 'SKIP', reason: 'why' } }],
    ['ok 3 # SKIP No huge pages available.', { name: '', directive: { kind: 'SKIP', reason: 'No huge pages available.' } }],
    ['ok 4 # XFAIL fourth', { name: '', directive: { kind: 'XFAIL', reason: 'fourth' } }],
    ['not ok 5 # error fifth errors', { ok: false, name: '', directive: { kind: 'ERROR', reason: 'fifth errors' } }],
    ['not ok 2 a # TODO later', { directive: { kind: 'TODO', reason: 'later' } }],
    ['not ok 7 selftests: ksdemo: hang.sh # TIMEOUT 3 seconds', { name: 'selftests: ksdemo: hang.sh', directive: { kind: 'TIMEOUT', reason: '3 seconds' } }],
    ['not ok 1 selftests: ksdemo: ktap_mixed # exit=1', { name: 'selftests: ksdemo: ktap_mixed', directive: null, comment: 'exit=1' }],
    ['ok 2 a \\# b', { name: 'a # b', directive: null, comment: null }],
    ['ok 1 test#2', { name: 'test#2', comment: null }],
    ['ok 1', { name: '', directive: null }],
    ['okay 1 x', null],
    ['ok', null],
    ['ok - no number', null],
  ];
  it.each(table)('%s', (line, want) => {
    const r = parseResultLine(line);
    if (want === null) expect(r).toBeNull();
    else expect(r).toMatchObject(want);
  });
});
