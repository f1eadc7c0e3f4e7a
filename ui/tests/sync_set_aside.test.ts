import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SyncReport, SyncStatus } from '../src/api/types';
import OutboxView from '../src/features/outbox/OutboxView.svelte';
import SyncButton from '../src/features/outbox/SyncButton.svelte';
import { backend } from './backend';
import { settings } from './fixtures';

const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: null, sellerKind: 'bin' as const, sellerName: null, syncedAt: null };
const status = (): SyncStatus => ({ online: true, syncing: false, lastSyncedAt: null, account });
const report = (setAside: SyncReport['setAside']): SyncReport => ({
  progress: { seen: 40, downloaded: 39, bytes: 0 },
  added: Array.from({ length: 39 }, (_, i) => i + 1),
  revoked: [],
  decidedElsewhere: [],
  setAside,
  sent: 0,
  events: 0,
  duplicateEvents: 0,
  listed: true
});
const bad = {
  operatorId: 'doc_load_0004',
  code: 'operator_rejected' as const,
  reason: 'Файл «4.pdf» документа doc_load_0004 пришёл повреждённым: размер или SHA-256 не совпадает с заявленным оператором; документ не сохранён'
};

describe('A document that cannot be taken is set aside, and the sync says so', () => {
  it('the outbox screen lists each set-aside document with its reason after a sync', async () => {
    backend({ outbox: [], sync_status: status(), sync_now: report([bad]) });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Синхронизировать' }));
    const alert = await screen.findByTestId('set-aside');
    expect(alert.textContent).toContain('1 документ отложен');
    expect(alert.textContent).toContain('doc_load_0004: Файл «4.pdf»');
    expect(screen.getByText('Готово: 39 новых документов, отправлено 0 решений')).toBeTruthy();
  });

  it('the sync the window starts by itself reports set-aside documents beside the inbox', async () => {
    backend({ settings_get: settings({ account }), sync_now: report([bad, { ...bad, operatorId: 'doc_x' }]) });
    render(SyncButton);
    expect((await screen.findByTestId('sync-set-aside')).textContent).toContain('2 документа отложены');
  });

  it('says nothing of set-aside documents when every document arrived', async () => {
    backend({ outbox: [], sync_status: status(), sync_now: report([]) });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Синхронизировать' }));
    await screen.findByText('Готово: 39 новых документов, отправлено 0 решений');
    expect(screen.queryByTestId('set-aside')).toBeNull();
  });
});
