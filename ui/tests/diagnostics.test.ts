import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import DiagnosticsView from '../src/features/diagnostics/DiagnosticsView.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';

const info = {
  versions: { app: '0.1.0', core: '0.1.0', webview: 'WebKitGTK 2.48', os: 'Debian 12', ncalayer: null },
  dataDir: '/home/user/.local/share/qoltanba',
  schemaVersion: 5,
  documents: 42,
  historyIntact: true
};

describe('Diagnostics', () => {
  it('NCALayer not running: says so in plain words and what to do', async () => {
    let running = false;
    backend({
      diagnostics: info,
      check_connection: ({ target }: Record<string, unknown>) =>
        running
          ? { target, ok: true, code: null, message: '', version: 'NCALayer 1.4.0', url: 'wss://127.0.0.1:13579' }
          : { target, ok: false, code: 'signer_unavailable', message: 'Соединение отклонено (127.0.0.1:13579)', version: null, url: null }
    });
    render(DiagnosticsView);
    const [nca] = screen.getAllByRole('button', { name: 'Проверить' });
    await userEvent.click(nca);
    expect(
      await screen.findByText('NCALayer не запущен: запустите NCALayer из меню «Пуск» и нажмите «Проверить снова».')
    ).toBeTruthy();
    running = true;
    await userEvent.click(screen.getByRole('button', { name: 'Проверить снова' }));
    expect(await screen.findByText('Связь есть — NCALayer 1.4.0 (wss://127.0.0.1:13579)')).toBeTruthy();
  });

  it('a refused operator token tells the user to connect again', async () => {
    backend({
      diagnostics: info,
      check_connection: () => failure('unauthorized', 'Оператор ответил 401')
    });
    render(DiagnosticsView);
    await userEvent.click(screen.getAllByRole('button', { name: 'Проверить' })[1]);
    expect(await screen.findByText('Оператор не принял токен. Получите новый токен и подключите учётную запись заново.')).toBeTruthy();
  });

  it('shows versions and saves the report', async () => {
    backend({ diagnostics: info, save_diagnostics: '/home/user/qoltanba-diagnostics.zip' });
    render(DiagnosticsView);
    expect(await screen.findByText('WebKitGTK 2.48')).toBeTruthy();
    expect(screen.getByText('цела')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить отчёт диагностики' }));
    expect(await screen.findByText('Отчёт сохранён: /home/user/qoltanba-diagnostics.zip')).toBeTruthy();
  });

  it('speaks Kazakh with the formal address', async () => {
    setLang('kk');
    backend({
      diagnostics: info,
      check_connection: ({ target }: Record<string, unknown>) => ({ target, ok: false, code: 'signer_unavailable', message: '', version: null, url: null })
    });
    render(DiagnosticsView);
    await userEvent.click(screen.getAllByRole('button', { name: 'Тексеру' })[0]);
    expect(await screen.findByText(/NCALayer іске қосылмаған: NCALayer бағдарламасын .* іске қосыңыз/)).toBeTruthy();
  });
});
