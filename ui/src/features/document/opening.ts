// Opening a document from the list, on the shortest path to its first page: the main file's
// bytes are asked for at the click, beside the details (not after them), and pdf.js starts
// parsing them the moment they arrive; the viewer takes what was started. Each stage leaves a
// performance mark (click, details, bytes, parsed, painted): the window's benchmark reports them.
import { api } from '../../api';
import type { DocumentId } from '../../api/types';
import { openPdf, type PdfFile } from './pdf';

export const STAGES = ['click', 'details', 'bytes', 'parsed', 'painted'] as const;
export type Stage = (typeof STAGES)[number];
export const MARK_PREFIX = 'qoltanba:open:';

export function mark(stage: Stage): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (stage === 'click') for (const s of STAGES) performance.clearMarks(MARK_PREFIX + s);
  performance.mark(MARK_PREFIX + stage);
}

/** The main file of a document being opened: its bytes, and pdf.js's parse of them (null when
 * the bytes are not a PDF). */
export interface Opening {
  bytes: Promise<ArrayBuffer>;
  pdf: Promise<PdfFile | null>;
}

let started: { id: DocumentId; opening: Opening } | null = null;
let waiting: Array<() => void> = [];

const isPdf = (b: ArrayBuffer) =>
  b.byteLength >= 5 && new TextDecoder().decode(new Uint8Array(b, 0, 5)) === '%PDF-';

/** The user clicked document `id`: its main file is fetched (and parsed) from now on. */
export function startOpening(id: DocumentId): void {
  discard();
  mark('click');
  const bytes = api.documentBytes(id).then((b) => {
    mark('bytes');
    return b;
  });
  const pdf = bytes.then((b) => (isPdf(b) ? openPdf(b) : null));
  // Whoever takes it handles its failure; one never taken must not be an unhandled rejection.
  bytes.catch(() => {});
  pdf.catch(() => {});
  started = { id, opening: { bytes, pdf } };
}

/** What was started for the main file of `id`, given once (the viewer then owns the PDF). */
export function takeOpening(id: DocumentId): Opening | null {
  if (started?.id !== id) return null;
  const o = started.opening;
  started = null;
  return o;
}

/** A start nobody took (the user clicked on): its parsed PDF is closed, its bytes let go. */
function discard(): void {
  if (!started) return;
  void started.opening.pdf.then((f) => f?.close(), () => {});
  started = null;
}

/** The open document's file is on screen (its first page painted, or its text shown). */
export function noteShown(): void {
  const w = waiting;
  waiting = [];
  for (const f of w) f();
}

/** Resolves when the next document is shown, or after `fallbackMs` (a file that fails to
 * render was still opened). */
export function whenShown(fallbackMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, fallbackMs);
    waiting.push(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
