// SPDX-License-Identifier: GPL-2.0-only
/** The JUnit writer: exact output, escaping, and every report read back by a strict XML reader. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKtap } from '../../src/lib/ktap/parser.js';
import { renderJUnit, xmlAttr, xmlText } from '../../src/lib/report/junit.js';
import { tallyReport, type TestReport } from '../../src/lib/report/model.js';
import { ktapToReport } from '../../src/lib/report/from-ktap.js';
import { childrenNamed, parseXml, XmlError, type XmlElement } from '../helpers/xml.js';

const KTAP = new URL('../fixtures/ktap', import.meta.url).pathname;

describe('XML escaping', () => {
  const text: Array<[string, string]> = [
    ['plain', 'plain'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    [`"quotes" and 'apostrophes'`, `"quotes" and 'apostrophes'`],
    ['tab\tand\nnewline', 'tab\tand\nnewline'],
    ['\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['nul\x00 bell\x07 vt\x0b ff\x0c', 'nul\\x00 bell\\x07 vt\\x0b ff\\x0c'],
    ['lone \ud800 surrogate', 'lone \\ud800 surrogate'],
    ['pair 😀 kept', 'pair 😀 kept'],
    ['not a char \uffff', 'not a char \\uffff'],
    [']]> is fine escaped', ']]&gt; is fine escaped'],
    ['&amp; twice', '&amp;amp; twice'],
  ];
  it.each(text)('text %j', (input, want) => expect(xmlText(input)).toBe(want));

  const attr: Array<[string, string]> = [
    [`say "hi" & 'bye'`, 'say &quot;hi&quot; &amp; &apos;bye&apos;'],
    ['two\nlines\r\tand tab', 'two&#10;lines&#13;&#9;and tab'],
    ['<tag>', '&lt;tag&gt;'],
  ];
  it.each(attr)('attribute %j', (input, want) => expect(xmlAttr(input)).toBe(want));
});

describe('the XML reader used to check the writer', () => {
  it.each([
    ['<a>&</a>', /bare '&'/],
    ['<a>&nbsp;</a>', /unknown entity/],
    ['<a><b></a></b>', /closes <b>/],
    ['<a x="1" x="2"/>', /duplicate attribute/],
    ['<a>\x1b</a>', /not allowed in XML 1.0/],
    ['<a>&#27;</a>', /not allowed in XML 1.0/],
    ['<a/><b/>', /after the root/],
    ['<a>', /never closed/],
  ])('refuses %j', (doc, why) => {
    expect(() => parseXml(doc)).toThrow(XmlError);
    expect(() => parseXml(doc)).toThrow(why);
  });
});

const sample: TestReport = {
  name: 'kseries',
  suites: [
    {
      name: 'dax',
      timestamp: '2024-01-01T00:00:00Z',
      properties: { tree: 'debian-6.1' },
      cases: [
        { name: 'ok case', status: 'pass', durationMs: 1500 },
        { name: 'bad case', status: 'fail', message: 'not ok (exit=1)', details: 'expected 1\ngot 2', output: 'log <here>' },
        { name: 'skipped case', status: 'skip', message: 'no device' },
        { name: 'crashed case', classname: 'dax.persist', status: 'error', message: 'crashed', file: 'drivers/dax/kmem.c', line: 12 },
      ],
      output: 'suite output',
    },
  ],
};

describe('renderJUnit', () => {
  it('writes testsuites, testsuite and testcase with failure, skipped, error and system-out', () => {
    expect(renderJUnit(sample)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="kseries" tests="4" failures="1" errors="1" skipped="1" time="1.500">',
        '  <testsuite name="dax" id="0" tests="4" failures="1" errors="1" skipped="1" time="1.500" timestamp="2024-01-01T00:00:00Z">',
        '    <properties>',
        '      <property name="tree" value="debian-6.1"/>',
        '    </properties>',
        '    <testcase name="ok case" classname="dax" time="1.500"/>',
        '    <testcase name="bad case" classname="dax" time="0.000">',
        '      <failure message="not ok (exit=1)" type="failure">expected 1',
        'got 2</failure>',
        '      <system-out>log &lt;here&gt;</system-out>',
        '    </testcase>',
        '    <testcase name="skipped case" classname="dax" time="0.000">',
        '      <skipped message="no device"/>',
        '    </testcase>',
        '    <testcase name="crashed case" classname="dax.persist" time="0.000" file="drivers/dax/kmem.c" line="12">',
        '      <error message="crashed" type="error"/>',
        '    </testcase>',
        '    <system-out>suite output</system-out>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('reads back what a serial console threw at it', () => {
    const nasty = 'esc \x1b[1m bold\x1b[0m, nul \x00, "quotes" & <tags> ]]> \ud83d\ude00 \ud800';
    const r: TestReport = { name: nasty, suites: [{ name: nasty, cases: [{ name: nasty, status: 'fail', message: `${nasty}\nline 2`, details: nasty, output: nasty }] }] };
    const doc = parseXml(renderJUnit(r));
    const visible = 'esc \\x1b[1m bold\\x1b[0m, nul \\x00, "quotes" & <tags> ]]> \ud83d\ude00 \\ud800';
    expect(doc.attrs.name).toBe(visible);
    const tc = childrenNamed(childrenNamed(doc, 'testsuite')[0], 'testcase')[0];
    expect(tc.attrs.name).toBe(visible);
    const failure = childrenNamed(tc, 'failure')[0];
    expect(failure.text).toBe(visible);
    // &#10; survives attribute normalisation: the reader turns only literal newlines into spaces
    expect(failure.attrs.message).toBe(`${visible}\nline 2`);
    expect(childrenNamed(tc, 'system-out')[0].text).toBe(visible);
  });
});

/** Reads a JUnit document back into per-suite [case, status] pairs, checking the counters on the way. */
function readJUnit(xml: string): Record<string, Array<[string, string]>> {
  const doc = parseXml(xml);
  expect(doc.name).toBe('testsuites');
  const out: Record<string, Array<[string, string]>> = {};
  let total = 0;
  for (const s of childrenNamed(doc, 'testsuite')) {
    const cases = childrenNamed(s, 'testcase');
    const status = (c: XmlElement) => (['failure', 'error', 'skipped'].find((k) => childrenNamed(c, k).length) ?? 'pass');
    const st = cases.map(status);
    expect(Number(s.attrs.tests)).toBe(cases.length);
    expect(Number(s.attrs.failures)).toBe(st.filter((x) => x === 'failure').length);
    expect(Number(s.attrs.errors)).toBe(st.filter((x) => x === 'error').length);
    expect(Number(s.attrs.skipped)).toBe(st.filter((x) => x === 'skipped').length);
    out[s.attrs.name] = cases.map((c, i) => [c.attrs.name, st[i]]);
    total += cases.length;
  }
  expect(Number(doc.attrs.tests)).toBe(total);
  return out;
}

