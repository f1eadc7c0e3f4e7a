import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { DocumentQuery } from '../src/api/types';
import Inbox from '../src/features/inbox/Inbox.svelte';
import { backend, failure } from './backend';
import { counts, detail, doc, listing, page, settings } from './fixtures';
import { setLang } from '../src/lib/i18n/index.svelte';

const xml = new TextEncoder().encode('<r><x>1</x></r>').buffer;
const common = {
  // Sync beside the inbox asks for the account (none here: no sync); the first inbox on screen is
  // reported once per window, in whichever test paints first.
  settings_get: settings(),
  inbox_painted: null,
  tab_counts: counts(),
  document_bytes: xml,
  document_history: [],
  verify_history: { entries: 0, intact: true, firstBroken: null }
};

function shell(docs = [doc(1), doc(2), doc(3)], over: Record<string, unknown> = {}) {
  const byId = new Map(docs.map((d) => [d.id, d]));
  return backend({
    ...common,
    ...listing(docs),
    get_document: ({ id }: Record<string, unknown>) => detail(byId.get(id as number)!),
    mark_viewed: ({ id }: Record<string, unknown>) => {
      const d = byId.get(id as number)!;
      return detail(d.status === 'received' ? { ...d, status: 'viewed' } : d);
    },
    ...over
  });
}

const rows = () => within(screen.getByRole('listbox', { name: 'Список документов' })).getAllByRole('option');

