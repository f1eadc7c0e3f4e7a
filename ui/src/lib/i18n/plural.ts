import { numberLocale } from './numberLocale';

// Plural forms by CLDR category (Intl.PluralRules). Russian needs one/few/many/other; Kazakh and
// English one/other (Kazakh keeps the noun singular after a numeral: «5 құжат»).

export interface PluralForms {
  one: string;
  few?: string;
  many?: string;
  other: string;
}

const rules = new Map<string, Intl.PluralRules>();

export function plural(locale: string, n: number, forms: PluralForms): string {
  let r = rules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    rules.set(locale, r);
  }
  const cat = r.select(n) as keyof PluralForms;
  const form = forms[cat] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(numberLocale(locale)).format(n));
}
