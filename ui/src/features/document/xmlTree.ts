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

function toNode(el: Element): XmlNode {
  const children: XmlNode[] = [];
  let text = '';
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 1) children.push(toNode(child as Element));
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

export function readXml(source: string): XmlReading {
  const doc = new DOMParser().parseFromString(source, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0 || !doc.documentElement) {
    return { ok: false, text: source };
  }
  return { ok: true, root: toNode(doc.documentElement) };
}
