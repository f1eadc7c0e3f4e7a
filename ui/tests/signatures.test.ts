// Issue #9: the document view shows each verdict in plain words — algorithm (GOST included),
// when it was checked, the certificate chain, and the core's warnings in the chosen language.
import { render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Signature, Verdict } from '../src/api/types';
import DocumentView from '../src/features/document/DocumentView.svelte';
import { warningText } from '../src/features/document/verdict';
import { setLang } from '../src/lib/i18n/index.svelte';
import { backend } from './backend';
import { detail, doc, senderSignature } from './fixtures';

/** The core's sentence (core/src/signature/verify.rs CHAIN_NOT_CHECKED). */
const CHAIN_NOT_CHECKED = 'Цепочка сертификата до доверенного корня НУЦ РК и его отзыв не проверялись';

function shell() {
  return backend({
    document_bytes: new TextEncoder().encode('<r><x>1</x></r>').buffer,
    document_history: [],
    verify_history: { entries: 0, intact: true, firstBroken: null }
  });
}

function signature(id: number, verdict: Partial<Verdict>, over: Partial<Signature> = {}): Signature {
  const base = senderSignature(id);
  return { ...base, verdict: { ...base.verdict!, ...verdict }, ...over };
}

/** Renders the document view with these signatures; returns each signature's list item. */
function show(...signatures: Signature[]) {
  shell();
  render(DocumentView, { detail: detail(doc(1), { signatures }), onaction: vi.fn(), onopen: vi.fn() });
  const section = screen.getByRole('heading', { name: 'Подписи' }).parentElement!;
  return [...section.querySelectorAll<HTMLElement>('li.signature')];
}

function switchTo(l: 'ru' | 'kk' | 'en') {
  setLang(l);
  flushSync();
}

const gost2015: Partial<Verdict> = {
  indication: 'TOTAL_PASSED',
  subIndication: null,
  reason: 'Подпись действительна: документ не изменён, подпись соответствует сертификату, цепочка до доверенного сертификата проверена',
  algorithm: 'ГОСТ 34.310-2015 (512), Стрибог-512',
  intact: true,
  chain: ['ИВАНОВ ИВАН', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022', 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (ROOT)']
};

