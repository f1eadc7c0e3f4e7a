export type Screen = 'inbox' | 'outbox' | 'settings' | 'diagnostics';
