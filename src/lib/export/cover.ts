// SPDX-License-Identifier: GPL-2.0-only
/**
 * Carrying a cover letter over to a refreshed series: the subject and blurb of the source
 * series' cover letter replace git format-patch's placeholders. Pure.
 */
import type { PatchFile } from '../series/patch-file.js';

export const SUBJECT_PLACEHOLDER = '*** SUBJECT HERE ***';
export const BLURB_PLACEHOLDER = '*** BLURB HERE ***';

/** The free text of a cover letter: everything before git's shortlog ("Name (N):"). */
export function coverBlurb(cover: PatchFile): string {
  const lines = cover.message.split('\n');
  const shortlog = lines.findIndex((l, i) => /^\S.* \(\d+\):$/.test(l) && /^ {2}\S/.test(lines[i + 1] ?? ''));
  const body = (shortlog >= 0 ? lines.slice(0, shortlog) : lines).join('\n').trim();
  return body === BLURB_PLACEHOLDER ? '' : body;
}

/** The cover letter subject without its [PATCH 0/N] prefix. */
export const coverSubject = (cover: PatchFile) => (cover.subject.summary === SUBJECT_PLACEHOLDER ? '' : cover.subject.summary);

/** Replaces the placeholders of a format-patch cover letter; adds MIME headers when the new text is not ASCII. */
export function fillCoverLetter(text: string, subject: string, blurb: string): string {
  let out = text.replace(SUBJECT_PLACEHOLDER, subject || SUBJECT_PLACEHOLDER).replace(BLURB_PLACEHOLDER, blurb || BLURB_PLACEHOLDER);
  // eslint-disable-next-line no-control-regex
  const nonAscii = /[^\x00-\x7f]/.test(subject + blurb);
  const headEnd = out.indexOf('\n\n');
  if (nonAscii && headEnd > 0 && !/^Content-Type:/im.test(out.slice(0, headEnd))) {
    out = `${out.slice(0, headEnd)}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit${out.slice(headEnd)}`;
  }
  return out;
}

/** A cover letter text file: the subject on the first line, a blank line, then the blurb. */
export function parseCoverText(text: string): { subject: string; blurb: string } | null {
  const [first, ...rest] = text.replace(/\r\n/g, '\n').split('\n');
  const subject = (first ?? '').replace(/^Subject:\s*/i, '').trim();
  if (!subject || (rest.length && rest[0].trim() !== '')) return null;
  return { subject, blurb: rest.join('\n').trim() };
}

export const RANGE_DIFF_HEADING = 'Range-diff against the ';

/**
 * The blurb of a series carried to a new base: any range-diff section an earlier export
 * left in it is dropped, and the range-diff against the series it came from is added.
 */
export function blurbWithRangeDiff(blurb: string, fromSeries: string, rangeDiff: string | null): string {
  const i = blurb.indexOf(`\n${RANGE_DIFF_HEADING}`);
  const own = (i >= 0 ? blurb.slice(0, i) : blurb.startsWith(RANGE_DIFF_HEADING) ? '' : blurb).trimEnd();
  if (!rangeDiff || !rangeDiff.trim()) return own;
  const section = `${RANGE_DIFF_HEADING}${fromSeries} series:\n\n${rangeDiff.trimEnd()}`;
  return own ? `${own}\n\n${section}` : section;
}
