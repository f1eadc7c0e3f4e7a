// What an act's history entry adds to its action's name: the fields an edit changed and the
// version it becomes, the register's version in its answer, where a deletion letter goes. The
// core records these in the entry's detail; nothing is decided here.
import type { HistoryEntry } from '../../api/types';
import { t } from '../../lib/i18n/index.svelte';

type Detail = {
  changed?: string[];
  nextVersion?: number | null;
  version?: number | null;
  to?: string;
};

export function describeActEntry(e: HistoryEntry): string | null {
  const d = (e.detail ?? {}) as Detail;
  const a = t().acts;
  const parts: string[] = [];
  if (e.action === 'act_edited' && d.changed?.length) {
    const names = d.changed.map((f) =>
      f === 'allocations' ? a.allocation.title : ((a.fields as Record<string, string>)[f] ?? f)
    );
    parts.push(a.historyDetail.changed(names.join(', ')));
    if (d.nextVersion) parts.push(a.historyDetail.nextVersion(d.nextVersion));
  }
  if (e.action === 'register_answer' && d.version) parts.push(a.historyDetail.version(d.version));
  if (e.action === 'deletion_requested' && d.to) parts.push(a.historyDetail.letterTo(d.to));
  return parts.length ? parts.join(' · ') : null;
}
