import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_XML_DEPTH, readXml } from '../src/features/document/xmlTree';

afterEach(() => vi.restoreAllMocks());

describe('The XML viewer follows the core: no DOCTYPE is ever parsed, no entity expanded', () => {
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Act><Number>&lol2;</Number></Act>`;

  it('shows a file with a DOCTYPE as plain text without handing it to DOMParser', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    const r = readXml(laughs);
    expect(r).toEqual({ ok: false, text: laughs });
    expect(parse).not.toHaveBeenCalled();
  });

  it('also when the declaration hides behind other case or an entity alone', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    expect(readXml('<!doctype a><a/>').ok).toBe(false);
    expect(readXml('<a><!ENTITY x "y"></a>').ok).toBe(false);
    expect(parse).not.toHaveBeenCalled();
  });

  it('still reads an ordinary act as a tree', () => {
    const r = readXml('<?xml version="1.0" encoding="UTF-8"?><Act><Number>OZ-1</Number></Act>');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.root.children[0]).toMatchObject({ name: 'Number', text: 'OZ-1' });
  });

  it('shows a tree nested deeper than the core accepts as text instead of recursing', () => {
    const deep = '<a>'.repeat(MAX_XML_DEPTH + 10) + '</a>'.repeat(MAX_XML_DEPTH + 10);
    expect(readXml(deep)).toEqual({ ok: false, text: deep });
  });
});
