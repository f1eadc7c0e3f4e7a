import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import PdfView from '../src/features/document/PdfView.svelte';

// pdf.js needs a canvas and a worker, which jsdom has not: the viewer is tested against a fake
// of the small PdfFile interface it uses.
const pages = ['Отчёт о реализации товара', 'Итого к оплате', 'Подписи сторон, итого'];
const rendered: Array<[number, number]> = [];
const open = vi.fn();
vi.mock('../src/features/document/pdf', () => ({ openPdf: (b: ArrayBuffer) => open(b) }));

beforeEach(() => {
  rendered.length = 0;
  open.mockReset();
  open.mockResolvedValue({
    pageCount: pages.length,
    render: async (n: number, _c: HTMLCanvasElement, scale: number) => void rendered.push([n, scale]),
    // A4 at 100%: 595 CSS pixels wide.
    width: async () => 595,
    text: async (n: number) => pages[n - 1],
    close: () => {}
  });
});

/** Runs `body` with the viewer 476 px wide (460 for the page): jsdom lays nothing out, and this
 * is the viewer beside the details panel at 1366×768. */
async function atViewerWidth(body: () => Promise<void>) {
  const width = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(476);
  try {
    await body();
  } finally {
    width.mockRestore();
  }
}

describe('PDF viewer', () => {
  it('shows pages with page turning and zoom', async () => {
    render(PdfView, { bytes: new ArrayBuffer(8) });
    expect(await screen.findByText('Страница 1 из 3')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Предыдущая страница' })).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByRole('button', { name: 'Следующая страница' }));
    expect(screen.getByText('Страница 2 из 3')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Увеличить' }));
    expect(screen.getByText('125%')).toBeTruthy();
    await vi.waitFor(() => expect(rendered.at(-1)).toEqual([2, 1.25]));
  });

  it('fits the page to the width it has until the user zooms, and back on «По ширине»', async () => {
    await atViewerWidth(async () => {
      render(PdfView, { bytes: new ArrayBuffer(8) });
      await screen.findByText('Страница 1 из 3');
      // 460 / 595 = 0.773…: painted once, at the fitted size, never at a fixed 125%.
      await vi.waitFor(() => expect(rendered).toEqual([[1, 0.77]]));
      expect(screen.getByText('77%')).toBeTruthy();
      expect(screen.getByRole('button', { name: 'По ширине' }).getAttribute('aria-pressed')).toBe('true');
      await userEvent.click(screen.getByRole('button', { name: 'Увеличить' }));
      await vi.waitFor(() => expect(rendered.at(-1)).toEqual([1, 0.96]));
      expect(screen.getByRole('button', { name: 'По ширине' }).getAttribute('aria-pressed')).toBe('false');
      await userEvent.click(screen.getByRole('button', { name: 'По ширине' }));
      await vi.waitFor(() => expect(rendered.at(-1)).toEqual([1, 0.77]));
    });
  });

  it('paints the first page first, once, at the size it is shown; another page only when the user turns to it', async () => {
    await atViewerWidth(async () => {
      render(PdfView, { bytes: new ArrayBuffer(8) });
      await screen.findByText('Страница 1 из 3');
      await vi.waitFor(() => expect(rendered).toEqual([[1, 0.77]]));
      // A 50-page report paints no page but the one on screen while the user reads it.
      await new Promise((r) => setTimeout(r, 50));
      expect(rendered).toEqual([[1, 0.77]]);
      await userEvent.click(screen.getByRole('button', { name: 'Следующая страница' }));
      await vi.waitFor(() => expect(rendered).toEqual([[1, 0.77], [2, 0.77]]));
    });
  });

  it('takes the parse started at the click: the file is not parsed again, and its first page is painted first', async () => {
    await atViewerWidth(async () => {
      const early = await open(new ArrayBuffer(8));
      open.mockClear();
      render(PdfView, { bytes: new ArrayBuffer(8), parsing: Promise.resolve(early) });
      await vi.waitFor(() => expect(rendered).toEqual([[1, 0.77]]));
      expect(open).not.toHaveBeenCalled();
    });
  });

  it('finds text and goes to the first page where it is', async () => {
    render(PdfView, { bytes: new ArrayBuffer(8) });
    await screen.findByText('Страница 1 из 3');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Найти в документе' }), 'итого{Enter}');
    expect(await screen.findByText('Найдено на страницах: 2, 3')).toBeTruthy();
    expect(screen.getByText('Страница 2 из 3')).toBeTruthy();
    await userEvent.clear(screen.getByRole('searchbox'));
    await userEvent.type(screen.getByRole('searchbox'), 'НДС{Enter}');
    expect(await screen.findByText('Не найдено')).toBeTruthy();
  });

  it('a damaged file says so', async () => {
    open.mockRejectedValue(new Error('Invalid PDF structure'));
    render(PdfView, { bytes: new ArrayBuffer(8) });
    expect(await screen.findByText('PDF не открылся: файл повреждён или это не PDF')).toBeTruthy();
    expect(screen.queryByText(/Invalid PDF structure/)).toBeNull();
  });
});
