import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import * as pdf from '../src/features/document/pdf';
import CardButton from '../src/features/document/CardButton.svelte';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend, failure } from './backend';

describe('The document card', () => {
  it('saves the card in the window’s language and says where', async () => {
    setLang('en');
    const ipc = backend({ save_card: '/home/user/card-7.pdf' });
    render(CardButton, { documentId: 7 });
    await userEvent.click(screen.getByRole('button', { name: 'Save the card (PDF)' }));
    expect(await screen.findByText('Card saved: /home/user/card-7.pdf')).toBeTruthy();
    expect(ipc.called('save_card')[0].args).toEqual({ id: 7, lang: 'en' });
    setLang('ru');
  });

  it('a missing font is shown as an error, with a retry', async () => {
    backend({ save_card: () => failure('io', 'Не найден шрифт с кириллицей для карточки', true) });
    render(CardButton, { documentId: 7 });
    await userEvent.click(screen.getByRole('button', { name: 'Сохранить карточку (PDF)' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
  });
});

describe('Printing the card', () => {
  it('draws the card’s page and opens the system’s print dialog', async () => {
    const rendered: number[] = [];
    vi.spyOn(pdf, 'openPdf').mockResolvedValue({
      pageCount: 1,
      render: async (page: number) => void rendered.push(page),
      width: async () => 595,
      text: async () => '',
      close: () => {}
    });
    const printed = vi.spyOn(window, 'print').mockImplementation(() => {});
    const ipc = backend({ card_pdf: new ArrayBuffer(8) });
    const { container } = render(CardButton, { documentId: 9 });
    await userEvent.click(screen.getByRole('button', { name: 'Печать карточки' }));
    await vi.waitFor(() => expect(printed).toHaveBeenCalledTimes(1));
    expect(ipc.called('card_pdf')[0].args).toEqual({ id: 9, lang: 'ru' });
    expect(rendered).toEqual([1]);
    expect(container.querySelector('.card-print canvas')).toBeTruthy();
  });
});