describe('Signature verdicts in plain words', () => {
  it('a valid GOST-2015 signature shows its algorithm, signer, IIN/BIN, chain and when it was checked', () => {
    const [item] = show(signature(1, gost2015, { verifiedAt: '2026-11-03T12:30:00Z' }));
    const q = within(item);
    expect(q.getByText('Действительна')).toBeTruthy();
    expect(q.getByText('Алгоритм: ГОСТ 34.310-2015 (512 бит), хеш Стрибог-512')).toBeTruthy();
    expect(q.getByText('Подписант: ИВАНОВ ИВАН, ИИН 800101300123')).toBeTruthy();
    expect(q.getByText('Организация: ТОО «Озон Казахстан», БИН 123456789012')).toBeTruthy();
    expect(q.getByText(/^Проверено: 03\.11\.2026 \d{2}:\d{2}$/)).toBeTruthy();
    expect(q.getByText('Цепочка сертификатов:')).toBeTruthy();
    const chain = within(item.querySelector('ol.chain') as HTMLElement).getAllByRole('listitem').map((li) => li.textContent);
    expect(chain).toEqual([
      'ИВАНОВ ИВАН',
      'выдан: ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) 2022',
      'выдан: ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (ROOT) (доверенный сертификат)'
    ]);
    // A chain was built: no "chain not checked" sentence.
    expect(q.queryByText(/цепочка сертификатов не проверена/)).toBeNull();

    switchTo('en');
    expect(q.getByText('Valid')).toBeTruthy();
    expect(q.getByText('Algorithm: GOST 34.310-2015 (512-bit), hash Streebog-512')).toBeTruthy();
    expect(q.getByText(/^Checked: 03\.11\.2026 \d{2}:\d{2}$/)).toBeTruthy();
    expect(q.getByText('issued by ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (ROOT) (trusted certificate)')).toBeTruthy();
    switchTo('kk');
    expect(q.getByText('Алгоритм: ГОСТ 34.310-2015 (512 бит), хэш Стрибог-512')).toBeTruthy();
    expect(q.getByText(/^Тексерілді: 03\.11\.2026/)).toBeTruthy();
  });

  it('a valid GOST signature looks as calm as a valid RSA one', () => {
    const [gost, rsa] = show(
      signature(1, gost2015),
      signature(2, { ...gost2015, algorithm: 'RSA (PKCS#1 v1.5), SHA-256' })
    );
    expect(within(rsa).getByText('Алгоритм: RSA (PKCS#1 v1.5), хеш SHA-256')).toBeTruthy();
    expect(gost.className).toBe(rsa.className);
    expect(gost.className).toContain('verdict-valid');
    expect(within(gost).getByText('Действительна').className).toBe(within(rsa).getByText('Действительна').className);
  });

  it('a GOST-2004 signature that does not match its key is invalid, with its reason', () => {
    const [item] = show(
      signature(1, {
        indication: 'TOTAL_FAILED',
        subIndication: 'SIG_CRYPTO_FAILURE',
        reason: 'Подпись недействительна: значение подписи не соответствует ключу сертификата',
        algorithm: 'ГОСТ 34.310-2004, ГОСТ 34.311-95',
        intact: false,
        chain: []
      })
    );
    const q = within(item);
    expect(item.className).toContain('verdict-invalid');
    expect(q.getByText('Недействительна')).toBeTruthy();
    expect(q.getByText('Подпись недействительна: значение подписи не соответствует ключу сертификата')).toBeTruthy();
    expect(q.getByText('Алгоритм: ГОСТ 34.310-2004, хеш ГОСТ 34.311-95')).toBeTruthy();
    // Not intact: never called intact.
    expect(q.queryByText(/Подпись цела/)).toBeNull();

    switchTo('en');
    expect(q.getByText('Invalid')).toBeTruthy();
    expect(q.getByText('The signature does not match the signer’s key.')).toBeTruthy();
    expect(q.getByText('Algorithm: GOST 34.310-2004, hash GOST 34.311-95')).toBeTruthy();
  });

  it('an unchecked chain is said plainly, and its warning follows the language', () => {
    const [item] = show(
      signature(1, {
        indication: 'INDETERMINATE',
        subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
        reason: 'Цепочка до доверенного сертификата НУЦ РК не построена',
        algorithm: 'ГОСТ 34.310-2015 (512), Стрибог-512',
        intact: true,
        chain: [],
        warnings: [CHAIN_NOT_CHECKED, 'Новое предупреждение ядра']
      })
    );
    const q = within(item);
    expect(q.getByText('Проверить не удалось')).toBeTruthy();
    expect(q.getByText('Подпись цела и относится к этому документу; цепочка сертификатов не проверена')).toBeTruthy();
    expect(q.getByText(CHAIN_NOT_CHECKED)).toBeTruthy();
    expect(q.getByText('Новое предупреждение ядра')).toBeTruthy();

    switchTo('kk');
    expect(q.getByText('Тексеру мүмкін болмады')).toBeTruthy();
    expect(q.getByText('Қолтаңба бүтін және осы құжатқа тиесілі; тіркеу куәліктерінің тізбегі тексерілмеді')).toBeTruthy();
    expect(
      q.getByText('Тіркеу куәлігінің ҚР ҰКО сенімді түбіріне дейінгі тізбегі және оның кері қайтарып алынуы тексерілмеді')
    ).toBeTruthy();
    expect(q.queryByText(CHAIN_NOT_CHECKED)).toBeNull();
    // A warning the UI does not know stays in the core's Russian rather than disappearing.
    expect(q.getByText('Новое предупреждение ядра')).toBeTruthy();

    switchTo('en');
    expect(q.getByText('Could not be checked')).toBeTruthy();
    expect(q.getByText('The signature is intact and belongs to this document; the certificate chain was not checked')).toBeTruthy();
    expect(
      q.getByText('The certificate’s chain to the trusted root of the National Certification Authority and its revocation were not checked')
    ).toBeTruthy();
    expect(q.getByText('Новое предупреждение ядра')).toBeTruthy();
  });

  it('a CRL that could not be downloaded is said in the window’s language, in the core’s words', () => {
    // The core's sentence and its Kazakh and English (core/src/signature/note.rs CrlUnavailable).
    const url = 'http://crl.pki.gov.kz/nca_gost.crl';
    const said = {
      message: `Список отозванных сертификатов (CRL) с ${url} получить не удалось (нет соединения с сервером)`,
      messageKk: `${url} мекенжайынан кері қайтарылған тіркеу куәліктерінің тізімін (CRL) алу мүмкін болмады (сервермен байланыс жоқ)`,
      messageEn: `The certificate revocation list (CRL) from ${url} could not be had (no connection to the server)`
    };
    const [item] = show(signature(1, { ...gost2015, warnings: [said.message] }, { warnings: [said] }));
    const q = within(item);
    expect(q.getByText(said.message)).toBeTruthy();
    switchTo('kk');
    expect(q.getByText(said.messageKk)).toBeTruthy();
    expect(q.queryByText(said.message)).toBeNull();
    switchTo('en');
    expect(q.getByText(said.messageEn)).toBeTruthy();
    switchTo('ru');
  });

  it('an algorithm the core names only by OID is an unknown algorithm', () => {
    const [item] = show(
      signature(1, {
        indication: 'INDETERMINATE',
        subIndication: 'ALGORITHM_NOT_SUPPORTED',
        reason: 'Алгоритм подписи 1.2.840.113549.1.1.5 не поддерживается',
        algorithm: '1.2.840.113549.1.1.5, 1.3.14.3.2.26',
        intact: false,
        chain: []
      })
    );
    const q = within(item);
    expect(
      q.getByText('Алгоритм: неизвестный алгоритм (OID 1.2.840.113549.1.1.5), хеш неизвестный алгоритм (OID 1.3.14.3.2.26)')
    ).toBeTruthy();
    switchTo('kk');
    expect(
      q.getByText('Алгоритм: белгісіз алгоритм (OID 1.2.840.113549.1.1.5), хэш белгісіз алгоритм (OID 1.3.14.3.2.26)')
    ).toBeTruthy();
    switchTo('en');
    expect(
      q.getByText('Algorithm: unknown algorithm (OID 1.2.840.113549.1.1.5), hash unknown algorithm (OID 1.3.14.3.2.26)')
    ).toBeTruthy();
  });

  it('a signature not checked yet shows no verification time', () => {
    const [item] = show(signature(1, {}, { verdict: null, verifiedAt: null }));
    expect(within(item).getByText('Ещё не проверена')).toBeTruthy();
    expect(within(item).queryByText(/Проверено/)).toBeNull();
  });
});