describe('Inbox', () => {
  it('shows tabs with counts and the documents of «Требуют действия»', async () => {
    const b = shell();
    render(Inbox);
    expect(await screen.findByRole('tab', { name: 'Требуют действия 3' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Отправленные 5' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Требуют действия 3' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(screen.getByText('№ R-2 · 31.10.2026 · ТОО «Озон Казахстан»', { exact: false })).toBeTruthy();
    expect((b.called('list_documents')[0].args.query as DocumentQuery).tab).toBe('needs_action');
  });

  it('a received document is badged for the decision it needs, not for a signature', async () => {
    shell([doc(1), doc(2, { status: 'accepted', decision: 'accept' })]);
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(2));
    const [received, accepted] = rows();
    expect(within(received).getByText('Ожидает решения')).toBeTruthy();
    expect(within(received).queryByText(/подписи/)).toBeNull();
    expect(within(accepted).getByText('Принят')).toBeTruthy();
    setLang('kk');
    expect(await within(received).findByText('Шешім күтуде')).toBeTruthy();
    setLang('en');
    expect(await within(received).findByText('Awaiting decision')).toBeTruthy();
  });

  it('switching the tab asks for that tab', async () => {
    const b = shell();
    render(Inbox);
    await userEvent.click(await screen.findByRole('tab', { name: /Подписанные/ }));
    await waitFor(() => expect(b.called('list_documents').at(-1)!.args.query).toMatchObject({ tab: 'signed' }));
  });

  it('says the tab is empty', async () => {
    shell([]);
    render(Inbox);
    expect(await screen.findByText('На этой вкладке нет документов')).toBeTruthy();
  });

  it('searches as you type and says when nothing was found', async () => {
    const b = shell([doc(1)], {
      list_documents: ({ query }: Record<string, unknown>) =>
        (query as DocumentQuery).text ? page([]) : page([doc(1)])
    });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.type(screen.getByRole('searchbox'), 'озон');
    expect(await screen.findByText('Ничего не найдено. Измените поиск или сбросьте фильтр.')).toBeTruthy();
    expect((b.called('list_documents').at(-1)!.args.query as DocumentQuery).text).toBe('озон');
  });

  it('says while a search may miss documents whose text is still being indexed', async () => {
    shell([doc(1)], {
      list_documents: ({ query }: Record<string, unknown>) =>
        (query as DocumentQuery).text ? page([doc(1)], null, 3) : page([doc(1)])
    });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByText(/Текст ещё индексируется/)).toBeNull();
    await userEvent.type(screen.getByRole('searchbox'), 'пломб');
    expect(
      await screen.findByText('Текст ещё индексируется: осталось 3 документа — поиск может найти не всё')
    ).toBeTruthy();
    await userEvent.clear(screen.getByRole('searchbox'));
    await waitFor(() => expect(screen.queryByText(/Текст ещё индексируется/)).toBeNull());
  });

  it('filters by kind and amount as the operator writes amounts', async () => {
    const b = shell();
    render(Inbox);
    await userEvent.selectOptions(await screen.findByLabelText('Вид документа'), 'reconciliation_act');
    const min = screen.getByLabelText('Сумма от');
    await userEvent.type(min, '1 000,5');
    await fireEvent.change(min);
    await waitFor(() =>
      expect(b.called('list_documents').at(-1)!.args.query).toMatchObject({ kind: 'reconciliation_act', amountMin: '1000.50' })
    );
  });

  it('shows a list error with a retry', async () => {
    let n = 0;
    shell([doc(1)], {
      list_documents: () => (n++ === 0 ? failure('storage', 'База данных занята, повторите', true) : page([doc(1)]))
    });
    render(Inbox);
    expect(await screen.findByText('База данных занята, повторите')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it('renders only the rows in view of 100,000 documents', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => doc(i + 1));
    shell(many);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(40);
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    list.scrollTop = 56 * 50_000;
    await fireEvent.scroll(list);
    await waitFor(() => expect(screen.getByText('Отчёт о реализации', { selector: '#row-50000 .document-row-title' })).toBeTruthy());
    expect(rows().length).toBeLessThan(40);
  });

  it('loads the next page by its cursor when the end of the loaded rows comes into view', async () => {
    const many = Array.from({ length: 450 }, (_, i) => doc(i + 1));
    const b = shell(many);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    list.scrollTop = 56 * 190;
    await fireEvent.scroll(list);
    expect(await screen.findByText('№ R-201 · 31.10.2026', { exact: false })).toBeTruthy();
    const asked = b.called('list_documents').map((c) => c.args.query as DocumentQuery);
    // Page 1 by the cursor page 0 ended with, and page 2 (held ahead) by page 1's.
    expect(asked.map((q) => [q.cursor, q.offset])).toEqual([
      [null, null],
      ['200', null],
      ['400', null]
    ]);
  });

  it('a jump to the end fetches the last page by its offset, and the scrollbar is sized from the count', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => doc(i + 1));
    const b = shell(many);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    const spacer = list.firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe(`${56 * 100_000}px`);
    list.scrollTop = 56 * 100_000;
    await fireEvent.scroll(list);
    expect(await screen.findByText('№ R-100000 · 31.10.2026', { exact: false })).toBeTruthy();
    const asked = b.called('list_documents').map((c) => c.args.query as DocumentQuery);
    // The first page and the one held after it (by its cursor), then the last one (499, at row
    // 99,800) by its offset straight away, and the one held before it: nothing between.
    expect(asked.map((q) => [q.cursor, q.offset])).toEqual([
      [null, null],
      ['200', null],
      [null, 99_800],
      [null, 99_600]
    ]);
    expect(asked.every((q) => q.limit === 200)).toBe(true);
  });

  it('holds only the pages around the rows in view, however far it scrolls', async () => {
    const many = Array.from({ length: 5_000 }, (_, i) => doc(i + 1));
    const b = shell(many);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    for (const top of [1_000, 2_500, 4_990]) {
      list.scrollTop = 56 * top;
      await fireEvent.scroll(list);
      await waitFor(() => expect(list.querySelector(`#row-${top} .document-row-title`)).toBeTruthy());
    }
    // Back to the top: the first page was let go, so it is fetched again (by offset 0 or its cursor).
    const before = b.called('list_documents').length;
    list.scrollTop = 0;
    await fireEvent.scroll(list);
    await waitFor(() => expect(list.querySelector('#row-0 .document-row-title')).toBeTruthy());
    expect(b.called('list_documents').length).toBeGreaterThan(before);
  }, 20_000);

  it('moves with the arrows, opens with Enter, accepts with A and opens the next document', async () => {
    const b = shell([doc(1), doc(2), doc(3)], {
      accept_document: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'accepted' }))
    });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(3));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    list.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}{Enter}');
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-2' })).toBeTruthy();
    await userEvent.keyboard('a');
    const dialog = await screen.findByRole('dialog', { name: 'Принять документ' });
    expect(within(dialog).getByText(/после подписи решение уйдёт отправителю/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Принять' }));
    expect(b.called('accept_document')[0].args).toEqual({ id: 2 });
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-3' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    // The accepted document left «Требуют действия».
    expect(rows()).toHaveLength(2);
  });

  it('R asks for a reason and rejects with it', async () => {
    const b = shell([doc(1), doc(2)], {
      reject_document: ({ id, reason }: Record<string, unknown>) =>
        detail(doc(id as number, { status: 'rejected', rejectReason: reason as string }))
    });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(2));
    screen.getByRole('listbox', { name: 'Список документов' }).focus();
    await userEvent.keyboard('{ArrowDown}r');
    const dialog = await screen.findByRole('dialog', { name: 'Отклонить документ' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Неверная сумма' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Отклонить' }));
    expect(b.called('reject_document')[0].args).toEqual({ id: 1, reason: 'Неверная сумма' });
  });

  it('A does nothing for a document the backend does not allow to accept', async () => {
    const signed = doc(1, { status: 'signed' });
    shell([signed]);
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    screen.getByRole('listbox', { name: 'Список документов' }).focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-1' });
    await userEvent.keyboard('a');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('selects several documents and offers to sign them', async () => {
    shell([doc(1, { status: 'accepted' }), doc(2, { status: 'rejected' })], {
      signing_service: { url: 'wss://127.0.0.1:13579', name: 'NCALayer 1.4', pin: 'ab'.repeat(32), connected: true }
    });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await userEvent.click(screen.getAllByRole('checkbox', { name: 'Выбрать: Отчёт о реализации товара' })[0]);
    expect(screen.getByText('Выбран 1 документ')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Снять выбор' }));
    await userEvent.click(screen.getByRole('button', { name: 'Выбрать все' }));
    expect(screen.getByText('Выбрано 2 документа')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Подписать выбранные' }));
    const dialog = await screen.findByRole('dialog', { name: 'Подписание' });
    expect(within(dialog).getByText('Будут подписаны (2 документа)')).toBeTruthy();
  });

  it('select all takes the pages never loaded too: the backend resolves the filter minus the unticked', async () => {
    const many = Array.from({ length: 1_000 }, (_, i) => doc(i + 1, { status: 'accepted', decision: 'accept' }));
    const b = shell(many, {
      signing_service: { url: 'wss://127.0.0.1:13579', name: 'NCALayer 1.4', pin: 'ab'.repeat(32), connected: true }
    });
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    await userEvent.click(screen.getByRole('button', { name: 'Выбрать все' }));
    expect(screen.getByText(/^Выбрано 1\s000 документов$/)).toBeTruthy();
    await userEvent.click(screen.getAllByRole('checkbox', { name: 'Выбрать: Отчёт о реализации товара' })[0]);
    expect(screen.getByText('Выбрано 999 документов')).toBeTruthy();
    // Only the first page and the one held after it were fetched: rows 400-999 never were.
    expect(b.called('list_documents').map((c) => (c.args.query as DocumentQuery).cursor)).toEqual([null, '200']);
    await userEvent.click(screen.getByRole('button', { name: 'Подписать выбранные' }));
    const dialog = await screen.findByRole('dialog', { name: 'Подписание' });
    expect(within(dialog).getByText('Будут подписаны (999 документов)')).toBeTruthy();
    expect(within(dialog).getByText('Отчёт о реализации товара № R-1000 — документ (принятие)')).toBeTruthy();
    expect(within(dialog).queryByText('Отчёт о реализации товара № R-1 — документ (принятие)')).toBeNull();
    expect(b.called('selected_documents')[0].args).toEqual({
      selection: { query: expect.objectContaining({ tab: 'needs_action' }), except: [1] }
    });
  });

  it('a selection over the budget is refused with the backend\'s words, and nothing opens', async () => {
    shell(Array.from({ length: 300 }, (_, i) => doc(i + 1)), {
      selected_documents: () =>
        failure('invalid_input', 'Выбрано 12000 документов, а за один раз можно не больше 10000: сузьте выбор фильтром')
    });
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    await userEvent.click(screen.getByRole('button', { name: 'Выбрать все' }));
    await userEvent.click(screen.getByRole('button', { name: 'Подписать выбранные' }));
    expect(await screen.findByText(/Выбрано 12000 документов, а за один раз можно не больше 10000/)).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the arrows cross a page boundary: the next page is fetched and Enter opens its first row', async () => {
    const many = Array.from({ length: 450 }, (_, i) => doc(i + 1));
    shell(many);
    render(Inbox);
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    list.focus();
    await userEvent.keyboard('{End}');
    expect(await screen.findByText('№ R-450 · 31.10.2026', { exact: false })).toBeTruthy();
    await userEvent.keyboard('{Home}');
    for (let i = 0; i < 20; i++) await userEvent.keyboard('{PageDown}');
    // Row 200 is the first of the second page.
    expect(list.getAttribute('aria-activedescendant')).toBe('row-200');
    await userEvent.keyboard('{ArrowUp}{ArrowDown}{Enter}');
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-201' })).toBeTruthy();
  });

  it('opening asks for the file beside the details and writes «viewed» only after it is shown', async () => {
    const order: string[] = [];
    const b = shell([doc(1)], {
      get_document: () => {
        order.push('details');
        return detail(doc(1));
      },
      document_bytes: (args: Record<string, unknown>) => {
        order.push(args.attachmentId === undefined ? 'main-bytes' : 'bytes');
        return xml;
      },
      // An earlier test's document may be marked now (after its fallback time): not this one.
      mark_viewed: ({ id }: Record<string, unknown>) => {
        if (id === 1) order.push('viewed');
        return detail(doc(id as number, { status: 'viewed' }));
      }
    });
    render(Inbox);
    await userEvent.click(await screen.findByRole('button', { name: /^Отчёт о реализации №/ }));
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-1' })).toBeTruthy();
    await waitFor(() => expect(order).toContain('viewed'));
    // Both at the click, before either answered; the bytes once (the viewer took them); viewed last.
    expect(order.slice(0, 2).sort()).toEqual(['details', 'main-bytes']);
    expect(order.filter((o) => o.endsWith('bytes'))).toEqual(['main-bytes']);
    expect(order.at(-1)).toBe('viewed');
    expect(b.called('mark_viewed').map((c) => c.args)).toContainEqual({ id: 1 });
    const marks = performance.getEntriesByType('mark').map((m) => m.name);
    expect(marks).toEqual(expect.arrayContaining(['qoltanba:open:click', 'qoltanba:open:details', 'qoltanba:open:bytes']));
  });

  it('shows the error of opening a document', async () => {
    shell([doc(1)], { get_document: () => failure('not_found', 'Документ 1 не найден') });
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: /^Отчёт о реализации №/ }));
    expect(await screen.findByText('Документ 1 не найден')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Повторить' })).toBeNull();
  });
});

