// The document page's help: readable offline in every language, the operator's contacts to copy,
// and for a rejected document a Russian request to the marketplace's support, ready to copy.
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Document } from '../src/api/types';
import DocumentView from '../src/features/document/DocumentView.svelte';
import FirstRun from '../src/features/first-run/FirstRun.svelte';
import { supportRequest } from '../src/features/help/supportRequest';
import { LANGS, messagesFor, setLang } from '../src/lib/i18n/index.svelte';
import { backend } from './backend';
import { detail, doc } from './fixtures';

const xml = (s: string) => new TextEncoder().encode(s).buffer;
const REASON = 'Сумма НДС не совпадает с ЭСФ';

/** Every command the document page calls on its own; the help adds none. */
function shell() {
  return backend({
    document_bytes: xml('<report><number>R-7</number></report>'),
    document_history: [],
    verify_history: { entries: 0, intact: true, firstBroken: null }
  });
}

const rejected = (over: Partial<Document> = {}) =>
  doc(7, { status: 'rejected', decision: 'reject', rejectReason: REASON, ...over });

function showDocument(d: Document) {
  const b = shell();
  const view = render(DocumentView, { detail: detail(d), onaction: vi.fn(), onopen: vi.fn() });
  const help = screen.getByRole('region', { name: messagesFor(currentLang).help.title });
  return { ...view, help, calls: b.calls };
}

let currentLang: 'ru' | 'kk' | 'en' = 'ru';
function useLang(l: 'ru' | 'kk' | 'en') {
  currentLang = l;
  setLang(l);
}

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

afterEach(() => {
  currentLang = 'ru';
  // Back to jsdom's own navigator: no clipboard.
  delete (navigator as unknown as Record<string, unknown>).clipboard;
});

describe('The request to the marketplace’s support', () => {
  it('names the rejected document by number, date and reason, in Russian', () => {
    expect(supportRequest(rejected())).toBe(
      [
        'Здравствуйте!',
        '',
        'Мы отклонили закрывающий документ, полученный через ЭДО, потому что в нём ошибка. Просим исправить его и прислать исправленный документ или корректировку.',
        '',
        'Документ: Отчёт о реализации товара',
        'Номер: R-7',
        'Дата: 31.10.2026',
        'Отчётный период: 01.10.2026 — 31.10.2026',
        'Отправитель: ТОО «Озон Казахстан», БИН 123456789012',
        'Получатель: ИП Продавец, БИН 987654321098',
        'Идентификатор документа у оператора ЭДО: op-7',
        `Причина отклонения: ${REASON}`
      ].join('\n')
    );
  });

  it('stays Russian when the interface speaks Kazakh or English', () => {
    const russian = supportRequest(rejected());
    for (const l of ['kk', 'en'] as const) {
      useLang(l);
      expect(supportRequest(rejected())).toBe(russian);
    }
  });

  it('stays a request after the rejection is signed and sent', () => {
    expect(supportRequest(rejected({ status: 'delivered' }))).toContain(`Причина отклонения: ${REASON}`);
  });

  it('says so when the document has no number or date instead of leaving blanks', () => {
    const text = supportRequest(rejected({ number: null, date: null }))!;
    expect(text).toContain('Номер: без номера');
    expect(text).toContain('Дата: —');
  });

  it('is not offered for a document that is not rejected', () => {
    expect(supportRequest(doc(7))).toBeNull();
    expect(supportRequest(doc(7, { status: 'signed', decision: 'accept' }))).toBeNull();
  });
});

