// The inbox list as a window over the store: the count sizes the scrollbar, and only the pages
// around the rows in view are held (a few hundred slim rows, however far the user scrolls).
// A page next to a loaded one is fetched with the keyset cursor that page ended with; a page a
// far jump lands on, with no cursor before it, by its offset.
import { api, ApiError, toApiError } from '../../api';
import type { DocumentId, DocumentPage, DocumentQuery, InboxRow } from '../../api/types';
import { inTab } from '../../api/types';

export const PAGE_SIZE = 200;
/** Pages held on either side of the ones in view: scrolling back a little costs no fetch. */
export const KEEP_PAGES = 1;

export class DocumentList {
  /** How many rows the query finds (the backend's count, corrected by the last page seen). */
  count = $state(0);
  // Raw and replaced, never changed in place: deep proxies of every row cost the webview dearly.
  pages = $state.raw(new Map<number, InboxRow[]>());
  loading = $state(false);
  error = $state<ApiError | null>(null);
  /** The count and the first page have arrived. */
  ready = $state(false);
  /** A text search while documents wait for the rest of their text to be indexed: how many
   * (the search may miss words past their first pages until then); null otherwise. */
  textWaiting = $state<number | null>(null);
  // The cursor that fetches page p (the `next` of page p - 1): small strings, kept for every
  // page seen so that scrolling back to a dropped page is a keyset fetch again.
  private cursors = new Map<number, string>();
  private inflight = new Set<number>();
  private query: DocumentQuery = {};
  private generation = 0;
  private view: [number, number] = [0, 0];

  /** Starts over with a new query (tab, filters, search, sort): its count and first page. */
  async reset(query: DocumentQuery): Promise<void> {
    this.query = query;
    const gen = ++this.generation;
    this.pages = new Map();
    this.cursors.clear();
    this.inflight.clear();
    this.error = null;
    this.ready = false;
    this.textWaiting = null;
    this.view = [0, 0];
    this.loading = true;
    try {
      const [n, first] = await Promise.all([api.countDocuments(query), this.request(0)]);
      if (gen !== this.generation) return;
      this.count = n;
      this.take(0, first);
      this.ready = true;
    } catch (e) {
      if (gen === this.generation) {
        this.count = 0;
        this.error = toApiError(e);
      }
    } finally {
      if (gen === this.generation) this.loading = this.inflight.size > 0;
    }
  }

  /** The row at index `i`, or undefined while its page is not here. */
  rowAt(i: number): InboxRow | undefined {
    return this.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
  }

  /** The rows `first`..`last` (exclusive) are in view: fetches their pages, drops far ones. */
  show(first: number, last: number): void {
    this.view = [first, last];
    if (!this.ready || this.error) return;
    const [from, to] = this.span();
    const inView = (p: number) => p * PAGE_SIZE < last && (p + 1) * PAGE_SIZE > first;
    // The pages in view first (by offset when no cursor leads to them); a page held ahead whose
    // predecessor is in flight waits for its cursor, so scrolling on stays a keyset fetch.
    const order = [...Array(to - from + 1).keys()].map((k) => from + k).sort((a, b) => +inView(b) - +inView(a));
    for (const p of order) {
      const waitForCursor = !inView(p) && this.inflight.has(p - 1) && !this.cursors.has(p);
      if (!this.pages.has(p) && !waitForCursor) void this.fetch(p);
    }
    this.prune();
  }

  async retry(): Promise<void> {
    this.error = null;
    if (!this.ready) return this.reset(this.query);
    this.show(...this.view);
  }

