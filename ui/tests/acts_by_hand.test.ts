// What the ORD does not list yet, typed by hand. «+ Добавить договор…» beside the act's contract:
// a contract or supplementary agreement, the core's per-field messages under their fields with
// nothing added, and the new one in the list at once and picked for the act. «+ Добавить
// статистику…» in the act's statistics tab: the same, and the record listed to link.
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Act, ActDetail, Contract, ContractEntry, DeadlineLine, StatisticsEntry, Violation } from '../src/api/types';
import ActsView from '../src/features/acts/ActsView.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend } from './backend';

const innWrong: Violation = {
  field: 'customerInn',
  code: 'inn_invalid',
  message: '«77012» — не ИНН: 10 цифр у организации, 12 у физического лица',
  messageKk: '«77012» — ИНН емес: ұйымда 10 цифр, жеке тұлғада 12 цифр',
  messageEn: '“77012” is not an INN: 10 digits for an organisation, 12 for a person'
};

/** A shell whose contract list grows with each contract added; check_contract refuses a bad INN. */
function shell() {
  const known: Contract[] = [];
  return backend({
    list_acts: [],
    acts_awaiting: [],
    check_act: [],
    search_contracts: () => known,
    check_contract: (args: Record<string, unknown>) =>
      (args.contract as ContractEntry).customerInn === '77012' ? [innWrong] : [],
    add_contract: (args: Record<string, unknown>) => {
      const e = args.contract as ContractEntry;
      const c: Contract = {
        ordId: e.ordId,
        number: e.number,
        date: e.date,
        customerName: e.customerName,
        customerInn: e.customerInn,
        customerRole: 'advertiser',
        executorName: '',
        kind: e.supplementTo ? 'supplementary_agreement' : 'contract',
        parentId: e.supplementTo,
        executorInn: '',
        executorRole: null
      };
      known.push(c);
      return c;
    }
  });
}

async function newAct() {
  render(ActsView, { onopendocument: vi.fn() });
  await userEvent.click(await screen.findByTestId('act-add'));
  await screen.findByTestId('act-new-title');
}

describe('A contract typed by hand', () => {
  it('is refused on its field with nothing added, then added, listed and picked for the act', async () => {
    setLang('ru');
    const b = shell();
    await newAct();
    await userEvent.click(await screen.findByTestId('act-contract-add'));
    const form = await screen.findByTestId('contract-form');
    await userEvent.type(within(form).getByTestId('contract-number'), 'ДР-7');
    await userEvent.type(within(form).getByTestId('contract-customerName'), 'ООО «Рекламодатель»');
    await userEvent.type(within(form).getByTestId('contract-customerInn'), '77012');
    await userEvent.click(within(form).getByTestId('contract-customerRole-advertiser'));
    await userEvent.click(within(form).getByTestId('contract-add-confirm'));

    const message = await within(form).findByTestId('field-error');
    expect(message.getAttribute('data-field')).toBe('customerInn');
    expect(message.textContent).toBe(innWrong.message);
    expect(within(form).getByText('Исправьте отмеченные поля: договор не добавлен')).toBeTruthy();
    expect(within(form).getByTestId('contract-customerInn').getAttribute('aria-invalid')).toBe('true');
    expect(b.called('add_contract')).toHaveLength(0);

    const inn = within(form).getByTestId('contract-customerInn');
    await userEvent.clear(inn);
    await userEvent.type(inn, '7701234567');
    await userEvent.click(within(form).getByTestId('contract-add-confirm'));
    await waitFor(() => expect(screen.queryByTestId('contract-form')).toBeNull());
    expect(b.called('add_contract')[0].args).toEqual({
      contract: {
        number: 'ДР-7',
        date: '',
        customerName: 'ООО «Рекламодатель»',
        customerInn: '7701234567',
        customerRole: 'advertiser',
        ordId: '',
        supplementTo: ''
      }
    });
    const select = (await screen.findByTestId('act-contract')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('ДР-7'));
    expect(screen.getAllByTestId('act-contract-option').map((o) => o.textContent)).toEqual(['ДР-7 — ООО «Рекламодатель»']);

    // A supplementary agreement, under the contract just added, is its own choice and picked.
    await userEvent.click(screen.getByTestId('act-contract-add'));
    const second = await screen.findByTestId('contract-form');
    await userEvent.click(within(second).getByTestId('contract-kind-agreement'));
    await userEvent.selectOptions(within(second).getByTestId('contract-supplementTo'), 'ДР-7');
    await userEvent.type(within(second).getByTestId('contract-number'), 'ДС-1');
    await userEvent.type(within(second).getByTestId('contract-customerName'), 'ООО «Рекламодатель»');
    await userEvent.click(within(second).getByTestId('contract-customerRole-advertiser'));
    await userEvent.click(within(second).getByTestId('contract-add-confirm'));
    await waitFor(() => expect(screen.queryByTestId('contract-form')).toBeNull());
    expect(b.called('add_contract')[1].args).toMatchObject({ contract: { number: 'ДС-1', supplementTo: 'ДР-7' } });
    await waitFor(() => expect((screen.getByTestId('act-contract') as HTMLSelectElement).value).toBe('ДС-1'));
    expect(screen.getAllByTestId('act-contract-option').map((o) => o.getAttribute('data-kind'))).toEqual([
      'contract',
      'supplementary_agreement'
    ]);
  });

  it('speaks the user’s language and adds nothing when cancelled', async () => {
    setLang('en');
    const b = shell();
    await newAct();
    await userEvent.click(await screen.findByTestId('act-contract-add'));
    const form = await screen.findByTestId('contract-form');
    expect(screen.getByRole('dialog', { name: 'New contract or supplementary agreement' })).toBeTruthy();
    await userEvent.type(within(form).getByTestId('contract-customerInn'), '77012');
    await userEvent.click(within(form).getByTestId('contract-add-confirm'));
    expect((await within(form).findByTestId('field-error')).textContent).toBe(innWrong.messageEn);
    await userEvent.click(within(form).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByTestId('contract-form')).toBeNull());
    expect(b.called('add_contract')).toHaveLength(0);
    setLang('ru');
  });
});

