export type Screen = 'inbox' | 'outbox' | 'acts' | 'settings' | 'diagnostics';
