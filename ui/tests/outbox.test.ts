import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem, SyncStatus } from '../src/api/types';
import OutboxView from '../src/features/outbox/OutboxView.svelte';
import { backend, failure } from './backend';

const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: '987654321098', sellerKind: 'bin' as const, sellerName: 'ИП Продавец', syncedAt: null };
const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  syncing: false,
  lastSyncedAt: '2026-11-01T09:05:00Z',
  account,
  ...over
});
const item = (id: number, over: Partial<OutboxItem> = {}): OutboxItem => ({
  id,
  documentId: id,
  documentTitle: 'Отчёт о реализации товара',
  documentNumber: `R-${id}`,
  kind: 'signature',
  state: 'pending',
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  createdAt: '2026-11-01T09:05:00Z',
  ...over
});

describe('Outbox and sync', () => {
  it('lists what waits to be sent and why', async () => {
    backend({
      outbox: [
        item(1, { state: 'failed', attempts: 3, lastError: 'Оператор ответил 503: сервис недоступен', nextAttemptAt: '2026-11-01T10:00:00Z' }),
        item(2, { kind: 'rejection' })
      ],
      sync_status: status({ online: false })
    });
    render(OutboxView);
    const items = await screen.findAllByRole('listitem');
    expect(within(items[0]).getByText('Ошибка отправки · Попыток: 3')).toBeTruthy();
    expect(within(items[0]).getByText('Причина: Оператор ответил 503: сервис недоступен')).toBeTruthy();
    expect(within(items[0]).getByText(/Следующая попытка: 01\.11\.2026/)).toBeTruthy();
    expect(within(items[1]).getByText('Отклонение', { exact: false })).toBeTruthy();
    expect(within(items[1]).getByText('Причина: Нет связи с оператором')).toBeTruthy();
  });

  it('says the queue is empty and when the last sync was', async () => {
    backend({ outbox: [], sync_status: status() });
    render(OutboxView);
    expect(await screen.findByText('Очередь пуста: всё отправлено')).toBeTruthy();
    expect(screen.getByText(/Последняя синхронизация: 01\.11\.2026/)).toBeTruthy();
  });

  it('Sync now shows progress and the result', async () => {
    let finish: (v: unknown) => void = () => {};
    const b = backend({ outbox: [], sync_status: status(), sync_now: () => new Promise((r) => (finish = r)) });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Синхронизировать' }));
    expect(screen.getByRole('button', { name: 'Синхронизация…' })).toHaveProperty('disabled', true);
    await b.emit('sync_progress', { seen: 12, downloaded: 5, bytes: 1000 });
    expect(await screen.findByText('Найдено: 12, загружено: 5')).toBeTruthy();
    finish({ progress: { seen: 12, downloaded: 12, bytes: 0 }, added: [1, 2, 3], revoked: [], decidedElsewhere: [], sent: 2, events: 12, duplicateEvents: 0, listed: false });
    expect(await screen.findByText('Готово: 3 новых документа, отправлено 2 решения')).toBeTruthy();
  });

  it('an unreachable operator is an error with a retry', async () => {
    backend({ outbox: [], sync_status: status(), sync_now: () => failure('operator_unreachable', 'Нет связи с оператором ЭДО: проверьте интернет', true) });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Синхронизировать' }));
    expect(await screen.findByText('Нет связи с оператором ЭДО: проверьте интернет')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Повторить' })).toBeTruthy();
  });

  it('without an account there is nothing to sync', async () => {
    backend({ outbox: [], sync_status: status({ account: null, lastSyncedAt: null }) });
    render(OutboxView);
    expect(await screen.findByText('Учётная запись оператора не подключена: синхронизировать нечего.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Синхронизировать' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Отправить' })).toBeNull();
    expect(screen.getByText('Последняя синхронизация: ещё не было')).toBeTruthy();
  });

  it('a link-only user sends a waiting decision without an account and sees it delivered', async () => {
    let queue = [item(7, { documentTitle: 'Акт компенсации за октябрь' })];
    const line = { documentId: 7, title: 'Акт компенсации за октябрь' };
    const b = backend({
      outbox: () => queue,
      sync_status: status({ account: null, lastSyncedAt: null }),
      send_outbox: () => {
        queue = [];
        return {
          sent: [{ ...line, message: 'принято оператором на проверку' }],
          delivered: [{ ...line, message: 'оператор проверил подпись' }],
          failed: [],
          waiting: []
        };
      }
    });
    render(OutboxView);
    expect(await screen.findByText('Ждёт отправки · Попыток: 0')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Синхронизировать' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Отправить' }));
    expect(b.called('send_outbox')).toHaveLength(1);
    const report = await screen.findByTestId('send-report');
    // Sent and verified in the same run: one line, delivered.
    expect(within(report).getAllByRole('listitem')).toHaveLength(1);
    expect(within(report).getByText('Доставлен')).toBeTruthy();
    expect(within(report).getByText(/Акт компенсации за октябрь/)).toBeTruthy();
    expect(await screen.findByText('Очередь пуста: всё отправлено')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Отправить' })).toBeNull();
  });

  it('with an account, Send shows what went and what still waits, and a failed send can be retried', async () => {
    let n = 0;
    const b = backend({
      outbox: [item(8), item(9)],
      sync_status: status(),
      send_outbox: () =>
        n++ === 0
          ? failure('operator_unreachable', 'Нет связи с оператором ЭДО: проверьте интернет', true)
          : {
              sent: [{ documentId: 8, title: 'Отчёт № 8', message: 'принято оператором на проверку' }],
              delivered: [],
              failed: [],
              waiting: [{ documentId: 9, title: 'Отчёт № 9', message: 'сервис недоступен (повтор после 10:00)' }]
            }
    });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Отправить' }));
    expect(screen.getByRole('button', { name: 'Синхронизировать' })).toBeTruthy();
    expect(await screen.findByText('Нет связи с оператором ЭДО: проверьте интернет')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    const report = await screen.findByTestId('send-report');
    const rows = within(report).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Отправлен: Отчёт № 8 — принято оператором на проверку',
      'Ждёт отправки: Отчёт № 9 — сервис недоступен (повтор после 10:00)'
    ]);
    expect(b.called('send_outbox')).toHaveLength(2);
  });

  it('a failure to read the outbox can be retried', async () => {
    let n = 0;
    backend({ outbox: () => (n++ === 0 ? failure('storage', 'База данных занята', true) : []), sync_status: status() });
    render(OutboxView);
    await userEvent.click(await screen.findByRole('button', { name: 'Повторить' }));
    expect(await screen.findByText('Очередь пуста: всё отправлено')).toBeTruthy();
  });

  it('a failed item can be sent again at once', async () => {
    let failed = true;
    const b = backend({
      outbox: () => (failed ? [item(4, { state: 'failed', attempts: 5, lastError: 'Оператор отклонил запрос' }), item(5)] : [item(4)]),
      sync_status: status(),
      retry_sending: () => {
        failed = false;
        return null;
      }
    });
    render(OutboxView);
    const buttons = await screen.findAllByRole('button', { name: 'Отправить повторно' });
    expect(buttons).toHaveLength(1);
    await userEvent.click(buttons[0]);
    expect(b.called('retry_sending')[0].args).toEqual({ id: 4 });
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Отправить повторно' })).toBeNull());
    expect(screen.getByText('Ждёт отправки · Попыток: 0')).toBeTruthy();
  });
});
