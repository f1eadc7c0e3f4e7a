import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Notification, WaitingDocument } from '../src/api/types';
import NotificationBell from '../src/features/notifications/NotificationBell.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';
import { doc } from './fixtures';

const n = (id: number, over: Partial<Notification> = {}): Notification => ({
  id,
  category: 'error',
  documentId: null,
  message: `Сообщение ${id}`,
  createdAt: '2026-11-01T09:05:00Z',
  readAt: null,
  act: null,
  ...over
});

const waiting: WaitingDocument[] = [
  { document: doc(12, { kind: 'other_services_act', number: '12', status: 'accepted' }), days: 9 },
  { document: doc(13, { kind: 'sales_report', number: 'R-13', status: 'viewed' }), days: 21 },
  { document: doc(14, { kind: 'reconciliation_act', number: null }), days: 4 }
];

/** The bell asks for notifications, waiting documents and statistics deadlines: none unless said. */
const shell = (handlers: Record<string, unknown>) => backend({ waiting_documents: [], act_deadlines: [], ...handlers });

describe('Notification bell', () => {
  it('counts unread notifications and shows errors first', async () => {
    shell({
      notifications: [
        n(1, { message: 'Оператор отклонил подпись документа R-1', documentId: 1 }),
        n(2, { category: 'reminder', message: '3 документа ждут подписи больше 3 дней' }),
        n(3, { readAt: '2026-11-01T10:00:00Z' })
      ]
    });
    render(NotificationBell, { onopen: vi.fn() });
    const bell = await screen.findByRole('button', { name: 'Уведомления: непрочитанных 2' });
    await userEvent.click(bell);
    const panel = screen.getByRole('region', { name: 'Уведомления' });
    expect(within(panel).getByRole('tab', { name: 'Ошибки' }).getAttribute('aria-selected')).toBe('true');
    expect(within(panel).getByText('Оператор отклонил подпись документа R-1')).toBeTruthy();
    expect(within(panel).queryByText('3 документа ждут подписи больше 3 дней')).toBeNull();
    await userEvent.click(within(panel).getByRole('tab', { name: 'Напоминания' }));
    expect(within(panel).getByText('3 документа ждут подписи больше 3 дней')).toBeTruthy();
  });

  it('opens the document an error is about', async () => {
    shell({ notifications: [n(1, { documentId: 42 })] });
    const onopen = vi.fn();
    render(NotificationBell, { onopen });
    await userEvent.click(await screen.findByRole('button', { name: /Уведомления/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Открыть документ' }));
    expect(onopen).toHaveBeenCalledWith(42);
  });

  it('marks the shown ones read', async () => {
    let read = false;
    const b = shell({
      notifications: () => [n(1, { readAt: read ? '2026-11-01T10:00:00Z' : null })],
      mark_notifications_read: () => {
        read = true;
        return null;
      }
    });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Отметить прочитанными' }));
    expect(b.called('mark_notifications_read')[0].args).toEqual({ ids: [1] });
    expect(await screen.findByRole('button', { name: 'Уведомления' })).toBeTruthy();
  });

  it('empty tabs say so', async () => {
    shell({ notifications: [] });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления' }));
    expect(screen.getByText('Ошибок нет')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    expect(screen.getByText('Напоминаний нет')).toBeTruthy();
  });

  it('a notification the store returns with readAt is shown as read and not counted', async () => {
    shell({ notifications: [n(1, { message: 'Прочитанное', readAt: '2026-11-01T10:00:00Z' }), n(2, { message: 'Новое' })] });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 1' }));
    expect(screen.getByText('Прочитанное').closest('li')?.className).toBe('read');
    expect(screen.getByText('Новое').closest('li')?.className).toBe('unread');
  });
});

describe('Reminders of documents waiting for a decision or its signature', () => {
  it('lists each one in Reminders with its kind, number, what it waits for and days, and counts them in the badge', async () => {
    const b = shell({ notifications: [n(1, { message: 'Оператор отклонил подпись' })], waiting_documents: waiting });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 4' }));
    expect(b.called('waiting_documents')[0].args).toEqual({});
    expect(screen.queryByTestId('waiting-reminders')).toBeNull();
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    const list = screen.getByTestId('waiting-reminders');
    expect(within(list).getAllByRole('button').map((x) => x.textContent)).toEqual([
      'Акт выполненных работ (прочие услуги) № 12 ждёт подписи 9 дней',
      'Отчёт о реализации товара № R-13 ждёт решения 21 день',
      'Акт сверки взаиморасчётов за период ждёт решения 4 дня'
    ]);
    expect(screen.queryByText('Напоминаний нет')).toBeNull();
  });

  it('speaks English and Kazakh, with the plural of days', async () => {
    setLang('en');
    shell({ notifications: [], waiting_documents: [waiting[0], { ...waiting[1], days: 1 }] });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Notifications: 2 unread' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Reminders' }));
    const list = screen.getByTestId('waiting-reminders');
    expect(within(list).getAllByRole('button').map((x) => x.textContent)).toEqual([
      'Completed works act (other services) No. 12 has been waiting for signature for 9 days',
      'Product sales report No. R-13 has been waiting for a decision for 1 day'
    ]);
    setLang('kk');
    expect(await within(list).findByText('Тауарды өткізу туралы есеп № R-13: шешімді 1 күн күтуде')).toBeTruthy();
  });

  it('a click on a line opens that document and closes the panel', async () => {
    shell({ notifications: [], waiting_documents: waiting });
    const onopen = vi.fn();
    render(NotificationBell, { onopen });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 3' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    await userEvent.click(screen.getByRole('button', { name: 'Отчёт о реализации товара № R-13 ждёт решения 21 день' }));
    expect(onopen).toHaveBeenCalledWith(13);
    expect(screen.queryByRole('region', { name: 'Уведомления' })).toBeNull();
  });

  it('an empty list keeps the empty state', async () => {
    shell({ notifications: [], waiting_documents: [] });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    expect(screen.getByText('Напоминаний нет')).toBeTruthy();
    expect(screen.queryByTestId('waiting-reminders')).toBeNull();
  });

  it('when the list cannot be read the bell still works', async () => {
    const b = shell({
      notifications: [
        n(1, { message: 'Оператор отклонил подпись документа R-1', documentId: 1 }),
        n(2, { category: 'reminder', message: 'Напоминание из хранилища' })
      ],
      waiting_documents: () => failure('storage', 'Не удалось прочитать базу данных')
    });
    const onopen = vi.fn();
    render(NotificationBell, { onopen });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 2' }));
    expect(b.called('waiting_documents').length).toBeGreaterThan(0);
    const panel = screen.getByRole('region', { name: 'Уведомления' });
    expect(within(panel).getByText('Оператор отклонил подпись документа R-1')).toBeTruthy();
    expect(within(panel).queryByText('Не удалось прочитать базу данных')).toBeNull();
    await userEvent.click(within(panel).getByRole('button', { name: 'Открыть документ' }));
    expect(onopen).toHaveBeenCalledWith(1);
    await userEvent.click(screen.getByRole('button', { name: 'Уведомления: непрочитанных 2' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    expect(screen.getByText('Напоминание из хранилища')).toBeTruthy();
    expect(screen.queryByTestId('waiting-reminders')).toBeNull();
    await userEvent.click(screen.getByRole('tab', { name: 'Ошибки' }));
    expect(screen.getByText('Оператор отклонил подпись документа R-1')).toBeTruthy();
  });
});
