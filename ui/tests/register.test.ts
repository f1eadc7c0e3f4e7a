import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import ExportButton from '../src/components/ExportButton.svelte';
import { api } from '../src/api';
import type { DocumentQuery } from '../src/api/types';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';

const query: DocumentQuery = { tab: 'signed', from: '2026-10-01', to: '2026-10-31', kind: null };

describe('Export of the register', () => {
  it('sends the list’s filter, the chosen format and the language, and says where it is saved', async () => {
    const calls: Record<string, unknown>[] = [];
    backend({
      export_register: (args: Record<string, unknown>) => {
        calls.push(args);
        return { path: '/home/user/реестр.xlsx', rows: 42 };
      }
    });
    render(ExportButton, { save: (format, lang) => api.exportRegister(query, format, lang) });
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Реестр в Excel (XLSX)' }));
    expect(await screen.findByText('Реестр сохранён: /home/user/реестр.xlsx (строк: 42)')).toBeTruthy();
    expect(calls).toEqual([{ query, format: 'xlsx', lang: 'ru' }]);
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'CSV (запятая)' }));
    expect(calls[1].format).toBe('csv_comma');
  });

  it('a closed dialog saves nothing and says nothing', async () => {
    backend({ export_register: null });
    render(ExportButton, { save: (format, lang) => api.exportRegister(query, format, lang) });
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'CSV (точка с запятой)' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('a refusal is shown with its message, in Kazakh too', async () => {
    setLang('kk');
    backend({
      export_register: () => failure('file_too_large', 'В реестре больше 100000 строк')
    });
    render(ExportButton, { save: (format, lang) => api.exportRegister(query, format, lang) });
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Excel тізілімі (XLSX)' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    setLang('ru');
  });

  it('the acts screen exports the acts’ register', async () => {
    const ipc = backend({ export_acts_register: { path: '/home/user/acts.csv', rows: 3 } });
    render(ExportButton, { save: (format, lang) => api.exportActsRegister(format, lang) });
    await userEvent.click(screen.getByRole('button', { name: 'Экспорт' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'CSV (точка с запятой)' }));
    expect(await screen.findByText('Реестр сохранён: /home/user/acts.csv (строк: 3)')).toBeTruthy();
    expect(ipc.called('export_acts_register')[0].args).toEqual({ format: 'csv', lang: 'ru' });
  });
});