describe('Import from the inbox', () => {
  it('imports files, lists the ones that failed and reloads the list', async () => {
    let imported = false;
    const b = shell([], {
      list_documents: () => page(imported ? [doc(1)] : []),
      import_files: () => {
        imported = true;
        return [
          { path: '/tmp/a.pdf', imported: { id: 1, new: true, kind: 'sales_report', number: 'R-1', kindRecognised: true, signatures: 1 }, error: null },
          { path: '/tmp/b.txt', imported: null, error: { code: 'unsupported_file', message: 'Файл b.txt не PDF и не XML' } }
        ];
      }
    });
    render(Inbox);
    await screen.findByText('На этой вкладке нет документов');
    await userEvent.click(screen.getByRole('button', { name: 'Импорт файлов' }));
    expect(await screen.findByText('Импортировано: 1, с ошибками: 1')).toBeTruthy();
    expect(screen.getByText('/tmp/b.txt: Файл b.txt не PDF и не XML')).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(1));
    // The page never names a path: the shell asks with its own dialog.
    expect(b.called('import_files')[0].args).not.toHaveProperty('paths');
  });

  it('files dropped on the window are imported by the id of the drop, never by path', async () => {
    let imported = false;
    const b = shell([], {
      list_documents: () => page(imported ? [doc(1)] : []),
      import_drop: () => {
        imported = true;
        return [
          { path: '/home/u/a.pdf', imported: { id: 1, new: true, kind: 'sales_report', number: 'R-1', kindRecognised: true, signatures: 0 }, error: null }
        ];
      }
    });
    render(Inbox);
    await screen.findByText('На этой вкладке нет документов');
    await b.emit('files-dropped', { drop: 7, names: ['a.pdf'] });
    expect(await screen.findByText('Импортировано: 1, с ошибками: 0')).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(b.called('import_drop').map((c) => c.args)).toEqual([{ drop: 7 }]);
    expect(b.called('import_files')).toHaveLength(0);
  });
});

