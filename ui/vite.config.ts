import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The webview loads ui/dist from tauri://localhost under a strict CSP
// (tauri.conf.json): no inline scripts, styles only from files.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // pdf.js's worker and module are loaded on demand and are large by nature.
    chunkSizeWarningLimit: 2500,
    assetsInlineLimit: 0
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts']
  }
});
