import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import App from '../src/App.svelte';
import { COMPANY_FREE } from '../src/api/company';
import type { CompanyList, RemovalPlan } from '../src/api/types';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure, settled } from './backend';
import { counts, doc, page, settings } from './fixtures';

const A = { id: 'main', name: 'ТОО «Ромашка»' };
const B = { id: '0123456789ab', name: 'ИП Иванов' };

function listing(open: typeof A, waitingB = { decision: 2, signature: 3 }): CompanyList {
  return {
    open,
    companies: [
      { ...A, default: open.id === A.id, waiting: { decision: 1, signature: 0 }, problem: null },
      { ...B, default: open.id === B.id, waiting: waitingB, problem: null }
    ]
  };
}

/** A shell with two companies, each with its own inbox; `company_switch` really switches. */
function shell(over: Record<string, unknown> = {}) {
  let open = A;
  const docs = { [A.id]: [doc(1, { number: 'A-1' })], [B.id]: [doc(1, { number: 'B-1' }), doc(2, { number: 'B-2' })] };
  const b = backend({
    companies: () => listing(open),
    company_switch: ({ id }: Record<string, unknown>) => {
      open = id === B.id ? B : A;
      return open;
    },
    settings_get: () => settings(),
    tab_counts: () => counts({ all: docs[open.id].length }),
    sync_status: { online: true, syncing: false, lastSyncedAt: null, account: null },
    notifications: [],
    waiting_documents: [],
    act_deadlines: [],
    count_documents: () => docs[open.id].length,
    list_documents: () => page(docs[open.id]),
    take_pending_link: null,
    ...over
  });
  return b;
}

/** The text of the inbox's rows on screen. */
const rows = async () => [...document.querySelectorAll('[id^="row-"]')].map((e) => e.textContent ?? '');

