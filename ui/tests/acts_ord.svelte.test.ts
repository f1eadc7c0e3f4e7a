import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { AllocationDraft, CatalogReport } from '../src/api/types';
import ActsView from '../src/features/acts/ActsView.svelte';
import AllocationBlock from '../src/features/acts/AllocationBlock.svelte';
import OrdAccountForm from '../src/features/settings/OrdAccountForm.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';

const report = (over: Partial<CatalogReport> = {}): CatalogReport => ({
  contractsAdded: 4,
  contractsUpdated: 0,
  statisticsAdded: 5,
  statisticsUpdated: 0,
  setAside: [],
  stopped: null,
  ...over
});

describe('ORD in the acts view', () => {
  it('syncs with the ORD and shows what came and what was set aside', async () => {
    const b = backend({
      list_acts: [],
      acts_awaiting: [],
      sync_ord: report({ setAside: [{ list: 'statistics', item: 'stat_9', reason: 'amount «x» — не сумма' }] })
    });
    render(ActsView, { onopendocument: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Обновить из ОРД' }));
    const r = await screen.findByTestId('ord-report');
    expect(r.textContent).toContain('Договоров добавлено 4, обновлено 0; статистики добавлено 5');
    expect(r.textContent).toContain('stat_9: amount «x» — не сумма');
    // The list is read again after the catalogue changed.
    await waitFor(() => expect(b.called('list_acts').length).toBe(2));
  });

  it('without an ORD account says so, and export still works', async () => {
    const b = backend({
      list_acts: [],
      acts_awaiting: [],
      sync_ord: () => failure('ord_account_missing', 'Учётная запись ОРД не добавлена'),
      export_acts: (args: Record<string, unknown>) => (args.format === 'csv' ? '/home/u/acts.csv' : null)
    });
    render(ActsView, { onopendocument: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Обновить из ОРД' }));
    expect(await screen.findByText(/можно выгрузить в JSON или CSV/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт CSV' }));
    expect(await screen.findByText('Акты выгружены: /home/u/acts.csv')).toBeTruthy();
    expect(b.called('export_acts')[0].args).toEqual({ format: 'csv' });
  });

  it('imports contracts from CSV and lists each refused line', async () => {
    const b = backend({
      list_acts: [],
      acts_awaiting: [],
      import_catalog_csv: report({
        contractsAdded: 1,
        statisticsAdded: 0,
        setAside: [{ list: 'contracts', item: 'строка 3', reason: 'date «01.02.2026» — не дата ГГГГ-ММ-ДД' }]
      })
    });
    render(ActsView, { onopendocument: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: 'Договоры из CSV' }));
    expect(await screen.findByText('строка 3: date «01.02.2026» — не дата ГГГГ-ММ-ДД')).toBeTruthy();
    expect(b.called('import_catalog_csv')[0].args).toEqual({ what: 'contracts' });
  });

  it('reminds of signed documents without an act and makes one from them', async () => {
    const b = backend({
      list_acts: [],
      acts_awaiting: [{ documentId: 12, kind: 'placement_services_act', number: 'P-1', date: '2026-10-31', amount: null, currency: 'KZT' }],
      act_from_document: { act: { id: 40 }, toFill: [] },
      get_act: () => new Promise(() => {})
    });
    render(ActsView, { onopendocument: vi.fn() });
    const block = await screen.findByTestId('awaiting-acts');
    expect(block.textContent).toContain('№ P-1 от 2026-10-31');
    await userEvent.click(screen.getByRole('button', { name: 'Создать акт' }));
    await waitFor(() => expect(b.called('act_from_document')[0]?.args).toEqual({ documentId: 12 }));
    await waitFor(() => expect(b.called('get_act')[0]?.args).toEqual({ id: 40 }));
  });
});

describe('Split of the act amount', () => {
  const lines = (n: number): AllocationDraft[] =>
    Array.from({ length: n }, (_, i) => ({ initialContract: `ИД-${i}`, amount: '', vatIncluded: true, statistics: [] }));

  it('fills the one line with the act amount and splits several by the bases typed', async () => {
    const b = backend({
      distribute_act: (args: Record<string, unknown>) => {
        const d = args.draft as { allocations: AllocationDraft[] };
        const bases = args.bases as string[];
        const amounts = bases.length === 0 ? ['100.00'] : ['33.34', '33.33', '33.33'];
        return { allocations: d.allocations.map((a, i) => ({ ...a, amount: amounts[i] })) };
      },
      // Each line's contract is looked up once to name it under the line.
      search_contracts: []
    });
    const props = $state({ allocations: lines(1) });
    const common = { messages: new Map(), readonly: false, linked: () => 0, vatIncluded: true, actAmount: '100,00' };
    const { unmount } = render(AllocationBlock, { ...common, get allocations() { return props.allocations; }, set allocations(v) { props.allocations = v; } });
    await userEvent.click(screen.getByTestId('allocation-fill'));
    await waitFor(() => expect((screen.getByTestId('allocation-amount') as HTMLInputElement).value).toBe('100.00'));
    expect(b.called('distribute_act')[0].args).toMatchObject({ draft: { amount: '100,00' }, bases: [] });
    unmount();

    props.allocations = lines(3);
    render(AllocationBlock, { ...common, get allocations() { return props.allocations; }, set allocations(v) { props.allocations = v; } });
    await userEvent.click(screen.getByTestId('allocation-split'));
    for (const input of screen.getAllByTestId('allocation-base')) await userEvent.type(input, '1');
    await userEvent.click(screen.getByTestId('allocation-split-apply'));
    await waitFor(() =>
      expect(screen.getAllByTestId('allocation-amount').map((i) => (i as HTMLInputElement).value)).toEqual(['33.34', '33.33', '33.33'])
    );
    expect(b.called('distribute_act')[1].args).toMatchObject({ bases: ['1', '1', '1'] });
  });
});

describe('ORD account in Settings', () => {
  it('adds the account with a token that is cleared and never shown, then removes it', async () => {
    const b = backend({
      ord_account: null,
      ord_account_add: { url: 'https://ord.example/' },
      ord_account_remove: true
    });
    render(OrdAccountForm);
    await userEvent.type(await screen.findByLabelText('Адрес API ОРД'), 'https://ord.example');
    await userEvent.type(screen.getByLabelText('Токен ОРД'), 'secret-token');
    await userEvent.click(screen.getByRole('button', { name: 'Подключить ОРД' }));
    expect(await screen.findByText('ОРД подключён: https://ord.example/')).toBeTruthy();
    expect(b.called('ord_account_add')[0].args).toEqual({ url: 'https://ord.example', token: 'secret-token' });
    expect(document.body.textContent).not.toContain('secret-token');
    await userEvent.click(screen.getByRole('button', { name: 'Отключить ОРД' }));
    expect(await screen.findByText(/ОРД отключён/)).toBeTruthy();
    expect(screen.getByLabelText('Адрес API ОРД')).toBeTruthy();
  });

  it('a token the ORD refuses is said plainly and not kept in the field', async () => {
    backend({
      ord_account: null,
      ord_account_add: () => failure('unauthorized', 'ОРД не принял этот токен')
    });
    render(OrdAccountForm);
    await userEvent.type(await screen.findByLabelText('Адрес API ОРД'), 'https://ord.example');
    await userEvent.type(screen.getByLabelText('Токен ОРД'), 'bad');
    await userEvent.click(screen.getByRole('button', { name: 'Подключить ОРД' }));
    await waitFor(() => expect((screen.getByLabelText('Токен ОРД') as HTMLInputElement).value).toBe(''));
    expect(await screen.findByRole('alert')).toBeTruthy();
  });

  it('a keychain that cannot keep the token names the ORD token, not the operator’s, in each language', async () => {
    const core =
      'Системное хранилище ключей недоступно (no D-Bus session); токен ОРД хранится только там. Запустите хранилище и повторите';
    backend({ ord_account: null, ord_account_add: () => failure('keychain', core) });
    const expected = {
      ru: 'Системное хранилище ключей недоступно, а токен ОРД хранится только там.',
      kk: 'Жүйенің кілттер қоймасы қолжетімсіз, ал ОРД токені тек сонда сақталады.',
      en: 'The system keychain is not available, and the ORD token is kept only there.'
    } as const;
    for (const lang of ['ru', 'kk', 'en'] as const) {
      setLang(lang);
      const { unmount } = render(OrdAccountForm);
      const inputs = await screen.findAllByRole('textbox');
      await userEvent.type(inputs[0], 'https://ord.example');
      await userEvent.type(document.querySelector('input[type=password]') as HTMLInputElement, 'tok');
      await userEvent.click(screen.getByRole('button'));
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toContain(expected[lang]);
      expect(alert.textContent).not.toMatch(/оператора|operator/);
      // Russian readers also get the core's precise words; the others the sentence in their language.
      expect(alert.textContent?.includes(core)).toBe(lang === 'ru');
      unmount();
    }
    setLang('ru');
  });
});

describe('Statistics of an allocation line (✎)', () => {
  const rec = (id: string, actId: number | null, allocation: number | null) => ({
    record: {
      id,
      creative: `erid-${id}`,
      platform: 'ozon.ru',
      impressions: 100,
      amount: '10.00',
      firstShown: '2026-10-03',
      deadline: '2026-11-30',
      actId,
      allocation,
      initialContract: ''
    },
    state: 'open' as const,
    daysLeft: 20
  });

  it('ticks several on «Выбрать статистику», adds them, clears one on «Статистика акта», and saves once', async () => {
    const { default: LineStatistics } = await import('../src/features/acts/LineStatistics.svelte');
    const b = backend({ link_statistics: {}, clear_statistics: {} });
    const onsaved = vi.fn();
    const act = { id: 7, allocations: [{ initialContract: 'ИД-1', amount: '', vatIncluded: true, statistics: [] }] };
    render(LineStatistics, {
      act: act as never,
      line: 0,
      lines: [rec('a', null, null), rec('b', null, null), rec('c', 7, 0), rec('d', 9, 0)],
      onclose: vi.fn(),
      onsaved
    });
    // Free records only: 'd' belongs to another act, 'c' is already on this line.
    const free = screen.getByTestId('statistics-free');
    expect(free.querySelectorAll('[data-testid="line-statistics-row"]')).toHaveLength(2);
    await userEvent.click(screen.getByLabelText('erid-a'));
    await userEvent.click(screen.getByLabelText('erid-b'));
    await userEvent.click(screen.getByTestId('line-statistics-add'));
    expect(screen.getByRole('tab', { name: 'Статистика акта (3)' })).toBeTruthy();
    await userEvent.click(screen.getByLabelText('erid-c'));
    await userEvent.click(screen.getByTestId('line-statistics-clear'));
    expect(screen.getByRole('tab', { name: 'Статистика акта (2)' })).toBeTruthy();
    // Nothing is sent before «Сохранить».
    expect(b.calls.filter((c) => c.cmd !== 'inbox_painted')).toHaveLength(0);
    await userEvent.click(screen.getByTestId('line-statistics-save'));
    await waitFor(() => expect(onsaved).toHaveBeenCalled());
    expect(b.called('clear_statistics').map((c) => c.args)).toEqual([{ statistics: 'c' }]);
    expect(b.called('link_statistics').map((c) => c.args)).toEqual([
      { statistics: 'a', act: 7, allocation: 0 },
      { statistics: 'b', act: 7, allocation: 0 }
    ]);
  });
});

describe('The register’s rejection in Notifications → Errors', () => {
  it('is worded in the user’s language and opens the act on the field it names, focused and highlighted', async () => {
    const { default: NotificationBell } = await import('../src/features/notifications/NotificationBell.svelte');
    const { onScreenRequest } = await import('../src/features/app/navigation');
    const { setLang } = await import('../src/lib/i18n/index.svelte');
    const errors = [{ field: 'allocations[0].amount', message: 'сумма не сходится со статистикой' }];
    backend({
      notifications: [
        {
          id: 1,
          category: 'error',
          documentId: null,
          message: 'ЕРИР отклонил акт № A-17 от 2026-10-31: allocations[0].amount: сумма не сходится со статистикой',
          createdAt: '2026-11-01T09:05:00Z',
          readAt: null,
          act: { id: 7, number: 'A-17', date: '2026-10-31', errors }
        }
      ],
      waiting_documents: [],
      act_deadlines: []
    });
    setLang('en');
    const requests: unknown[] = [];
    const stop = onScreenRequest((r) => requests.push(r));
    render(NotificationBell, { onopen: vi.fn() });
    await userEvent.click(await screen.findByRole('button', { name: /notification/i }));
    expect((await screen.findByTestId('act-rejected')).textContent).toBe(
      'ERIR rejected act No. A-17 of 2026-10-31. Open a field to fix it:'
    );
    await userEvent.click(screen.getByTestId('open-act-field'));
    expect(requests).toEqual([{ screen: 'acts', actId: 7, field: 'allocations[0].amount' }]);
    stop();
    setLang('ru');
  });

  it('the act opens with the named field focused and highlighted', async () => {
    const a = {
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
      registerStatus: 'rejected',
      registerErrors: [{ field: 'allocations[0].amount', message: 'сумма не сходится со статистикой' }],
      submissions: 1,
      deletionRequested: false,
      createdAt: '2026-11-01T09:00:00Z',
      updatedAt: '2026-11-01T09:00:00Z'
    };
    backend({
      acts_awaiting: [],
      search_contracts: [],
      get_act: { act: a, violations: [], statistics: [], document: null },
      check_act: [],
      act_history: [],
      verify_history: { entries: 3, intact: true, firstBroken: null }
    });
    render(ActsView, { openRequest: { id: 7, field: 'allocations[0].amount' }, onopendocument: vi.fn() });
    const amount = (await screen.findByTestId('allocation-amount')) as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(amount));
    expect(amount.classList.contains('focus-highlight')).toBe(true);
  });
});
