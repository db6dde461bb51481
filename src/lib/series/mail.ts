// SPDX-License-Identifier: GPL-2.0-only
/**
 * Mail and mbox parsing for patch files: splitting an mbox into messages, unfolding and
 * decoding headers (RFC 2047), decoding bodies (quoted-printable, base64). Pure.
 */

export interface MailMessage {
  /** The commit id of format-patch's "From <sha> Mon Sep 17 00:00:00 2001" line, or null. */
  fromLineCommit: string | null;
  /** Headers in order, names as written, values unfolded and decoded. */
  headers: Array<{ name: string; value: string }>;
  /** The body, decoded, with "\n" line ends. */
  body: string;
  /** 1-based line of the first header line in the original text. */
  startLine: number;
  /** 1-based line of the first body line in the original text. */
  bodyLine: number;
}

export interface Person {
  name: string;
  email: string;
}

const MBOX_FROM_RE = /^From (\S+) +\w{3} \w{3} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}$/;
const HEADER_RE = /^([!-9;-~]+):[ \t]?(.*)$/;

/** Splits an mbox (or a single mail, or a bare diff) into its messages' texts and start lines. */
export function splitMbox(text: string): Array<{ text: string; startLine: number }> {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (MBOX_FROM_RE.test(l)) starts.push(i);
  });
  if (!starts.length) return [{ text: lines.join('\n'), startLine: 1 }];
  if (lines.slice(0, starts[0]).some((l) => l.trim())) starts.unshift(0);
  return starts.map((s, k) => ({ text: lines.slice(s, starts[k + 1] ?? lines.length).join('\n'), startLine: s + 1 }));
}

/** Decodes RFC 2047 encoded words ("=?UTF-8?q?J=C3=B6rg?="); whitespace between adjacent encoded words is dropped. */
export function decodeHeaderValue(value: string): string {
  const re = /=\?([^?]+)\?([qQbB])\?([^?]*)\?=/g;
  if (!re.test(value)) return value;
  const collapsed = value.replace(/(=\?[^?]+\?[qQbB]\?[^?]*\?=)\s+(?==\?)/g, '$1');
  return collapsed.replace(re, (_m, charset: string, enc: string, data: string) => {
    let bytes: Buffer;
    if (enc.toLowerCase() === 'b') bytes = Buffer.from(data, 'base64');
    else bytes = qpBytes(data.replace(/_/g, ' '), false);
    return decodeCharset(bytes, charset);
  });
}

function decodeCharset(bytes: Buffer, charset: string): string {
  const cs = charset.toLowerCase().replace(/\*.*$/, '');
  if (cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii') return bytes.toString('utf8');
  if (cs === 'iso-8859-1' || cs === 'latin1') return bytes.toString('latin1');
  try {
    return new TextDecoder(cs).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function qpBytes(s: string, softBreaks: boolean): Buffer {
  const text = softBreaks ? s.replace(/=\n/g, '') : s;
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(out);
}

/** Parses "Name <email>", "<email>", "email (Name)" or a bare address. */
export function parsePerson(value: string): Person {
  const v = value.trim();
  const angle = /^(.*?)\s*<([^>]*)>\s*$/.exec(v);
  if (angle) return { name: angle[1].replace(/^"(.*)"$/, '$1').trim(), email: angle[2].trim() };
  const paren = /^(\S+@\S+)\s*\((.*)\)$/.exec(v);
  if (paren) return { name: paren[2].trim(), email: paren[1] };
  return { name: '', email: v };
}

export const formatPerson = (p: Person) => (p.name ? `${p.name} <${p.email}>` : `<${p.email}>`);

/** Parses one message: optional mbox "From " line, headers, blank line, body. A bare diff has no headers. */
export function parseMessage(text: string, startLine = 1): MailMessage {
  const lines = text.split('\n');
  let i = 0;
  let fromLineCommit: string | null = null;
  const m = MBOX_FROM_RE.exec(lines[0] ?? '');
  if (m) {
    fromLineCommit = /^[0-9a-f]{7,64}$/.test(m[1]) ? m[1] : null;
    i = 1;
  }
  const headers: Array<{ name: string; value: string }> = [];
  const headerStart = i;
  if (HEADER_RE.test(lines[i] ?? '') && !/^diff --git /.test(lines[i])) {
    while (i < lines.length && lines[i] !== '') {
      const line = lines[i];
      if (/^[ \t]/.test(line) && headers.length) {
        headers[headers.length - 1].value += ` ${line.trim()}`;
      } else {
        const h = HEADER_RE.exec(line);
        if (!h) break;
        headers.push({ name: h[1], value: h[2] });
      }
      i++;
    }
    if (lines[i] === '') i++;
  }
  for (const h of headers) h.value = decodeHeaderValue(h.value.trim());
  let body = lines.slice(i).join('\n');
  const cte = headers.find((h) => h.name.toLowerCase() === 'content-transfer-encoding')?.value.toLowerCase();
  const charset = /charset="?([^";\s]+)"?/i.exec(headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '')?.[1] ?? 'utf-8';
  if (cte === 'quoted-printable') body = decodeCharset(qpBytes(body, true), charset);
  else if (cte === 'base64') body = decodeCharset(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  return { fromLineCommit, headers, body, startLine: startLine + headerStart, bodyLine: startLine + i };
}

export function header(msg: MailMessage, name: string): string | undefined {
  const n = name.toLowerCase();
  return msg.headers.find((h) => h.name.toLowerCase() === n)?.value;
}
