// The loaded part of the inbox list: pages fetched with the keyset cursor as the user scrolls,
// so the first screen of 100,000 documents costs one page.
import { api, ApiError, toApiError } from '../../api';
import type { Document, DocumentId, DocumentQuery } from '../../api/types';
import { inTab } from '../../api/types';

export const PAGE_SIZE = 200;

export class DocumentList {
  // Raw: 100,000 rows as deep reactive proxies cost the webview a gigabyte; the array is
  // only ever replaced, never changed in place.
  documents = $state.raw<Document[]>([]);
  loading = $state(false);
  error = $state<ApiError | null>(null);
  done = $state(false);
  private next: string | null = null;
  private query: DocumentQuery = {};
  private generation = 0;

  /** Starts over with a new query (tab, filters, search, sort). */
  async reset(query: DocumentQuery): Promise<void> {
    this.query = query;
    this.generation++;
    this.documents = [];
    this.next = null;
    this.done = false;
    this.error = null;
    this.loading = false;
    await this.more();
  }

  /** Loads the next page, unless one is loading or the end was reached. */
  async more(): Promise<void> {
    if (this.loading || this.done || this.error) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await api.listDocuments({ ...this.query, limit: PAGE_SIZE, cursor: this.next });
      if (gen !== this.generation) return;
      this.documents = this.documents.concat(page.documents);
      this.next = page.next;
      this.done = page.next === null;
    } catch (e) {
      if (gen === this.generation) this.error = toApiError(e);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async retry(): Promise<void> {
    this.error = null;
    await this.more();
  }

  /** Puts a changed document in place, or drops it when it left the current tab. */
  replace(doc: Document): void {
    const i = this.documents.findIndex((d) => d.id === doc.id);
    if (i < 0) return;
    const tab = this.query.tab ?? 'all';
    const copy = this.documents.slice();
    if (inTab(tab, doc)) copy[i] = doc;
    else copy.splice(i, 1);
    this.documents = copy;
  }

  indexOf(id: DocumentId): number {
    return this.documents.findIndex((d) => d.id === id);
  }
}
