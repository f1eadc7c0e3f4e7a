// The data that crosses the IPC boundary. Field names and enum codes are exactly what
// qoltanba-core serialises (serde camelCase fields, snake_case enums); see ui/API.md.

export type DocumentId = number;

export type DocumentKind =
  | 'sales_report'
  | 'placement_services_act'
  | 'other_services_act'
  | 'points_bonus_act'
  | 'goods_compensation_act'
  | 'services_compensation_act'
  | 'goods_decompensation_act'
  | 'reconciliation_act'
  | 'sales_report_correction'
  | 'placement_services_act_correction'
  | 'other_services_act_correction'
  | 'points_bonus_act_correction'
  | 'other';

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

export type Status =
  | 'received'
  | 'viewed'
  | 'accepted'
  | 'rejected'
  | 'signed'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'send_failed'
  | 'revoked';

/** The statuses of a decision that is signed; a rejection in one of them is labelled as such. */
export type SignedStatus = 'signed' | 'queued' | 'sent' | 'delivered';
export const SIGNED_STATUSES: readonly SignedStatus[] = ['signed', 'queued', 'sent', 'delivered'];

/** The user's actions (core `user_actions`): what the document screen draws as buttons. */
export type Action = 'view' | 'accept' | 'reject' | 'sign' | 'retry' | 'reopen';

export type Tab = 'needs_action' | 'accepted' | 'rejected' | 'signed' | 'sent' | 'all';
export const TABS: readonly Tab[] = ['needs_action', 'accepted', 'rejected', 'signed', 'sent', 'all'];

export type SortKey = 'received' | 'date' | 'amount' | 'number';

/** An amount as the operator writes it: a decimal string with two decimals, e.g. "125000.00". */
export type Money = string;

export interface Party {
  bin: string;
  name: string;
}

export type AttachmentRole = 'main' | 'esf' | 'appendix';

