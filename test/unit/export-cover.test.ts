// SPDX-License-Identifier: GPL-2.0-only
import { blurbWithRangeDiff, parseCoverText, RANGE_DIFF_HEADING } from '../../src/lib/export/cover.js';

const RD = '1:  aaa ! 1:  bbb mm: one\n    @@ foo\n2:  ccc = 2:  ddd dax: two';

describe('blurbWithRangeDiff', () => {
  it.each([
    ['appends the range-diff after the blurb', 'Intro.\n\nMore.', RD, `Intro.\n\nMore.\n\n${RANGE_DIFF_HEADING}v6.1 series:\n\n${RD}`],
    ['keeps the blurb alone without a range-diff', 'Intro.', null, 'Intro.'],
    ['treats a blank range-diff as none', 'Intro.', '  \n', 'Intro.'],
    ['gives the range-diff alone for an empty blurb', '', RD, `${RANGE_DIFF_HEADING}v6.1 series:\n\n${RD}`],
  ])('%s', (_name, blurb, rd, want) => {
    expect(blurbWithRangeDiff(blurb, 'v6.1', rd)).toBe(want);
  });

  it('replaces the range-diff an earlier export left, instead of stacking them', () => {
    const once = blurbWithRangeDiff('Intro.', 'v6.1', RD);
    const twice = blurbWithRangeDiff(once, 'v6.1', '1:  x = 1:  y mm: one');
    expect(twice).toBe(`Intro.\n\n${RANGE_DIFF_HEADING}v6.1 series:\n\n1:  x = 1:  y mm: one`);
    expect(blurbWithRangeDiff(once, 'v6.1', null)).toBe('Intro.');
  });
});

describe('parseCoverText', () => {
  it.each([
    ['subject and blurb', 'A subject\n\nBody line 1.\nBody 2.\n', { subject: 'A subject', blurb: 'Body line 1.\nBody 2.' }],
    ['a Subject: header', 'Subject: X\n\nY', { subject: 'X', blurb: 'Y' }],
    ['only a subject', 'X\n', { subject: 'X', blurb: '' }],
    ['CRLF', 'X\r\n\r\nY\r\n', { subject: 'X', blurb: 'Y' }],
    ['no blank line after the subject', 'X\nY', null],
    ['an empty file', '', null],
  ])('%s', (_n, text, want) => {
    expect(parseCoverText(text)).toEqual(want);
  });
});
