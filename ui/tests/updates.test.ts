import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import UpdatesForm from '../src/features/settings/UpdatesForm.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure, settled } from './backend';

const ON = { enabled: true, currentVersion: '0.1.0' };
const FOUND = { version: '0.2.0', date: '2026-12-01T09:00:00Z', notes: 'Исправления печати карточки' };

describe('Updates in Settings', () => {
  it('a build without the updater says updates are off and offers no check', async () => {
    const b = backend({ update_support: { enabled: false, currentVersion: '0.1.0' } });
    render(UpdatesForm);
    expect(await screen.findByText('Версия 0.1.0. В этой сборке обновления отключены: новая версия устанавливается вручную.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Проверить обновления' })).toBeNull();
    expect(b.called('check_update')).toHaveLength(0);
  });

  it('nothing is checked until asked; a found version is installed only after the OK', async () => {
    const b = backend({ update_support: ON, check_update: FOUND, install_update: null });
    render(UpdatesForm);
    const check = await screen.findByRole('button', { name: 'Проверить обновления' });
    await settled();
    expect(b.called('check_update')).toHaveLength(0);
    await userEvent.click(check);
    expect(await screen.findByText('Доступна версия 0.2.0')).toBeTruthy();
    expect(screen.getByText('Исправления печати карточки')).toBeTruthy();
    expect(b.called('install_update')).toHaveLength(0);

    // Asked, then cancelled: nothing installed.
    await userEvent.click(screen.getByRole('button', { name: 'Установить версию 0.2.0' }));
    expect(screen.getByText('Установить версию 0.2.0? Программа скачает её, проверит подпись выпуска и перезапустится.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Отмена' }));
    await settled();
    expect(b.called('install_update')).toHaveLength(0);

    // Asked and agreed.
    await userEvent.click(screen.getByRole('button', { name: 'Установить версию 0.2.0' }));
    await userEvent.click(screen.getByRole('button', { name: 'Установить и перезапустить' }));
    await settled();
    expect(b.called('install_update')).toHaveLength(1);
  });

  it('the latest version says so', async () => {
    backend({ update_support: ON, check_update: null });
    render(UpdatesForm);
    await userEvent.click(await screen.findByRole('button', { name: 'Проверить обновления' }));
    expect(await screen.findByText('Установлена последняя версия')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Установить/ })).toBeNull();
  });

  it('a release whose signature does not verify is refused with the reason', async () => {
    backend({
      update_support: ON,
      check_update: FOUND,
      install_update: () => failure('signature_invalid', 'Подпись обновления не прошла проверку, оно не установлено')
    });
    render(UpdatesForm);
    await userEvent.click(await screen.findByRole('button', { name: 'Проверить обновления' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Установить версию 0.2.0' }));
    await userEvent.click(screen.getByRole('button', { name: 'Установить и перезапустить' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Установить и перезапустить' })).toBeNull();
  });

  it('speaks Kazakh and English', async () => {
    setLang('kk');
    backend({ update_support: ON, check_update: FOUND });
    const { unmount } = render(UpdatesForm);
    await userEvent.click(await screen.findByRole('button', { name: 'Жаңартуларды тексеру' }));
    expect(await screen.findByText('Жаңа нұсқа қолжетімді: 0.2.0')).toBeTruthy();
    unmount();
    setLang('en');
    render(UpdatesForm);
    await userEvent.click(await screen.findByRole('button', { name: 'Check for updates' }));
    expect(await screen.findByText('Version 0.2.0 is available')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Install version 0.2.0' })).toBeTruthy();
  });
});
