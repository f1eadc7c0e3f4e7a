// pdf.js, loaded only when a PDF is first needed. The worker comes from a file Vite emits
// (`?url`), eval is off: the webview's CSP allows neither inline scripts nor eval.
// One worker serves every document while PDFs are being looked at (starting one costs more than
// parsing a typical act); it is ended when none has been open for a while, which gives back
// what it holds (its own heap, pdf.js's caches of every document it parsed).
import type { PDFDocumentProxy, PDFWorker, RenderTask } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<{ lib: PdfJs; worker: PDFWorker }> | null = null;

/** How long the worker outlives the last open PDF: going from one document to the next keeps
 * it, leaving the PDFs for other work ends it. */
export const WORKER_IDLE_MS = 5000;
let openFiles = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function pdfjs(): Promise<{ lib: PdfJs; worker: PDFWorker }> {
  clearTimeout(idleTimer);
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return { lib, worker: new lib.PDFWorker() };
    }
  );
  loading.catch(() => (loading = null));
  return loading;
}

/** No PDF open now: the worker ends after WORKER_IDLE_MS unless one opens meanwhile. */
function idleSoon(): void {
  clearTimeout(idleTimer);
  if (openFiles > 0 || !loading) return;
  idleTimer = setTimeout(() => {
    const ending = loading;
    loading = null;
    void ending?.then(({ worker }) => worker.destroy(), () => {});
  }, WORKER_IDLE_MS);
}

/** Loads pdf.js and starts its worker ahead of the first PDF: the inbox calls it when the
 * pointer first comes over its rows or they get the focus, not at start (a window nobody opens
 * a PDF in never pays for it). */
export function preloadPdf(): void {
  if (typeof Worker === 'undefined') return;
  // Already there: the pointer over the list is a PDF about to be opened, so its end waits anew.
  if (loading) idleSoon();
  else void pdfjs().then(idleSoon, () => {});
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
  openFiles++;
  let doc: PDFDocumentProxy;
  try {
    const { lib, worker } = await pdfjs();
    doc = await lib.getDocument({
      data: new Uint8Array(bytes.slice(0)),
      worker,
      isEvalSupported: false,
      enableXfa: false
    }).promise;
  } catch (e) {
    openFiles--;
    idleSoon();
    throw e;
  }
  let closed = false;
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
      if (closed) return;
      closed = true;
      void doc.destroy();
      openFiles--;
      idleSoon();
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