describe('Actions of the open document', () => {
  it('S on an accepted document opens signing for exactly that document', async () => {
    shell([doc(1, { status: 'accepted' }), doc(2, { status: 'accepted' })], {
      signing_service: { url: 'wss://127.0.0.1:13579', name: 'NCALayer 1.4', pin: null, connected: true }
    });
    render(Inbox, { props: {} });
    await waitFor(() => expect(rows()).toHaveLength(2));
    screen.getByRole('listbox', { name: 'Список документов' }).focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}s');
    const dialog = await screen.findByRole('dialog', { name: 'Подписание' });
    expect(within(dialog).getByText('Будут подписаны (1 документ)')).toBeTruthy();
    expect(within(dialog).getByText('Отчёт о реализации товара № R-2 — документ (принятие)')).toBeTruthy();
    expect(within(dialog).getByText(/сертификат службы не закреплён/)).toBeTruthy();
  });

  it('a failed send offers to send again, and the document follows the answer', async () => {
    const b = shell([doc(1, { status: 'send_failed' })], {
      retry_sending: ({ id }: Record<string, unknown>) => detail(doc(id as number, { status: 'queued' }))
    });
    render(Inbox);
    await userEvent.click(await screen.findByRole('button', { name: /^Отчёт о реализации №/ }));
    expect(await screen.findByRole('button', { name: 'Пересмотреть решение' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Отправить повторно' }));
    expect(b.called('retry_sending')[0].args).toEqual({ id: 1 });
    expect(await screen.findByText('В очереди на отправку', { selector: '.document-meta .status' })).toBeTruthy();
    expect(screen.getByText('Для документа в этом статусе действий нет')).toBeTruthy();
  });

  it('an action the document no longer allows is explained and the document re-read', async () => {
    let status: 'received' | 'signed' = 'received';
    const b = shell([doc(1)], {
      get_document: () => detail(doc(1, { status })),
      accept_document: () => {
        status = 'signed';
        return failure('invalid_transition', 'Действие «Принять» недоступно для документа в статусе «Подписан»');
      }
    });
    render(Inbox);
    await userEvent.click(await screen.findByRole('button', { name: /^Отчёт о реализации №/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Принять' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Принять' }));
    expect(await screen.findByText('Действие «Принять» недоступно для документа в статусе «Подписан»')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Отмена' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Принять' })).toBeNull());
    expect(b.called('get_document').length).toBeGreaterThan(1);
  });

  it('reads in Kazakh', async () => {
    setLang('kk');
    shell([doc(1)]);
    render(Inbox);
    expect(await screen.findByRole('tab', { name: 'Әрекет күтуде 3' })).toBeTruthy();
    expect(screen.getByText('1 234 567,89 ₸')).toBeTruthy();
    expect(screen.getByText('Өткізу туралы есеп', { selector: '.document-row-title' })).toBeTruthy();
  });
});

