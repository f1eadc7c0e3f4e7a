import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { backend, failure } from './backend';
import { counts, detail, doc, page, settings } from './fixtures';

const empty = counts({ needs_action: 0, to_sign: 0, accepted: 0, rejected: 0, signed: 0, sent: 0, all: 0 });
const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: null, sellerKind: 'bin' as const, sellerName: null, syncedAt: null };
const status = { online: true, syncing: false, lastSyncedAt: null, account: null };

function shell(over: Record<string, unknown> = {}) {
  return backend({
    settings_get: settings(),
    tab_counts: empty,
    sync_status: status,
    notifications: [],
    waiting_documents: [],
    act_deadlines: [],
    inbox_painted: null,
    count_documents: 1,
    list_documents: page([]),
    take_pending_link: null,
    sync_now: { progress: { seen: 0, downloaded: 0, bytes: 0 }, added: [], revoked: [], decidedElsewhere: [], sent: 0, events: 0, duplicateEvents: 0, listed: false },
    ...over
  });
}

describe('The window', () => {
  it('a new installation explains the two ways in and offers the demo', async () => {
    let loaded = false;
    const b = shell({
      tab_counts: () => (loaded ? counts() : empty),
      count_documents: 1,
      list_documents: () => page(loaded ? [doc(1)] : []),
      load_demo: () => {
        loaded = true;
        return { added: 11 };
      }
    });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Документов пока нет' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Подключить учётную запись оператора ЭДО' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Импортировать скачанные файлы' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Попробовать демо' }));
    expect(b.called('load_demo')).toHaveLength(1);
    expect(await screen.findByRole('tab', { name: 'Требуют действия 3' })).toBeTruthy();
  });

  it('import from the first-run screen reports what was imported', async () => {
    shell({
      import_files: [
        { path: '/tmp/a.pdf', imported: { id: 1, new: true, kind: 'sales_report', number: 'R-1', kindRecognised: true, signatures: 1 }, error: null },
        { path: '/tmp/b.txt', imported: null, error: { code: 'unsupported_file', message: 'Файл b.txt не PDF и не XML' } }
      ]
    });
    render(App);
    await userEvent.click(await screen.findByRole('button', { name: 'Импорт файлов' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Документов пока нет' })).toBeNull());
    // The inbox that replaced the first-run screen says what became of each file.
    expect(await screen.findByText('Импортировано: 1, с ошибками: 1')).toBeTruthy();
    expect(screen.getByText('/tmp/b.txt: Файл b.txt не PDF и не XML')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Требуют действия/ })).toBeTruthy();
  });

  it('an e-mailed link needs both the link and the code', async () => {
    const b = shell({ open_shared_link: () => failure('invalid_input', 'Неверный код авторизации') });
    render(App);
    const open = await screen.findByRole('button', { name: 'Открыть' });
    expect(open).toHaveProperty('disabled', true);
    await userEvent.type(screen.getByLabelText('Ссылка'), 'https://edo.example.kz/s/abc');
    await userEvent.type(screen.getByLabelText('Код авторизации'), '1234');
    await userEvent.click(open);
    expect(b.called('open_shared_link')[0].args).toEqual({ input: { link: 'https://edo.example.kz/s/abc', code: '1234' } });
    expect(await screen.findByText('Неверный код авторизации')).toBeTruthy();
  });

  it('“Add account” on the first-run screen leads to settings', async () => {
    shell({ ord_account: null, update_support: { enabled: false, currentVersion: '0.1.0' } });
    render(App);
    await userEvent.click(await screen.findByRole('button', { name: 'Добавить учётную запись' }));
    expect(await screen.findByRole('heading', { name: 'Настройки' })).toBeTruthy();
  });

  it('switches the language of every visible string', async () => {
    const b = shell({ settings_get: settings({ account }), settings_set: settings({ language: 'kk' }) });
    render(App);
    expect(await screen.findByRole('button', { name: 'Входящие' })).toBeTruthy();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Язык' }), 'kk');
    expect(screen.getByRole('button', { name: 'Кіріс' })).toBeTruthy();
    expect(screen.getByText('Бұл қойындыда құжат жоқ')).toBeTruthy();
    expect(b.called('settings_set')[0].args).toEqual({ patch: { language: 'kk' } });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Тіл' }), 'en');
    expect(screen.getByRole('button', { name: 'Incoming' })).toBeTruthy();
    expect(screen.getByText('No documents in this tab')).toBeTruthy();
  });

  it('starts in the language kept in settings', async () => {
    shell({ settings_get: settings({ language: 'en', account }) });
    render(App);
    expect(await screen.findByRole('button', { name: 'Settings' })).toBeTruthy();
  });

  it('shows online/offline in the window chrome and follows the shell', async () => {
    const b = shell({ settings_get: settings({ account }), sync_status: { ...status, online: true } });
    render(App);
    expect(await screen.findByText('В сети')).toBeTruthy();
    await b.emit('connectivity', { online: false });
    expect(await screen.findByText('Нет связи')).toBeTruthy();
  });

  it('shows how many documents wait for a decision and how many for a signature, and opens a document from a notification', async () => {
    shell({
      settings_get: settings({ account }),
      tab_counts: counts({ needs_action: 6, awaiting_decision: 5, to_sign: 3, accepted: 2, rejected: 1, awaiting_signature: 3 }),
      count_documents: 1,
      list_documents: page([doc(9)]),
      notifications: [{ id: 1, category: 'error', documentId: 9, message: 'Оператор отклонил подпись', createdAt: '2026-11-01T09:05:00Z', readAt: null }],
      get_document: detail(doc(9)),
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 0, intact: true, firstBroken: null }
    });
    render(App);
    expect(await screen.findByText('5 документов ожидают решения')).toBeTruthy();
    expect(screen.getByText('3 документа ожидают подписи')).toBeTruthy();
    // The same number as the tab that lists them (accepted and rejected, not signed yet).
    expect(await screen.findByRole('tab', { name: 'К подписи 3' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Уведомления: непрочитанных 1' }));
    await userEvent.click(screen.getByRole('button', { name: 'Открыть документ' }));
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-9' })).toBeTruthy();
  });

  it('opens a document that waits too long from the bell’s reminders', async () => {
    shell({
      settings_get: settings({ account }),
      tab_counts: counts({ needs_action: 5 }),
      count_documents: 1,
      list_documents: page([doc(9)]),
      waiting_documents: [{ document: doc(9, { number: '12', kind: 'other_services_act', status: 'viewed' }), days: 9 }],
      get_document: detail(doc(9, { number: '12', kind: 'other_services_act', status: 'viewed' })),
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 0, intact: true, firstBroken: null }
    });
    render(App);
    await userEvent.click(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 1' }));
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    await userEvent.click(screen.getByRole('button', { name: 'Акт выполненных работ (прочие услуги) № 12 ждёт решения 9 дней' }));
    expect(await screen.findByRole('heading', { name: 'Акт выполненных работ (прочие услуги) № 12' })).toBeTruthy();
  });

  it('a store that cannot be opened is an error, not a blank window', async () => {
    shell({ settings_get: () => failure('database_too_new', 'База данных создана более новой версией программы') });
    render(App);
    expect(await screen.findByText('База данных создана более новой версией программы')).toBeTruthy();
  });

  it('a qoltanba:// link that started the app asks for the code, then opens the document', async () => {
    const b = shell({
      settings_get: settings({ account }),
      take_pending_link: 'https://edo.example.kz/s/abc',
      open_shared_link: { id: 9, new: true },
      count_documents: 1,
      list_documents: page([doc(9)]),
      get_document: detail(doc(9)),
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 0, intact: true, firstBroken: null }
    });
    render(App);
    const dialog = await screen.findByRole('dialog', { name: 'Открыть ссылку из письма' });
    expect((within(dialog).getByLabelText('Ссылка') as HTMLInputElement).value).toBe('https://edo.example.kz/s/abc');
    await userEvent.type(within(dialog).getByLabelText('Код авторизации'), '5678');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Открыть' }));
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-9' })).toBeTruthy();
    expect(b.called('open_shared_link')[0].args).toEqual({ input: { link: 'https://edo.example.kz/s/abc', code: '5678' } });
  });

  it('a link handed over while the app runs arrives as an open-link event', async () => {
    const b = shell({ settings_get: settings({ account }) });
    render(App);
    await screen.findByRole('button', { name: 'Входящие' });
    await b.emit('open-link', { link: 'https://edo.example.kz/s/xyz' });
    const dialog = await screen.findByRole('dialog', { name: 'Открыть ссылку из письма' });
    expect((within(dialog).getByLabelText('Ссылка') as HTMLInputElement).value).toBe('https://edo.example.kz/s/xyz');
  });

  it('a clicked desktop notification opens its document', async () => {
    const b = shell({
      settings_get: settings({ account }),
      list_documents: page([doc(9)]),
      get_document: detail(doc(9)),
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 0, intact: true, firstBroken: null }
    });
    render(App);
    await screen.findByRole('button', { name: 'Входящие' });
    expect(screen.queryByRole('heading', { name: 'Отчёт о реализации товара № R-9' })).toBeNull();
    await b.emit('alert_open', { to: 'document', id: 9 });
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-9' })).toBeTruthy();
  });
});
