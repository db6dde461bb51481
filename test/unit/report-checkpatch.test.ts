// SPDX-License-Identifier: GPL-2.0-only
/** checkpatch results as JUnit: one case per patch, failed at or above --fail-on. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPatches, type FailOn } from '../../src/lib/checkpatch/run.js';
import { renderCheckpatch } from '../../src/lib/checkpatch/render.js';
import { checkpatchToReport, countsText, formatIssue } from '../../src/lib/report/from-checkpatch.js';
import { renderJUnit } from '../../src/lib/report/junit.js';
import { FakeRunner } from '../helpers/fake-runner.js';
import { childrenNamed, parseXml } from '../helpers/xml.js';

const FIX = new URL('../fixtures/checkpatch', import.meta.url).pathname;
const TREE = join(FIX, 'fake-tree');
const SCRIPT = join(TREE, 'scripts', 'checkpatch.pl');
const NAMES = ['0001-dax-kmem-count-onlined-devices', '0002-dax-kmem-remember-the-node-in-probe', '0003-dax-kmem-add-a-persistence-helper'];

async function run(failOn: FailOn, strict = true) {
  const runner = new FakeRunner();
  for (const n of NAMES) {
    const stdout = readFileSync(join(FIX, 'output', 'linux-source-6.1', `${n}${strict ? '.strict' : ''}.txt`), 'utf8');
    runner.expect('perl', { stdout, exitCode: n.startsWith('0001') ? 0 : 1 });
  }
  return checkPatches(runner, NAMES.map((n) => join(FIX, 'patches', `${n}.patch`)), { script: SCRIPT, cwd: TREE, strict, failOn });
}

describe('checkpatch → JUnit', () => {
  const table: Array<[FailOn, string[]]> = [
    ['error', ['pass', 'failure', 'pass']],
    ['warning', ['pass', 'failure', 'failure']],
    ['check', ['pass', 'failure', 'failure']],
  ];
  it.each(table)('--fail-on %s', async (failOn, statuses) => {
    const doc = parseXml(renderJUnit(checkpatchToReport(await run(failOn))));
    const suite = childrenNamed(doc, 'testsuite')[0];
    expect(suite.attrs.name).toBe('checkpatch');
    const cases = childrenNamed(suite, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(NAMES.map((n) => `${n}.patch`));
    expect(cases.map((c) => (childrenNamed(c, 'failure').length ? 'failure' : 'pass'))).toEqual(statuses);
    expect(childrenNamed(cases[0], 'system-out')[0].text).toMatch(/has no obvious style problems/);
    const props = Object.fromEntries(childrenNamed(childrenNamed(suite, 'properties')[0], 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toEqual({ script: SCRIPT, tree: TREE, strict: 'true', 'fail-on': failOn });
  });

  it('lists every issue in the failure', async () => {
    const report = checkpatchToReport(await run('warning'));
    const bad = report.suites[0].cases[1];
    expect(bad.message).toBe('4 errors, 4 warnings, 0 checks');
    expect(bad.details!.split('\n\n')).toHaveLength(8);
    expect(bad.details).toContain('ERROR:MISSING_SIGN_OFF: Missing Signed-off-by: line(s) (whole patch)');
    expect(bad.details).toContain('WARNING:LONG_LINE: line length of 147 exceeds 100 columns (drivers/dax/kmem.c:72)');
    expect(bad.details).toContain('WARNING:COMMIT_LOG_LONG_LINE');
  });

  it('formats issues and counts', () => {
    expect(countsText({ errors: 1, warnings: 2, checks: 0 })).toBe('1 error, 2 warnings, 0 checks');
    expect(formatIssue({ level: 'check', type: null, message: 'm', file: null, line: null, patchLine: 7, context: ['+x'] })).toBe('CHECK: m (patch line 7)\n    +x');
  });
});

describe('renderCheckpatch', () => {
  it('prints a table, then the issues of each patch as checkpatch printed them, then a summary', async () => {
    const text = renderCheckpatch(await run('warning'));
    const lines = text.split('\n');
    expect(lines[0]).toBe(`checkpatch --strict: ${SCRIPT} (in ${TREE})`);
    expect(lines.slice(2, 6)).toEqual([
      'PATCH                                           ERRORS  WARNINGS  CHECKS  RESULT',
      '0001-dax-kmem-count-onlined-devices.patch            0         0       0  ok',
      '0002-dax-kmem-remember-the-node-in-probe.patch       4         4       0  FAIL',
      '0003-dax-kmem-add-a-persistence-helper.patch         0         4       2  FAIL',
    ]);
    const p2 = lines.slice(lines.indexOf('0002-dax-kmem-remember-the-node-in-probe.patch:') + 1, lines.indexOf('0003-dax-kmem-add-a-persistence-helper.patch:') - 1);
    expect(p2).toEqual([
      '  WARNING:COMMIT_LOG_LONG_LINE  patch line 6  Possible unwrapped commit description (prefer a maximum 75 chars per line)',
      '  WARNING:LONG_LINE_COMMENT  drivers/dax/kmem.c:71  line length of 101 exceeds 100 columns',
      '  ERROR:TRAILING_WHITESPACE  drivers/dax/kmem.c:72  trailing whitespace',
      '  WARNING:LONG_LINE  drivers/dax/kmem.c:72  line length of 147 exceeds 100 columns',
      '  ERROR:TRAILING_STATEMENTS  drivers/dax/kmem.c:72  trailing statements should be on next line',
      '  ERROR:CODE_INDENT  drivers/dax/kmem.c:73  code indent should use tabs where possible',
      '  WARNING:LEADING_SPACE  drivers/dax/kmem.c:73  please, no spaces at the start of a line',
      '  ERROR:MISSING_SIGN_OFF  patch  Missing Signed-off-by: line(s)',
    ]);
    expect(text).toContain('  WARNING:FILE_PATH_CHANGES  patch line 15  added, moved or deleted file(s), does MAINTAINERS need updating?');
    expect(lines[lines.length - 1]).toBe('3 patches: 4 errors, 8 warnings, 2 checks; 2 failed (fail on warning and worse)');
  });

  it('says when nothing reaches the bar', async () => {
    const text = renderCheckpatch(await run('error', false));
    expect(text.split('\n').pop()).toBe('3 patches: 4 errors, 8 warnings; 1 failed (fail on error and worse)');
  });
});