  /** Puts a changed document's row in place, or drops it when it left the current tab. */
  replace(row: InboxRow): void {
    const i = this.indexOf(row.id);
    if (i < 0) return;
    const p = Math.floor(i / PAGE_SIZE);
    const pages = new Map(this.pages);
    if (inTab(this.query.tab ?? 'all', row)) {
      const copy = pages.get(p)!.slice();
      copy[i % PAGE_SIZE] = pick(row);
      pages.set(p, copy);
      this.pages = pages;
      return;
    }
    // Every row after it moves up one: the loaded run from its page on is joined, cut again
    // into pages, and a page left short (unless it is the last) is dropped to be fetched anew.
    let end = p;
    while (pages.has(end + 1)) end++;
    const run: InboxRow[] = [];
    for (let q = p; q <= end; q++) run.push(...pages.get(q)!);
    run.splice(i - p * PAGE_SIZE, 1);
    this.count = Math.max(0, this.count - 1);
    for (let q = p; q <= end; q++) {
      const part = run.slice((q - p) * PAGE_SIZE, (q - p + 1) * PAGE_SIZE);
      const lastPage = (q + 1) * PAGE_SIZE >= this.count;
      if (part.length === PAGE_SIZE || (lastPage && part.length > 0)) pages.set(q, part);
      else pages.delete(q);
    }
    for (const q of [...this.cursors.keys()]) if (q > p) this.cursors.delete(q);
    this.pages = pages;
    this.show(...this.view);
  }

  indexOf(id: DocumentId): number {
    for (const [p, rows] of this.pages) {
      const i = rows.findIndex((d) => d.id === id);
      if (i >= 0) return p * PAGE_SIZE + i;
    }
    return -1;
  }

  /** How many rows are held now (what the window costs). */
  get held(): number {
    let n = 0;
    for (const rows of this.pages.values()) n += rows.length;
    return n;
  }

  /** The pages to hold: those in view and KEEP_PAGES on either side, within the count. */
  private span(): [number, number] {
    const lastPage = Math.max(0, Math.ceil(this.count / PAGE_SIZE) - 1);
    const [first, last] = this.view;
    const from = Math.max(0, Math.floor(first / PAGE_SIZE) - KEEP_PAGES);
    const to = Math.min(lastPage, Math.floor(Math.max(first, last - 1) / PAGE_SIZE) + KEEP_PAGES);
    return [from, to];
  }

  private prune(): void {
    const [from, to] = this.span();
    if ([...this.pages.keys()].every((p) => p >= from && p <= to)) return;
    const pages = new Map<number, InboxRow[]>();
    for (const [p, rows] of this.pages) if (p >= from && p <= to) pages.set(p, rows);
    this.pages = pages;
  }

  private request(p: number) {
    const cursor = p === 0 ? null : (this.cursors.get(p) ?? null);
    return api.listDocuments({
      ...this.query,
      limit: PAGE_SIZE,
      cursor,
      offset: cursor === null && p > 0 ? p * PAGE_SIZE : null
    });
  }

  private async fetch(p: number): Promise<void> {
    if (this.inflight.has(p)) return;
    const gen = this.generation;
    this.inflight.add(p);
    this.loading = true;
    try {
      const page = await this.request(p);
      if (gen !== this.generation) return;
      this.take(p, page);
      this.inflight.delete(p);
      this.show(...this.view);
    } catch (e) {
      if (gen === this.generation) this.error = toApiError(e);
    } finally {
      if (gen === this.generation) {
        this.inflight.delete(p);
        this.loading = this.inflight.size > 0;
      }
    }
  }

  private take(p: number, page: DocumentPage): void {
    // Kept as they came: the backend's rows are slim already, and a copy of each was as much
    // garbage again for every page scrolled past (the webview keeps the heap it grew).
    const rows = page.documents;
    // Older backends and test pages leave it out: nothing waits.
    this.textWaiting = page.textWaiting ?? null;
    this.pages = new Map(this.pages).set(p, rows);
    if (page.next) this.cursors.set(p + 1, page.next);
    // The store changed since the count (a sync, an import): the pages themselves say where
    // the end is.
    if (page.next === null) this.count = p * PAGE_SIZE + rows.length;
    else this.count = Math.max(this.count, (p + 1) * PAGE_SIZE + 1);
  }
}

/** The row's own fields only: a whole document given in its place (after a decision) is not
 * kept whole in the list. */
function pick(d: InboxRow): InboxRow {
  return {
    id: d.id,
    kind: d.kind,
    number: d.number,
    date: d.date,
    title: d.title,
    sender: d.sender,
    amount: d.amount,
    currency: d.currency,
    status: d.status,
    decision: d.decision
  };
}
