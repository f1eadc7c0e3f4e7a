// The request to the marketplace's support for a document the user rejected as wrong: the route
// the marketplace's help page names for an error in a document. Always Russian, whatever the
// interface speaks: the marketplace's support reads Russian (as it reads rejection reasons).
import type { Document } from '../../api/types';
import { formatDay } from '../../lib/format';
import { messagesFor } from '../../lib/i18n/index.svelte';

/** True for a document the user decided to reject, signed or not yet. */
export function isRejected(doc: Document): boolean {
  return doc.decision === 'reject' || doc.status === 'rejected';
}

/** The request text, or null when the document is not rejected (nothing to ask for yet). */
export function supportRequest(doc: Document): string | null {
  if (!isRejected(doc)) return null;
  const ru = messagesFor('ru');
  const party = (p: Document['sender']) => (p ? `${p.name}, БИН ${p.bin}` : '—');
  const lines = [
    'Здравствуйте!',
    '',
    'Мы отклонили закрывающий документ, полученный через ЭДО, потому что в нём ошибка. Просим исправить его и прислать исправленный документ или корректировку.',
    '',
    `Документ: ${ru.kinds[doc.kind]}`,
    `Номер: ${doc.number ?? 'без номера'}`,
    `Дата: ${formatDay(doc.date)}`
  ];
  if (doc.periodFrom || doc.periodTo) {
    lines.push(`Отчётный период: ${formatDay(doc.periodFrom)} — ${formatDay(doc.periodTo)}`);
  }
  lines.push(`Отправитель: ${party(doc.sender)}`, `Получатель: ${party(doc.recipient)}`);
  if (doc.operatorId) lines.push(`Идентификатор документа у оператора ЭДО: ${doc.operatorId}`);
  lines.push(`Причина отклонения: ${doc.rejectReason?.trim() || 'не указана'}`);
  return lines.join('\n');
}
