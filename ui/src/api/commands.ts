// Every command the webview invokes. This module is the only place that talks to the shell;
// the names, arguments and results are the contract in ui/API.md.
import { invoke } from '@tauri-apps/api/core';
import { COMPANY_FREE, openCompanyId, setOpenCompany } from './company';
import { toApiError } from './error';
import type {
  Account,
  ActReminder,
  CatalogReport,
  OrdAccount,
  ActDetail,
  ActDraft,
  ActId,
  ActRow,
  Contract,
  ContractEntry,
  DeadlineLine,
  DeletionOutcome,
  Prefilled,
  StatisticsEntry,
  StatisticsRecord,
  Violation,
  AccountInput,
  ChainReport,
  CheckTarget,
  Company,
  CompanyList,
  RemovalPlan,
  Removed,
  ConnectionCheck,
  Diagnostics,
  DocumentDetail,
  FoundUpdate,
  DocumentId,
  DocumentPage,
  DocumentQuery,
  HistoryEntry,
  ImportOutcome,
  InboxRow,
  Lang,
  Selection,
  Notification,
  OpenedDocument,
  OutboxItem,
  OutboxReport,
  RegisterFormat,
  RegisterWritten,
  Settings,
  SettingsPatch,
  SharedLinkInput,
  SigningService,
  SignResult,
  SyncReport,
  SyncStatus,
  TabCounts,
  UpdateSupport,
  WaitingDocument
} from './types';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    // Every call about the company's data names the company the page shows (./company.ts).
    const named = COMPANY_FREE.has(command) ? args : { ...args, company: await openCompanyId() };
    return await invoke<T>(command, named);
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  listDocuments: (query: DocumentQuery) => call<DocumentPage>('list_documents', { query }),
  tabCounts: () => call<TabCounts>('tab_counts'),
  /** How many documents the query finds: the list's scrollbar is sized from it. */
  countDocuments: (query: DocumentQuery) => call<number>('count_documents', { query }),
  /** The rows of a selection given as a filter (select all, minus the unticked). */
  selectedDocuments: (selection: Selection) => call<InboxRow[]>('selected_documents', { selection }),
  /** The document screen's data; reads only (opening marks nothing). */
  getDocument: (id: DocumentId) => call<DocumentDetail>('get_document', { id }),
  /** The document is on screen: a received one becomes viewed. */
  markViewed: (id: DocumentId) => call<DocumentDetail>('mark_viewed', { id }),
  /** Raw bytes of an attachment, the main file when none is named (the shell answers with
   * tauri::ipc::Response). */
  documentBytes: (id: DocumentId, attachmentId?: string) =>
    call<ArrayBuffer>('document_bytes', attachmentId === undefined ? { id } : { id, attachmentId }),
  acceptDocument: (id: DocumentId) => call<DocumentDetail>('accept_document', { id }),
  rejectDocument: (id: DocumentId, reason: string) =>
    call<DocumentDetail>('reject_document', { id, reason }),
  retrySending: (id: DocumentId) => call<DocumentDetail>('retry_sending', { id }),
  reopenDocument: (id: DocumentId) => call<DocumentDetail>('reopen_document', { id }),
  signingService: () => call<SigningService>('signing_service'),
  signDocuments: (ids: DocumentId[]) => call<SignResult>('sign_documents', { ids }),
  cancelSigning: () => call<void>('cancel_signing'),
  documentHistory: (id: DocumentId) => call<HistoryEntry[]>('document_history', { id }),
  verifyHistory: () => call<ChainReport>('verify_history'),
  syncNow: () => call<SyncReport>('sync_now'),
  syncStatus: () => call<SyncStatus>('sync_status'),
  outbox: () => call<OutboxItem[]>('outbox'),
  sendOutbox: () => call<OutboxReport>('send_outbox'),
  notifications: () => call<Notification[]>('notifications'),
  markNotificationsRead: (ids: number[]) => call<void>('mark_notifications_read', { ids }),
  /** Unsigned documents waiting longer than the `reminderDays` setting, oldest first. */
  waitingDocuments: () => call<WaitingDocument[]>('waiting_documents'),
  settingsGet: () => call<Settings>('settings_get'),
  settingsSet: (patch: SettingsPatch) => call<Settings>('settings_set', { patch }),
  accountAdd: (account: AccountInput) => call<Account>('account_add', { account }),
  diagnostics: () => call<Diagnostics>('diagnostics'),
  checkConnection: (target: CheckTarget) => call<ConnectionCheck>('check_connection', { target }),
  /** Opens the save dialog in the shell; null when the user closed it. */
  saveDiagnostics: () => call<string | null>('save_diagnostics'),
  /** The document's card «Карточка электронного документа» (PDF); the shell asks where to
   * save it. The path written, or null when the dialog was closed. */
  saveCard: (id: DocumentId, lang: Lang) => call<string | null>('save_card', { id, lang }),
  /** The card's PDF bytes, to print from the page. */
  cardPdf: (id: DocumentId, lang: Lang) => call<ArrayBuffer>('card_pdf', { id, lang }),
  /** The accountant's register of every document the list's filter finds (all pages); the
   * shell asks where to save it. Null when the dialog was closed. */
  exportRegister: (query: DocumentQuery, format: RegisterFormat, lang: Lang) =>
    call<RegisterWritten | null>('export_register', { query, format, lang }),
  /** The accountant's register of every act (not the ORD's upload format). */
  exportActsRegister: (format: RegisterFormat, lang: Lang) =>
    call<RegisterWritten | null>('export_acts_register', { format, lang }),
  /** The first inbox is on screen; answers the milliseconds since the program started. */
  inboxPainted: () => call<number>('inbox_painted'),
  /** The shell opens its file dialog; the page never passes paths (the shell refuses them). */
  importFiles: () => call<ImportOutcome[]>('import_files'),
  /** Imports the files of a drop the shell announced with `files-dropped` (once per drop). */
  importDrop: (drop: number) => call<ImportOutcome[]>('import_drop', { drop }),
  openSharedLink: (input: SharedLinkInput) => call<OpenedDocument>('open_shared_link', { input }),
  loadDemo: () => call<{ added: number }>('load_demo'),
  /** The link of a `qoltanba://open?link=…` that reached the app before the page listened for
   * `open-link`; null when none (taken once). */
  takePendingLink: () => call<string | null>('take_pending_link'),
  // Advertising acts for the register (ERIR).
  listActs: () => call<ActRow[]>('list_acts'),
  getAct: (id: ActId) => call<ActDetail>('get_act', { id }),
  /** The core's rules over an unsaved draft (live validation); nothing is saved. */
  checkAct: (draft: ActDraft) => call<Violation[]>('check_act', { draft }),
  /** A new act when id is null. */
  saveAct: (id: ActId | null, draft: ActDraft) => call<ActDetail>('save_act', { id, draft }),
  actFromDocument: (documentId: DocumentId) => call<Prefilled>('act_from_document', { documentId }),
  searchContracts: (query: string) => call<Contract[]>('search_contracts', { query }),
  /** What adding the typed contract would refuse, per field; nothing is saved. */
  checkContract: (contract: ContractEntry) => call<Violation[]>('check_contract', { contract }),
  /** Adds a contract or supplementary agreement typed by hand; a wrong field refuses it whole. */
  addContract: (contract: ContractEntry) => call<Contract>('add_contract', { contract }),
  /** What adding the typed statistics record would refuse, per field; nothing is saved. */
  checkStatistics: (statistics: StatisticsEntry) => call<Violation[]>('check_statistics', { statistics }),
  /** Adds a statistics record typed by hand; a wrong field refuses it whole. */
  addStatistics: (statistics: StatisticsEntry) => call<StatisticsRecord>('add_statistics', { statistics }),
  actDeadlines: () => call<DeadlineLine[]>('act_deadlines'),
  linkStatistics: (statistics: string, act: ActId, allocation: number) =>
    call<StatisticsRecord>('link_statistics', { statistics, act, allocation }),
  clearStatistics: (statistics: string) => call<StatisticsRecord>('clear_statistics', { statistics }),
  actHistory: (id: ActId) => call<HistoryEntry[]>('act_history', { id }),
  /** Waits a few seconds for the register; `processing` means ask again with refreshAct. */
  submitAct: (id: ActId) => call<ActDetail>('submit_act', { id }),
  refreshAct: (id: ActId) => call<ActDetail>('refresh_act', { id }),
  /** Records the request and prepares the e-mail to the ORD's support; no network call. */
  requestActDeletion: (id: ActId, reason: string) =>
    call<DeletionOutcome>('request_act_deletion', { id, reason }),
  /** Opens the latest deletion e-mail of the act in the mail program (a mailto the core built). */
  openActDeletionLetter: (id: ActId) => call<void>('open_act_deletion_letter', { id }),
  /** The ORD's own account (null: none); its token never comes back. */
  ordAccount: () => call<OrdAccount | null>('ord_account'),
  ordAccountAdd: (url: string, token: string) => call<OrdAccount>('ord_account_add', { url, token }),
  ordAccountRemove: () => call<boolean>('ord_account_remove'),
  /** Contracts and statistics from the ORD account into the local catalogue. */
  syncOrd: () => call<CatalogReport>('sync_ord'),
  /** Opens the file dialog; null when it was closed. */
  importCatalogCsv: (what: 'contracts' | 'statistics') =>
    call<CatalogReport | null>('import_catalog_csv', { what }),
  /** Opens the save dialog; the path written, or null when it was closed. */
  exportActs: (format: 'json' | 'csv') => call<string | null>('export_acts', { format }),
  /** The draft with allocation amounts filled (one line) or split by the bases (several). */
  distributeAct: (draft: ActDraft, bases: string[]) => call<ActDraft>('distribute_act', { draft, bases }),
  actsAwaiting: () => call<ActReminder[]>('acts_awaiting'),
  // Companies (sellers) on this computer.
  /** The open company (nothing read from any store). */
  companyOpen: () => call<Company>('company_open'),
  /** Every company with what waits in it (each store read), and the open one. */
  companies: () => call<CompanyList>('companies'),
  /** Opens another company; the page then reloads everything it shows (`company-switched`). */
  companySwitch: async (id: string) => {
    const opened = await call<Company>('company_switch', { id });
    setOpenCompany(opened.id);
    return opened;
  },
  companyAdd: (name: string) => call<Company>('company_add', { name }),
  companyRename: (id: string, name: string) => call<Company>('company_rename', { id, name }),
  /** What removing the company deletes, for the question asked first. */
  companyRemoval: (id: string) => call<RemovalPlan>('company_removal', { id }),
  companyRemove: (id: string) => call<Removed>('company_remove', { id }),
  /** Whether this build updates itself (its public key built in), and its version. */
  updateSupport: () => call<UpdateSupport>('update_support'),
  /** Asks the signed manifest for a newer release (only when the person presses the button). */
  checkUpdate: () => call<FoundUpdate | null>('check_update'),
  /** Downloads, verifies and installs what the last check found, then restarts the program. */
  installUpdate: () => call<void>('install_update'),
  /** The system's print dialog over the page (what app.css puts on paper); returns when it is
   * asked for. Not window.print(): macOS's webview ignores it. */
  printPage: () => call<void>('print_page')
};

export type Api = typeof api;
