// The company the page shows. Every call names it: the shell refuses a call made for a company
// that is no longer open (`company_changed`), so a click on one company's screen never acts on
// another's. Calls about the list of companies are not about one company and name none.
import { invoke } from '@tauri-apps/api/core';
import type { Company } from './generated';

export const COMPANY_FREE: ReadonlySet<string> = new Set([
  'company_open',
  'companies',
  'company_switch',
  'company_add',
  'company_rename',
  'company_removal',
  'company_remove'
]);

let open: Promise<string> | null = null;

/** The id of the open company, asked of the shell once. */
export function openCompanyId(): Promise<string> {
  if (open === null) {
    const asked = invoke<Company>('company_open').then((c) => c.id);
    // A failed question is asked again next time, not remembered.
    asked.catch(() => {
      if (open === asked) open = null;
    });
    open = asked;
  }
  return open;
}

/** Another company is open now (the page switched, or a notification's click did). */
export function setOpenCompany(id: string): void {
  open = Promise.resolve(id);
}

/** Forgets the open company (tests start each with a fresh shell). */
export function forgetOpenCompany(): void {
  open = null;
}