describe('Several companies', () => {
  it('the header names the open company and one click lists every company with what waits', async () => {
    shell();
    render(App);
    const button = await screen.findByTestId('company-switcher');
    await waitFor(() =>
      expect(button.getAttribute('aria-label')).toBe('Компания: ТОО «Ромашка». В других компаниях ждут 5 документов')
    );
    expect(button.textContent).toContain('ТОО «Ромашка»');
    // What waits in the other company shows on the header without opening anything.
    expect(within(button).getByLabelText('В других компаниях ждут 5 документов')).toBeTruthy();
    await userEvent.click(button);
    const panel = screen.getByTestId('companies-panel');
    const lines = within(panel).getAllByTestId('company-waiting').map((e) => e.textContent?.trim());
    expect(lines).toEqual(['открыта · ждут решения: 1 · подписи: 0', 'ждут решения: 2 · подписи: 3']);
    expect(within(panel).getByTestId('company-main').getAttribute('aria-current')).toBe('true');
    // The open company has no remove button.
    expect(within(panel).queryByTestId('company-remove-main')).toBeNull();
  });

  it('picking another company opens it and everything on screen is reloaded for it', async () => {
    const b = shell();
    render(App);
    await waitFor(async () => expect((await rows()).join()).toContain('A-1'));
    await userEvent.click(screen.getByTestId('company-switcher'));
    const before = b.calls.length;
    await userEvent.click(screen.getByTestId(`company-${B.id}`));
    await waitFor(async () => expect((await rows()).join()).toContain('B-2'));
    expect((await rows()).join()).not.toContain('A-1');
    expect(b.called('company_switch').map((c) => c.args)).toEqual([{ id: B.id }]);
    // Every call after the switch names the new company (the backend refuses any other), and
    // the settings, counts and list were all asked again.
    const after = b.calls.slice(before).filter((c) => !COMPANY_FREE.has(c.cmd));
    expect(new Set(after.map((c) => c.company))).toEqual(new Set([B.id]));
    for (const cmd of ['settings_get', 'tab_counts', 'list_documents', 'notifications']) {
      expect(after.map((c) => c.cmd)).toContain(cmd);
    }
    await waitFor(() => expect(screen.getByTestId('company-switcher').getAttribute('aria-label')).toMatch(/^Компания: ИП Иванов\./));
    // And back again: A's document, not B's.
    await userEvent.click(screen.getByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId('company-main'));
    await waitFor(async () => expect((await rows()).join()).toContain('A-1'));
    expect((await rows()).join()).not.toContain('B-');
  });

  it('a company with an account is synced once when it is first opened, as the window does on start', async () => {
    const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: null, sellerKind: 'bin' as const, sellerName: null, syncedAt: null };
    const b = shell({
      settings_get: () => settings({ account }),
      sync_now: { progress: { seen: 0, downloaded: 0, bytes: 0 }, added: [], revoked: [], decidedElsewhere: [], sent: 0, events: 0, duplicateEvents: 0, listed: false }
    });
    render(App);
    await waitFor(() => expect(b.called('sync_now').map((c) => c.company)).toEqual([A.id]));
    await userEvent.click(screen.getByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId(`company-${B.id}`));
    await waitFor(() => expect(b.called('sync_now').map((c) => c.company)).toEqual([A.id, B.id]));
    await userEvent.click(screen.getByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId('company-main'));
    await waitFor(async () => expect((await rows()).join()).toContain('A-1'));
    await settled();
    expect(b.called('sync_now').map((c) => c.company)).toEqual([A.id, B.id]);
  });

  it('a switch the shell refuses (signing under way) leaves the company open and says why', async () => {
    const b = shell({
      company_switch: () => failure('invalid_input', 'Сейчас идёт подписание: дождитесь окончания (или отмените) и переключите компанию снова')
    });
    render(App);
    await waitFor(async () => expect((await rows()).join()).toContain('A-1'));
    await userEvent.click(screen.getByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId(`company-${B.id}`));
    expect(await screen.findByText(/идёт подписание/)).toBeTruthy();
    await settled();
    expect((await rows()).join()).toContain('A-1');
    expect(b.called('list_documents').every((c) => c.company === A.id)).toBe(true);
  });

  it('a company is added by name and opened', async () => {
    const added = { id: 'fedcba987654', name: 'ТОО «Клиент»' };
    let switched: unknown = null;
    const b = shell({
      companies: () =>
        switched
          ? { open: added, companies: [...listing(A).companies, { ...added, default: true, waiting: { decision: 0, signature: 0 }, problem: null }] }
          : listing(A),
      company_add: ({ name }: Record<string, unknown>) => (name === 'ТОО «Клиент»' ? added : failure('invalid_input', 'имя')),
      company_switch: ({ id }: Record<string, unknown>) => {
        switched = id;
        return added;
      },
      list_documents: () => page(switched ? [] : [doc(1, { number: 'A-1' })]),
      count_documents: () => (switched ? 0 : 1),
      tab_counts: () => counts({ all: switched ? 0 : 1 })
    });
    render(App);
    await userEvent.click(await screen.findByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId('company-add'));
    const dialog = screen.getByRole('dialog', { name: 'Новая компания' });
    const create = within(dialog).getByTestId('company-create') as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    await userEvent.type(within(dialog).getByTestId('company-name'), 'ТОО «Клиент»{Enter}');
    await waitFor(() => expect(b.called('company_switch')).toHaveLength(1));
    expect(b.called('company_add')[0].args).toEqual({ name: 'ТОО «Клиент»' });
    expect(switched).toBe(added.id);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('a company is renamed from the list; the header follows', async () => {
    let name = A.name;
    const b = shell({
      companies: () => {
        const l = listing(A);
        l.open = { ...A, name };
        l.companies[0].name = name;
        return l;
      },
      company_rename: ({ id, name: to }: Record<string, unknown>) => {
        name = to as string;
        return { id, name };
      }
    });
    render(App);
    await userEvent.click(await screen.findByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId('company-rename-main'));
    const dialog = screen.getByRole('dialog', { name: 'Название компании' });
    const input = within(dialog).getByTestId('company-new-name') as HTMLInputElement;
    expect(input.value).toBe('ТОО «Ромашка»');
    await userEvent.clear(input);
    await userEvent.type(input, 'Ромашка (основная){Enter}');
    await waitFor(() => expect(b.called('company_rename').map((c) => c.args)).toEqual([{ id: 'main', name: 'Ромашка (основная)' }]));
    await waitFor(() => expect(screen.getByTestId('company-switcher').getAttribute('aria-label')).toMatch(/^Компания: Ромашка \(основная\)\./));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('removing asks first, naming everything that goes; Enter keeps the company', async () => {
    const plan: RemovalPlan = { company: B, folder: '/home/u/.local/share/qoltanba/companies/0123456789ab', documents: 2, keychainEntries: 4 };
    const b = shell({ company_removal: plan, company_remove: { company: B, folder: plan.folder, keychainEntries: [] } });
    render(App);
    await userEvent.click(await screen.findByTestId('company-switcher'));
    await userEvent.click(screen.getByTestId(`company-remove-${B.id}`));
    const dialog = await screen.findByRole('dialog', { name: 'Удаление компании' });
    const what = within(dialog).getByTestId('company-removal-what').textContent ?? '';
    for (const part of ['«ИП Иванов»', '2 документа', plan.folder, 'токены оператора и ОРД', 'ключ истории', 'записей: 4', 'Другие компании не затрагиваются']) {
      expect(what).toContain(part);
    }
    await userEvent.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(b.called('company_remove')).toHaveLength(0);
    await userEvent.click(screen.getByTestId(`company-remove-${B.id}`));
    await userEvent.click(within(await screen.findByRole('dialog')).getByTestId('company-remove-confirm'));
    await waitFor(() => expect(b.called('company_remove').map((c) => c.args)).toEqual([{ id: B.id }]));
    expect(await screen.findByText('Компания «ИП Иванов» удалена')).toBeTruthy();
  });

  it('speaks Kazakh and English', async () => {
    const b = shell({ settings_get: settings({ language: 'kk' }) });
    render(App);
    const button = await screen.findByTestId('company-switcher');
    await waitFor(() => expect(b.called('settings_get')).toHaveLength(1));
    await waitFor(() => expect(within(button).getByLabelText('Басқа компанияларда 5 құжат күтуде')).toBeTruthy());
    await userEvent.click(button);
    expect(screen.getByText('шешім күтуде: 2 · қол қоюды күтуде: 3')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Компания қосу' })).toBeTruthy();
    setLang('en');
    await settled();
    expect(screen.getByText('awaiting decision: 2 · signature: 3')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Remove company ИП Иванов' })).toBeTruthy();
  });
});
