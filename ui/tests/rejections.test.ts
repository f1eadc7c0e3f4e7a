import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DocumentQuery } from '../src/api/types';
import { inTab } from '../src/api/types';
import StatusBadge from '../src/components/StatusBadge.svelte';
import Inbox from '../src/features/inbox/Inbox.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend } from './backend';
import { counts, detail, doc, page, settings } from './fixtures';

const xml = new TextEncoder().encode('<r><x>1</x></r>').buffer;

// What core answers for the «Отклонённые» tab: a rejection not signed yet, one signed and
// waiting in the outbox, one delivered.
const rejections = [
  doc(1, { status: 'rejected', decision: 'reject', rejectReason: 'Ошибка в сумме' }),
  doc(2, { status: 'queued', decision: 'reject', rejectReason: 'Не тот период' }),
  doc(3, { status: 'delivered', decision: 'reject', rejectReason: 'Не тот период' })
];

function shell() {
  const byId = new Map(rejections.map((d) => [d.id, d]));
  return backend({
    settings_get: settings(),
    tab_counts: counts(),
    document_bytes: xml,
    document_history: [],
    verify_history: { entries: 0, intact: true, firstBroken: null },
    count_documents: 1,
    list_documents: ({ query }: Record<string, unknown>) =>
      (query as DocumentQuery).tab === 'rejected' ? page(rejections) : page([]),
    get_document: ({ id }: Record<string, unknown>) => detail(byId.get(id as number)!)
  });
}

const rows = () => within(screen.getByRole('listbox', { name: 'Список документов' })).getAllByRole('option');

describe('A signed rejection', () => {
  it('stays in «Отклонённые» and reads «Подписан (отказ)», not «Подписан»', async () => {
    const b = shell();
    render(Inbox);
    await userEvent.click(await screen.findByRole('tab', { name: /Отклонённые/ }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect((b.called('list_documents').at(-1)!.args.query as DocumentQuery).tab).toBe('rejected');
    const labels = rows().map((r) => r.querySelector('.status')!.textContent);
    expect(labels).toEqual(['Отклонён', 'Подписан (отказ)', 'Доставлен (отказ)']);
  });

  it('is labelled in Kazakh and English too, and an acceptance keeps its plain label', () => {
    const { unmount } = render(StatusBadge, { status: 'queued', decision: 'reject' });
    expect(screen.getByText('Подписан (отказ)')).toBeTruthy();
    unmount();
    setLang('kk');
    const kk = render(StatusBadge, { status: 'queued', decision: 'reject' });
    expect(screen.getByText('Қол қойылды (бас тарту)')).toBeTruthy();
    kk.unmount();
    setLang('en');
    const en = render(StatusBadge, { status: 'sent', decision: 'reject' });
    expect(screen.getByText('Sent (rejected)')).toBeTruthy();
    en.unmount();
    render(StatusBadge, { status: 'queued', decision: 'accept' });
    expect(screen.getByText('Queued for sending')).toBeTruthy();
  });

  it('belongs to the rejected tab only while it is a rejection', () => {
    expect(inTab('rejected', { status: 'sent', decision: 'reject' })).toBe(true);
    expect(inTab('rejected', { status: 'sent', decision: 'accept' })).toBe(false);
    expect(inTab('rejected', { status: 'send_failed', decision: 'reject' })).toBe(false);
    expect(inTab('sent', { status: 'sent', decision: 'reject' })).toBe(true);
  });
});
