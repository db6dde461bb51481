// SPDX-License-Identifier: GPL-2.0-only
/**
 * A small, strict XML reader for tests: enough of XML 1.0 to read back what the JUnit
 * writer produced, and to refuse what a real parser would refuse (unbalanced tags,
 * a bare '<' or '&', unknown entities, characters XML cannot carry, duplicate attributes).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its children's text excluded), entities decoded. */
  text: string;
}

export class XmlError extends Error {}

// eslint-disable-next-line no-control-regex
const INVALID = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /^[A-Za-z_][\w.-]*/;

function decode(s: string, at: number): string {
  return s.replace(/&([^;\s&]*);|&/g, (_m, ent: string | undefined) => {
    if (ent === undefined) throw new XmlError(`bare '&' near offset ${at}`);
    if (ent === 'amp') return '&';
    if (ent === 'lt') return '<';
    if (ent === 'gt') return '>';
    if (ent === 'quot') return '"';
    if (ent === 'apos') return "'";
    const num = /^#(x[0-9a-fA-F]+|\d+)$/.exec(ent);
    if (!num) throw new XmlError(`unknown entity &${ent}; near offset ${at}`);
    const code = num[1].startsWith('x') ? parseInt(num[1].slice(1), 16) : Number(num[1]);
    const ch = String.fromCodePoint(code);
    if (INVALID.test(ch)) throw new XmlError(`character reference &${ent}; is not allowed in XML 1.0`);
    return ch;
  });
}

export function parseXml(doc: string): XmlElement {
  const bad = INVALID.exec(doc);
  if (bad) throw new XmlError(`character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML 1.0 (offset ${bad.index})`);
  let i = 0;
  const rest = () => doc.slice(i);
  const skipWs = () => {
    while (i < doc.length && /\s/.test(doc[i])) i++;
  };
  if (doc.startsWith('<?xml')) {
    const end = doc.indexOf('?>');
    if (end < 0) throw new XmlError('unterminated XML declaration');
    i = end + 2;
  }
  skipWs();

  function element(): XmlElement {
    if (doc[i] !== '<') throw new XmlError(`expected '<' at offset ${i}`);
    i++;
    const name = NAME.exec(rest())?.[0];
    if (!name) throw new XmlError(`bad element name at offset ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      skipWs();
      if (rest().startsWith('/>')) {
        i += 2;
        return el;
      }
      if (doc[i] === '>') {
        i++;
        break;
      }
      const an = NAME.exec(rest())?.[0];
      if (!an) throw new XmlError(`bad attribute at offset ${i} in <${name}>`);
      i += an.length;
      skipWs();
      if (doc[i] !== '=') throw new XmlError(`expected '=' after ${an} in <${name}>`);
      i++;
      skipWs();
      const q = doc[i];
      if (q !== '"' && q !== "'") throw new XmlError(`unquoted attribute ${an} in <${name}>`);
      const end = doc.indexOf(q, i + 1);
      if (end < 0) throw new XmlError(`unterminated attribute ${an} in <${name}>`);
      const raw = doc.slice(i + 1, end);
      if (raw.includes('<')) throw new XmlError(`'<' in attribute ${an} of <${name}>`);
      if (an in el.attrs) throw new XmlError(`duplicate attribute ${an} in <${name}>`);
      // Literal whitespace in attributes is normalised to spaces by XML parsers.
      el.attrs[an] = decode(raw.replace(/[\t\n\r]/g, ' '), i);
      i = end + 1;
    }
    for (;;) {
      const lt = doc.indexOf('<', i);
      if (lt < 0) throw new XmlError(`<${name}> is never closed`);
      el.text += decode(doc.slice(i, lt), i);
      i = lt;
      if (rest().startsWith('</')) {
        i += 2;
        const close = NAME.exec(rest())?.[0];
        if (close !== name) throw new XmlError(`</${close}> closes <${name}> at offset ${i}`);
        i += close.length;
        skipWs();
        if (doc[i] !== '>') throw new XmlError(`bad closing tag </${close}>`);
        i++;
        return el;
      }
      if (rest().startsWith('<!--')) {
        const end = doc.indexOf('-->', i);
        if (end < 0) throw new XmlError('unterminated comment');
        i = end + 3;
        continue;
      }
      el.children.push(element());
    }
  }

  const root = element();
  skipWs();
  if (i !== doc.length) throw new XmlError(`content after the root element at offset ${i}`);
  return root;
}

/** Child elements named `name`. */
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
