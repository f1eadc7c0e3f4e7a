import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import DocumentView from '../src/features/document/DocumentView.svelte';
import HistoryTimeline from '../src/features/document/HistoryTimeline.svelte';
import { backend, failure, settled } from './backend';
import { detail, doc, senderSignature } from './fixtures';

const xml = (s: string) => new TextEncoder().encode(s).buffer;
const chainOk = { entries: 12, intact: true, firstBroken: null };

function shell(over: Record<string, unknown> = {}) {
  return backend({
    document_bytes: xml('<report><number>R-1</number><total currency="KZT">1234567.89</total></report>'),
    document_history: [
      { seq: 1, subject: 'document:1', at: '2026-11-01T09:05:00Z', actor: 'operator', action: 'receive', fromStatus: null, toStatus: 'received', reason: null, detail: {}, prevMac: '0', mac: '1' }
    ],
    verify_history: chainOk,
    ...over
  });
}

describe('Document screen', () => {
  it('shows metadata with money and dates in the glossary format', async () => {
    shell();
    render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.getByRole('heading', { name: 'Отчёт о реализации товара № R-1' })).toBeTruthy();
    expect(screen.getByText('1 234 567,89 ₸')).toBeTruthy();
    expect(screen.getByText('01.10.2026 — 31.10.2026')).toBeTruthy();
    expect(screen.getByText('ТОО «Озон Казахстан», БИН 123456789012')).toBeTruthy();
  });

  it('draws only the actions the backend allows and reports the click', async () => {
    shell();
    const onaction = vi.fn();
    render(DocumentView, { detail: detail(doc(1)), onaction, onopen: vi.fn() });
    expect(screen.getByRole('button', { name: 'Принять' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Отклонить' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Подписать' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Отклонить' }));
    expect(onaction).toHaveBeenCalledWith('reject');
  });

  it('says so when no action is allowed', () => {
    shell();
    render(DocumentView, { detail: detail(doc(1, { status: 'delivered' })), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.getByText('Для документа в этом статусе действий нет')).toBeTruthy();
  });

  it('renders XML readably as text, never as markup', async () => {
    shell({ document_bytes: xml('<r><note>&lt;img src=x onerror=alert(1)&gt;</note><b>жирный</b></r>') });
    const { container } = render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(await screen.findByText(': <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.xml-view b')).toBeNull();
    expect(screen.getByText(': жирный')).toBeTruthy();
  });

  it('shows broken XML as plain text with a warning', async () => {
    shell({ document_bytes: xml('<r><unclosed></r>') });
    render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(await screen.findByText('Файл не является корректным XML: показан как текст')).toBeTruthy();
    expect(screen.getByText('<r><unclosed></r>')).toBeTruthy();
  });

  it('offers a retry when the file cannot be read for a retryable reason', async () => {
    let n = 0;
    shell({
      document_bytes: () => (n++ === 0 ? failure('io', 'Не удалось прочитать файл', true) : xml('<r><x>ok</x></r>'))
    });
    render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(await screen.findByText('Не удалось прочитать файл')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Повторить' }));
    expect(await screen.findByText(': ok')).toBeTruthy();
  });

  it('labels the ESF attachment as going to the state portal', async () => {
    shell();
    const d = doc(1, {
      attachments: [
        { id: 'm', role: 'main', fileName: 'act.xml', mimeType: 'application/xml', size: 1, sha256: 'x' },
        { id: 'e', role: 'esf', fileName: 'esf.xml', mimeType: 'application/xml', size: 1, sha256: 'y' }
      ]
    });
    render(DocumentView, { detail: detail(d), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.queryByText(/уходит на портал/)).toBeNull();
    await userEvent.click(screen.getByRole('tab', { name: 'esf.xml (ЭСФ)' }));
    expect(screen.getByText('ЭСФ: уходит на портал ИС ЭСФ, здесь не подписывается')).toBeTruthy();
  });

  it('shows each signature with one of three verdicts, why, and the signer', () => {
    shell();
    const signatures = [
      senderSignature(1, {
        verdict: { ...senderSignature(1).verdict!, warnings: ['Отзыв сертификата не проверялся: нет списка отзыва'] }
      }),
      senderSignature(2, {
        verdict: { indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE', reason: 'Документ изменён после подписания', signer: null, signingTime: null, algorithm: null, algorithmId: null, warnings: [], intact: false, chain: [] }
      }),
      senderSignature(3, {
        verdict: { indication: 'INDETERMINATE', subIndication: 'ALGORITHM_NOT_SUPPORTED', reason: 'Проверить не удалось: алгоритм ГОСТ проверяется в NCALayer', signer: null, signingTime: null, algorithm: null, algorithmId: null, warnings: [], intact: false, chain: [] }
      })
    ];
    render(DocumentView, { detail: detail(doc(1), { signatures }), onaction: vi.fn(), onopen: vi.fn() });
    const items = within(screen.getByRole('heading', { name: 'Подписи' }).parentElement!).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(within(items[0]).getByText('Действительна')).toBeTruthy();
    expect(within(items[0]).getByText('Отзыв сертификата не проверялся: нет списка отзыва')).toBeTruthy();
    expect(within(items[0]).getByText('Подписант: ИВАНОВ ИВАН, ИИН 800101300123')).toBeTruthy();
    expect(within(items[0]).getByText('Организация: ТОО «Озон Казахстан», БИН 123456789012')).toBeTruthy();
    expect(within(items[1]).getByText('Недействительна')).toBeTruthy();
    expect(within(items[1]).getByText('Документ изменён после подписания')).toBeTruthy();
    expect(within(items[2]).getByText('Проверить не удалось')).toBeTruthy();
    expect(within(items[2]).getByText('Проверить не удалось: алгоритм ГОСТ проверяется в NCALayer')).toBeTruthy();
  });

  it('links a correction to the document it corrects', async () => {
    shell();
    const onopen = vi.fn();
    const d = doc(2, { kind: 'sales_report_correction', correctionOf: 1, correctionOfNumber: 'R-1' });
    render(DocumentView, {
      detail: detail(d, { corrects: { id: 1, kind: 'sales_report', number: 'R-1', date: '2026-10-31', status: 'signed' } }),
      onaction: vi.fn(),
      onopen
    });
    await userEvent.click(screen.getByRole('button', { name: 'Отчёт о реализации товара № R-1, 31.10.2026' }));
    expect(onopen).toHaveBeenCalledWith(1);
  });

  it('says which number a correction corrects when that document is not here', () => {
    shell();
    const d = doc(2, { kind: 'sales_report_correction', correctionOfNumber: 'R-77' });
    render(DocumentView, { detail: detail(d), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.getByText('Исправляет документ № R-77 (его нет на этом компьютере)')).toBeTruthy();
  });

  it('shows the history timeline and an intact chain', async () => {
    shell();
    render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(await screen.findByText('Цепочка истории цела: проверено записей — 12')).toBeTruthy();
    expect(screen.getByText('Получен', { selector: '.timeline span' })).toBeTruthy();
    expect(screen.getByText('01.11.2026', { exact: false, selector: 'time' })).toBeTruthy();
  });

  it('names the first broken history entry', async () => {
    shell({
      verify_history: { entries: 4, intact: false, firstBroken: { seq: 5, subject: 'document:1', problem: 'содержимое записи изменено после её создания' } }
    });
    render(DocumentView, { detail: detail(doc(1)), onaction: vi.fn(), onopen: vi.fn() });
    expect(await screen.findByText('История нарушена в записи № 5: содержимое записи изменено после её создания')).toBeTruthy();
  });

  it('documents opened while the chain check walks the store share its answer, not queue walks of their own', async () => {
    let answer: (r: unknown) => void = () => {};
    const b = shell({ verify_history: () => new Promise((r) => (answer = r)) });
    render(HistoryTimeline, { documentId: 1, version: 'received:1' });
    render(HistoryTimeline, { documentId: 2, version: 'received:1' });
    await vi.waitFor(() => expect(b.called('document_history')).toHaveLength(2));
    await settled();
    expect(b.called('verify_history')).toHaveLength(1);
    answer({ entries: 12, intact: true, firstBroken: null });
    expect(await screen.findAllByText('Цепочка истории цела: проверено записей — 12')).toHaveLength(2);
    // Once answered, the next document checks again.
    render(HistoryTimeline, { documentId: 3, version: 'received:1' });
    await vi.waitFor(() => expect(b.called('verify_history')).toHaveLength(2));
  });

  it('says a sent decision awaits the operator’s check until it answers', () => {
    shell();
    render(DocumentView, { detail: detail(doc(1, { status: 'sent' })), onaction: vi.fn(), onopen: vi.fn() });
    expect(screen.getByText('Ожидает проверки оператором')).toBeTruthy();
  });
});
