import { fireEvent, render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { reasonLang } from '../src/lib/i18n/index.svelte';
import type { Settings, SettingsPatch } from '../src/api/types';
import SettingsView from '../src/features/settings/SettingsView.svelte';
import { backend, failure, settled } from './backend';
import { settings } from './fixtures';

/** A build without the updater's key (the usual one in these tests). */
const NO_UPDATER = { enabled: false, currentVersion: '0.1.0' };

const account = { name: 'default', url: 'https://edo.example.kz/api', sellerBin: '987654321098', sellerKind: 'bin' as const, sellerName: 'ИП Продавец', syncedAt: '2026-11-01T09:05:00Z' };

describe('Settings', () => {
  it('shows the current settings', async () => {
    backend({ ord_account: null, update_support: NO_UPDATER, settings_get: settings() });
    render(SettingsView);
    expect(((await screen.findByLabelText('БИН или ИИН')) as HTMLInputElement).value).toBe('987654321098');
    expect((screen.getByLabelText('Адрес NCALayer') as HTMLInputElement).value).toBe('wss://127.0.0.1:13579');
    expect((screen.getByLabelText('Максимальный размер файла, МБ') as HTMLInputElement).value).toBe('100');
  });

  it('a BIN that is not 12 digits cannot be saved', async () => {
    const b = backend({ ord_account: null, update_support: NO_UPDATER, settings_get: settings() });
    render(SettingsView);
    const bin = await screen.findByLabelText('БИН или ИИН');
    await userEvent.clear(bin);
    await userEvent.type(bin, '12345');
    expect(screen.getByText('БИН или ИИН должен состоять из 12 цифр')).toBeTruthy();
    const save = screen.getByRole('button', { name: 'Сохранить' });
    expect(save).toHaveProperty('disabled', true);
    await userEvent.click(save);
    // The form's own submit (Enter in a field of a browser that submits anyway) is refused too.
    await fireEvent.submit(save.closest('form')!);
    await settled();
    expect(b.called('settings_set')).toHaveLength(0);
    expect(screen.queryByText('Сохранено')).toBeNull();
  });

  it('a sole proprietor enters the IIN and says it is one; the account shows it as an IIN', async () => {
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings({ sellerBin: null }),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    const number = await screen.findByLabelText('БИН или ИИН');
    expect((screen.getByLabelText('Продавец') as HTMLSelectElement).value).toBe('bin');
    await userEvent.type(number, '950620450121');
    await userEvent.selectOptions(screen.getByLabelText('Продавец'), 'Индивидуальный предприниматель (ИИН)');
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(b.called('settings_set')[0].args.patch).toEqual({ sellerBin: '950620450121', sellerKind: 'iin' });
    expect(await screen.findByText('Сохранено')).toBeTruthy();
  });

  it('an account of a sole proprietor names its number an IIN', async () => {
    backend({ ord_account: null, update_support: NO_UPDATER, settings_get: settings({ account: { ...account, sellerBin: '950620450121', sellerKind: 'iin', sellerName: 'ИП Кәсіпкер' } }) });
    render(SettingsView);
    expect(await screen.findByText(/ИИН 950620450121/)).toBeTruthy();
    expect(screen.queryByText(/БИН 950620450121/)).toBeNull();
  });

  it('saves only what changed, in the units the core keeps', async () => {
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings(),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    const size = await screen.findByLabelText('Максимальный размер файла, МБ');
    await userEvent.clear(size);
    await userEvent.type(size, '20');
    await userEvent.type(screen.getByLabelText('Отпечаток сертификата службы (SHA-256)'), 'AB:'.repeat(31) + 'AB');
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(b.called('settings_set')[0].args.patch).toEqual({ maxFileSize: 20 * 1024 * 1024, signerPin: 'ab'.repeat(32) });
    expect(await screen.findByText('Сохранено')).toBeTruthy();
  });

  it('sending right after signing is on by default and can be turned off', async () => {
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings(),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    const box = (await screen.findByLabelText('Отправлять решения оператору сразу после подписи')) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await userEvent.click(box);
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(b.called('settings_set')[0].args.patch).toEqual({ sendAfterSigning: false });
    expect(await screen.findByText('Сохранено')).toBeTruthy();
    expect(box.checked).toBe(false);
  });

  it('each kind of desktop notification is on by default and can be turned off, and back on', async () => {
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings({ desktopAlertsOff: ['errors'] }),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    const waiting = (await screen.findByLabelText('Документы, которые ждут дольше срока напоминания')) as HTMLInputElement;
    const errors = screen.getByLabelText('Ошибки (в том числе отказ реестра)') as HTMLInputElement;
    expect(waiting.checked).toBe(true);
    expect(errors.checked).toBe(false);
    expect((screen.getByLabelText('Новые документы после синхронизации') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(waiting);
    await userEvent.click(errors);
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(b.called('settings_set')[0].args.patch).toEqual({ desktopAlertsOff: ['waiting'] });
  });

  it('switching the language in settings changes the screen', async () => {
    backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings(),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    await userEvent.selectOptions(await screen.findByLabelText('Язык', { selector: 'select' }), 'kk');
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(await screen.findByRole('heading', { name: 'Баптаулар' })).toBeTruthy();
  });

  it('the rejection reasons stay Russian when the interface turns Kazakh, unless changed on purpose', async () => {
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: settings(),
      settings_set: ({ patch }: Record<string, unknown>) => ({ ...settings(), ...(patch as SettingsPatch) }) as Settings
    });
    render(SettingsView);
    const reasons = (await screen.findByLabelText('Язык частых причин отклонения')) as HTMLSelectElement;
    expect(reasons.value).toBe('ru');
    await userEvent.selectOptions(screen.getByLabelText('Язык', { selector: 'select' }), 'kk');
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить' }));
    expect(b.called('settings_set')[0].args.patch).toEqual({ language: 'kk' });
    expect(reasonLang()).toBe('ru');
    await userEvent.selectOptions(await screen.findByLabelText('Жиі кездесетін қабылдамау себептерінің тілі'), 'kk');
    await userEvent.click(screen.getByRole('button', { name: 'Сақтау' }));
    expect(b.called('settings_set')[1].args.patch).toEqual({ reasonLanguage: 'kk' });
    await vi.waitFor(() => expect(reasonLang()).toBe('kk'));
  });

  it('the token is sent once, then cleared and never shown', async () => {
    let current = settings();
    const b = backend({
      ord_account: null, update_support: NO_UPDATER,
      settings_get: () => current,
      account_add: () => {
        current = settings({ account });
        return account;
      }
    });
    const { container } = render(SettingsView);
    await userEvent.type(await screen.findByLabelText('Адрес API оператора'), 'https://edo.example.kz/api');
    await userEvent.type(screen.getByLabelText('Токен доступа'), 'secret-token-123');
    await userEvent.click(screen.getByRole('button', { name: 'Добавить учётную запись' }));
    expect(b.called('account_add')[0].args).toEqual({ account: { name: 'default', url: 'https://edo.example.kz/api', token: 'secret-token-123' } });
    expect(await screen.findByText('Учётная запись «default» подключена')).toBeTruthy();
    expect(await screen.findByText('Токен сохранён в системном хранилище ключей')).toBeTruthy();
    expect(container.innerHTML).not.toContain('secret-token-123');
    expect(screen.queryByLabelText('Токен доступа')).toBeNull();
  });

  it('a refused token is reported and not kept in the form', async () => {
    backend({ ord_account: null, update_support: NO_UPDATER, settings_get: settings(), account_add: () => failure('unauthorized', 'Оператор не принял токен') });
    render(SettingsView);
    await userEvent.type(await screen.findByLabelText('Адрес API оператора'), 'https://edo.example.kz/api');
    await userEvent.type(screen.getByLabelText('Токен доступа'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Добавить учётную запись' }));
    expect(await screen.findByText('Оператор не принял токен')).toBeTruthy();
    expect((screen.getByLabelText('Токен доступа') as HTMLInputElement).value).toBe('');
  });

  it('a settings read failure can be retried', async () => {
    let n = 0;
    backend({ ord_account: null, update_support: NO_UPDATER, settings_get: () => (n++ === 0 ? failure('storage', 'База данных занята', true) : settings()) });
    render(SettingsView);
    await userEvent.click(await screen.findByRole('button', { name: 'Повторить' }));
    expect(await screen.findByLabelText('БИН или ИИН')).toBeTruthy();
  });
});
