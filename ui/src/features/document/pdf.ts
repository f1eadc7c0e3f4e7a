// pdf.js, loaded only when a PDF is first shown. The worker comes from a file Vite emits
// (`?url`), eval is off: the webview's CSP allows neither inline scripts nor eval.
import type { PDFDocumentProxy } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist');
let loading: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    }
  );
  return loading;
}

/** An open PDF: what the viewer needs and nothing else. */
export interface PdfFile {
  pageCount: number;
  render(page: number, canvas: HTMLCanvasElement, scale: number): Promise<void>;
  text(page: number): Promise<string>;
  close(): void;
}

export async function openPdf(bytes: ArrayBuffer): Promise<PdfFile> {
  const lib = await pdfjs();
  const doc: PDFDocumentProxy = await lib.getDocument({
    data: new Uint8Array(bytes.slice(0)),
    isEvalSupported: false,
    enableXfa: false
  }).promise;
  const texts = new Map<number, string>();
  return {
    pageCount: doc.numPages,
    async render(n, canvas, scale) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
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
