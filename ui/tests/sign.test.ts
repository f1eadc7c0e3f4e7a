import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { SignOutcome } from '../src/api/types';
import SignDialog from '../src/features/signing/SignDialog.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';
import { doc } from './fixtures';

const service = { url: 'wss://127.0.0.1:13579', name: 'NCALayer 1.4.0', pin: 'ab'.repeat(32), connected: true };
const ok = (id: number): SignOutcome => ({ id, signed: true, signer: null, error: null });
const docs = [doc(1, { status: 'accepted' }), doc(2, { status: 'rejected', number: 'R-2' })];

describe('Sign dialog', () => {
  it('says exactly which documents and which signing service before anything is signed', async () => {
    const b = backend({ signing_service: service });
    render(SignDialog, { documents: docs, onclose: vi.fn() });
    const dialog = screen.getByRole('dialog', { name: 'Подписание' });
    expect(within(dialog).getByText('Будут подписаны (2 документа)')).toBeTruthy();
    expect(within(dialog).getByText('Отчёт о реализации товара № R-1 — документ (принятие)')).toBeTruthy();
    expect(within(dialog).getByText('Отчёт о реализации товара № R-2 — уведомление об отказе (причина и документ)')).toBeTruthy();
    expect(await within(dialog).findByText('NCALayer 1.4.0')).toBeTruthy();
    expect(within(dialog).getByText(/сертификат службы закреплён/)).toBeTruthy();
    expect(b.called('sign_documents')).toHaveLength(0);
  });

  it('shows progress from events, a result per document and a summary', async () => {
    let finish: (v: unknown) => void = () => {};
    const b = backend({
      signing_service: service,
      sign_documents: () => new Promise((r) => (finish = r)),
      print_page: null
    });
    const onclose = vi.fn();
    render(SignDialog, { documents: docs, onclose });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    expect(await screen.findByText('Выберите сертификат и введите пароль в окне NCALayer')).toBeTruthy();
    expect(b.called('sign_documents')[0].args).toEqual({ ids: [1, 2] });
    await b.emit('sign_progress', { batchId: 'b', stage: 'checking', done: 1, total: 2, outcome: ok(1) });
    expect(await screen.findByText('Подписано 1 из 2')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('value')).toBe('1');
    expect(screen.queryByText('Выберите сертификат и введите пароль в окне NCALayer')).toBeNull();
    finish({
      batchId: 'b',
      outcomes: [ok(1), { id: 2, signed: false, signer: null, error: { code: 'wrong_signer', message: 'Сертификат выдан другой организации (БИН 111111111111)' } }]
    });
    expect(await screen.findByText('Подписано: 1, не подписано: 1')).toBeTruthy();
    expect(screen.getByText(/Не подписан — Сертификат не принадлежит продавцу/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Распечатать итог' }));
    await vi.waitFor(() => expect(b.called('print_page')).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: 'Готово' }));
    expect(onclose).toHaveBeenCalledWith([1]);
  });

  it('the summary shows what was sent right after signing, with nothing left to send', async () => {
    const line = { documentId: 1, title: 'Отчёт о реализации товара' };
    backend({
      signing_service: service,
      sign_documents: {
        batchId: 'b',
        outcomes: [ok(1), ok(2)],
        sent: {
          sent: [{ ...line, message: 'принято оператором на проверку' }],
          delivered: [{ ...line, message: 'оператор проверил подпись' }],
          failed: [],
          waiting: []
        },
        sendError: null
      }
    });
    const onclose = vi.fn();
    render(SignDialog, { documents: docs.slice(0, 1), onclose });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    const report = await screen.findByTestId('send-report');
    expect(within(report).getAllByRole('listitem')).toHaveLength(1);
    expect(within(report).getByText('Доставлен')).toBeTruthy();
    expect(screen.queryByText('Подписанные решения отправятся оператору при следующей синхронизации.')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Отправить' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Готово' }));
    expect(onclose).toHaveBeenCalledWith([1, 2]);
  });

  it('while the signed batch is sent, the dialog says so and there is nothing to cancel', async () => {
    let finish: (v: unknown) => void = () => {};
    const b = backend({ signing_service: service, sign_documents: () => new Promise((r) => (finish = r)) });
    render(SignDialog, { documents: docs.slice(0, 1), onclose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    await b.emit('sign_progress', { batchId: 'b', stage: 'checking', done: 1, total: 1, outcome: ok(1) });
    expect(await screen.findByRole('button', { name: 'Отменить подписание' })).toBeTruthy();
    await b.emit('sign_progress', { batchId: 'b', stage: 'sending', done: 1, total: 1, outcome: null });
    expect(await screen.findByText('Отправка…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Отменить подписание' })).toBeNull();
    finish({ batchId: 'b', outcomes: [ok(1)], sent: { sent: [], delivered: [], failed: [], waiting: [] }, sendError: null });
    expect(await screen.findByText('Готово: подписан 1 документ')).toBeTruthy();
  });

  it('a send that failed after signing says why and «Отправить» sends what waits', async () => {
    const b = backend({
      signing_service: service,
      sign_documents: { batchId: 'b', outcomes: [ok(1)], sent: null, sendError: 'Нет связи с оператором ЭДО' },
      send_outbox: {
        sent: [],
        delivered: [{ documentId: 1, title: 'Отчёт о реализации товара', message: 'оператор проверил подпись' }],
        failed: [],
        waiting: []
      }
    });
    render(SignDialog, { documents: docs.slice(0, 1), onclose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    expect(await screen.findByText('Готово: подписан 1 документ')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Не отправлено: Нет связи с оператором ЭДО. Решения ждут в «Исходящих».');
    await userEvent.click(screen.getByRole('button', { name: 'Отправить' }));
    expect(b.called('send_outbox')).toHaveLength(1);
    const report = await screen.findByTestId('send-report');
    expect(within(report).getByText('Доставлен')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Отправить' })).toBeNull();
  });

  it('a batch in several requests: what NCALayer signed apart from the bar of checked documents', async () => {
    const b = backend({ signing_service: service, sign_documents: () => new Promise(() => {}) });
    render(SignDialog, { documents: docs, onclose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    expect(await screen.findByText('Выберите сертификат и введите пароль в окне NCALayer')).toBeTruthy();
    const bar = () => screen.getByRole('progressbar').getAttribute('value');

    await b.emit('sign_progress', { batchId: 'b', stage: 'signing', done: 1, total: 2, outcome: null });
    expect(await screen.findByText('NCALayer подписал 1 из 2, проверяем подписи…')).toBeTruthy();
    expect(screen.queryByText('Выберите сертификат и введите пароль в окне NCALayer')).toBeNull();
    expect(bar()).toBe('0');
    expect(screen.getByText('Подписано 0 из 2')).toBeTruthy();

    await b.emit('sign_progress', { batchId: 'b', stage: 'signing', done: 2, total: 2, outcome: null });
    expect(await screen.findByText('NCALayer подписал 2 из 2, проверяем подписи…')).toBeTruthy();
    expect(bar()).toBe('0');

    const signer = { commonName: 'АХМЕТОВ АЛИ' } as SignOutcome['signer'];
    await b.emit('sign_progress', { batchId: 'b', stage: 'checking', done: 1, total: 2, outcome: { ...ok(1), signer } });
    expect(await screen.findByText('Подписано 1 из 2')).toBeTruthy();
    expect(bar()).toBe('1');
    expect(screen.getByRole('status').textContent).toBe('NCALayer подписал 2 из 2, проверяем подписи…');
    const outcomes = screen.getAllByRole('listitem').filter((li) => li.closest('.sign-outcomes'));
    expect(outcomes.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Отчёт о реализации товара № R-1: Подписан (АХМЕТОВ АЛИ)'
    ]);

    await b.emit('sign_progress', {
      batchId: 'b',
      stage: 'checking',
      done: 2,
      total: 2,
      outcome: { id: 2, signed: false, signer: null, error: { code: 'wrong_signer', message: 'Сертификат выдан другой организации (БИН 111111111111)' } }
    });
    expect(await screen.findByText('Подписано 2 из 2')).toBeTruthy();
    expect(bar()).toBe('2');
    expect(screen.queryByText(/проверяем подписи/)).toBeNull();
    expect(screen.getByText(/Не подписан — Сертификат не принадлежит продавцу/)).toBeTruthy();
  });

  it('Kazakh and English say what NCALayer signed while the checks go on', async () => {
    const b = backend({ signing_service: service, sign_documents: () => new Promise(() => {}) });
    setLang('en');
    render(SignDialog, { documents: docs, onclose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Sign' }));
    await b.emit('sign_progress', { batchId: 'b', stage: 'signing', done: 2, total: 2, outcome: null });
    expect(await screen.findByText('NCALayer has signed 2 of 2, checking the signatures…')).toBeTruthy();
    setLang('kk');
    expect(await screen.findByText('NCALayer қол қойды: 2 / 2, қолтаңбалар тексерілуде…')).toBeTruthy();
  });

  it('cancel stops the batch and says nothing was signed', async () => {
    let reject: (e: unknown) => void = () => {};
    const b = backend({
      signing_service: service,
      sign_documents: () => new Promise((_, r) => (reject = r)),
      cancel_signing: () => {
        reject({ code: 'user_cancelled', message: 'Подписание отменено', retryable: false });
        return null;
      }
    });
    render(SignDialog, { documents: docs, onclose: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Отменить подписание' }));
    expect(await screen.findByText('Подписание отменено: ни один документ не подписан')).toBeTruthy();
    expect(b.called('cancel_signing')).toHaveLength(1);
  });

  it('NCALayer not running: says so and offers to try again', async () => {
    let n = 0;
    backend({
      signing_service: { ...service, connected: false, name: null },
      sign_documents: () =>
        n++ === 0 ? failure('signer_unavailable', 'NCALayer не запущен: запустите NCALayer', true) : { batchId: 'b', outcomes: [ok(1), ok(2)] }
    });
    render(SignDialog, { documents: docs, onclose: vi.fn() });
    expect(await screen.findByText(/не отвечает/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    expect(await screen.findByText('NCALayer не запущен: запустите NCALayer')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    expect(await screen.findByText('Готово: подписано 2 документа')).toBeTruthy();
  });

  it('refuses documents that are not decided yet', () => {
    backend({ signing_service: service });
    render(SignDialog, { documents: [doc(5, { status: 'received' })], onclose: vi.fn() });
    expect(screen.getByText('Подписать можно только принятые или отклонённые документы')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Подписать' })).toBeNull();
  });

  it('Escape closes it before signing starts', async () => {
    backend({ signing_service: service });
    const onclose = vi.fn();
    render(SignDialog, { documents: docs, onclose });
    const dialog = screen.getByRole('dialog', { name: 'Подписание' });
    expect(await within(dialog).findByText('NCALayer 1.4.0')).toBeTruthy();
    dialog.focus();
    await userEvent.keyboard('{Escape}');
    expect(onclose).toHaveBeenCalledWith([]);
  });

  it('cannot be closed while signing is under way', async () => {
    backend({ signing_service: service, sign_documents: () => new Promise(() => {}) });
    const onclose = vi.fn();
    render(SignDialog, { documents: docs, onclose });
    await userEvent.click(screen.getByRole('button', { name: 'Подписать' }));
    const cancel = await screen.findByRole('button', { name: 'Отменить подписание' });
    // The key goes to the dialog itself, as it does for a user whose focus is inside it.
    const dialog = screen.getByRole('dialog', { name: 'Подписание' });
    cancel.focus();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(onclose).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Отменить подписание' })).toBeTruthy();
  });
});
