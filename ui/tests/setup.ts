import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach, vi } from 'vitest';
import { setLang } from '../src/lib/i18n/index.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
  setLang('ru');
  vi.useRealTimers();
});
