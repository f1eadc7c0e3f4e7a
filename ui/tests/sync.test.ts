import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import SyncButton from '../src/features/outbox/SyncButton.svelte';
import { backend, failure, settled } from './backend';
import { settings } from './fixtures';

const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: null, sellerKind: 'bin' as const, sellerName: null, syncedAt: null };
const report = (added: number[]) => ({
  progress: { seen: added.length, downloaded: added.length, bytes: 0 },
  added,
  revoked: [],
  decidedElsewhere: [],
  sent: 0,
  events: 0,
  duplicateEvents: 0,
  listed: false
});

describe('Sync beside the inbox', () => {
  it('with an account, syncs once when the window opens and tells the inbox what arrived', async () => {
    const b = backend({ settings_get: settings({ account }), sync_now: report([1, 2, 3]) });
    const seen: number[] = [];
    const first = render(SyncButton, { onsynced: (n: number) => seen.push(n) });
    await waitFor(() => expect(seen).toEqual([3]));
    first.unmount();
    // Back to the inbox from another screen: no second sync by itself.
    render(SyncButton, { onsynced: (n: number) => seen.push(n) });
    await userEvent.click(await screen.findByRole('button', { name: 'Синхронизировать' }));
    await waitFor(() => expect(seen).toEqual([3, 3]));
    expect(b.called('sync_now')).toHaveLength(2);
  });

  it('without an account shows nothing and syncs nothing', async () => {
    let answered = false;
    const b = backend({
      settings_get: () => {
        answered = true;
        return settings();
      }
    });
    render(SyncButton);
    await waitFor(() => expect(answered).toBe(true));
    // Only once the answer (no account) has been acted on does "nothing" mean anything.
    await settled();
    expect(screen.queryByRole('button', { name: 'Синхронизировать' })).toBeNull();
    expect(b.called('sync_now')).toHaveLength(0);
  });

  it('an unreachable operator is said in plain words, and Retry syncs again', async () => {
    let fail = true;
    const b = backend({
      settings_get: settings({ account }),
      sync_now: () => (fail ? failure('operator_unreachable', 'Оператор ЭДО недоступен: проверьте подключение к интернету', true) : report([]))
    });
    render(SyncButton);
    expect(await screen.findByText('Оператор ЭДО недоступен: проверьте подключение к интернету', { exact: false })).toBeTruthy();
    fail = false;
    const retry = screen.getAllByRole('button').find((e) => e.textContent !== 'Синхронизировать')!;
    await userEvent.click(retry);
    await waitFor(() => expect(b.called('sync_now')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByText('Оператор ЭДО недоступен', { exact: false })).toBeNull());
  });
});