describe('A link from an e-mail', () => {
  it('opens the linked document in the inbox', async () => {
    const b = shell([doc(1)], { open_shared_link: { id: 1, new: true } });
    render(Inbox);
    await userEvent.click(await screen.findByRole('button', { name: 'Открыть ссылку из письма' }));
    const dialog = screen.getByRole('dialog', { name: 'Открыть ссылку из письма' });
    await userEvent.type(within(dialog).getByLabelText('Ссылка'), 'https://edo.example.kz/s/abc');
    await userEvent.type(within(dialog).getByLabelText('Код авторизации'), '1234');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Открыть' }));
    expect(await screen.findByRole('heading', { name: 'Отчёт о реализации товара № R-1' })).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(b.called('open_shared_link')[0].args).toEqual({ input: { link: 'https://edo.example.kz/s/abc', code: '1234' } });
  });
});

describe('Keyboard layouts', () => {
  it('A works when the Russian layout types «ф» on that key', async () => {
    shell([doc(1)]);
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    const list = screen.getByRole('listbox', { name: 'Список документов' });
    await fireEvent.keyDown(list, { key: 'ArrowDown', code: 'ArrowDown' });
    await fireEvent.keyDown(list, { key: 'ф', code: 'KeyA' });
    expect(await screen.findByRole('dialog', { name: 'Принять документ' })).toBeTruthy();
  });

  it('letters typed into the search box are not shortcuts', async () => {
    shell([doc(1)]);
    render(Inbox);
    await waitFor(() => expect(rows()).toHaveLength(1));
    screen.getByRole('listbox', { name: 'Список документов' }).focus();
    await userEvent.keyboard('{ArrowDown}');
    await userEvent.type(screen.getByRole('searchbox'), 'ars');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
