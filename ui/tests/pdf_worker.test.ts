import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// pdf.js's worker holds its own heap and every parsed document's caches: it serves the PDFs
// opened one after another and ends when none has been open for a while. pdf.js itself needs a
// real worker and canvas, which jsdom has not: its two entry points the module uses are faked.
const workers: Array<{ destroyed: boolean }> = [];
const docs: Array<{ destroyed: boolean }> = [];
vi.mock('pdfjs-dist', () => ({
  GlobalWorkerOptions: {},
  PDFWorker: class {
    destroyed = false;
    constructor() {
      workers.push(this);
    }
    destroy() {
      this.destroyed = true;
    }
  },
  getDocument: () => {
    const doc = {
      numPages: 1,
      destroyed: false,
      destroy() {
        this.destroyed = true;
        return Promise.resolve();
      }
    };
    docs.push(doc);
    return { promise: Promise.resolve(doc) };
  }
}));
vi.mock('pdfjs-dist/build/pdf.worker.min.mjs?url', () => ({ default: '/pdf.worker.js' }));

const { openPdf, preloadPdf, WORKER_IDLE_MS } = await import('../src/features/document/pdf');
const bytes = () => new TextEncoder().encode('%PDF-1.7').buffer;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('The pdf.js worker', () => {
  it('serves PDFs opened one after another, and ends when none has been open for a while', async () => {
    const first = await openPdf(bytes());
    first.close();
    expect(docs.at(-1)!.destroyed).toBe(true);
    // The next document comes before the worker's time is up: the same worker.
    await vi.advanceTimersByTimeAsync(WORKER_IDLE_MS - 1000);
    const second = await openPdf(bytes());
    expect(workers).toHaveLength(1);
    // While one is open the worker stays, however long the user reads it.
    await vi.advanceTimersByTimeAsync(10 * WORKER_IDLE_MS);
    expect(workers[0].destroyed).toBe(false);
    second.close();
    second.close();
    await vi.advanceTimersByTimeAsync(WORKER_IDLE_MS);
    expect(workers[0].destroyed).toBe(true);
    // The next PDF starts a new one.
    const third = await openPdf(bytes());
    expect(workers).toHaveLength(2);
    third.close();
    await vi.advanceTimersByTimeAsync(WORKER_IDLE_MS);
    expect(workers[1].destroyed).toBe(true);
  });

  it('started ahead by the pointer over the list, it ends too when no PDF is opened', async () => {
    vi.stubGlobal('Worker', class {});
    try {
      const before = workers.length;
      preloadPdf();
      await vi.advanceTimersByTimeAsync(0);
      expect(workers).toHaveLength(before + 1);
      await vi.advanceTimersByTimeAsync(WORKER_IDLE_MS);
      expect(workers.at(-1)!.destroyed).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