describe('The document page’s help', () => {
  it('shows a rejected document’s request open, read-only, with a note that it is Russian', () => {
    const { help } = showDocument(rejected());
    const box = within(help).getByRole('textbox', { name: 'Текст обращения в поддержку маркетплейса' }) as HTMLTextAreaElement;
    expect(box.readOnly).toBe(true);
    expect(box.value).toBe(supportRequest(rejected()));
    expect(box.closest('details')!.open).toBe(true);
    expect(
      within(help).getByText(
        'Обращение составлено на русском языке при любом языке программы: поддержка маркетплейса читает по-русски.'
      )
    ).toBeTruthy();
  });

  it('copies the request with the Copy button and says it did', async () => {
    const writeText = vi.fn(async () => {});
    stubClipboard(writeText);
    const { help } = showDocument(rejected());
    await userEvent.click(
      within(help).getByRole('button', { name: 'Копировать: Текст обращения в поддержку маркетплейса' })
    );
    expect(writeText).toHaveBeenCalledWith(supportRequest(rejected()));
    expect(within(help).getByRole('status').textContent).toBe('Скопировано');
  });

  it('selects the request for Ctrl+C when the clipboard refuses', async () => {
    stubClipboard(async () => {
      throw new DOMException('denied', 'NotAllowedError');
    });
    const { help } = showDocument(rejected());
    await userEvent.click(
      within(help).getByRole('button', { name: 'Копировать: Текст обращения в поддержку маркетплейса' })
    );
    const box = within(help).getByRole('textbox', { name: 'Текст обращения в поддержку маркетплейса' }) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(box);
    expect([box.selectionStart, box.selectionEnd]).toEqual([0, box.value.length]);
    expect(within(help).getByRole('status').textContent).toBe('Текст выделен: нажмите Ctrl+C, чтобы скопировать');
  });

  it('selects the text when the window has no clipboard at all', async () => {
    const { help } = showDocument(rejected());
    await userEvent.click(within(help).getByRole('button', { name: 'Копировать: Электронная почта поддержки iDocs' }));
    const field = within(help).getByRole('textbox', { name: 'Электронная почта поддержки iDocs' }) as HTMLInputElement;
    expect([field.selectionStart, field.selectionEnd]).toEqual([0, 'support@idocs.kz'.length]);
  });

  it('explains the route for an error but offers no request before the document is rejected', () => {
    const { help } = showDocument(doc(7));
    expect(within(help).queryByRole('textbox', { name: 'Текст обращения в поддержку маркетплейса' })).toBeNull();
    expect(
      within(help).getByText(
        'Когда вы отклоните документ, здесь появится готовый текст обращения с его номером, датой и причиной.'
      )
    ).toBeTruthy();
    expect(within(help).getByText('Ошибка в документе').closest('details')!.open).toBe(false);
  });

  it('offers the request as soon as the open document is rejected', async () => {
    const { help, rerender } = showDocument(doc(7));
    expect(within(help).queryByRole('textbox', { name: 'Текст обращения в поддержку маркетплейса' })).toBeNull();
    await rerender({ detail: detail(rejected()) });
    const box = (await within(help).findByRole('textbox', {
      name: 'Текст обращения в поддержку маркетплейса'
    })) as HTMLTextAreaElement;
    expect(box.value).toContain(`Причина отклонения: ${REASON}`);
    expect(box.closest('details')!.open).toBe(true);
  });

  it('gives the operator’s support contacts and the addresses to copy, with no link to follow', () => {
    const { help, calls } = showDocument(doc(7));
    const value = (name: string) => (within(help).getByRole('textbox', { name }) as HTMLInputElement).value;
    expect(value('Электронная почта поддержки iDocs')).toBe('support@idocs.kz');
    expect(value('Телефон поддержки iDocs')).toBe('+7 700 080-44-55');
    expect(value('Страница NCALayer на сайте НУЦ РК')).toBe('https://pki.gov.kz/ncalayer/');
    expect(value('Портал eGov')).toBe('https://egov.kz');
    expect(value('Сайт НУЦ РК')).toBe('https://pki.gov.kz');
    // Offline: everything is text in the page; nothing to navigate to, nothing fetched for it.
    expect(help.querySelectorAll('a, iframe, img, link').length).toBe(0);
    const page = ['company_open', 'document_bytes', 'document_history', 'verify_history'];
    expect(calls.map((c) => c.cmd).filter((cmd) => !page.includes(cmd))).toEqual([]);
  });

  it('tells how to install NCALayer, where to get a signature and what to do when NCALayer does not answer', () => {
    const { help } = showDocument(doc(7));
    expect(within(help).getByText('Как установить NCALayer')).toBeTruthy();
    expect(within(help).getAllByRole('listitem')).toHaveLength(3);
    expect(within(help).getByText('Где получить ЭЦП')).toBeTruthy();
    expect(within(help).getByText(/на портале электронного правительства eGov/)).toBeTruthy();
    expect(within(help).getByText('NCALayer не отвечает')).toBeTruthy();
    expect(within(help).getByText(/^Запустите NCALayer из меню «Пуск»/)).toBeTruthy();
    // The fault's own sentence appears only when the fault happens (the sign dialog, Diagnostics).
    expect(help.textContent).not.toContain('NCALayer не запущен');
    expect(within(help).getByText(/равнозначна собственноручной подписи/).textContent).toContain('№ 370-II');
  });

  it.each(LANGS)('%s: every topic is written in the interface language; the request stays Russian', (l) => {
    useLang(l);
    const m = messagesFor(l).help;
    const { help } = showDocument(rejected());
    for (const title of [
      m.documentError.title,
      m.ncalayer.title,
      m.eds.title,
      m.ncalayerDown.title,
      m.operatorSupport.title,
      m.law.title
    ]) {
      expect(within(help).getByText(title).tagName).toBe('SUMMARY');
    }
    expect(within(help).getByText(m.law.text).textContent).toContain('370-II');
    expect(within(help).getByText(m.documentError.russianNote)).toBeTruthy();
    const box = within(help).getByRole('textbox', { name: m.documentError.requestLabel }) as HTMLTextAreaElement;
    expect(box.value).toBe(supportRequest(rejected()));
  });

  it('Kazakh and English help is translated, not copied from Russian', () => {
    const [ru, kk, en] = LANGS.map((l) => JSON.stringify(messagesFor(l).help));
    const strings = (s: string) => Object.values(JSON.parse(s)).flatMap(function flat(v: unknown): string[] {
      return typeof v === 'string' ? [v] : Object.values(v as object).flatMap(flat);
    });
    const ruStrings = new Set(strings(ru));
    expect(strings(kk).filter((s) => ruStrings.has(s))).toEqual([]);
    expect(strings(en).filter((s) => ruStrings.has(s))).toEqual([]);
  });
});

describe('The first-run screen', () => {
  it.each(LANGS)('%s: says what Qoltanba connects to today and that iDocs needs API access', (l) => {
    useLang(l);
    backend({});
    render(FirstRun, { onconnect: vi.fn(), onready: vi.fn(), onimported: vi.fn() });
    const m = messagesFor(l).firstRun;
    const heading = screen.getByRole('heading', { name: m.connectsToTitle });
    const items = within(heading.parentElement!).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(m.connectsTo);
    expect(items[0]).toContain('qoltanba-operator');
    expect(items[2]).toMatch(/iDocs.*API/);
  });

  it('Russian: the three ways in, plainly', () => {
    backend({});
    render(FirstRun, { onconnect: vi.fn(), onready: vi.fn(), onimported: vi.fn() });
    expect(screen.getByText(/С любым сервером открытого API оператора ЭДО, включая эталонный сервер/)).toBeTruthy();
    expect(screen.getByText(/С файлами, скачанными из веб-кабинета любого оператора ЭДО/)).toBeTruthy();
    expect(
      screen.getByText(/Прямое подключение к iDocs требует доступа к API, который iDocs выдаёт каждой компании отдельно/)
    ).toBeTruthy();
  });
});
