// What the user reads for an error: the shell's message in Russian (it is written for people),
// the UI's own sentence by code in Kazakh and English, never a stack trace.
import type { ApiError } from '../api/error';
import { lang, t } from './i18n/index.svelte';

export function errorText(e: ApiError): string {
  const byCode = e.code === 'unknown' ? undefined : t().errors.byCode[e.code];
  if (lang() === 'ru') return e.message || byCode || t().errors.unknown;
  return byCode || t().errors.unknown;
}
