import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import Inbox from '../src/features/inbox/Inbox.svelte';
import { backend } from './backend';
import { counts, detail, doc, listing, settings } from './fixtures';

// Scrolling the inbox moves a fixed set of row elements and gives them new text: a frame of the
// keyboard's scroll makes and drops no element (each one made and dropped cost the webview time
// and memory the collector kept).

function shell(n: number) {
  const docs = Array.from({ length: n }, (_, i) => doc(i + 1));
  const byId = new Map(docs.map((d) => [d.id, d]));
  return backend({
    settings_get: settings(),
    inbox_painted: null,
    tab_counts: counts(),
    document_bytes: new ArrayBuffer(0),
    document_history: [],
    verify_history: { entries: 0, intact: true, firstBroken: null },
    ...listing(docs),
    get_document: ({ id }: Record<string, unknown>) => detail(byId.get(id as number)!)
  });
}

const listbox = () => screen.getByRole('listbox', { name: 'Список документов' });
const rows = () => within(listbox()).getAllByRole('option');
const shown = (i: number) => listbox().querySelector(`#row-${i} .document-row-meta`)?.textContent ?? '';

describe('Inbox scrolling', () => {
  it('shows the rows scrolled to in the same row elements, each saying where it is in the list', async () => {
    shell(1_000);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const before = new Set(rows());
    expect(rows()[0].getAttribute('aria-posinset')).toBe('1');
    expect(rows()[0].getAttribute('aria-setsize')).toBe('1000');

    const list = listbox();
    list.scrollTop = 56 * 150;
    await fireEvent.scroll(list);
    await waitFor(() => expect(shown(150)).toContain('№ R-151 ·'));
    const after = rows();
    expect(after.every((r) => before.has(r))).toBe(true);
    expect(after).toHaveLength(before.size);
    const row = listbox().querySelector('#row-150')!;
    expect(row.getAttribute('aria-posinset')).toBe('151');
    expect(row.getAttribute('style')).toContain(`translateY(${56 * 150}px)`);
  });

  it('PageDown moves the active row and the view with it, in the same row elements', async () => {
    shell(1_000);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const before = new Set(rows());
    listbox().focus();
    await userEvent.keyboard('{Home}');
    for (let i = 0; i < 5; i++) await userEvent.keyboard('{PageDown}');
    expect(listbox().getAttribute('aria-activedescendant')).toBe('row-50');
    await waitFor(() => expect(shown(50)).toContain('№ R-51 ·'));
    expect(listbox().querySelector('#row-50')!.getAttribute('aria-selected')).toBe('true');
    // The view followed: the list is scrolled so that row 50 is its last one in view.
    expect(listbox().scrollTop).toBe(51 * 56 - 600);
    expect(rows().every((r) => before.has(r))).toBe(true);
  });
});
