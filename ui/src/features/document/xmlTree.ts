// XML made readable without markup injection: parsed with DOMParser, turned into plain data
// that components render as text nodes (never innerHTML).

export interface XmlNode {
  name: string;
  attributes: [string, string][];
  /** The element's own text, trimmed; empty when it only holds elements. */
  text: string;
  children: XmlNode[];
}

export type XmlReading = { ok: true; root: XmlNode } | { ok: false; text: string };

/** Deeper than the core accepts at import or sync: such a tree is shown as plain text. */
export const MAX_XML_DEPTH = 256;

class TooDeep extends Error {}

function toNode(el: Element, depth = 0): XmlNode {
  if (depth > MAX_XML_DEPTH) throw new TooDeep();
  const children: XmlNode[] = [];
  let text = '';
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 1) children.push(toNode(child as Element, depth + 1));
    else if (child.nodeType === 3 || child.nodeType === 4) text += child.nodeValue ?? '';
  }
  return {
    name: el.localName,
    attributes: Array.from(el.attributes).map((a) => [a.name, a.value]),
    text: text.trim(),
    children
  };
}

/** Decodes bytes by the XML declaration's encoding (UTF-8 when absent or unknown). */
export function decodeXml(bytes: ArrayBuffer): string {
  const head = new TextDecoder('latin1').decode(bytes.slice(0, 200));
  const m = /encoding=["']([A-Za-z0-9_-]+)["']/.exec(head);
  try {
    return new TextDecoder(m ? m[1] : 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * One XML policy with the core: a DOCTYPE (and with it any entity declaration) is never handed to
 * DOMParser, whose entity expansion would run in the page; such a file is shown as plain text.
 */
export function readXml(source: string): XmlReading {
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source)) return { ok: false, text: source };
  const doc = new DOMParser().parseFromString(source, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0 || !doc.documentElement) {
    return { ok: false, text: source };
  }
  try {
    return { ok: true, root: toNode(doc.documentElement) };
  } catch (e) {
    if (e instanceof TooDeep) return { ok: false, text: source };
    throw e;
  }
}