const act: Act = {
  id: 7,
  externalId: 'act-7',
  contract: 'ДР-7',
  number: 'A-17',
  date: '2026-10-31',
  customerRole: 'advertiser',
  executorRole: 'ad_system_operator',
  periodFrom: '2026-10-01',
  periodTo: '2026-10-31',
  amount: '120000.00',
  vatIncluded: true,
  nonAdvertisingServices: false,
  allocations: [{ initialContract: 'ДР-7', amount: '120000.00', vatIncluded: true, statistics: [] }],
  documentId: null,
  registerStatus: 'local',
  registerErrors: [],
  submissions: 0,
  registerVersion: null,
  unsentChange: false,
  deletionRequested: false,
  createdAt: '2026-11-01T09:00:00Z',
  updatedAt: '2026-11-01T09:00:00Z'
};

const impressionsWrong: Violation = {
  field: 'impressions',
  code: 'impressions_invalid',
  message: '«15к» — не число показов: укажите целое число, например 15 000',
  messageKk: '«15к» — көрсетілімдер саны емес: бүтін сан көрсетіңіз, мысалы 15 000',
  messageEn: '“15k” is not a number of impressions: give a whole number, e.g. 15 000'
};

describe('Statistics typed by hand', () => {
  it('are refused on their field with nothing added, then added and listed to link', async () => {
    setLang('ru');
    const lines: DeadlineLine[] = [];
    const detail = (): ActDetail => ({ act, violations: [], statistics: [...lines], document: null });
    const b = backend({
      acts_awaiting: [],
      get_act: detail,
      check_act: [],
      search_contracts: [],
      check_statistics: (args: Record<string, unknown>) =>
        (args.statistics as StatisticsEntry).impressions === '15к' ? [impressionsWrong] : [],
      add_statistics: (args: Record<string, unknown>) => {
        const e = args.statistics as StatisticsEntry;
        const record = {
          id: 'stat_1',
          creative: e.creative,
          platform: e.platform,
          impressions: 15000,
          amount: '1500.00',
          firstShown: e.firstShown,
          deadline: '2026-11-30',
          actId: null,
          allocation: null,
          initialContract: ''
        };
        lines.push({ record, state: 'open', daysLeft: 20 });
        return record;
      }
    });
    render(ActsView, { openRequest: { id: act.id }, onopendocument: vi.fn() });
    await userEvent.click(await screen.findByTestId('act-tab-statistics'));
    expect(await screen.findByText('Статистики нет')).toBeTruthy();
    await userEvent.click(screen.getByTestId('statistics-add'));
    const form = await screen.findByTestId('statistics-form');
    await userEvent.type(within(form).getByTestId('statistics-creative'), 'erid-2VtzqvWgxEP');
    await userEvent.type(within(form).getByTestId('statistics-platform'), 'ozon.ru');
    await userEvent.type(within(form).getByTestId('statistics-impressions'), '15к');
    await userEvent.type(within(form).getByTestId('statistics-amount'), '1 500,00');
    await userEvent.type(within(form).getByTestId('statistics-firstShown'), '2026-10-03');
    await userEvent.click(within(form).getByTestId('statistics-add-confirm'));
    const message = await within(form).findByTestId('field-error');
    expect(message.getAttribute('data-field')).toBe('impressions');
    expect(message.textContent).toBe(impressionsWrong.message);
    expect(b.called('add_statistics')).toHaveLength(0);

    const impressions = within(form).getByTestId('statistics-impressions');
    await userEvent.clear(impressions);
    await userEvent.type(impressions, '15 000');
    await userEvent.click(within(form).getByTestId('statistics-add-confirm'));
    await waitFor(() => expect(screen.queryByTestId('statistics-form')).toBeNull());
    expect(b.called('add_statistics')[0].args).toEqual({
      statistics: {
        creative: 'erid-2VtzqvWgxEP',
        platform: 'ozon.ru',
        impressions: '15 000',
        amount: '1 500,00',
        firstShown: '2026-10-03'
      }
    });
    const row = await screen.findByTestId('statistics-row');
    expect(row.getAttribute('data-statistics-id')).toBe('stat_1');
    expect(within(row).getByRole('button', { name: 'Привязать' })).toBeTruthy();
  });
});
