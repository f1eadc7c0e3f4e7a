import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SignOutcome } from '../src/api/types';
import DeletionDialog from '../src/features/acts/DeletionDialog.svelte';
import AcceptDialog from '../src/features/decision/AcceptDialog.svelte';
import RejectDialog from '../src/features/decision/RejectDialog.svelte';
import SignDialog from '../src/features/signing/SignDialog.svelte';
import { backend, settled } from './backend';
import { detail, doc } from './fixtures';

// Every dialog is keyboard-complete (components/Modal.svelte): focus inside on open, Enter
// confirms the default, Esc cancels, Tab stays inside, focus goes back where it was on close.
// Without it the inbox's flow (↑↓, Enter, A, R, S) stopped at the first dialog.

/** A button outside the dialog that had focus before it opened. */
function opener(): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = 'Открыть диалог';
  document.body.appendChild(b);
  b.focus();
  return b;
}

describe('Accept dialog by keyboard', () => {
  it('focus is on «Принять» and Enter accepts', async () => {
    const ondone = vi.fn();
    const b = backend({ accept_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'accepted' })) });
    render(AcceptDialog, { id: 3, ondone, oncancel: vi.fn() });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Принять' })));
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(b.called('accept_document')).toHaveLength(1);
  });

  it('Enter on the dialog itself (nothing focused in it) still confirms', async () => {
    const ondone = vi.fn();
    const b = backend({ accept_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'accepted' })) });
    render(AcceptDialog, { id: 3, ondone, oncancel: vi.fn() });
    screen.getByRole('dialog').focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(b.called('accept_document')).toHaveLength(1));
  });

  it('Esc cancels without accepting, and focus goes back where it was', async () => {
    const before = opener();
    const oncancel = vi.fn();
    const b = backend({});
    const view = render(AcceptDialog, { id: 3, ondone: vi.fn(), oncancel });
    await waitFor(() => expect(screen.getByRole('dialog').contains(document.activeElement)).toBe(true));
    await userEvent.keyboard('{Escape}');
    expect(oncancel).toHaveBeenCalled();
    expect(b.calls).toHaveLength(0);
    view.unmount();
    expect(document.activeElement).toBe(before);
    before.remove();
  });

  it('Tab and Shift+Tab stay inside the dialog', async () => {
    const before = opener();
    backend({});
    render(AcceptDialog, { id: 3, ondone: vi.fn(), oncancel: vi.fn() });
    const dialog = screen.getByRole('dialog');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    for (let i = 0; i < 5; i++) {
      await userEvent.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await userEvent.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(before);
    before.remove();
  });
});

describe('Reject dialog by keyboard', () => {
  it('focus is in the reason; Enter there is a new line, Ctrl+Enter rejects', async () => {
    const ondone = vi.fn();
    const b = backend({ reject_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'rejected' })) });
    render(RejectDialog, { id: 5, ondone, oncancel: vi.fn() });
    const reason = screen.getByRole('textbox', { name: 'Причина отклонения' });
    await waitFor(() => expect(document.activeElement).toBe(reason));
    await userEvent.keyboard('Неверная сумма{Enter}строка 3');
    expect((reason as HTMLTextAreaElement).value).toBe('Неверная сумма\nстрока 3');
    expect(b.calls).toHaveLength(0);
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(b.called('reject_document')[0].args).toEqual({ id: 5, reason: 'Неверная сумма\nстрока 3' });
  });

  it('Ctrl+Enter with no reason asks for one and rejects nothing; Esc cancels', async () => {
    const oncancel = vi.fn();
    const b = backend({});
    render(RejectDialog, { id: 5, ondone: vi.fn(), oncancel });
    await waitFor(() => expect(document.activeElement?.tagName).toBe('TEXTAREA'));
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    expect(screen.getByText('Укажите причину отклонения: она уйдёт отправителю вместе с подписью')).toBeTruthy();
    expect(b.calls).toHaveLength(0);
    await userEvent.keyboard('{Escape}');
    expect(oncancel).toHaveBeenCalled();
  });
});

describe('Sign dialog by keyboard', () => {
  const service = { url: 'wss://127.0.0.1:13579', name: 'NCALayer 1.4.0', pin: 'ab'.repeat(32), connected: true };
  const ok = (id: number): SignOutcome => ({ id, signed: true, signer: null, error: null });

  it('Enter signs, and Enter again closes the summary', async () => {
    const onclose = vi.fn();
    const b = backend({
      signing_service: service,
      sign_documents: { batchId: 'b', outcomes: [ok(1)], sent: null, sendError: null }
    });
    render(SignDialog, { documents: [doc(1, { status: 'accepted' })], onclose });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Подписать' })));
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('Готово: подписан 1 документ')).toBeTruthy();
    expect(b.called('sign_documents')).toHaveLength(1);
    // The «Подписать» button that had focus is gone: focus stays in the dialog, on «Готово».
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Готово' })));
    await userEvent.keyboard('{Enter}');
    expect(onclose).toHaveBeenCalledWith([1]);
  });

  it('Esc closes it before signing, signing nothing', async () => {
    const onclose = vi.fn();
    const b = backend({ signing_service: service });
    render(SignDialog, { documents: [doc(1, { status: 'accepted' })], onclose });
    await settled();
    await userEvent.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalledWith([]);
    expect(b.called('sign_documents')).toHaveLength(0);
  });
});

describe('Act deletion dialog by keyboard', () => {
  it('focus is in the reason, Ctrl+Enter requests, Esc cancels', async () => {
    const ondone = vi.fn();
    const letter = { to: 'info@ord.ozon.ru', subject: 'Удаление акта № 9', body: 'Прошу удалить акт', mailto: 'mailto:info@ord.ozon.ru' };
    const b = backend({ request_act_deletion: { request: { id: 1, actId: 9, reason: 'Дубликат', createdAt: '2026-11-01T09:05:00Z' }, letter } });
    render(DeletionDialog, { id: 9, ondone, oncancel: vi.fn(), onclose: vi.fn() });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('deletion-reason')));
    await userEvent.keyboard('Дубликат{Control>}{Enter}{/Control}');
    await waitFor(() => expect(ondone).toHaveBeenCalled());
    expect(b.called('request_act_deletion')[0].args).toMatchObject({ id: 9, reason: 'Дубликат' });
    // The letter to copy is shown, and Enter now closes.
    expect(await screen.findByTestId('deletion-ready')).toBeTruthy();
  });

  it('Esc cancels', async () => {
    const oncancel = vi.fn();
    const b = backend({});
    render(DeletionDialog, { id: 9, ondone: vi.fn(), oncancel });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('deletion-reason')));
    await userEvent.keyboard('{Escape}');
    expect(oncancel).toHaveBeenCalled();
    expect(b.calls).toHaveLength(0);
  });
});
