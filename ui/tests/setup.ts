import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, vi } from 'vitest';
import { setLang, setReasonLang } from '../src/lib/i18n/index.svelte';
import { startSync } from '../src/features/outbox/startSync';
import { forgetOpenCompany } from '../src/api/company';
import { takeUnexpected } from './backend';

afterEach(() => {
  // Read before cleanup: a command called while the test ran is the test's to declare.
  const unexpected = takeUnexpected();
  cleanup();
  clearMocks();
  setLang('ru');
  setReasonLang('ru');
  startSync.reset();
  forgetOpenCompany();
  vi.useRealTimers();
  if (unexpected.length > 0) {
    throw new Error(`the test called commands it did not declare: ${[...new Set(unexpected)].join(', ')}`);
  }
});

// jsdom has no layout, so no ResizeObserver (bind:clientHeight uses it); the list then assumes a
// screenful of rows.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
