// Dates, times and money, formatted with Intl (glossary: 31.10.2026, 14:05, 1 234 567,89 ₸).
import type { Money } from '../api/types';
import { t } from './i18n/index.svelte';
import { numberLocale } from './i18n/numberLocale';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-10-31" → "31.10.2026" in every language (the glossary's dd.MM.yyyy). */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = ISO_DAY.exec(day);
  if (!m) return day;
  return `${m[3]}.${m[2]}.${m[1]}`;
}

const dateTime = new Intl.DateTimeFormat('ru-RU', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23'
});

/** An RFC 3339 instant in local time: "31.10.2026 14:05". */
export function formatInstant(at: string | null | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return dateTime.format(d).replace(',', '');
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "1234567.89" in KZT → "1 234 567,89 ₸" (ru/kk) or "₸1,234,567.89" (en). Exact: the decimal
 * string goes to Intl as is, never through a float. */
export function formatMoney(amount: Money | null | undefined, currency = 'KZT'): string {
  if (amount == null || amount === '') return '—';
  const locale = numberLocale(t().locale);
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2
    });
    moneyFormats.set(key, f);
  }
  return f.format(amount as Intl.StringNumericLiteral);
}

/** A user's amount ("1 234,5") as the operator's decimal string ("1234.50"); null if not one. */
export function parseAmount(text: string): Money | null {
  const s = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return null;
  const [int, frac = ''] = s.split('.');
  return `${int}.${frac.padEnd(2, '0')}`;
}
