// The current language and its messages. Russian is the default; components read `t()` in
// their markup, so switching the language re-renders every visible string.
import type { Lang } from '../../api/types';
import { en } from './en';
import { kk } from './kk';
import { ru, type Messages } from './ru';

export type { Messages };
export const LANGS: readonly Lang[] = ['ru', 'kk', 'en'];
const catalogue: Record<Lang, Messages> = { ru, kk, en };

// The reasons are Russian whatever the interface speaks: the marketplace reads them (setting
// `reasonLanguage`).
const current = $state<{ lang: Lang; reasonLang: Lang }>({ lang: 'ru', reasonLang: 'ru' });

export function t(): Messages {
  return catalogue[current.lang];
}

export function lang(): Lang {
  return current.lang;
}

export function setLang(l: Lang): void {
  current.lang = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

/** The language preset rejection reasons are inserted in. */
export function reasonLang(): Lang {
  return current.reasonLang;
}

export function setReasonLang(l: Lang): void {
  current.reasonLang = l;
}

export function messagesFor(l: Lang): Messages {
  return catalogue[l];
}
