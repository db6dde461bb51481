// SPDX-License-Identifier: GPL-2.0-only
/**
 * The checkpatch parser over real checkpatch.pl output, recorded from the 6.1 and 6.12
 * trees (test/fixtures/checkpatch/record-checkpatch.sh).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allIssues, issueCounts, parseCheckpatch, parseCheckpatchReport, type CheckpatchReport } from '../../src/lib/checkpatch/parser.js';

const OUT = new URL('../fixtures/checkpatch/output', import.meta.url).pathname;
const TREES = ['linux-source-6.1', 'linux-source-6.12'];
const read = (tree: string, f: string) => readFileSync(join(OUT, tree, f), 'utf8');
const types = (r: CheckpatchReport) => ({
  errors: r.errors.map((i) => i.type),
  warnings: r.warnings.map((i) => i.type),
  checks: r.checks.map((i) => i.type),
});

const P1 = '0001-dax-kmem-count-onlined-devices';
const P2 = '0002-dax-kmem-remember-the-node-in-probe';
const P3 = '0003-dax-kmem-add-a-persistence-helper';
const P4 = '0004-dax-kmem-add-kmem_count';

const STRICT: Record<string, { errors: string[]; warnings: string[]; checks: string[]; lines: number }> = {
  [P1]: { errors: [], warnings: [], checks: [], lines: 9 },
  [P2]: {
    errors: ['TRAILING_WHITESPACE', 'TRAILING_STATEMENTS', 'CODE_INDENT', 'MISSING_SIGN_OFF'],
    warnings: ['COMMIT_LOG_LONG_LINE', 'LONG_LINE_COMMENT', 'LONG_LINE', 'LEADING_SPACE'],
    checks: [],
    lines: 9,
  },
  [P3]: {
    errors: [],
    warnings: ['FILE_PATH_CHANGES', 'LINE_SPACING', 'PREFER_PR_LEVEL', 'OOM_MESSAGE'],
    checks: ['PARENTHESIS_ALIGNMENT', 'COMPARISON_TO_NULL'],
    lines: 25,
  },
  [P4]: {
    errors: ['BAD_SIGN_OFF', 'OPEN_BRACE', 'SPACING', 'SPACING', 'SPACING', 'SPACING', 'NO_AUTHOR_SIGN_OFF'],
    warnings: ['COMMIT_MESSAGE', 'LINE_SPACING'],
    checks: ['SPACING'],
    lines: 11,
  },
};

describe.each(TREES)('checkpatch.pl of %s', (tree) => {
  describe.each(Object.entries(STRICT))('%s', (patch, want) => {
    it('--strict --show-types: every issue with its type, and the totals', () => {
      const r = parseCheckpatchReport(read(tree, `${patch}.strict.txt`));
      expect(types(r)).toEqual({ errors: want.errors, warnings: want.warnings, checks: want.checks });
      expect(r.totals).toEqual({ errors: want.errors.length, warnings: want.warnings.length, checks: want.checks.length, lines: want.lines });
      expect(r.problems).toEqual([]);
      expect(r.patch).toBe(`patches/${patch}.patch`);
      expect(r.clean).toBe(patch === P1);
    });

    it('without --strict: no checks, and no checks count', () => {
      const r = parseCheckpatchReport(read(tree, `${patch}.txt`));
      expect(types(r)).toEqual({ errors: want.errors, warnings: want.warnings, checks: [] });
      expect(r.totals?.checks).toBeNull();
      expect(issueCounts(r)).toEqual({ errors: want.errors.length, warnings: want.warnings.length, checks: 0 });
    });

    it('without --show-types: the same issues, type unknown', () => {
      const r = parseCheckpatchReport(read(tree, `${patch}.notypes.txt`));
      expect(r.errors.length).toBe(want.errors.length);
      expect(r.warnings.length).toBe(want.warnings.length);
      expect(allIssues(r).every((i) => i.type === null)).toBe(true);
      expect(r.problems).toEqual([]);
    });

    it('--terse: one line per issue with the patch line', () => {
      const r = parseCheckpatchReport(read(tree, `${patch}.terse.txt`));
      expect(types(r)).toEqual({ errors: want.errors, warnings: want.warnings, checks: want.checks });
      expect(allIssues(r).every((i) => i.patchLine !== null && i.file === null)).toBe(true);
    });
  });

  it('reads where each issue is: source file and line, patch line, quoted lines', () => {
    const r = parseCheckpatchReport(read(tree, `${P2}.strict.txt`));
    expect(r.warnings.find((i) => i.type === 'LONG_LINE')).toEqual({
      level: 'warning',
      type: 'LONG_LINE',
      message: 'line length of 147 exceeds 100 columns',
      file: 'drivers/dax/kmem.c',
      line: 72,
      patchLine: 20,
      context: ['+\tif (numa_node > 64 && numa_node < 128 && dev_dax->nr_range > 1 && total_len == 0 && mapped == 0) dev_dbg(dev, "odd node %d\\n", numa_node); '],
    });
    const log = r.warnings.find((i) => i.type === 'COMMIT_LOG_LONG_LINE')!;
    expect(log).toMatchObject({ file: null, line: null, patchLine: 6 });
    expect(log.context[0]).toMatch(/^This commit message has a line/);
    expect(r.errors.find((i) => i.type === 'MISSING_SIGN_OFF')).toEqual({
      level: 'error',
      type: 'MISSING_SIGN_OFF',
      message: 'Missing Signed-off-by: line(s)',
      file: null,
      line: null,
      patchLine: null,
      context: [],
    });
    const ws = r.errors.find((i) => i.type === 'TRAILING_WHITESPACE')!;
    expect(ws.context).toEqual(['+^Iif (numa_node > 64 && numa_node < 128 && dev_dax->nr_range > 1 && total_len == 0 && mapped == 0) dev_dbg(dev, "odd node %d\\n", numa_node); $']);
  });

  it('keeps the caret line under a spacing error, and the MAINTAINERS warning of a new file', () => {
    const r4 = parseCheckpatchReport(read(tree, `${P4}.strict.txt`));
    expect(r4.errors.find((i) => i.message.startsWith("spaces required around that '='"))!.context).toEqual(['+\tint a=1;', ' \t     ^']);
    const r3 = parseCheckpatchReport(read(tree, `${P3}.strict.txt`));
    expect(r3.warnings[0]).toMatchObject({ type: 'FILE_PATH_CHANGES', patchLine: 15, context: ['new file mode 100644'] });
    expect(r3.checks[0]).toMatchObject({ file: 'drivers/dax/kmem_persist.c', line: 9, context: ['+int kmem_persist_save(void *buf, unsigned long len,', '+\tint flags)'] });
  });

  it('splits a run over several patches at the banners', () => {
    const rs = parseCheckpatch(read(tree, 'multi.strict.txt'));
    expect(rs.map((r) => [r.patch, r.clean, r.errors.length, r.warnings.length])).toEqual([
      [`patches/${P1}.patch`, true, 0, 0],
      [`patches/${P2}.patch`, false, 4, 4],
    ]);
  });
});

describe('checkpatch output oddities', () => {
  it('has no totals when checkpatch did not finish', () => {
    const r = parseCheckpatchReport('Must be run from the top-level dir. of a kernel tree\n');
    expect(r.totals).toBeNull();
    expect(allIssues(r)).toEqual([]);
  });

  it('notes totals that disagree with the issues read', () => {
    const r = parseCheckpatchReport('ERROR:X: one\n\ntotal: 2 errors, 0 warnings, 0 checks, 1 lines checked\n');
    expect(r.problems).toEqual(['checkpatch counted 2 errors, 1 were read']);
    expect(issueCounts(r).errors).toBe(2);
  });

  it('reads a message that runs over several lines before its location', () => {
    const r = parseCheckpatchReport('WARNING:SOME_TYPE: first line\nsecond line\n#12: FILE: a.c:3:\n+code\n\ntotal: 0 errors, 1 warnings, 3 lines checked\n');
    expect(r.warnings[0]).toMatchObject({ message: 'first line\nsecond line', file: 'a.c', line: 3, patchLine: 12, context: ['+code'] });
  });

  it('reads one report from a single-patch run', () => {
    expect(parseCheckpatch('total: 0 errors, 0 warnings, 1 lines checked\n')).toHaveLength(1);
    expect(parseCheckpatch('')).toHaveLength(1);
  });
});
