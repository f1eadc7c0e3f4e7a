// Three outcomes only — valid, invalid, could not be checked — each with one sentence of why.
import type { Verdict } from '../../api/types';
import { lang, t } from '../../lib/i18n/index.svelte';

export type Outcome = 'valid' | 'invalid' | 'unknown' | 'not_checked';

export function outcome(v: Verdict | null): Outcome {
  if (!v) return 'not_checked';
  if (v.indication === 'TOTAL_PASSED') return 'valid';
  if (v.indication === 'TOTAL_FAILED') return 'invalid';
  return 'unknown';
}

/** The why: the core's own Russian sentence in Russian, the UI's sentence by sub-indication
 * otherwise. */
export function why(v: Verdict): string {
  if (lang() === 'ru' && v.reason) return v.reason;
  const w = t().signatures.why;
  if (v.indication === 'TOTAL_PASSED') return w.passed;
  return (v.subIndication && w[v.subIndication]) || v.reason;
}