describe('The core’s warnings', () => {
  // The exact sentences of core/src/signature/{verify,chain}.rs.
  const core = [
    CHAIN_NOT_CHECKED,
    'Подписантов: 2; здесь проверен первый',
    'CRL издателя «НУЦ РК (GOST)» не принят: его подпись не проверяется',
    'CRL издателя «НУЦ РК (GOST)» устарел (следующее обновление 2026-10-31); свежий отзыв мог не попасть в него',
    'Сертификат «ИВАНОВ ИВАН» отозван 2026-11-02, после времени проверки',
    'Отзыв не проверен: нет CRL для сертификата «ИВАНОВ ИВАН»'
  ];

  it('Russian keeps the core’s words, with dates as dd.MM.yyyy, and says a refused CRL failed the check', () => {
    setLang('ru');
    expect(core.map((w) => warningText(w))).toEqual([
      ...core.slice(0, 2),
      'CRL издателя «НУЦ РК (GOST)» не принят: его подпись не прошла проверку',
      'CRL издателя «НУЦ РК (GOST)» устарел (следующее обновление 31.10.2026); свежий отзыв мог не попасть в него',
      'Сертификат «ИВАНОВ ИВАН» отозван 02.11.2026, после времени проверки',
      core[5]
    ]);
  });

  it('reads the core’s corrected sentence for a refused CRL as it reads the old one', () => {
    const now = 'CRL издателя «НУЦ РК (GOST)» не принят: его подпись не прошла проверку';
    setLang('en');
    expect(warningText(now)).toBe('The CRL of issuer "НУЦ РК (GOST)" was not accepted: its signature does not verify');
    setLang('kk');
    expect(warningText(now)).toBe('CRL қабылданбады (беруші: «НУЦ РК (GOST)»): оның қолтаңбасы тексеруден өтпеді');
    setLang('ru');
  });

  it('Kazakh and English say each of them in their own words', () => {
    setLang('kk');
    expect(core.map((w) => warningText(w))).toEqual([
      'Тіркеу куәлігінің ҚР ҰКО сенімді түбіріне дейінгі тізбегі және оның кері қайтарып алынуы тексерілмеді',
      'Қол қоюшылар саны: 2; мұнда біріншісі ғана тексерілді',
      'CRL қабылданбады (беруші: «НУЦ РК (GOST)»): оның қолтаңбасы тексеруден өтпеді',
      'CRL ескірген (беруші: «НУЦ РК (GOST)», келесі жаңарту: 31.10.2026); соңғы кері қайтарып алулар оған енбеуі мүмкін',
      '«ИВАНОВ ИВАН» тіркеу куәлігі тексеру уақытынан кейін кері қайтарып алынған (күні: 02.11.2026)',
      'Кері қайтарып алу тексерілмеді: «ИВАНОВ ИВАН» тіркеу куәлігі үшін CRL жоқ'
    ]);
    setLang('en');
    expect(core.map((w) => warningText(w))).toEqual([
      'The certificate’s chain to the trusted root of the National Certification Authority and its revocation were not checked',
      '2 signers; only the first was checked here',
      'The CRL of issuer "НУЦ РК (GOST)" was not accepted: its signature does not verify',
      'The CRL of issuer "НУЦ РК (GOST)" is out of date (next update 31.10.2026); a recent revocation may be missing from it',
      'The certificate "ИВАНОВ ИВАН" was revoked on 02.11.2026, after the time of the check',
      'Revocation not checked: no CRL for the certificate "ИВАНОВ ИВАН"'
    ]);
  });
});