export interface Attachment {
  id: string;
  role: AttachmentRole;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export type Origin = 'import' | 'operator' | 'shared_link';
export type Decision = 'accept' | 'reject';

/** core::model::Document (DocumentFields flattened). */
export interface Document {
  id: DocumentId;
  operatorId: string | null;
  origin: Origin;
  kind: DocumentKind;
  number: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  title: string;
  periodFrom: string | null;
  periodTo: string | null;
  sender: Party | null;
  recipient: Party | null;
  amount: Money | null;
  vatAmount: Money | null;
  currency: string;
  correctionOfNumber: string | null;
  correctionOfOperatorId: string | null;
  status: Status;
  decision: Decision | null;
  rejectReason: string | null;
  correctionOf: DocumentId | null;
  contentSha256: string;
  attachments: Attachment[];
  /** RFC 3339 */
  receivedAt: string;
  updatedAt: string;
}

/** core::store::search::Query. All fields optional. */
export interface DocumentQuery {
  /** The tab; the shell turns it into statuses (core `Tab::statuses`). */
  tab?: Tab;
  kind?: DocumentKind | null;
  from?: string | null;
  to?: string | null;
  counterparty?: string | null;
  amountMin?: Money | null;
  amountMax?: Money | null;
  text?: string | null;
  sort?: SortKey;
  ascending?: boolean;
  limit?: number;
  cursor?: string | null;
}

export interface DocumentPage {
  documents: Document[];
  /** Opaque cursor of the next page; null at the end. */
  next: string | null;
}

/** `tab_counts`: each tab's count, and what the header says waits: a decision (received,
 * viewed) or the signature of one (accepted, rejected). */
export type TabCounts = Record<Tab, number> & { awaiting_decision: number; awaiting_signature: number };

// --- signatures -------------------------------------------------------------------------

export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';
export type SubIndication =
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'FORMAT_FAILURE'
  | 'NO_SIGNER'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'OUT_OF_BOUNDS'
  | 'NOT_YET_VALID'
  | 'ALGORITHM_NOT_SUPPORTED'
  | 'REVOKED'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CHAIN_CONSTRAINTS_FAILURE';

/** core::signature::identity::SignerIdentity (certificate DER omitted). */
export interface SignerIdentity {
  commonName: string | null;
  iin: string | null;
  bin: string | null;
  organisation: string | null;
  purposes: string[];
  extendedKeyUsage: string[];
  notBefore: string;
  notAfter: string;
  serial: string;
  subject: string;
  issuer: string;
}

/** core::signature::verdict::Verdict. */
export interface Verdict {
  indication: Indication;
  subIndication: SubIndication | null;
  /** A Russian sentence saying why. */
  reason: string;
  signer: SignerIdentity | null;
  signingTime: string | null;
  algorithm: string | null;
  warnings: string[];
  /** The cryptographic check and the content digest passed, whatever the chain says. */
  intact: boolean;
  /** Subjects of the certificate chain up to the trust anchor, when one was built. */
  chain: string[];
}

/** core::store::documents::StoredSignature without the CMS bytes. */
export interface Signature {
  id: number;
  documentId: DocumentId;
  party: 'own' | 'sender';
  attachmentId: string | null;
  signedSha256: string;
  signer: SignerIdentity | null;
  verdict: Verdict | null;
  verifiedAt: string | null;
  createdAt: string;
}

export interface DocumentRef {
  id: DocumentId;
  kind: DocumentKind;
  number: string | null;
  date: string | null;
  status: Status;
}

/** Everything the document screen shows, in one call. */
export interface DocumentDetail {
  document: Document;
  /** core::model::user_actions(status) without 'view'. */
  allowedActions: Action[];
  signatures: Signature[];
  /** The document this one corrects, when it is in the store. */
  corrects: DocumentRef | null;
  /** Corrections of this document that are in the store. */
  correctedBy: DocumentRef[];
  /** The operator's last word on it (e.g. "delivered", "signature_invalid"), if any. */
  operatorStatus: string | null;
}

// --- history ----------------------------------------------------------------------------

export interface HistoryEntry {
  seq: number;
  subject: string;
  at: string;
  actor: string;
  action: string;
  fromStatus: Status | null;
  toStatus: Status | null;
  reason: string | null;
  detail: unknown;
  prevMac: string;
  mac: string;
}

export interface ChainReport {
  entries: number;
  intact: boolean;
  firstBroken: { seq: number; subject: string | null; problem: string } | null;
}

// --- signing ----------------------------------------------------------------------------

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export interface SignOutcome {
  id: DocumentId;
  signed: boolean;
  signer: SignerIdentity | null;
  error: ErrorBody | null;
}

/** Payload of the `sign_progress` event. */
export interface SignProgress {
  batchId: string;
  /** waiting_for_pin: NCALayer shows its dialog; signing: chunks under way; checking: results
   * verified and stored one by one; done. */
  stage: 'waiting_for_pin' | 'signing' | 'checking' | 'done';
  done: number;
  total: number;
  /** The outcome of the document just finished (stage `checking`). */
  outcome: SignOutcome | null;
}

export interface SigningService {
  url: string;
  /** "NCALayer 1.4" or "qoltanba-signer 0.1" from the greeting, when reachable. */
  name: string | null;
  /** SHA-256 pin of its certificate, when set. */
  pin: string | null;
  connected: boolean;
}

export interface SignRequest {
  ids: DocumentId[];
}

export interface SignResult {
  batchId: string;
  outcomes: SignOutcome[];
}

// --- outbox and sync --------------------------------------------------------------------

export interface OutboxItem {
  id: number;
  documentId: DocumentId;
  documentTitle: string;
  documentNumber: string | null;
  kind: 'signature' | 'rejection';
  /** pending | sending | failed */
  state: 'pending' | 'sending' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export interface SyncStatus {
  online: boolean;
  syncing: boolean;
  lastSyncedAt: string | null;
  account: Account | null;
}

/** Payload of the `sync_progress` event. */
export interface SyncProgress {
  seen: number;
  downloaded: number;
  bytes: number;
}

export interface SetAsideLine {
  operatorId: string;
  code: ErrorCode;
  /** Why, in the core's words (Russian). */
  reason: string;
}

export interface SyncReport {
  progress: SyncProgress;
  added: DocumentId[];
  revoked: DocumentId[];
  decidedElsewhere: DocumentId[];
  /** Documents the operator named that could not be taken (kept and retried by the next sync). */
  setAside: SetAsideLine[];
  /** Outbox items sent by this run. */
  sent: number;
  events: number;
  duplicateEvents: number;
  listed: boolean;
}

/** Payload of the `connectivity` event. */
export interface Connectivity {
  online: boolean;
}

// --- notifications ----------------------------------------------------------------------

export interface Notification {
  id: number;
  category: 'error' | 'reminder';
  documentId: DocumentId | null;
  message: string;
  createdAt: string;
  /** Set once `mark_notifications_read` marked it (kept by the store across restarts). */
  readAt: string | null;
}

/** A document not signed yet (received, viewed, accepted, rejected) that arrived more than the
 * `reminderDays` setting ago (3 when unset): `waiting_documents`, oldest first. */
export interface WaitingDocument {
  document: Document;
  /** Whole days since it arrived. */
  days: number;
}

// --- settings and accounts --------------------------------------------------------------

export type Lang = 'ru' | 'kk' | 'en';

export interface Account {
  name: string;
  url: string;
  sellerBin: string | null;
  /** What sellerBin is: an organisation's BIN or a sole proprietor's IIN. */
  sellerKind: SellerKind;
  sellerName: string | null;
  syncedAt: string | null;
}

export type SellerKind = 'bin' | 'iin';

export interface Settings {
  /** The seller's 12-digit number: a BIN, or a sole proprietor's IIN (sellerKind). */
  sellerBin: string | null;
  sellerKind: SellerKind;
  sellerName: string | null;
  signerUrl: string | null;
  /** SHA-256 (hex) of the signing service's certificate. */
  signerPin: string | null;
  language: Lang;
  /** The language preset rejection reasons are inserted in: "ru" unless set, since the reason is
   * signed and read by the marketplace. */
  reasonLanguage: Lang;
  dataDir: string;
  /** Bytes. */
  maxFileSize: number;
  reminderDays: number | null;
  account: Account | null;
}

/** What settings_set may change; absent fields stay as they are. */
export interface SettingsPatch {
  sellerBin?: string;
  sellerKind?: SellerKind;
  signerUrl?: string;
  signerPin?: string;
  language?: Lang;
  reasonLanguage?: Lang;
  /** Takes effect after a restart. */
  dataDir?: string;
  maxFileSize?: number;
  reminderDays?: number;
}

export interface AccountInput {
  name: string;
  url: string;
  /** Sent once; the shell keeps it in the OS keychain and never returns it. */
  token: string;
}

// --- import, shared links, demo ---------------------------------------------------------

export interface ImportOutcome {
  path: string;
  imported: {
    id: DocumentId;
    new: boolean;
    kind: DocumentKind;
    number: string | null;
    kindRecognised: boolean;
    signatures: number;
  } | null;
  error: ErrorBody | null;
}

export interface SharedLinkInput {
  link: string;
  code: string;
}

export interface OpenedDocument {
  id: DocumentId;
  new: boolean;
}

// --- diagnostics ------------------------------------------------------------------------

export type CheckTarget = 'ncalayer' | 'operator';

export interface ConnectionCheck {
  target: CheckTarget;
  ok: boolean;
  /** The error code when not ok. */
  code: ErrorCode | null;
  /** The shell's sentence (Russian); the UI prefers its own text by code. */
  message: string;
  /** e.g. "NCALayer 1.4.0". */
  version: string | null;
  url: string | null;
}

export interface Diagnostics {
  versions: { app: string; core: string; webview: string | null; os: string; ncalayer: string | null };
  dataDir: string;
  schemaVersion: number;
  documents: number;
  historyIntact: boolean;
}

// --- errors -----------------------------------------------------------------------------

export type ErrorCode =
  | 'not_found'
  | 'invalid_transition'
  | 'invalid_input'
  | 'unsupported_file'
  | 'file_too_large'
  | 'unsafe_xml'
  | 'storage'
  | 'database_too_new'
  | 'not_a_database'
  | 'history_broken'
  | 'keychain'
  | 'signer_unavailable'
  | 'signer_protocol'
  | 'signer_error'
  | 'user_cancelled'
  | 'timeout'
  | 'certificate_pin'
  | 'signature_invalid'
  | 'wrong_signer'
  | 'operator_unreachable'
  | 'operator_rejected'
  | 'unauthorized'
  | 'io';

/** Which statuses each inbox tab holds: a mirror of core `Tab::statuses`, used only to drop a
 * row from the loaded page after a decision moved its document to another tab. */
export const TAB_STATUSES: Record<Tab, readonly Status[]> = {
  needs_action: ['received', 'viewed', 'send_failed'],
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
  return tab !== 'rejected' || doc.decision === 'reject';
}

// ---- Advertising acts for the register (ERIR), sent through the ORD ----

export type ActId = number;
/** `local` (never sent) or the register's answer. */
export type RegisterStatus = 'local' | 'draft' | 'processing' | 'accepted' | 'rejected';
export type ActRole = 'advertiser' | 'agency' | 'distributor' | 'ad_system_operator';
export type DeadlineState = 'open' | 'due_soon' | 'overdue' | 'registered';

export interface AllocationDraft {
  /** ORD id or number of the initial contract. */
  initialContract: string;
  /** Roubles, "120000.00". */
  amount: Money;
  vatIncluded: boolean;
  statistics: string[];
}

/** The act as the user edits it: every field text, so a wrong value is a message, not a crash. */
export interface ActDraft {
  contract: string;
  number: string;
  date: string;
  customerRole: ActRole | '';
  executorRole: ActRole | '';
  periodFrom: string;
  periodTo: string;
  amount: Money;
  vatIncluded: boolean;
  nonAdvertisingServices: boolean;
  allocations: AllocationDraft[];
}

export interface RegisterError {
  field: string;
  message: string;
}

export interface Act extends ActDraft {
  id: ActId;
  externalId: string;
  documentId: DocumentId | null;
  registerStatus: RegisterStatus;
  registerErrors: RegisterError[];
  submissions: number;
  deletionRequested: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A broken rule: the field's path (`allocations[1].amount`), a stable code, three messages. */
export interface Violation {
  field: string;
  code: string;
  message: string;
  messageKk: string;
  messageEn: string;
}

export interface ActDeadline {
  state: DeadlineState;
  deadline: string;
  daysLeft: number;
}

export interface ActRow extends Act {
  /** The most urgent deadline of the statistics linked to the act. */
  deadline: ActDeadline | null;
}

export interface StatisticsRecord {
  id: string;
  creative: string;
  platform: string;
  impressions: number;
  amount: Money;
  firstShown: string;
  deadline: string;
  actId: ActId | null;
  allocation: number | null;
}

export interface DeadlineLine {
  record: StatisticsRecord;
  state: DeadlineState;
  daysLeft: number;
}

export interface ActDetail {
  act: Act;
  violations: Violation[];
  statistics: DeadlineLine[];
  document: DocumentRef | null;
}

export interface Prefilled {
  act: Act;
  /** Fields prefill could not take from the document: `[field, why]`. */
  toFill: [string, string][];
}

export interface Contract {
  ordId: string;
  number: string;
  date: string;
  customerName: string;
  customerInn: string;
  customerRole: ActRole;
  executorName: string;
}

export interface DeletionOutcome {
  detail: ActDetail;
  /** Whether the request reached the ORD now (when not, it is kept and sent next time). */
  sent: boolean;
  problem: (ErrorBody & { retryable: boolean }) | null;
}
