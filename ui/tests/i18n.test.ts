import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, toApiError } from '../src/api/error';
import { errorText } from '../src/lib/errorText';
import { formatDay, formatInstant, formatMoney, parseAmount } from '../src/lib/format';
import { messagesFor, setLang } from '../src/lib/i18n/index.svelte';

const { ru, kk, en } = { ru: messagesFor('ru'), kk: messagesFor('kk'), en: messagesFor('en') };

describe('Plurals', () => {
  it('Russian has one/few/many', () => {
    expect([1, 2, 5, 11, 21, 22, 25].map(ru.count.documents)).toEqual([
      '1 документ', '2 документа', '5 документов', '11 документов', '21 документ', '22 документа', '25 документов'
    ]);
  });
  it('Kazakh keeps the noun singular after a numeral', () => {
    expect([1, 5, 21].map(kk.count.documents)).toEqual(['1 құжат', '5 құжат', '21 құжат']);
  });
  it('English has one/other', () => {
    expect([1, 2].map(en.count.documents)).toEqual(['1 document', '2 documents']);
  });
});

describe('Formats', () => {
  it('money with grouped digits, comma decimals and ₸ after a space, exactly', () => {
    setLang('ru');
    expect(formatMoney('1234567.89')).toBe('1\u00a0234\u00a0567,89\u00a0₸');
    expect(formatMoney('99999999999999.99')).toBe('99\u00a0999\u00a0999\u00a0999\u00a0999,99\u00a0₸');
    setLang('kk');
    expect(formatMoney('-0.01')).toBe('-0,01\u00a0₸');
    expect(formatMoney(null)).toBe('—');
  });
  it('days as dd.MM.yyyy in every language, instants with a 24-hour time', () => {
    setLang('en');
    expect(formatDay('2026-10-31')).toBe('31.10.2026');
    expect(formatInstant('2026-10-31T14:05:00')).toBe('31.10.2026 14:05');
  });
  it('amounts typed by a person become the operator’s decimal strings', () => {
    expect(parseAmount('1 000,5')).toBe('1000.50');
    expect(parseAmount('12')).toBe('12.00');
    expect(parseAmount('1.234')).toBeNull();
    expect(parseAmount('abc')).toBeNull();
  });
});

describe('Errors', () => {
  it('the shell’s {code, message, retryable} becomes an ApiError', () => {
    const e = toApiError({ code: 'timeout', message: 'NCALayer не ответил за 60 с', retryable: true });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.message, e.retryable]).toEqual(['timeout', 'NCALayer не ответил за 60 с', true]);
  });
  it('a foreign error never shows its stack or text to the user', () => {
    setLang('ru');
    const e = toApiError(new TypeError('Cannot read properties of undefined'));
    expect(errorText(e)).toBe('Что-то пошло не так. Подробности записаны в журнал.');
  });
  it('Kazakh and English show the UI’s own sentence by code', () => {
    const e = new ApiError('operator_unreachable', 'Нет связи с оператором: DNS', true);
    setLang('kk');
    expect(errorText(e)).toBe('ЭҚА операторымен байланыс жоқ. Интернетке қосылуды тексеріп, қайталап көріңіз.');
    setLang('en');
    expect(errorText(e)).toBe('No connection to the EDO operator. Check the internet connection and try again.');
  });
});

describe('Number locale', () => {
  const RealNumberFormat = Intl.NumberFormat;
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** An ICU whose Kazakh writes `kkDecimal` as the decimal mark; every other locale is real. */
  function icu(kkDecimal: string) {
    const Stub = function (this: unknown, locale?: string | string[], options?: Intl.NumberFormatOptions) {
      const real = new RealNumberFormat(locale, options);
      if (String(locale).startsWith('kk')) {
        return Object.assign(Object.create(real), {
          formatToParts: (n: number) => real.formatToParts(n).map((p) => (p.type === 'decimal' ? { ...p, value: kkDecimal } : p))
        });
      }
      return real;
    } as unknown as typeof Intl.NumberFormat;
    Stub.supportedLocalesOf = RealNumberFormat.supportedLocalesOf;
    vi.stubGlobal('Intl', Object.assign(Object.create(Intl) as typeof Intl, { NumberFormat: Stub }));
    // numberLocale keeps its choice per locale: a fresh module probes the stub.
    vi.resetModules();
  }

  it('Kazakh numbers fall back to ru-KZ where ICU has no real Kazakh data', async () => {
    icu('.');
    const { numberLocale } = await import('../src/lib/i18n/numberLocale');
    expect(numberLocale('ru-KZ')).toBe('ru-KZ');
    expect(numberLocale('kk-KZ')).toBe('ru-KZ');
  });

  it('Kazakh numbers stay Kazakh where ICU writes them with a decimal comma', async () => {
    icu(',');
    const { numberLocale } = await import('../src/lib/i18n/numberLocale');
    expect(numberLocale('kk-KZ')).toBe('kk-KZ');
  });
});
