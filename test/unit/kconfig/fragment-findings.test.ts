// SPDX-License-Identifier: GPL-2.0-only
/**
 * Fragment lines that are not Kconfig assignments (issue 17): fragment texts, handwritten
 * and recorded (the fragments kseries ships, the selftests' config files copied from
 * Linux 6.1 and 6.12), against the findings the pure parser must report — FILE:LINE,
 * why, the line — and what --strict says about them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/lib/kconfig/compose.js';
import { parseConfig } from '../../../src/lib/kconfig/config.js';
import { findingsOf, formatFinding, parseFragment, readCatalog, strictRefusal } from '../../../src/lib/kconfig/fragments.js';
import { kconfigRoot } from '../../../src/lib/paths.js';

const FIXTURES = new URL('../../fixtures/kconfig', import.meta.url).pathname;
const finding = (text: string) => findingsOf(parseFragment('f', '/in/f.config', text)).map((x) => `${x.line}: ${x.message}: ${x.text}`);
const requested = (text: string) => [...parseConfig(text, 'f').config.values()].map((e) => `${e.symbol}=${e.value}`);

describe('findings of handwritten fragments', () => {
  it.each<[string, string, string[], string[]]>([
    ['blank lines and comments', '\n# a comment\n   \n#\n# CONFIG_A is cool\n\t\n', [], []],
    ['"is not set" is an assignment, with or without a space after #', '# CONFIG_A is not set\n#CONFIG_B is not set\n', [], ['A=n', 'B=n']],
    ['every kind of value', 'CONFIG_A=y\nCONFIG_B=m\nCONFIG_C=n\nCONFIG_D=-12\nCONFIG_E=0x1F\nCONFIG_F="a \\"b\\" c"\nCONFIG_G=""\n', [], ['A=y', 'B=m', 'C=n', 'D=-12', 'E=0x1F', 'F="a \\"b\\" c"', 'G=""']],
    ['CRLF line ends and surrounding blanks', 'CONFIG_A=y\r\n  CONFIG_B=m  \r\n', [], ['A=y', 'B=m']],
    ['a garbage line', 'CONFIG_A=y\ngarbage line\n', ['2: not a Kconfig assignment: garbage line'], ['A=y']],
    ['a symbol without a value', 'CONFIG_FOO\n', ['1: not a Kconfig assignment: no "=VALUE" after CONFIG_FOO (expected y, m, n, a number or a "string"): CONFIG_FOO'], []],
    ['"=" with nothing after it', 'CONFIG_BAR=\n', ['1: no value after "=" (expected y, m, n, a number or a "string"): CONFIG_BAR='], []],
    ['"=" with junk after it', 'CONFIG_BAZ=yes please\n', ['1: unexpected value "yes please" (expected y, m, n, a number or a "string"): CONFIG_BAZ=yes please'], []],
    ['a trailing comment is junk too (Kconfig reads it as the value)', 'CONFIG_A=y # on\n', ['1: unexpected value "y # on" (expected y, m, n, a number or a "string"): CONFIG_A=y # on'], []],
    ['an unterminated string', 'CONFIG_CMDLINE="console=ttyS0\n', ['1: unexpected value ""console=ttyS0" (expected y, m, n, a number or a "string"): CONFIG_CMDLINE="console=ttyS0'], []],
    ['spaces around "="', 'CONFIG_A = y\nCONFIG_B= m\n', ['1: not a Kconfig assignment: no spaces around "=" (CONFIG_A=y): CONFIG_A = y', '2: not a Kconfig assignment: no spaces around "=" (CONFIG_B=m): CONFIG_B= m'], []],
    ['no CONFIG_ prefix', 'DEV_DAX=y\n', ['1: not a Kconfig assignment: symbols start with CONFIG_: DEV_DAX=y'], []],
    ['"y" alone', 'y\n', ['1: not a Kconfig assignment: y'], []],
    [
      'the bad-input fragment: four bad lines among good ones, each with its line number',
      '# a fragment\ngarbage line\nCONFIG_FOO\nCONFIG_BAR=\nCONFIG_BAZ=yes please\nCONFIG_DEV_DAX=y\n',
      [
        '2: not a Kconfig assignment: garbage line',
        '3: not a Kconfig assignment: no "=VALUE" after CONFIG_FOO (expected y, m, n, a number or a "string"): CONFIG_FOO',
        '4: no value after "=" (expected y, m, n, a number or a "string"): CONFIG_BAR=',
        '5: unexpected value "yes please" (expected y, m, n, a number or a "string"): CONFIG_BAZ=yes please',
      ],
      ['DEV_DAX=y'],
    ],
  ])('%s', (_what, text, findings, config) => {
    expect(finding(text)).toEqual(findings);
    expect(requested(text)).toEqual(config);
  });
});

describe('findings of recorded fragments: none', () => {
  const shipped = readdirSync(kconfigRoot()).filter((f) => f.endsWith('.config')).map((f) => join(kconfigRoot(), f));
  const selftests = ['linux-6.1/tools/testing/selftests/vm/config', 'linux-6.1/tools/testing/selftests/memory-hotplug/config', 'linux-6.12/tools/testing/selftests/mm/config', 'linux-6.12/tools/testing/selftests/memory-hotplug/config'].map((f) => join(FIXTURES, f));
  it.each([...shipped, ...selftests])('%s', (path) => {
    const text = readFileSync(path, 'utf8');
    const f = parseFragment('f', path, text);
    expect(findingsOf(f)).toEqual([]);
    // every line that is not blank or a plain comment was read as an assignment
    const assignments = text.split('\n').filter((l) => /^CONFIG_|^# CONFIG_\w+ is not set$/.test(l.trim()));
    expect(f.config.size + parseConfig(text).repeats.length).toBe(assignments.length);
  });
});

describe('findings through compose, and --strict', () => {
  const catalog = readCatalog(kconfigRoot());
  const none = { feature: true, platform: 'qemu-x86_64', persist: [], debug: false, module: false, selftests: [], fragments: [] };

  it('collects the findings of every fragment used, in layer order, and warns FILE:LINE for each', () => {
    const st = parseFragment('selftest-x', 'tools/testing/selftests/x/config', 'CONFIG_X=y\nCONFIG_Y\n');
    const user = parseFragment('mine', '/home/me/mine.config', 'garbage line\nCONFIG_Z=m\n');
    const c = compose(catalog, { ...none, selftests: [st], fragments: [user] });
    expect(c.findings.map(formatFinding)).toEqual([
      'tools/testing/selftests/x/config:2: not a Kconfig assignment: no "=VALUE" after CONFIG_Y (expected y, m, n, a number or a "string"): CONFIG_Y',
      '/home/me/mine.config:1: not a Kconfig assignment: garbage line',
    ]);
    expect(c.warnings.slice(0, 2)).toEqual(c.findings.map(formatFinding));
    expect(c.requested.has('Y')).toBe(false);
    expect(c.requested.get('Z')?.value).toBe('m');
  });

  it.each<[string, string[], string | null]>([
    ['clean fragments', ['CONFIG_A=y\n'], null],
    ['one bad line', ['CONFIG_A=y\nCONFIG_B\n'], '--strict: 1 fragment line is not a Kconfig assignment (in /in/0.config; first: /in/0.config:2: not a Kconfig assignment: no "=VALUE" after CONFIG_B (expected y, m, n, a number or a "string"): CONFIG_B)'],
    ['bad lines in two files', ['x\n', 'CONFIG_A=\nCONFIG_B=y\n'], '--strict: 2 fragment lines are not Kconfig assignments (in /in/0.config, /in/1.config; first: /in/0.config:1: not a Kconfig assignment: x)'],
  ])('strictRefusal: %s', (_what, texts, expected) => {
    const findings = texts.flatMap((t, i) => findingsOf(parseFragment(`${i}`, `/in/${i}.config`, t)));
    expect(strictRefusal(findings)).toBe(expected);
  });
});
