// Every code the core can send has words in every language, and every count agrees with its
// noun. The code lists come from the core itself (core-codes.json is compared with the Rust enums
// by src-tauri/core/tests/ui_codes.rs), so a new code without text fails here.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/error';
import { TAB_STATUSES, type ErrorCode, type Lang, type Status } from '../src/api/types';
import { errorDetail, errorText } from '../src/lib/errorText';
import { LANGS, messagesFor, setLang } from '../src/lib/i18n/index.svelte';
import core from './core-codes.json';

const codes = core.errorCodes as ErrorCode[];
const statuses = core.statuses as Status[];

describe('Every code the core sends has text', () => {
  it.each(LANGS)('%s: every error code has its own sentence, shown instead of the generic one', (l) => {
    setLang(l);
    const m = messagesFor(l);
    const missing = codes.filter((c) => !m.errors.byCode[c]?.trim());
    expect(missing).toEqual([]);
    for (const c of codes) {
      expect(errorText(new ApiError(c, 'подробности ядра', false)), c).not.toBe(m.errors.unknown);
    }
    expect(Object.keys(m.errors.byCode).sort(), 'no text for a code the core does not have').toEqual([...codes].sort());
  });

  it.each(LANGS)('%s: every status has a label', (l) => {
    const m = messagesFor(l);
    expect(statuses.filter((s) => !m.status[s]?.trim())).toEqual([]);
  });

  it('Kazakh and English are translated, not copied from Russian', () => {
    const [ru, kk, en] = (['ru', 'kk', 'en'] as Lang[]).map(messagesFor);
    expect(codes.filter((c) => kk.errors.byCode[c] === ru.errors.byCode[c])).toEqual([]);
    expect(codes.filter((c) => en.errors.byCode[c] === ru.errors.byCode[c])).toEqual([]);
    expect(statuses.filter((s) => kk.status[s] === ru.status[s] || en.status[s] === ru.status[s])).toEqual([]);
  });

  it('the UI’s mirror of the tabs holds the statuses the core puts in them', () => {
    expect(TAB_STATUSES).toEqual(core.tabs);
  });

  it('Russian adds the core’s specific words under the sentence; Kazakh and English do not show Russian', () => {
    const e = new ApiError('file_too_large', 'Файл слишком большой: 30 МиБ, допустимо не больше 25 МиБ', false);
    setLang('ru');
    expect(errorText(e)).toBe(
      'Файл больше допустимого размера. Выберите другой файл или увеличьте «Максимальный размер файла» в настройках.'
    );
    expect(errorDetail(e)).toBe('Файл слишком большой: 30 МиБ, допустимо не больше 25 МиБ');
    setLang('kk');
    expect(errorDetail(e)).toBeNull();
    setLang('en');
    expect(errorText(e)).toBe('The file is larger than allowed. Choose another file or raise "Maximum file size" in Settings.');
    expect(errorDetail(e)).toBeNull();
  });
});

// --- counts --------------------------------------------------------------------------------

type Fn = (...args: number[]) => unknown;

/** Every message that takes arguments, by its path ("outbox.syncDone"). */
function functions(node: unknown, path = ''): [string, Fn][] {
  if (typeof node === 'function') return [[path, node as Fn]];
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => functions(v, path ? `${path}.${k}` : k));
}

/** Each message called with every argument = n (a count, or a number standing in for a name). */
function said(l: Lang, n: number): [string, string][] {
  return functions(messagesFor(l))
    .filter(([, f]) => f.length > 0)
    .map(([path, f]) => [path, String(f(...Array<number>(f.length).fill(n)))]);
}

// Russian nouns that follow a count, in the forms one / few / many.
const RU: [string, string, string][] = [
  ['документ', 'документа', 'документов'],
  ['день', 'дня', 'дней'],
  ['страница', 'страницы', 'страниц'],
  ['совпадение', 'совпадения', 'совпадений'],
  ['символ', 'символа', 'символов'],
  ['решение', 'решения', 'решений'],
  ['запись', 'записи', 'записей'],
  ['попытка', 'попытки', 'попыток']
];
const EN: [string, string][] = [
  ['document', 'documents'],
  ['day', 'days'],
  ['page', 'pages'],
  ['match', 'matches'],
  ['character', 'characters'],
  ['decision', 'decisions'],
  ['entry', 'entries'],
  ['signer', 'signers'],
  ['attempt', 'attempts']
];
const RU_LETTER = '[а-яё]';
const KK_LETTER = '[а-яёәғқңөұүһі]';

/** The noun right after the count, maybe after one adjective («3 новых документа»). */
function nounAfter(text: string, n: number, letter: string): string[] {
  const re = new RegExp(`(?<![\\d,.])${n}\\s(?:${letter}+\\s)?(${letter}+)(?!${letter})`, 'giu');
  return [...text.matchAll(re)].map((m) => m[1].toLowerCase());
}

describe('Counts go through the plural function', () => {
  const category = new Intl.PluralRules('ru');
  it.each([1, 2, 5, 11, 21, 22])('Russian: the noun after %i agrees with it', (n) => {
    const form = { one: 0, few: 1, many: 2, other: 1 }[category.select(n) as 'one' | 'few' | 'many' | 'other'];
    const wrong = said('ru', n).flatMap(([path, text]) =>
      nounAfter(text, n, RU_LETTER)
        .filter((w) => RU.some((forms) => forms.includes(w) && forms[form] !== w))
        .map((w) => `${path}: «${text}» (${w})`)
    );
    expect(wrong).toEqual([]);
  });

  it.each([1, 2, 21])('English: the noun after %i agrees with it', (n) => {
    const wrong = said('en', n).flatMap(([path, text]) =>
      nounAfter(text, n, '[a-z]')
        .filter((w) => EN.some(([one, other]) => w === (n === 1 ? other : one)))
        .map((w) => `${path}: "${text}" (${w})`)
    );
    expect(wrong).toEqual([]);
  });

  it.each([1, 5, 21])('Kazakh: the noun after %i stays singular', (n) => {
    const wrong = said('kk', n).flatMap(([path, text]) =>
      nounAfter(text, n, KK_LETTER)
        .filter((w) => /(лар|лер|дар|дер|тар|тер)$/u.test(w))
        .map((w) => `${path}: «${text}» (${w})`)
    );
    expect(wrong).toEqual([]);
  });

  it('the sync result reads as people write it in every language', () => {
    expect([messagesFor('en').outbox.syncDone(1, 1), messagesFor('en').outbox.syncDone(3, 2)]).toEqual([
      'Done: 1 new document, 1 decision sent',
      'Done: 3 new documents, 2 decisions sent'
    ]);
    expect(messagesFor('ru').outbox.syncDone(21, 5)).toBe('Готово: 21 новый документ, отправлено 5 решений');
    expect(messagesFor('kk').outbox.syncDone(5, 2)).toBe('Дайын: 5 жаңа құжат, 2 шешім жіберілді');
  });
});
