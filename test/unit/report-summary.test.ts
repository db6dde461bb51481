// SPDX-License-Identifier: GPL-2.0-only
/** results.json (validated read) and its Markdown summary. */
import { KseriesError } from '../../src/lib/errors.js';
import { overallOf, parseResults, type PipelineResults } from '../../src/lib/report/results.js';
import { cell, code, codeCell, formatDuration, renderSummary } from '../../src/lib/report/summary.js';

const results = (): PipelineResults => ({
  schema: 'kseries-results/1',
  tree: 'debian-6.1',
  kernel: '6.1.192',
  base: 'v6.1',
  seriesHead: '0123456789abcdef0123456789abcdef01234567',
  startedAt: '2024-01-01T12:00:00.000Z',
  finishedAt: '2024-01-01T12:31:02.000Z',
  stages: [
    { name: 'apply', status: 'pass', durationMs: 2300, summary: '4 patches applied', logs: ['logs/apply.log'], command: 'kseries apply --tree debian-6.1' },
    {
      name: 'checkpatch',
      status: 'fail',
      durationMs: 8100,
      summary: '0002-x.patch: 4 errors | 4 warnings',
      logs: ['logs/checkpatch.log'],
      command: 'kseries checkpatch --tree debian-6.1',
      junit: 'junit/checkpatch.xml',
    },
    { name: 'selftest', status: 'skip', durationMs: 0, summary: 'not run: build failed', logs: [], command: null },
  ],
  overall: 'fail',
});

describe('results.json', () => {
  it('reads a valid document back unchanged', () => {
    const r = results();
    expect(parseResults(JSON.parse(JSON.stringify(r)))).toEqual({ ...r, stages: r.stages.map((s) => ({ junit: null, ...s })) });
  });

  it('computes overall when absent', () => {
    const { overall: _o, ...rest } = results();
    expect(parseResults(rest).overall).toBe('fail');
  });

  const bad: Array<[string, (r: Record<string, unknown>) => void, RegExp]> = [
    ['wrong schema', (r) => (r.schema = 'kseries-results/2'), /schema must be "kseries-results\/1"/],
    ['no tree', (r) => delete r.tree, /\$\.tree must be a string/],
    ['stages not a list', (r) => (r.stages = {}), /stages must be a list/],
    ['a bad status', (r) => ((r.stages as Array<Record<string, unknown>>)[1].status = 'failed'), /stages\[1\]\.status must be one of pass, fail, skip, error/],
    ['a negative duration', (r) => ((r.stages as Array<Record<string, unknown>>)[0].durationMs = -1), /stages\[0\]\.durationMs/],
    ['logs not paths', (r) => ((r.stages as Array<Record<string, unknown>>)[0].logs = [1]), /stages\[0\]\.logs must be a list of paths/],
    ['a bad overall', (r) => (r.overall = 'ok'), /\$\.overall must be one of/],
  ];
  it.each(bad)('refuses %s (exit 2, names the field)', (_what, mutate, message) => {
    const r = JSON.parse(JSON.stringify(results()));
    mutate(r);
    const err = (() => {
      try {
        parseResults(r);
      } catch (e) {
        return e;
      }
    })() as KseriesError;
    expect(err).toBeInstanceOf(KseriesError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
  });

  it.each([
    [[], 'skip'],
    [['skip'], 'skip'],
    [['pass', 'skip'], 'pass'],
    [['pass', 'fail', 'skip'], 'fail'],
    [['fail', 'error'], 'fail'],
    [['error', 'pass', 'skip'], 'error'],
  ] as const)('overall of %j is %s', (statuses, want) => {
    expect(overallOf(statuses.map((status) => ({ status })))).toBe(want);
  });
});

describe('Markdown summary', () => {
  it('renders the header and one row per stage', () => {
    expect(renderSummary(results())).toBe(
      [
        '## kseries: ❌ fail on debian-6.1 (Linux 6.1.192)',
        '',
        'series base: `v6.1` · series head: `0123456789ab` · time: 10.4 s',
        '',
        '| Stage | Status | Duration | Details |',
        '| --- | --- | --- | --- |',
        '| apply | ✅ pass | 2.3 s | 4 patches applied<br>logs: `logs/apply.log` |',
        '| checkpatch | ❌ fail | 8.1 s | 0002-x.patch: 4 errors \\| 4 warnings<br>logs: `logs/checkpatch.log`<br>JUnit: `junit/checkpatch.xml`<br>rerun: `kseries checkpatch --tree debian-6.1` |',
        '| selftest | ⏭️ skip | 0 ms | not run: build failed |',
        '',
        '',
      ].join('\n'),
    );
  });

  it('renders a run with no series and no stages', () => {
    const r = { ...results(), base: null, seriesHead: null, kernel: null, stages: [], overall: 'skip' as const };
    expect(renderSummary(r)).toContain('series base: none · series head: none · time: 0 ms');
    expect(renderSummary(r)).toContain('| (none) | ⏭️ skip | 0 ms | no stage ran |');
  });

  it.each([
    ['a | b', 'a \\| b'],
    ['two\nlines', 'two<br>lines'],
    ['<script>', '&lt;script&gt;'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes the cell %j', (input, want) => expect(cell(input)).toBe(want));

  it.each([
    ['plain', '`plain`'],
    ['a `b` c', '``a `b` c``'],
    ['has `tick`', '`` has `tick` ``'],
  ])('quotes %j as code', (input, want) => expect(code(input)).toBe(want));

  it('keeps commands readable in a cell: pipes escaped, no entities', () => {
    expect(codeCell('make 2>&1 | tee log')).toBe('`make 2>&1 \\| tee log`');
  });

  it.each([
    [0, '0 ms'],
    [999, '999 ms'],
    [1500, '1.5 s'],
    [61_000, '1 min 1 s'],
    [3_720_000, '1 h 2 min'],
  ])('formats %i ms as %s', (ms, want) => expect(formatDuration(ms)).toBe(want));
});
