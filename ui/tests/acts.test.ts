import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Act, ActDetail, ActDraft, ActRow, DeadlineLine, Violation } from '../src/api/types';
import ActsView from '../src/features/acts/ActsView.svelte';
import { onScreenRequest } from '../src/features/app/navigation';
import DocumentView from '../src/features/document/DocumentView.svelte';
import NotificationBell from '../src/features/notifications/NotificationBell.svelte';
import { notificationsChanged } from '../src/features/notifications/notificationsChanged';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';
import { detail as documentDetail, doc } from './fixtures';

function act(over: Partial<Act> = {}): Act {
  return {
    id: 7,
    externalId: 'act-7',
    contract: 'ДР-2026/15',
    number: 'A-17',
    date: '2026-10-31',
    customerRole: 'advertiser',
    executorRole: 'ad_system_operator',
    periodFrom: '2026-10-01',
    periodTo: '2026-10-31',
    amount: '120000.00',
    vatIncluded: true,
    nonAdvertisingServices: false,
    allocations: [{ initialContract: 'ДР-2026/15', amount: '120000.00', vatIncluded: true, statistics: [] }],
    documentId: null,
    registerStatus: 'local',
    registerErrors: [],
    submissions: 0,
    registerVersion: null,
    unsentChange: false,
    deletionRequested: false,
    createdAt: '2026-11-01T09:00:00Z',
    updatedAt: '2026-11-01T09:00:00Z',
    ...over
  };
}

const row = (a: Act, deadline: ActRow['deadline'] = null, creatives = 0): ActRow => ({
  ...a,
  contractNumber: a.contract,
  creatives,
  deadline
});
const detail = (a: Act, over: Partial<ActDetail> = {}): ActDetail => ({
  act: a,
  violations: [],
  statistics: [],
  document: null,
  ...over
});

const exceeds: Violation = {
  field: 'allocations[0].amount',
  code: 'allocation_exceeds_act',
  message: 'Сумма по договору 150000.00 ₽ с НДС 22% больше суммы акта 120000.00 ₽ с НДС',
  messageKk: 'Шарт бойынша сома 150000.00 ₽ ҚҚС 22% қоса алғанда акт сомасынан 120000.00 ₽ көп',
  messageEn: 'The contract’s amount 150000.00 RUB incl. 22% VAT exceeds the act’s 120000.00 RUB incl. VAT'
};

/** The core's verdict stands in for check_act: too much on line 1 is the one broken rule. */
const check = (args: Record<string, unknown>) =>
  (args.draft as ActDraft).allocations[0]?.amount === '150000.00' ? [exceeds] : [];

/** The label (field) an input belongs to. */
const fieldOf = (testid: string) => screen.getByTestId(testid).closest('label') as HTMLElement;

function openEditor(a: Act, over: Record<string, unknown> = {}) {
  const b = backend({
    acts_awaiting: [],
    get_act: detail(a),
    check_act: check,
    search_contracts: [],
    act_history: [],
    verify_history: { entries: 3, intact: true, firstBroken: null },
    ...over
  });
  render(ActsView, { openRequest: { id: a.id }, onopendocument: vi.fn() });
  return b;
}

