/**
 * Just enough XML reading for JUnit reports inside logs, without a dependency: finds
 * elements and their attributes, skips comments, CDATA and declarations (so text a test
 * printed into `<system-out><![CDATA[…]]>` is never read as markup), decodes entities.
 */

export interface XmlTag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: Map<string, string>;
  /** Index just past the tag in the scanned text. */
  end: number;
}

const TOKEN = new RegExp(
  [
    /<!--[\s\S]*?-->/.source, // comment
    /<!\[CDATA\[[\s\S]*?\]\]>/.source, // CDATA section
    /<[?!][^>]*>/.source, // declaration or processing instruction
    // element tag: closing slash, name, attributes, self-closing slash
    /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.source,
  ].join('|'),
);
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITY = /&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, hex?: string, dec?: string, named?: string) => {
    if (named) return NAMED[named] ?? whole;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function readAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1] ?? '', decodeEntities(match[2] ?? match[3] ?? ''));
  }
  return attributes;
}

/** The tags from `from` on, in order; text, comments, CDATA and declarations are passed over. */
export function* xmlTags(text: string, from: number): Generator<XmlTag> {
  // A fresh RegExp per scan: the global one's lastIndex must not be shared.
  const token = new RegExp(TOKEN.source, 'g');
  token.lastIndex = from;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    const [, slash, name, attributes, selfClosing] = match;
    if (!name) continue;
    yield {
      name,
      closing: slash === '/',
      selfClosing: selfClosing === '/',
      attributes: readAttributes(attributes ?? ''),
      end: token.lastIndex,
    };
  }
}
