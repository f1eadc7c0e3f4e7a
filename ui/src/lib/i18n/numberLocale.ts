// Some ICU builds have no real Kazakh data yet claim to support "kk" (Debian's Chromium formats
// kk-KZ as "KZT 1,000.50"). Kazakh numbers follow the same conventions as Russian ones in
// Kazakhstan (1 234 567,89 ₸), so ru-KZ stands in when kk-KZ does not write a decimal comma.
const chosen = new Map<string, string>();

function writesDecimalComma(locale: string): boolean {
  const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
  return parts.find((p) => p.type === 'decimal')?.value === ',';
}

export function numberLocale(locale: string): string {
  let l = chosen.get(locale);
  if (!l) {
    if (locale.startsWith('kk')) l = writesDecimalComma(locale) ? locale : 'ru-KZ';
    else l = Intl.NumberFormat.supportedLocalesOf([locale]).length > 0 ? locale : 'en';
    chosen.set(locale, l);
  }
  return l;
}
