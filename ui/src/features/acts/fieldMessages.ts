// Groups what is wrong with an act by field path (`allocations[0].amount`) for display next to the
// field: the core's rule violations in the current language, and the register's answer. No rule
// is decided here; the core's `check_act` says what is broken.
import type { Lang, RegisterError, Violation } from '../../api/types';

export interface FieldMessage {
  source: 'rules' | 'register';
  text: string;
}

export type FieldMessages = Map<string, FieldMessage[]>;

export function violationText(v: Violation, lang: Lang): string {
  return lang === 'kk' ? v.messageKk : lang === 'en' ? v.messageEn : v.message;
}

export function fieldMessages(violations: Violation[], register: RegisterError[], lang: Lang): FieldMessages {
  const out: FieldMessages = new Map();
  const add = (field: string, m: FieldMessage) => out.set(field, [...(out.get(field) ?? []), m]);
  for (const v of violations) add(v.field, { source: 'rules', text: violationText(v, lang) });
  for (const e of register) add(e.field, { source: 'register', text: e.message });
  return out;
}

/** The fields the editor draws; messages about any other field are listed above the form. */
export function shownFields(lines: number): Set<string> {
  const s = new Set([
    'contract',
    'number',
    'date',
    'customerRole',
    'executorRole',
    'periodFrom',
    'periodTo',
    'amount',
    'vatIncluded',
    'nonAdvertisingServices',
    'allocations'
  ]);
  for (let i = 0; i < lines; i++) {
    s.add(`allocations[${i}].initialContract`);
    s.add(`allocations[${i}].amount`);
    s.add(`allocations[${i}].vatIncluded`);
  }
  return s;
}
