import type { DocumentKind, DocumentQuery, SortKey, Tab } from '../../api/types';
import { parseAmount } from '../../lib/format';

/** The filter form as the user fills it in (text fields as typed). */
export interface Filters {
  kind: DocumentKind | null;
  from: string;
  to: string;
  counterparty: string;
  amountMin: string;
  amountMax: string;
  sort: SortKey;
  ascending: boolean;
}

export const EMPTY_FILTERS: Filters = {
  kind: null,
  from: '',
  to: '',
  counterparty: '',
  amountMin: '',
  amountMax: '',
  sort: 'received',
  ascending: false
};

export function toQuery(tab: Tab, f: Filters, text: string): DocumentQuery {
  return {
    tab,
    kind: f.kind,
    from: f.from || null,
    to: f.to || null,
    counterparty: f.counterparty.trim() || null,
    amountMin: parseAmount(f.amountMin),
    amountMax: parseAmount(f.amountMax),
    text: text.trim() || null,
    sort: f.sort,
    ascending: f.ascending
  };
}

export function isFiltered(f: Filters, text: string): boolean {
  return (
    text.trim() !== '' ||
    f.kind !== null ||
    f.from !== '' ||
    f.to !== '' ||
    f.counterparty.trim() !== '' ||
    f.amountMin.trim() !== '' ||
    f.amountMax.trim() !== ''
  );
}
