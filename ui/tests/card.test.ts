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
  function drawn() {
    const rendered: number[] = [];
    vi.spyOn(pdf, 'openPdf').mockResolvedValue({
      pageCount: 1,
      render: async (page: number) => void rendered.push(page),
      width: async () => 595,
      text: async () => '',
      close: () => {}
    });
    // jsdom draws nothing: the picture's URL stands for the page pdf.js drew.
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:image/png;base64,iVBORw0KGgo=');
    return rendered;
  }

  it('draws the card’s page as the one picture under <body>, then opens the system’s print dialog', async () => {
    const rendered = drawn();
    let shownWhenPrinted: Element | null = null;
    const ipc = backend({
      card_pdf: new ArrayBuffer(8),
      print_page: () => void (shownWhenPrinted = document.querySelector('body > img.card-print'))
    });
    const { unmount } = render(CardButton, { documentId: 9 });
    await userEvent.click(screen.getByRole('button', { name: 'Печать карточки' }));
    await vi.waitFor(() => expect(ipc.called('print_page')).toHaveLength(1));
    expect(ipc.called('card_pdf')[0].args).toEqual({ id: 9, lang: 'ru' });
    expect(rendered).toEqual([1]);
    expect(shownWhenPrinted).toBeTruthy();
    expect(shownWhenPrinted!.getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgo=');
    unmount();
  });

  it('leaves nothing under <body> when the document screen closes', async () => {
    drawn();
    const ipc = backend({ card_pdf: new ArrayBuffer(8), print_page: null });
    const { unmount } = render(CardButton, { documentId: 9 });
    await userEvent.click(screen.getByRole('button', { name: 'Печать карточки' }));
    await vi.waitFor(() => expect(ipc.called('print_page')).toHaveLength(1));
    expect(document.querySelectorAll('body > img.card-print')).toHaveLength(1);
    unmount();
    expect(document.querySelector('.card-print')).toBeNull();
  });

  it('a print dialog that cannot open is reported', async () => {
    drawn();
    backend({ card_pdf: new ArrayBuffer(8), print_page: () => failure('io', 'Не удалось открыть окно печати') });
    render(CardButton, { documentId: 9 });
    await userEvent.click(screen.getByRole('button', { name: 'Печать карточки' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
  });
});