describe('Acts list', () => {
  it('says how to make the first act when there are none', async () => {
    backend({ list_acts: [], acts_awaiting: [] });
    render(ActsView, { onopendocument: vi.fn() });
    expect(await screen.findByTestId('acts-empty')).toBeTruthy();
    expect(screen.getByText(/откройте подписанный закрывающий документ/)).toBeTruthy();
    expect(screen.getByTestId('act-add').textContent?.trim()).toBe('Добавить');
  });

  it('shows each act with its register status and deadline badge', async () => {
    backend({
      acts_awaiting: [],
      list_acts: [
        row(act({ id: 1, number: 'A-1', registerStatus: 'accepted' }), { state: 'registered', deadline: '2026-11-30', daysLeft: 5 }),
        row(act({ id: 2, number: 'A-2', registerStatus: 'rejected' }), { state: 'due_soon', deadline: '2026-11-30', daysLeft: 3 }),
        row(act({ id: 3, number: 'A-3' }), { state: 'overdue', deadline: '2020-03-01', daysLeft: -2000 }),
        row(act({ id: 4, number: 'A-4', registerStatus: 'processing' }), { state: 'open', deadline: '2026-12-30', daysLeft: 35 })
      ]
    });
    render(ActsView, { onopendocument: vi.fn() });
    const rows = await screen.findAllByTestId('act-row');
    expect(rows).toHaveLength(4);
    const status = rows.map((r) => within(r).getByTestId('register-status').textContent?.trim());
    expect(status).toEqual(['Принят', 'Отклонён', 'Не отправлен', 'На проверке в ЕРИР']);
    const badge = rows.map((r) => within(r).getByTestId('deadline-badge'));
    expect(badge.map((b) => b.getAttribute('data-state'))).toEqual(['registered', 'due_soon', 'overdue', 'open']);
    expect(badge[1].textContent).toBe('Срок истекает 30.11.2026: осталось 3 дня');
    expect(badge[2].textContent).toBe('Просрочено: срок был 01.03.2020');
    expect(badge[3].textContent).toBe('Срок: до 30.12.2026');
    expect(within(rows[0]).getByText('120 000,00 ₽')).toBeTruthy();
  });

  it('has the ORD page’s columns and a ⋯ menu per act: edit, history, delete', async () => {
    const b = backend({
      list_acts: [row(act({ contract: 'ctr_3', registerStatus: 'accepted' }), null, 3)].map((r) => ({ ...r, contractNumber: 'ДС-1' })),
      get_act: detail(act({ registerStatus: 'accepted' })),
      check_act: check,
      search_contracts: [],
      acts_awaiting: [],
      act_history: [],
      verify_history: { entries: 1, intact: true, firstBroken: null }
    });
    render(ActsView, { onopendocument: vi.fn() });
    const r = await screen.findByTestId('act-row');
    const heads = screen.getAllByRole('columnheader').map((h) => h.textContent?.trim());
    expect(heads.slice(0, 7)).toEqual(['Номер', 'Дата', 'Договор', 'Сумма', 'Креативов', 'Статус в ЕРИР', 'Срок']);
    expect(within(r).getByTestId('act-row-contract').textContent).toBe('ДС-1');
    expect(within(r).getByTestId('act-row-creatives').textContent).toBe('3');
    await userEvent.click(within(r).getByTestId('act-menu'));
    const items = within(r).getAllByRole('menuitem').map((i) => i.textContent?.trim());
    expect(items).toEqual(['Редактировать', 'История изменений', 'Удалить']);
    await userEvent.click(within(r).getByTestId('act-menu-history'));
    expect(await screen.findByText('Цепочка истории цела: проверено записей — 1')).toBeTruthy();
    expect(screen.getByTestId('act-tab-history').getAttribute('aria-selected')).toBe('true');
    await userEvent.click(screen.getByRole('button', { name: 'К списку актов' }));
    await userEvent.click(within(await screen.findByTestId('act-row')).getByTestId('act-menu'));
    await userEvent.click(screen.getByTestId('act-menu-edit'));
    // «Редактировать» on an accepted act opens its fields for change at once.
    expect((await screen.findByTestId('act-number') as HTMLInputElement).disabled).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'К списку актов' }));
    await userEvent.click(within(await screen.findByTestId('act-row')).getByTestId('act-menu'));
    await userEvent.click(screen.getByTestId('act-menu-delete'));
    expect(screen.getByRole('dialog', { name: 'Удаление акта' })).toBeTruthy();
    expect(b.called('request_act_deletion')).toHaveLength(0);
  });

  it('«Добавить» opens an empty act; the contract is picked from a list with agreements under their contract', async () => {
    const contracts = [
      { ordId: 'ctr_1', number: 'ДР-1', date: '2026-01-10', customerName: 'ООО «Рекламодатель»', customerInn: '', customerRole: 'advertiser', executorName: '', kind: 'contract', parentId: '' },
      { ordId: 'ctr_3', number: 'ДС-1', date: '2026-03-01', customerName: 'ООО «Рекламодатель»', customerInn: '', customerRole: 'advertiser', executorName: '', kind: 'supplementary_agreement', parentId: 'ctr_1' }
    ];
    const b = backend({
      list_acts: [],
      acts_awaiting: [],
      check_act: [],
      search_contracts: contracts,
      save_act: (args: Record<string, unknown>) => detail(act({ ...(args.draft as ActDraft), id: 12, amount: '120000.50' })),
      submit_act: detail(act({ id: 12, registerStatus: 'accepted', registerVersion: 1 })),
      notifications: []
    });
    render(ActsView, { onopendocument: vi.fn() });
    await userEvent.click(await screen.findByTestId('act-add'));
    expect(await screen.findByTestId('act-new-title')).toBeTruthy();
    const select = (await screen.findByTestId('act-contract')) as HTMLSelectElement;
    const options = screen.getAllByTestId('act-contract-option');
    expect(options.map((o) => o.getAttribute('data-kind'))).toEqual(['contract', 'supplementary_agreement']);
    expect(options[1].textContent).toContain('доп. соглашение ДС-1');
    await userEvent.selectOptions(select, 'ctr_3');
    await userEvent.type(screen.getByTestId('act-number'), 'A-1');
    await userEvent.type(screen.getByTestId('act-amount'), '120 000,50');
    await userEvent.click(screen.getByTestId('act-executorRole-advertiser'));
    await userEvent.click(screen.getByTestId('act-save'));
    expect(b.called('save_act')[0].args).toMatchObject({
      id: null,
      draft: { contract: 'ctr_3', number: 'A-1', amount: '120 000,50', executorRole: 'advertiser' }
    });
    expect(await screen.findByRole('heading', { name: 'Акт № A-1' })).toBeTruthy();
    await waitFor(() => expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByTestId('act-submit'));
    expect(await screen.findByText('ЕРИР принял акт')).toBeTruthy();
    expect(b.called('submit_act')[0].args).toEqual({ id: 12 });
  });

  it('opens an act from the list', async () => {
    backend({
      acts_awaiting: [],
      list_acts: [row(act())],
      get_act: detail(act()),
      check_act: check,
      search_contracts: []
    });
    render(ActsView, { onopendocument: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Акт № A-17' }));
    expect(await screen.findByTestId('act-editor')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Акт № A-17' })).toBeTruthy();
  });

  it('the nav entry brings the list back from an open act', async () => {
    backend({ list_acts: [row(act())], acts_awaiting: [], get_act: detail(act()), check_act: check, search_contracts: [] });
    const { rerender } = render(ActsView, { openRequest: { id: 7 }, onopendocument: vi.fn() });
    expect(await screen.findByTestId('act-editor')).toBeTruthy();
    await rerender({ openRequest: { id: null } });
    expect(await screen.findByTestId('act-row')).toBeTruthy();
    expect(screen.queryByTestId('act-editor')).toBeNull();
  });

  it('a failure reads as plain words with a retry, never a stack trace', async () => {
    let n = 0;
    backend({
      acts_awaiting: [],
      list_acts: () => (n++ === 0 ? failure('storage', 'База данных занята другой программой', true) : [])
    });
    render(ActsView, { onopendocument: vi.fn() });
    expect(await screen.findByText('База данных занята другой программой')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    expect(await screen.findByTestId('acts-empty')).toBeTruthy();
  });

  it('a foreign error shows the generic sentence, not its text or stack', async () => {
    backend({
      acts_awaiting: [],
      get_act: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'act')");
      }
    });
    render(ActsView, { openRequest: { id: 7 }, onopendocument: vi.fn() });
    expect(await screen.findByText('Что-то пошло не так. Подробности записаны в журнал.')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/TypeError|Cannot read|at .*\.ts/);
  });
});

