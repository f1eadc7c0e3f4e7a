// One send's report as the user reads it: one row per document, its furthest state (a decision
// accepted and verified in the same run is listed once, as delivered).
import type { OutboxLine, OutboxReport } from '../../api/types';

export type SendState = 'delivered' | 'sent' | 'failed' | 'waiting';
export interface SendRow {
  line: OutboxLine;
  state: SendState;
}

export function sendRows(report: OutboxReport): SendRow[] {
  const delivered = new Set(report.delivered.map((l) => l.documentId));
  return [
    ...report.delivered.map((line) => ({ line, state: 'delivered' as const })),
    ...report.sent.filter((l) => !delivered.has(l.documentId)).map((line) => ({ line, state: 'sent' as const })),
    ...report.failed.map((line) => ({ line, state: 'failed' as const })),
    ...report.waiting.map((line) => ({ line, state: 'waiting' as const }))
  ];
}

/** Whether pressing «Отправить» again could still move something: not yet sent, or its
 * receipt not in yet. */
export function stillWaiting(report: OutboxReport): boolean {
  return sendRows(report).some((r) => r.state === 'sent' || r.state === 'waiting');
}
