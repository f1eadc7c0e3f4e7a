// What the user reads for an error: a reviewed sentence by code (what happened, what to do) in
// every language, never a stack trace. The shell's own message is specific (which file, which
// BIN, what the operator said) but Russian only, so it is shown beneath the sentence in Russian.
import type { ApiError } from '../api/error';
import { lang, t } from './i18n/index.svelte';

export function errorText(e: ApiError): string {
  return (e.code === 'unknown' ? undefined : t().errors.byCode[e.code]) ?? t().errors.unknown;
}

/** The shell's message under the sentence, in Russian only; null when it adds nothing. */
export function errorDetail(e: ApiError): string | null {
  if (lang() !== 'ru') return null;
  const detail = e.message.trim();
  return detail && detail !== errorText(e) ? detail : null;
}
