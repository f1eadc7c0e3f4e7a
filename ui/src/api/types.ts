// The data that crosses the IPC boundary. Every command's and event's type is generated from
// the Rust types into ./generated.ts (src-tauri/contract.rs; a Rust test fails when the file is
// stale): re-exported here under the names the UI uses, beside a few UI-only helpers.

import type { Act, Decision, DocumentDetail, DocumentKind, Document, Status, Tab } from './generated';

export * from './generated';
export type {
  ListQuery as DocumentQuery,
  ChainCheck as ChainReport,
  Role as ActRole,
  SignError as ErrorBody
} from './generated';

/** Local ids of documents and acts (SQLite rowids). */
export type DocumentId = number;
export type ActId = number;

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'sales_report',
  'placement_services_act',
  'other_services_act',
  'points_bonus_act',
  'goods_compensation_act',
  'services_compensation_act',
  'goods_decompensation_act',
  'reconciliation_act',
  'sales_report_correction',
  'placement_services_act_correction',
  'other_services_act_correction',
  'points_bonus_act_correction',
  'other'
];

/** The statuses of a decision that is signed; a rejection in one of them is labelled as such. */
export type SignedStatus = Extract<Status, 'signed' | 'queued' | 'sent' | 'delivered'>;
export const SIGNED_STATUSES: readonly SignedStatus[] = ['signed', 'queued', 'sent', 'delivered'];

export const TABS: readonly Tab[] = ['needs_action', 'to_sign', 'accepted', 'rejected', 'signed', 'sent', 'all'];

/** `tab_counts`: each tab's count, and what the header says waits: a decision (received,
 * viewed) or the signature of one (accepted, rejected: the to_sign tab's number). */
export type TabCounts = Record<Tab, number> & { awaiting_decision: number; awaiting_signature: number };

/** An act's `registerStatus`: `local` (never sent) or the register's answer. */
export type RegisterStatus = Act['registerStatus'];

/** The user's actions (core `user_actions`): what the document screen draws as buttons. The
 * generated `Action` also has the shell's own steps (queue, mark_sent …), never sent as buttons. */
export type Action = 'view' | DocumentDetail['allowedActions'][number];

/** Which statuses each inbox tab holds: a mirror of core `Tab::statuses`, used only to drop a
 * row from the loaded page after a decision moved its document to another tab. */
export const TAB_STATUSES: Record<Tab, readonly Status[]> = {
  needs_action: ['received', 'viewed', 'send_failed'],
  to_sign: ['accepted', 'rejected'],
  accepted: ['accepted'],
  // With core `Tab::decision`: rejections only, signed or not.
  rejected: ['rejected', 'signed', 'queued', 'sent', 'delivered'],
  signed: ['signed', 'queued'],
  sent: ['sent', 'delivered'],
  all: ['received', 'viewed', 'accepted', 'rejected', 'signed', 'queued', 'sent', 'delivered', 'send_failed', 'revoked']
};

/** Whether `doc` belongs in `tab` (core `Tab::statuses` and `Tab::decision`). */
export function inTab(tab: Tab, doc: Pick<Document, 'status' | 'decision'>): boolean {
  if (!TAB_STATUSES[tab].includes(doc.status)) return false;
  return tab !== 'rejected' || doc.decision === ('reject' satisfies Decision);
}
