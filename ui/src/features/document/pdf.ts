// pdf.js, loaded only when a PDF is first needed. The worker comes from a file Vite emits
// (`?url`), eval is off: the webview's CSP allows neither inline scripts nor eval.
// One worker serves every document: starting one costs more than parsing a typical act.
import type { PDFDocumentProxy, PDFWorker, RenderTask } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<{ lib: PdfJs; worker: PDFWorker }> | null = null;

function pdfjs(): Promise<{ lib: PdfJs; worker: PDFWorker }> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return { lib, worker: new lib.PDFWorker() };
    }
  );
  loading.catch(() => (loading = null));
  return loading;
}

/** Loads pdf.js and starts its worker ahead of the first PDF: the inbox calls it when the
 * pointer first comes over its rows or they get the focus, not at start (a window nobody opens
 * a PDF in never pays for it). */
export function preloadPdf(): void {
  if (typeof Worker === 'undefined') return;
  void pdfjs().catch(() => {});
}

/** An open PDF: what the viewer needs and nothing else. */
export interface PdfFile {
  pageCount: number;
  render(page: number, canvas: HTMLCanvasElement, scale: number): Promise<void>;
  /** The page's width at 100%, in CSS pixels (what fitting it to the width divides by). */
  width(page: number): Promise<number>;
  text(page: number): Promise<string>;
  close(): void;
}

export async function openPdf(bytes: ArrayBuffer): Promise<PdfFile> {
  const { lib, worker } = await pdfjs();
  const doc: PDFDocumentProxy = await lib.getDocument({
    data: new Uint8Array(bytes.slice(0)),
    worker,
    isEvalSupported: false,
    enableXfa: false
  }).promise;
  const texts = new Map<number, string>();
  // A new size (the viewer resized, a zoom) while a page is being painted: pdf.js refuses two
  // paintings on one canvas, so the older one is cancelled.
  const painting = new WeakMap<HTMLCanvasElement, RenderTask>();
  return {
    pageCount: doc.numPages,
    async render(n, canvas, scale) {
      painting.get(canvas)?.cancel();
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale });
      // Drawn on a canvas off the page, then shown in one copy: drawn on the visible one, the
      // webview repainted it between each of pdf.js's slices of drawing.
      const off = document.createElement('canvas');
      off.width = Math.floor(viewport.width);
      off.height = Math.floor(viewport.height);
      const task = page.render({ canvas: off, viewport });
      painting.set(canvas, task);
      try {
        await task.promise;
        canvas.width = off.width;
        canvas.height = off.height;
        canvas.getContext('2d')?.drawImage(off, 0, 0);
      } catch (e) {
        if ((e as { name?: string } | null)?.name !== 'RenderingCancelledException') throw e;
      } finally {
        off.width = off.height = 0;
      }
    },
    async width(n) {
      return (await doc.getPage(n)).getViewport({ scale: 1 }).width;
    },
    async text(n) {
      const cached = texts.get(n);
      if (cached !== undefined) return cached;
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const s = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
      texts.set(n, s);
      return s;
    },
    close() {
      void doc.destroy();
    }
  };
}

/** The floor of the window benchmark's PDF figure: bytes already in the page, parsed and the
 * first page rendered by the same pdf.js at `scale`, no IPC, no Svelte; milliseconds. */
async function pdfFloor(bytes: ArrayBuffer, scale: number): Promise<number> {
  await pdfjs();
  const t0 = performance.now();
  const f = await openPdf(bytes);
  const canvas = document.createElement('canvas');
  await f.render(1, canvas, scale);
  const ms = performance.now() - t0;
  f.close();
  return ms;
}

if (typeof window !== 'undefined') {
  (window as unknown as { __qoltanbaPdfFloor?: typeof pdfFloor }).__qoltanbaPdfFloor = pdfFloor;
}
