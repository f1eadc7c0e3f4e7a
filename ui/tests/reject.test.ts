import { render, screen } from '@testing-library/svelte';
import { setLang, setReasonLang } from '../src/lib/i18n/index.svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import AcceptDialog from '../src/features/decision/AcceptDialog.svelte';
import RejectDialog from '../src/features/decision/RejectDialog.svelte';
import { backend, failure } from './backend';
import { detail, doc } from './fixtures';

describe('Reject dialog', () => {
  it('requires a reason before rejecting', async () => {
    const b = backend({});
    render(RejectDialog, { id: 1, ondone: vi.fn(), oncancel: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Отклонить' }));
    expect(screen.getByText('Укажите причину отклонения: она уйдёт отправителю вместе с подписью')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Отклонить' }) as HTMLButtonElement).disabled).toBe(true);
    expect(b.calls).toHaveLength(0);
  });

  it('refuses more than 5000 characters and counts them', async () => {
    backend({});
    render(RejectDialog, { id: 1, ondone: vi.fn(), oncancel: vi.fn() });
    const box = screen.getByRole('textbox', { name: 'Причина отклонения' });
    await userEvent.click(box);
    await userEvent.paste('я'.repeat(5001));
    await userEvent.tab();
    expect(screen.getByText('5001 из 5000')).toBeTruthy();
    expect(screen.getByText('Причина слишком длинная: 5 001 символ, допустимо не больше 5000')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Отклонить' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a common reason can be picked and edited, then sent trimmed', async () => {
    const ondone = vi.fn();
    const b = backend({ reject_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'rejected' })) });
    render(RejectDialog, { id: 7, ondone, oncancel: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Неверный отчётный период' }));
    await userEvent.type(screen.getByRole('textbox'), ': октябрь вместо ноября  ');
    await userEvent.click(screen.getByRole('button', { name: 'Отклонить' }));
    expect(b.called('reject_document')[0].args).toEqual({ id: 7, reason: 'Неверный отчётный период: октябрь вместо ноября' });
    expect(ondone).toHaveBeenCalled();
  });

  it('shows why the backend refused, keeping the reason', async () => {
    backend({
      reject_document: () => failure('invalid_transition', 'Действие «Отклонить» недоступно для документа в статусе «Подписан»')
    });
    render(RejectDialog, { id: 1, ondone: vi.fn(), oncancel: vi.fn() });
    await userEvent.type(screen.getByRole('textbox'), 'Ошибка в сумме');
    await userEvent.click(screen.getByRole('button', { name: 'Отклонить' }));
    expect(await screen.findByText('Действие «Отклонить» недоступно для документа в статусе «Подписан»')).toBeTruthy();
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).value).toBe('Ошибка в сумме');
    expect(screen.queryByRole('button', { name: 'Повторить' })).toBeNull();
  });

  it('in a Kazakh or English window the common reasons are still inserted in Russian, and the dialog says why', async () => {
    setLang('kk');
    const b = backend({ reject_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'rejected' })) });
    render(RejectDialog, { id: 4, ondone: vi.fn(), oncancel: vi.fn() });
    expect(screen.getByRole('heading', { name: 'Құжатты қабылдамау' })).toBeTruthy();
    expect(screen.getByTestId('reason-language-note').textContent).toBe(
      'Жиі кездесетін себептер орыс тілінде қойылады: себепке қол қойылып, ол маркетплейске жіберіледі, ал маркетплейс орысша оқиды. Себептер тілі баптауларда өзгертіледі.'
    );
    expect(screen.queryByRole('button', { name: 'Сома қате' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Неверная сумма' }));
    await userEvent.click(screen.getByRole('button', { name: 'Қабылдамау' }));
    expect(b.called('reject_document')[0].args).toEqual({ id: 4, reason: 'Неверная сумма' });
    setLang('en');
    await vi.waitFor(() =>
      expect(screen.getByTestId('reason-language-note').textContent).toMatch(/^Common reasons are inserted in Russian: /)
    );
    expect(screen.getByRole('button', { name: 'Неверная сумма' })).toBeTruthy();
  });

  it('the setting may make them Kazakh', async () => {
    setReasonLang('kk');
    backend({});
    render(RejectDialog, { id: 4, ondone: vi.fn(), oncancel: vi.fn() });
    expect(screen.getByTestId('reason-language-note').textContent).toMatch(/^Частые причины вставляются на казахском: /);
    await userEvent.click(screen.getByRole('button', { name: 'Сома қате' }));
    expect((screen.getByRole('textbox') as HTMLTextAreaElement).value).toBe('Сома қате');
  });

  it('Escape cancels', async () => {
    backend({});
    const oncancel = vi.fn();
    render(RejectDialog, { id: 1, ondone: vi.fn(), oncancel });
    await userEvent.keyboard('{Escape}');
    expect(oncancel).toHaveBeenCalled();
  });
});

describe('Accept dialog', () => {
  it('confirms what will happen and accepts', async () => {
    const ondone = vi.fn();
    const b = backend({ accept_document: detail(doc(3, { status: 'accepted' })) });
    render(AcceptDialog, { id: 3, ondone, oncancel: vi.fn() });
    expect(screen.getByText(/Затем его нужно подписать/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Принять' }));
    expect(b.called('accept_document')[0].args).toEqual({ id: 3 });
    expect(ondone.mock.calls[0][0].document.status).toBe('accepted');
  });

  it('offers a retry when the store was busy', async () => {
    let n = 0;
    backend({ accept_document: () => (n++ === 0 ? failure('storage', 'База данных занята', true) : detail(doc(3, { status: 'accepted' }))) });
    const ondone = vi.fn();
    render(AcceptDialog, { id: 3, ondone, oncancel: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Принять' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Повторить' }));
    await vi.waitFor(() => expect(ondone).toHaveBeenCalled());
  });
});
