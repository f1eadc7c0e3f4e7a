import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Notification } from '../src/api/types';
import NotificationBell from '../src/features/notifications/NotificationBell.svelte';
import { backend } from './backend';

const n = (id: number, over: Partial<Notification> = {}): Notification => ({
  id,
  category: 'error',
  documentId: null,
  message: `Сообщение ${id}`,
  createdAt: '2026-11-01T09:05:00Z',
  readAt: null,
  ...over
});

describe('Notification bell', () => {
  it('counts unread notifications and shows errors first', async () => {
    backend({
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
    backend({ notifications: [n(1, { documentId: 42 })] });
    const onopen = vi.fn();
    render(NotificationBell, { onopen });
    await userEvent.click(await screen.findByRole('button', { name: /Уведомления/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Открыть документ' }));
    expect(onopen).toHaveBeenCalledWith(42);
  });

  it('marks the shown ones read', async () => {
    let read = false;
    const b = backend({
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
    backend({ notifications: [] });
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления' }));
    expect(screen.getByText('Ошибок нет')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    expect(screen.getByText('Напоминаний нет')).toBeTruthy();
  });
});