describe('KTAP → JUnit', () => {
  it('groups kselftest results by collection, one case per subtest, the verdict intact', () => {
    const r = parseKtap(readFileSync(join(KTAP, 'kselftest-run.log'), 'utf8'));
    const report = ktapToReport(r, { name: 'kselftest' });
    const t = tallyReport(report);
    expect({ failures: t.failures, errors: t.errors, skipped: t.skipped, passed: t.passed }).toEqual({
      failures: r.counts.fail,
      errors: r.counts.error + r.counts.crashed,
      skipped: r.counts.skip + r.counts.todo,
      passed: r.counts.pass,
    });
    const suites = readJUnit(renderJUnit(report));
    expect(Object.keys(suites)).toEqual(['size', 'sigaltstack', 'mincore', 'ksdemo']);
    expect(suites.mincore).toContainEqual(['mincore_selftest / #3', 'skipped']);
    expect(suites.ksdemo).toEqual([
      ['ktap_mixed / first passes', 'pass'],
      ['ktap_mixed / second fails', 'failure'],
      ['ktap_mixed / #3', 'skipped'],
      ['ktap_mixed / #4', 'pass'],
      ['ktap_mixed / #5', 'error'],
      ['ktap_bail / setup', 'pass'],
      ['ktap_bail / #2', 'error'],
      ['ktap_bail / #3', 'error'],
      ['ktap_short_plan / one', 'pass'],
      ['ktap_short_plan / two', 'pass'],
      ['ktap_short_plan / #3', 'error'],
      ['ktap_short_plan / #4', 'error'],
      ['pass.sh', 'pass'],
      ['fail.sh', 'failure'],
      ['skip.sh', 'skipped'],
      ['hang.sh', 'failure'],
    ]);
    const hang = report.suites[3].cases.find((c) => c.name === 'hang.sh')!;
    expect(hang.message).toBe('timed out (3 seconds)');
    expect(hang.details).toContain('# hang.sh: waiting for an event that never comes');
  });

  it('makes a case of a parent that failed on its own', () => {
    const r = parseKtap('TAP version 13\n1..1\n# TAP version 13\n# 1..1\n# ok 1 fine\nnot ok 1 selftests: x: y # exit=139\n');
    expect(readJUnit(renderJUnit(ktapToReport(r)))).toEqual({ x: [['y / fine', 'pass'], ['y', 'failure']] });
  });

  it('gives KUnit suites their own testsuite, with the failure text', () => {
    const r = parseKtap(readFileSync(join(KTAP, 'kunit', 'test_is_test_passed-failure.log'), 'utf8'));
    const report = ktapToReport(r, { name: 'kunit' });
    const suites = readJUnit(renderJUnit(report));
    expect(Object.keys(suites)).toEqual(['sysctl_test', 'example']);
    expect(suites.example).toEqual([
      ['example_simple_test', 'failure'],
      ['example_mock_test', 'pass'],
    ]);
    expect(report.suites[1].cases[0].details).toContain('EXPECTATION FAILED at lib/kunit/example-test.c:30');
  });

  it('never writes an empty green report: no output is an error case', () => {
    const report = ktapToReport(parseKtap('just a boot log\n'), { name: 'kselftest' });
    expect(readJUnit(renderJUnit(report))).toEqual({ kselftest: [['(no tests)', 'error']] });
    expect(report.suites[0].cases[0].message).toMatch(/no KTAP\/TAP output/);
  });

  it('reports crashed KUnit cases as errors', () => {
    const r = parseKtap(readFileSync(join(KTAP, 'kunit', 'test_kernel_panic_interrupt.log'), 'utf8'));
    const suites = readJUnit(renderJUnit(ktapToReport(r)));
    expect(suites['string-stream-test']).toEqual([
      ['string_stream_test_empty_on_creation', 'pass'],
      ['#2', 'error'],
      ['#3', 'error'],
    ]);
  });
});
