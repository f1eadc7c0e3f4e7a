// What the keyboard does in a dialog, for every dialog (Modal.svelte uses it): the inbox's flow
// (↑↓, Enter, A, R, S) must be able to go through any dialog without the mouse.
//  - On open, focus goes to the element marked `data-autofocus`, else the first field, else the
//    default button (`data-default`), else the dialog itself.
//  - Enter confirms: it clicks the default button, unless a button or link has focus (Enter is
//    theirs), a form's field has it (the form submits), or a textarea has it (Enter is a new
//    line there; Ctrl+Enter confirms from anywhere).
//  - Esc cancels; Tab and Shift+Tab stay inside; on close focus returns where it was.

const FOCUSABLE = 'button, [href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
const FIELD = 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]), textarea, select';

function usable(el: HTMLElement): boolean {
  return !(el as HTMLButtonElement).disabled && !el.hidden && el.getAttribute('aria-hidden') !== 'true';
}

export function focusables(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(usable);
}

export function defaultButton(box: HTMLElement): HTMLButtonElement | null {
  return [...box.querySelectorAll<HTMLButtonElement>('[data-default]')].find(usable) ?? null;
}

/** Where focus goes when the dialog opens (or when what had it disappears). */
export function initialFocus(box: HTMLElement): HTMLElement {
  const marked = [...box.querySelectorAll<HTMLElement>('[data-autofocus]')].find(usable);
  const field = [...box.querySelectorAll<HTMLElement>(FIELD)].find(usable);
  return marked ?? field ?? defaultButton(box) ?? box;
}

export type DialogKey = 'cancel' | 'confirm' | 'next' | 'previous' | null;

/** What a key press in the dialog means; null: the key is the focused element's own. */
export function dialogKey(e: KeyboardEvent): DialogKey {
  if (e.key === 'Escape') return 'cancel';
  if (e.key === 'Tab') return e.shiftKey ? 'previous' : 'next';
  if (e.key !== 'Enter' || e.isComposing || e.altKey || e.shiftKey) return null;
  if (e.ctrlKey || e.metaKey) return 'confirm';
  const el = e.target as HTMLElement | null;
  if (!el) return 'confirm';
  if (el.tagName === 'TEXTAREA' || el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY') return null;
  if (el.tagName === 'SELECT' || el.closest('form')) return null;
  return 'confirm';
}

/** The element Tab (or Shift+Tab) moves to, wrapping around inside the dialog. */
export function cycle(box: HTMLElement, from: Element | null, back: boolean): HTMLElement {
  const all = focusables(box);
  if (all.length === 0) return box;
  const at = from ? all.indexOf(from as HTMLElement) : -1;
  if (at < 0) return back ? all[all.length - 1] : all[0];
  return all[(at + (back ? all.length - 1 : 1)) % all.length];
}
