// The inbox's keyboard: which key does what. By KeyboardEvent.code, not .key, so that A / R / S
// work in the Russian and Kazakh layouts too (where the same key types Ф / К / Ы).

export type Shortcut =
  | { kind: 'move'; to: (active: number, count: number) => number }
  | { kind: 'open' }
  | { kind: 'toggle' }
  | { kind: 'act'; action: 'accept' | 'reject' | 'sign' };

const clamp = (i: number, n: number) => Math.max(n > 0 ? 0 : -1, Math.min(n - 1, i));

const byCode: Record<string, Shortcut> = {
  ArrowDown: { kind: 'move', to: (a, n) => clamp(a + 1, n) },
  ArrowUp: { kind: 'move', to: (a, n) => clamp(a - 1, n) },
  PageDown: { kind: 'move', to: (a, n) => clamp(a + 10, n) },
  PageUp: { kind: 'move', to: (a, n) => clamp(a - 10, n) },
  Home: { kind: 'move', to: (_, n) => clamp(0, n) },
  End: { kind: 'move', to: (_, n) => n - 1 },
  Enter: { kind: 'open' },
  NumpadEnter: { kind: 'open' },
  Space: { kind: 'toggle' },
  KeyA: { kind: 'act', action: 'accept' },
  KeyR: { kind: 'act', action: 'reject' },
  KeyS: { kind: 'act', action: 'sign' }
};

/** The shortcut of a key press, or null when the key is not one (or is typed into a field). */
export function shortcutFor(e: KeyboardEvent): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const el = e.target as HTMLElement | null;
  if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT')) return null;
  return byCode[e.code] ?? null;
}