describe('Act editor', () => {
  it('puts the rule’s message under the allocation amount and clears it once fixed', async () => {
    const b = openEditor(act());
    const amount = (await screen.findByTestId('allocation-amount')) as HTMLInputElement;
    expect(screen.queryByTestId('field-error')).toBeNull();
    await userEvent.clear(amount);
    await userEvent.type(amount, '150000.00');
    const message = await within(fieldOf('allocation-amount')).findByTestId('field-error');
    expect(message.textContent).toContain('больше суммы акта 120000.00 ₽');
    expect(message.getAttribute('data-field')).toBe('allocations[0].amount');
    expect(within(fieldOf('act-amount')).queryByTestId('field-error')).toBeNull();
    expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Исправьте ошибки в отмеченных полях, чтобы отправить акт')).toBeTruthy();
    // The rules are the core's: the draft as typed went to check_act.
    const last = b.called('check_act').at(-1)!.args.draft as ActDraft;
    expect(last.allocations[0].amount).toBe('150000.00');

    await userEvent.clear(amount);
    await userEvent.type(amount, '120000.00');
    await waitFor(() => expect(screen.queryByTestId('field-error')).toBeNull());
    await waitFor(() => expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(false));
  });

  it('shows the message in the chosen language', async () => {
    setLang('kk');
    openEditor(act({ allocations: [{ initialContract: 'ДР-2026/15', amount: '150000.00', vatIncluded: true, statistics: [] }] }));
    const message = await screen.findByTestId('field-error');
    expect(message.textContent).toContain('акт сомасынан 120000.00 ₽ көп');
  });

  it('adds and removes allocation lines and searches known contracts', async () => {
    const b = openEditor(act({ vatIncluded: false, allocations: [{ initialContract: 'ДР-2026/15', amount: '120000.00', vatIncluded: false, statistics: [] }] }), {
      search_contracts: (args: Record<string, unknown>) =>
        args.query === ''
          ? []
          : [
              { ordId: 'ord-9', number: 'ИД-9', date: '', customerName: 'ООО «Рекламодатель»', customerInn: '', customerRole: 'advertiser', executorName: '', kind: 'contract', parentId: '' }
            ]
    });
    await screen.findByTestId('allocation-amount');
    await userEvent.click(screen.getByTestId('allocation-add'));
    expect(screen.getAllByTestId('allocation-line')).toHaveLength(2);
    // A new line starts with the act's VAT flag, so like is compared with like.
    expect((screen.getAllByTestId('allocation-vat')[1] as HTMLInputElement).checked).toBe(false);
    const contract = screen.getAllByTestId('allocation-contract')[1];
    await userEvent.type(contract, 'Рекл');
    await waitFor(() => expect(b.called('search_contracts').at(-1)?.args).toEqual({ query: 'Рекл' }));
    expect(await screen.findByText('ИД-9 — ООО «Рекламодатель»')).toBeTruthy();
    await userEvent.click(screen.getAllByTestId('allocation-remove')[1]);
    expect(screen.getAllByTestId('allocation-line')).toHaveLength(1);
  });

  it('names the contract an ORD id stands for under the line, so «ord-9» reads as its number and customer', async () => {
    const b = openEditor(act({ allocations: [{ initialContract: 'ord-9', amount: '120000.00', vatIncluded: true, statistics: [] }] }), {
      search_contracts: (args: Record<string, unknown>) =>
        args.query === 'ord-9'
          ? [{ ordId: 'ord-9', number: 'ИД-9', date: '', customerName: 'ООО «Рекламодатель»', customerInn: '', customerRole: 'advertiser', executorName: '', kind: 'contract', parentId: '' }]
          : []
    });
    const name = await screen.findByTestId('allocation-contract-name');
    expect(name.textContent).toBe('ИД-9 — ООО «Рекламодатель»');
    expect(b.called('search_contracts').some((c) => c.args?.query === 'ord-9')).toBe(true);
    // A value that is no known contract shows no name, never a stale one.
    const contract = screen.getByTestId('allocation-contract');
    await userEvent.clear(contract);
    await userEvent.type(contract, 'нет такого');
    await waitFor(() => expect(screen.queryByTestId('allocation-contract-name')).toBeNull());
  });

  it('saves the edits, submits, and shows the register’s acceptance', async () => {
    const accepted = act({ number: 'A-17/1', registerStatus: 'accepted', submissions: 1 });
    const b = openEditor(act(), {
      save_act: (args: Record<string, unknown>) => detail(act({ ...(args.draft as ActDraft) })),
      submit_act: detail(accepted),
      notifications: []
    });
    const number = (await screen.findByTestId('act-number')) as HTMLInputElement;
    await userEvent.clear(number);
    await userEvent.type(number, 'A-17/1');
    await waitFor(() => expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByTestId('act-submit'));
    expect(await screen.findByText('ЕРИР принял акт')).toBeTruthy();
    expect(b.called('save_act')[0].args).toMatchObject({ id: 7, draft: { number: 'A-17/1' } });
    expect(b.called('submit_act')[0].args).toEqual({ id: 7 });
    expect(b.calls.findIndex((c) => c.cmd === 'save_act')).toBeLessThan(b.calls.findIndex((c) => c.cmd === 'submit_act'));
    expect(screen.getByTestId('register-status').textContent?.trim()).toBe('Принят');
    // In the register: fields closed until «Редактировать»; deletion is a letter.
    expect(screen.queryByTestId('act-submit')).toBeNull();
    expect(screen.getByTestId('act-edit')).toBeTruthy();
    expect((screen.getByTestId('act-number') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByTestId('act-request-deletion')).toBeTruthy();
  });

  it('puts the register’s rejection on the right fields', async () => {
    const rejected = act({
      registerStatus: 'rejected',
      submissions: 1,
      registerErrors: [
        { field: 'allocations[0].amount', message: 'сумма не сходится со статистикой' },
        { field: 'contract', message: 'договор не зарегистрирован в ЕРИР' }
      ]
    });
    openEditor(act(), { submit_act: detail(rejected) });
    await screen.findByTestId('allocation-amount');
    await waitFor(() => expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByTestId('act-submit'));
    expect(await screen.findByTestId('register-rejected')).toBeTruthy();
    const onAmount = within(fieldOf('allocation-amount')).getByTestId('field-error');
    expect(onAmount.textContent).toBe('ЕРИР: сумма не сходится со статистикой');
    expect(onAmount.getAttribute('data-source')).toBe('register');
    expect(within(fieldOf('act-contract')).getByTestId('field-error').textContent).toBe(
      'ЕРИР: договор не зарегистрирован в ЕРИР'
    );
    expect(within(fieldOf('act-number')).queryByTestId('field-error')).toBeNull();
    expect(screen.getByTestId('register-status').textContent?.trim()).toBe('Отклонён');
    // A rejected act can be corrected and sent again.
    expect((screen.getByTestId('act-number') as HTMLInputElement).disabled).toBe(false);
  });

  it('a submission the shell refuses is explained in plain words', async () => {
    openEditor(act(), {
      submit_act: () => failure('operator_unreachable', 'Оператор рекламных данных недоступен: connection refused', true)
    });
    await screen.findByTestId('allocation-amount');
    await waitFor(() => expect((screen.getByTestId('act-submit') as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByTestId('act-submit'));
    expect(await screen.findByText('Оператор рекламных данных недоступен: connection refused')).toBeTruthy();
    expect(screen.getByTestId('register-status').textContent?.trim()).toBe('Не отправлен');
  });

  it('«Удалить» prepares the letter to the ORD’s support, records it, and opens it on request', async () => {
    const letter = {
      to: 'info@ord.ozon.ru',
      subject: 'Удаление акта № A-17 от 2026-10-31',
      body: 'Здравствуйте!\n\nПрошу удалить из ЕРИР акт № A-17 от 2026-10-31 по договору № ДР-2026/15.\nПричина: Акт загружен дважды\n',
      mailto: 'mailto:info@ord.ozon.ru?subject=x&body=y'
    };
    let opened = 0;
    const b = openEditor(act({ registerStatus: 'accepted' }), {
      request_act_deletion: () => ({
        detail: detail(act({ registerStatus: 'accepted', deletionRequested: true })),
        request: { id: 1, actId: 7, reason: 'Акт загружен дважды', createdAt: '2026-11-01T09:05:00Z' },
        letter
      }),
      open_act_deletion_letter: () =>
        opened++ === 0 ? failure('invalid_input', 'Почтовая программа не открылась: скопируйте адрес') : null
    });
    await userEvent.click(await screen.findByTestId('act-request-deletion'));
    const dialog = screen.getByRole('dialog', { name: 'Удаление акта' });
    expect(within(dialog).getByText(/только по письму в поддержку \(info@ord\.ozon\.ru\)/)).toBeTruthy();
    const confirm = within(dialog).getByTestId('deletion-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await userEvent.type(within(dialog).getByTestId('deletion-reason'), 'Акт загружен дважды');
    await userEvent.click(confirm);
    expect(b.called('request_act_deletion')[0].args).toEqual({ id: 7, reason: 'Акт загружен дважды' });
    expect(await within(dialog).findByTestId('deletion-ready')).toBeTruthy();
    expect((within(dialog).getByLabelText('Адрес поддержки ОРД') as HTMLInputElement).value).toBe('info@ord.ozon.ru');
    expect((within(dialog).getByLabelText('Тема письма') as HTMLInputElement).value).toBe(letter.subject);
    expect((within(dialog).getByLabelText('Текст письма') as HTMLTextAreaElement).value).toContain('Причина: Акт загружен дважды');
    // No mail program: the user is told, and the address and text stay there to copy.
    await userEvent.click(within(dialog).getByTestId('deletion-open-letter'));
    expect(await within(dialog).findByText(/Почтовая программа не открылась/)).toBeTruthy();
    await userEvent.click(within(dialog).getByTestId('deletion-open-letter'));
    expect(b.called('open_act_deletion_letter')).toEqual([
      { cmd: 'open_act_deletion_letter', args: { id: 7 }, company: 'main' },
      { cmd: 'open_act_deletion_letter', args: { id: 7 }, company: 'main' }
    ]);
    await userEvent.click(within(dialog).getByTestId('deletion-close'));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('Удаление запрошено')).toBeTruthy();
    expect(screen.getByTestId('act-editor')).toBeTruthy();
  });

  it('an accepted act is edited and sent again; the answer shows its version', async () => {
    const accepted = act({ registerStatus: 'accepted', submissions: 1, registerVersion: 1 });
    const b = openEditor(accepted, {
      save_act: (args: Record<string, unknown>) =>
        detail(act({ ...(args.draft as ActDraft), registerStatus: 'accepted', registerVersion: 1, unsentChange: true })),
      submit_act: detail(act({ number: 'A-17/2', registerStatus: 'accepted', submissions: 2, registerVersion: 2 })),
      notifications: []
    });
    expect((await screen.findByTestId('act-version')).textContent).toBe('Версия 1');
    expect((screen.getByTestId('act-number') as HTMLInputElement).disabled).toBe(true);
    await userEvent.click(screen.getByTestId('act-edit'));
    const number = screen.getByTestId('act-number') as HTMLInputElement;
    expect(number.disabled).toBe(false);
    expect(screen.getByTestId('act-editing')).toBeTruthy();
    await userEvent.clear(number);
    await userEvent.type(number, 'A-17/2');
    await userEvent.click(screen.getByTestId('act-save'));
    expect(await screen.findByTestId('act-unsent')).toBeTruthy();
    const send = screen.getByTestId('act-submit') as HTMLButtonElement;
    expect(send.textContent?.trim()).toBe('Отправить изменения в ЕРИР');
    await waitFor(() => expect(send.disabled).toBe(false));
    await userEvent.click(send);
    expect(await screen.findByText('ЕРИР принял акт')).toBeTruthy();
    expect(screen.getByTestId('act-version').textContent).toBe('Версия 2');
    expect(screen.queryByTestId('act-unsent')).toBeNull();
    expect(b.called('submit_act')[0].args).toEqual({ id: 7 });
  });

  it('links statistics to an allocation line and clears them', async () => {
    const line = (over: Partial<DeadlineLine['record']> = {}, state: DeadlineLine['state'] = 'due_soon'): DeadlineLine => ({
      record: {
        id: 'stat_1',
        creative: 'erid-abc',
        platform: 'ozon.ru',
        impressions: 1000,
        amount: '1500.00',
        firstShown: '2026-10-15',
        deadline: '2026-11-30',
        actId: null,
        allocation: null,
        initialContract: '',
        ...over
      },
      state,
      daysLeft: 3
    });
    let linked = false;
    const b = openEditor(act(), {
      get_act: () => detail(act(), { statistics: [line(linked ? { actId: 7, allocation: 0 } : {})] }),
      link_statistics: () => {
        linked = true;
        return line({ actId: 7, allocation: 0 }).record;
      },
      clear_statistics: () => {
        linked = false;
        return line().record;
      }
    });
    await userEvent.click(await screen.findByTestId('act-tab-statistics'));
    const r = screen.getByTestId('statistics-row');
    expect(within(r).getByTestId('deadline-badge').textContent).toBe('Срок истекает 30.11.2026: осталось 3 дня');
    await userEvent.click(within(r).getByRole('button', { name: 'Привязать' }));
    expect(b.called('link_statistics')[0].args).toEqual({ statistics: 'stat_1', act: 7, allocation: 0 });
    expect(await screen.findByText('Привязана к строке 1')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Отвязать' }));
    expect(b.called('clear_statistics')[0].args).toEqual({ statistics: 'stat_1' });
    expect(await screen.findByRole('button', { name: 'Привязать' })).toBeTruthy();
  });

  it('shows the act’s history from the shared chain', async () => {
    openEditor(act(), {
      act_history: [
        { seq: 1, subject: 'act:7', at: '2026-11-01T09:00:00Z', actor: 'user', action: 'act_created_from_document', fromStatus: null, toStatus: null, reason: null, detail: {}, prevMac: '0', mac: '1' },
        { seq: 2, subject: 'act:7', at: '2026-11-01T09:03:00Z', actor: 'user', action: 'act_edited', fromStatus: null, toStatus: null, reason: null, detail: { changed: ['number', 'amount'], nextVersion: 2 }, prevMac: '1', mac: '2' },
        { seq: 3, subject: 'act:7', at: '2026-11-01T09:04:00Z', actor: 'user', action: 'register_answer', fromStatus: 'processing', toStatus: 'accepted', reason: null, detail: { registerErrors: [], version: 2 }, prevMac: '2', mac: '3' },
        { seq: 4, subject: 'act:7', at: '2026-11-01T09:05:00Z', actor: 'user', action: 'deletion_requested', fromStatus: null, toStatus: null, reason: 'Акт загружен дважды', detail: { request: 1, to: 'info@ord.ozon.ru' }, prevMac: '3', mac: '4' }
      ]
    });
    await userEvent.click(await screen.findByTestId('act-tab-history'));
    expect(await screen.findByText('Акт создан по документу')).toBeTruthy();
    expect(screen.getByText('Запрошено удаление')).toBeTruthy();
    expect(screen.getByText('Акт загружен дважды')).toBeTruthy();
    const details = screen.getAllByTestId('history-detail').map((d) => d.textContent);
    expect(details).toEqual([
      'Изменено: Номер акта, Сумма акта, ₽ · станет версией 2 после отправки',
      'версия 2',
      'Письмо в info@ord.ozon.ru'
    ]);
    expect(screen.getByText('Цепочка истории цела: проверено записей — 3')).toBeTruthy();
  });

  it('links back to the document it was made from', async () => {
    backend({
      acts_awaiting: [],
      get_act: detail(act({ documentId: 3 }), { document: { id: 3, kind: 'other_services_act', number: 'R-3', date: '2026-10-31', status: 'delivered' } }),
      check_act: check,
      search_contracts: []
    });
    const onopendocument = vi.fn();
    render(ActsView, { openRequest: { id: 7 }, onopendocument });
    await userEvent.click(await screen.findByTestId('act-open-document'));
    expect(onopendocument).toHaveBeenCalledWith(3);
  });
});

describe('Acts elsewhere in the app', () => {
  it('a signed document offers to create its act and asks for the acts screen', async () => {
    const b = backend({
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 1, intact: true, firstBroken: null },
      act_from_document: { act: act({ id: 11, documentId: 5 }), toFill: [['contract', 'Укажите договор']] }
    });
    const asked = vi.fn();
    const stop = onScreenRequest(asked);
    render(DocumentView, {
      detail: documentDetail(doc(5, { status: 'delivered', decision: 'accept' })),
      onaction: vi.fn(),
      onopen: vi.fn()
    });
    await userEvent.click(screen.getByTestId('create-act-from-document'));
    expect(b.called('act_from_document')[0].args).toEqual({ documentId: 5 });
    await waitFor(() => expect(asked).toHaveBeenCalledWith({ screen: 'acts', actId: 11 }));
    stop();
  });

  it('an unsigned document has no such button', () => {
    backend({
      document_bytes: new TextEncoder().encode('<r/>').buffer,
      document_history: [],
      verify_history: { entries: 1, intact: true, firstBroken: null }
    });
    render(DocumentView, { detail: documentDetail(doc(5)), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.queryByTestId('create-act-from-document')).toBeNull();
  });

  it('the bell reloads after a submission and reminds of statistics deadlines', async () => {
    let rejected = false;
    const b = backend({
      waiting_documents: [],
      notifications: () =>
        rejected
          ? [{ id: 1, category: 'error', documentId: null, message: 'ЕРИР отклонил акт № A-17 от 2026-10-31: contract: договор не зарегистрирован в ЕРИР', createdAt: '2026-11-01T09:05:00Z', readAt: null }]
          : [],
      act_deadlines: [
        { record: { id: 's1', creative: 'erid-abc', platform: 'ozon.ru', impressions: 1, amount: '1.00', firstShown: '2026-10-15', deadline: '2026-11-30', actId: 7, allocation: 0 }, state: 'due_soon', daysLeft: 3 },
        { record: { id: 's2', creative: 'erid-old', platform: 'ozon.ru', impressions: 1, amount: '1.00', firstShown: '2020-01-15', deadline: '2020-03-01', actId: null, allocation: null }, state: 'overdue', daysLeft: -9 },
        { record: { id: 's3', creative: 'erid-new', platform: 'ozon.ru', impressions: 1, amount: '1.00', firstShown: '2026-11-15', deadline: '2027-01-30', actId: null, allocation: null }, state: 'open', daysLeft: 60 }
      ]
    });
    render(NotificationBell, { onopen: vi.fn() });
    expect(await screen.findByRole('button', { name: 'Уведомления: непрочитанных 2' })).toBeTruthy();
    rejected = true;
    notificationsChanged();
    const bell = await screen.findByRole('button', { name: 'Уведомления: непрочитанных 3' });
    expect(b.called('notifications')).toHaveLength(2);
    await userEvent.click(bell);
    expect(screen.getByText(/ЕРИР отклонил акт № A-17/)).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Напоминания' }));
    const reminders = screen.getByTestId('deadline-reminders');
    expect(within(reminders).getByText('Статистика креатива erid-abc: срок регистрации в ЕРИР истекает 30.11.2026')).toBeTruthy();
    expect(within(reminders).getByText('Статистика креатива erid-old не зарегистрирована в ЕРИР: срок истёк 01.03.2020')).toBeTruthy();
    expect(within(reminders).queryByText(/erid-new/)).toBeNull();
    const asked = vi.fn();
    const stop = onScreenRequest(asked);
    await userEvent.click(within(reminders).getByRole('button', { name: 'Открыть акт' }));
    expect(asked).toHaveBeenCalledWith({ screen: 'acts', actId: 7 });
    stop();
  });
});
