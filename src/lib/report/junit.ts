// SPDX-License-Identifier: GPL-2.0-only
/**
 * JUnit XML from the generic result model: <testsuites> of <testsuite> of <testcase>, with
 * <failure>, <error> or <skipped>, <system-out> and times in seconds, in the element order
 * Jenkins' and GitLab's readers expect. Pure: a report in, a string out.
 *
 * Serial consoles put anything into test output: XML-special characters are escaped, and
 * characters XML 1.0 cannot carry at all (ESC, NUL, the other C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) are written as visible "\xNN" / "\uNNNN" text instead of breaking the file.
 */
import { tallyCases, tallyReport, type TestCase, type TestReport, type TestSuite } from './model.js';

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Escapes element text. */
export function xmlText(s: string): string {
  return s.replace(INVALID_XML, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); newlines and tabs survive as character references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

function attrs(pairs: Array<[string, string | number | undefined]>): string {
  // Absent values are left out; empty ones are kept (a name is always written).
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
}

function textElement(tag: string, attributes: string, body: string | undefined, indent: string): string {
  return body ? `${indent}<${tag}${attributes}>${xmlText(body)}</${tag}>\n` : `${indent}<${tag}${attributes}/>\n`;
}

function renderCase(c: TestCase, suite: TestSuite): string {
  const head = `    <testcase${attrs([
    ['name', c.name],
    ['classname', c.classname ?? suite.name],
    ['time', seconds(c.durationMs)],
    ['file', c.file],
    ['line', c.line],
  ])}`;
  const inner: string[] = [];
  const msg = c.message || undefined;
  if (c.status === 'fail') inner.push(textElement('failure', attrs([['message', msg], ['type', 'failure']]), c.details, '      '));
  else if (c.status === 'error') inner.push(textElement('error', attrs([['message', msg], ['type', 'error']]), c.details, '      '));
  else if (c.status === 'skip') inner.push(textElement('skipped', attrs([['message', msg]]), undefined, '      '));
  if (c.output) inner.push(`      <system-out>${xmlText(c.output)}</system-out>\n`);
  return inner.length ? `${head}>\n${inner.join('')}    </testcase>\n` : `${head}/>\n`;
}

function renderSuite(s: TestSuite, id: number): string {
  const t = tallyCases(s.cases);
  const time = s.durationMs ?? s.cases.reduce((a, c) => a + (c.durationMs ?? 0), 0);
  let out = `  <testsuite${attrs([
    ['name', s.name],
    ['id', id],
    ['tests', t.tests],
    ['failures', t.failures],
    ['errors', t.errors],
    ['skipped', t.skipped],
    ['time', seconds(time)],
    ['timestamp', s.timestamp],
  ])}>\n`;
  const props = Object.entries(s.properties ?? {});
  if (props.length) {
    out += '    <properties>\n';
    for (const [k, v] of props) out += `      <property${attrs([['name', k], ['value', v]])}/>\n`;
    out += '    </properties>\n';
  }
  for (const c of s.cases) out += renderCase(c, s);
  if (s.output) out += `    <system-out>${xmlText(s.output)}</system-out>\n`;
  return `${out}  </testsuite>\n`;
}

export function renderJUnit(r: TestReport): string {
  const t = tallyReport(r);
  const time = r.suites.reduce((a, s) => a + (s.durationMs ?? s.cases.reduce((b, c) => b + (c.durationMs ?? 0), 0)), 0);
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  out += `<testsuites${attrs([
    ['name', r.name],
    ['tests', t.tests],
    ['failures', t.failures],
    ['errors', t.errors],
    ['skipped', t.skipped],
    ['time', seconds(time)],
  ])}>\n`;
  r.suites.forEach((s, i) => (out += renderSuite(s, i)));
  return `${out}</testsuites>\n`;
}
