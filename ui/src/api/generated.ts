// Generated from the Rust types by src-tauri/contract.rs: do not edit by hand.
// After changing a type: QOLTANBA_WRITE_CONTRACT=1 cargo test -p qoltanba --lib contract

export type Account = { name: string, url: string, sellerBin: string | null, 
/**
 * `bin` or `iin` (an individual entrepreneur): what `seller_bin` is.
 */
sellerKind: SellerKind, sellerName: string | null, 
/**
 * When the last sync finished, if ever.
 */
syncedAt: string | null, };

export type AccountInput = { name: string, url: string, 
/**
 * Wrapped so that a log of the command's input never shows it.
 */
token: string, };

/**
 * A stored act.
 */
export type Act = { id: number, 
/**
 * The id the ORD knows the act by (`PUT /ord/acts/{externalId}`).
 */
externalId: string, 
/**
 * The closing document the act was made from, if any.
 */
documentId: number | null, 
/**
 * `local` (never sent), or the register's `draft|processing|accepted|rejected`.
 */
registerStatus: 'local' | 'draft' | 'processing' | 'accepted' | 'rejected', registerErrors: Array<RegisterError>, submissions: number, 
/**
 * The register's version of the act (`version` in the ORD's answers): 2, 3, … once an
 * accepted act has been changed and sent again; None until the ORD has answered.
 */
registerVersion: number | null, 
/**
 * A registered act changed here (fields or statistics) and not yet sent again.
 */
unsentChange: boolean, deletionRequested: boolean, createdAt: Timestamp, updatedAt: Timestamp, 
/**
 * The contract or supplementary agreement the act closes (number or ORD identifier).
 */
contract: string, number: string, 
/**
 * `YYYY-MM-DD`.
 */
date: string, customerRole: string, executorRole: string, periodFrom: string, periodTo: string, 
/**
 * Roubles, "120000.00".
 */
amount: string, vatIncluded: boolean, 
/**
 * The act also covers services that are not advertising: only then may a single initial
 * contract carry less than the act's amount.
 */
nonAdvertisingServices: boolean, allocations: Array<AllocationDraft>, };

/**
 * The most urgent deadline of the statistics linked to an act.
 */
export type ActDeadline = { state: DeadlineState, deadline: string, daysLeft: number, };

/**
 * Everything the act editor shows, in one call.
 */
export type ActDetail = { act: Act, 
/**
 * Every rule the saved act breaks now (each with ru/kk/en messages).
 */
violations: Array<Violation>, 
/**
 * All statistics records with their deadlines: linked to this act or free to link.
 */
statistics: Array<DeadlineLine>, 
/**
 * The closing document the act was made from.
 */
document: DocumentRef | null, };

/**
 * The act: the body of `PUT /ord/acts/{externalId}` plus the one flag the register needs from
 * the user (`nonAdvertisingServices`), recorded with the act.
 */
export type ActDraft = { 
/**
 * The contract or supplementary agreement the act closes (number or ORD identifier).
 */
contract: string, number: string, 
/**
 * `YYYY-MM-DD`.
 */
date: string, customerRole: string, executorRole: string, periodFrom: string, periodTo: string, 
/**
 * Roubles, "120000.00".
 */
amount: string, vatIncluded: boolean, 
/**
 * The act also covers services that are not advertising: only then may a single initial
 * contract carry less than the act's amount.
 */
nonAdvertisingServices: boolean, allocations: Array<AllocationDraft>, };

export type ActNotice = { id: number, number: string, date: string, errors: Array<FieldNotice>, };

export type ActReminder = { documentId: number, kind: string, number: string | null, date: string | null, amount: Money | null, currency: string, };

/**
 * One row of the acts list: the ORD page's columns (number, date, contract, amount, number of
 * creatives, register status, deadline).
 */
export type ActRow = { 
/**
 * The contract as people know it: its number (the act may name it by ORD id).
 */
contractNumber: string, 
/**
 * How many different creatives (erid) the act's linked statistics cover.
 */
creatives: number, deadline: ActDeadline | null, id: number, 
/**
 * The id the ORD knows the act by (`PUT /ord/acts/{externalId}`).
 */
externalId: string, 
/**
 * The closing document the act was made from, if any.
 */
documentId: number | null, 
/**
 * `local` (never sent), or the register's `draft|processing|accepted|rejected`.
 */
registerStatus: 'local' | 'draft' | 'processing' | 'accepted' | 'rejected', registerErrors: Array<RegisterError>, submissions: number, 
/**
 * The register's version of the act (`version` in the ORD's answers): 2, 3, … once an
 * accepted act has been changed and sent again; None until the ORD has answered.
 */
registerVersion: number | null, 
/**
 * A registered act changed here (fields or statistics) and not yet sent again.
 */
unsentChange: boolean, deletionRequested: boolean, createdAt: Timestamp, updatedAt: Timestamp, 
/**
 * The contract or supplementary agreement the act closes (number or ORD identifier).
 */
contract: string, number: string, 
/**
 * `YYYY-MM-DD`.
 */
date: string, customerRole: string, executorRole: string, periodFrom: string, periodTo: string, 
/**
 * Roubles, "120000.00".
 */
amount: string, vatIncluded: boolean, 
/**
 * The act also covers services that are not advertising: only then may a single initial
 * contract carry less than the act's amount.
 */
nonAdvertisingServices: boolean, allocations: Array<AllocationDraft>, };

/**
 * What a notification is about; each kind can be turned off in Settings.
 */
export type AlertKind = "new_documents" | "waiting" | "deadlines" | "errors";

/**
 * Where a click on the notification leads.
 */
export type AlertTarget = { "to": "inbox" } | { "to": "document", id: number, } | { "to": "act", id: number, } | { "to": "notifications" };

/**
 * One line of the allocation to initial contracts.
 */
export type AllocationDraft = { initialContract: string, amount: string, vatIncluded: boolean, 
/**
 * Ids of the statistics records linked to this line (`stat_…`).
 */
statistics: Array<string>, };

export type Attachment = { 
/**
 * The operator's id of the attachment, or a local one for imported files.
 */
id: string, role: AttachmentRole, fileName: string, mimeType: string, size: number, 
/**
 * SHA-256 of the bytes, lowercase hex; the key of the stored blob.
 */
sha256: string, };

export type AttachmentRole = "main" | "esf" | "appendix";

export type BrokenEntry = { seq: number, subject: string | null, problem: string, };

/**
 * What a sync or an import did.
 */
export type CatalogReport = { contractsAdded: number, contractsUpdated: number, statisticsAdded: number, statisticsUpdated: number, setAside: Array<SetAside>, 
/**
 * Why reading stopped before the end (a budget, a broken page), if it did.
 */
stopped: string | null, };

export type ChainCheck = { entries: number, intact: boolean, firstBroken: BrokenEntry | null, };

export type CheckTarget = "ncalayer" | "operator";

/**
 * One company: an id (its folder's name) and the name the user gave it.
 */
export type Company = { id: string, name: string, };

/**
 * A company in the list, with what waits in it.
 */
export type CompanyLine = { id: string, name: string, 
/**
 * The one opened when nothing else is asked for (the window opens it; the CLI uses it
 * without `--company`).
 */
default: boolean, 
/**
 * Documents waiting for a decision and for a signature; none when its store could not be
 * read (`problem` says why).
 */
waiting: Waiting | null, problem: string | null, };

/**
 * The companies, and the one open in the window.
 */
export type CompanyList = { open: Company, companies: Array<CompanyLine>, };

/**
 * The result of "Проверить подключение".
 */
export type ConnectionCheck = { target: CheckTarget, ok: boolean, 
/**
 * The error code when not ok: signer_unavailable (nothing answers), certificate_pin (it
 * answers with a certificate not yet trusted or another one), not_found (no account),
 * unauthorized, operator_unreachable…
 */
code: ErrorCode | null, 
/**
 * What happened and what to do next, in Russian.
 */
message: string, version: string | null, url: string | null, 
/**
 * NCALayer's certificate SHA-256 (hex), to compare and trust (`settings_set` signerPin).
 */
certificateSha256: string | null, };

/**
 * Payload of `connectivity`, sent when the operator becomes reachable or stops being so.
 */
export type Connectivity = { online: boolean, };

export type Contract = { 
/**
 * The ORD's identifier of the contract, when it has one.
 */
ordId: string, number: string, date: string, customerName: string, customerInn: string, customerRole: Role, executorName: string, kind: ContractKind, 
/**
 * For a supplementary agreement: its contract's ORD id or number.
 */
parentId: string, executorInn: string, executorRole: Role | null, };

/**
 * The form's fields as typed (text, so that a wrong value is a message on its field).
 */
export type ContractEntry = { number: string, 
/**
 * `YYYY-MM-DD`; may be left empty.
 */
date: string, customerName: string, 
/**
 * 10 or 12 digits; may be left empty.
 */
customerInn: string, 
/**
 * advertiser, agency, distributor, ad_system_operator (or the role's Russian name).
 */
customerRole: string, 
/**
 * The ORD's identifier, when the contract already has one.
 */
ordId: string, 
/**
 * Empty for a contract; for a supplementary agreement, its contract's number or ORD id.
 */
supplementTo: string, };

/**
 * A contract, or a supplementary agreement to one (the ORD registers both; an act may close
 * either).
 */
export type ContractKind = "contract" | "supplementary_agreement";

/**
 * A calendar date (documents, acts, deadlines, VAT periods). Years 0000–9999 only.
 */
export type Day = string;

/**
 * A record's deadline as of today.
 */
export type DeadlineLine = { record: StatisticsRecord, state: DeadlineState, 
/**
 * Negative when overdue.
 */
daysLeft: number, };

export type DeadlineState = "open" | "due_soon" | "overdue" | "registered";

/**
 * The user's decision on a document, kept apart from the status so that "sent" still says
 * whether an acceptance or a rejection went out.
 */
export type Decision = "accept" | "reject";

/**
 * The prepared e-mail: shown to copy, and opened in the mail program through `mailto`.
 */
export type DeletionLetter = { to: string, subject: string, body: string, 
/**
 * `mailto:` with the subject and body percent-encoded (RFC 6068).
 */
mailto: string, };

/**
 * A recorded deletion request and the e-mail to send.
 */
export type DeletionOutcome = { detail: ActDetail, request: DeletionRequest, 
/**
 * The prepared e-mail to the ORD's support (address, subject, body, mailto link).
 */
letter: DeletionLetter, };

export type DeletionRequest = { id: number, actId: number, reason: string, createdAt: string, };

export type DemoLoaded = { added: number, };

export type Diagnostics = { versions: Versions, dataDir: string, schemaVersion: number, documents: number, historyIntact: boolean, };

/**
 * A stored document.
 */
export type Document = { id: number, operatorId: string | null, origin: Origin, status: Status, decision: Decision | null, rejectReason: string | null, 
/**
 * The local id of the corrected document when it is in the store.
 */
correctionOf: number | null, 
/**
 * SHA-256 of the main attachment: the bytes that are shown and signed.
 */
contentSha256: string, attachments: Array<Attachment>, receivedAt: Timestamp, updatedAt: Timestamp, kind: DocumentKind, number: string | null, 
/**
 * The document's own date, `YYYY-MM-DD`.
 */
date: string | null, title: string, periodFrom: string | null, periodTo: string | null, sender: Party | null, recipient: Party | null, amount: Money | null, vatAmount: Money | null, currency: string, 
/**
 * The number of the document a correction corrects, as written in it.
 */
correctionOfNumber: string | null, 
/**
 * The operator's id of the corrected document.
 */
correctionOfOperatorId: string | null, };

/**
 * Everything the document screen shows, in one call.
 */
export type DocumentDetail = { document: Document, 
/**
 * The buttons to draw: the core's user actions of the status, without `view`.
 */
allowedActions: Array<'accept' | 'reject' | 'sign' | 'retry' | 'reopen'>, signatures: Array<Signature>, corrects: DocumentRef | null, correctedBy: Array<DocumentRef>, operatorStatus: string | null, };

export type DocumentKind = "sales_report" | "placement_services_act" | "other_services_act" | "points_bonus_act" | "goods_compensation_act" | "services_compensation_act" | "goods_decompensation_act" | "reconciliation_act" | "sales_report_correction" | "placement_services_act_correction" | "other_services_act_correction" | "points_bonus_act_correction" | "other";

/**
 * A page of the list: its rows and the cursor after them.
 */
export type DocumentPage = { documents: Array<InboxRow>, 
/**
 * Cursor of the next page (pass it back as `cursor`), null on the last page.
 */
next: string | null, 
/**
 * A text search while documents wait for the rest of their text to be indexed: how many
 * (the window says the search may not find everything yet). Null otherwise.
 */
textWaiting: number | null, };

export type DocumentRef = { id: number, kind: DocumentKind, number: string | null, date: string | null, status: Status, };

/**
 * The stable error codes that cross to the UI as `{code, message, retryable}`.
 */
export type ErrorCode = "not_found" | "invalid_transition" | "invalid_input" | "unsupported_file" | "file_too_large" | "unsafe_xml" | "storage" | "database_too_new" | "not_a_database" | "history_broken" | "keychain" | "signer_unavailable" | "signer_protocol" | "signer_error" | "user_cancelled" | "timeout" | "certificate_pin" | "signature_invalid" | "wrong_signer" | "operator_unreachable" | "operator_rejected" | "unauthorized" | "link_expired" | "ord_account_missing" | "io" | "company_changed";

/**
 * One field the register named and what it said (the store keeps its own copy of the shape,
 * so that it does not depend on the acts module above it).
 */
export type FieldNotice = { field: string, message: string, };

/**
 * Payload of `files-dropped`: the shell keeps the paths; the page imports them by `drop`.
 */
export type FilesDropped = { drop: number, names: Array<string>, };

/**
 * A newer release the manifest announces.
 */
export type FoundUpdate = { version: string, 
/**
 * RFC 3339, as the manifest gives it.
 */
date: string | null, notes: string | null, };

/**
 * One recorded change.
 */
export type HistoryEntry = { seq: number, 
/**
 * What changed: `document:<id>`, `store`, later `act:<id>`.
 */
subject: string, at: string, actor: string, action: string, fromStatus: string | null, toStatus: string | null, reason: string | null, 
/**
 * Hashes and other facts of the change, as JSON.
 */
detail: unknown, prevMac: string, mac: string, };

export type ImportError = { code: ErrorCode, message: string, };

export type ImportOutcome = { path: string, imported: Imported | null, error: ImportError | null, };

/**
 * What became of one imported file.
 */
export type Imported = { id: number, 
/**
 * False when the same bytes were already in the store.
 */
new: boolean, kind: DocumentKind, number: string | null, 
/**
 * Whether the kind was recognised from the file (otherwise the user should set it).
 */
kindRecognised: boolean, signatures: number, 
/**
 * Why the document was stored without (all of) its search text, when a limit stopped it.
 */
textNote: string | null, };

/**
 * What one row of the inbox shows, and no more: the list holds hundreds of these while the
 * document screen fetches the whole document of the one that is open. The field names are
 * the document's, so a whole document stands in for its row.
 */
export type InboxRow = { id: number, kind: DocumentKind, number: string | null, date: string | null, title: string, sender: Party | null, amount: Money | null, currency: string, status: Status, decision: Decision | null, };

export type Indication = "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE";

/**
 * An error as it reaches a person's screen: `{code, message, retryable}`, the code from the
 * stable enum, the retry rule the code's. Never a stack trace, never a secret.
 */
export type IpcError = { code: ErrorCode, message: string, retryable: boolean, };

/**
 * A language of the interface. Russian is the default.
 */
export type Lang = "ru" | "kk" | "en";

/**
 * The list's filters: the core's search query plus the tab (turned into its statuses when no
 * statuses are given).
 */
export type ListQuery = { tab?: Tab | null, statuses?: Array<Status>, 
/**
 * Only documents with this decision (the "Rejected" tab).
 */
decision?: Decision | null, kind?: DocumentKind | null, 
/**
 * Documents dated on or after this day (`YYYY-MM-DD`).
 */
from?: string | null, 
/**
 * Documents dated on or before this day.
 */
to?: string | null, 
/**
 * A BIN, or part of a counterparty's name.
 */
counterparty?: string | null, number?: string | null, amountMin?: Money | null, amountMax?: Money | null, 
/**
 * Full-text search over title, number, counterparty and the documents' text.
 */
text?: string | null, sort?: SortKey, 
/**
 * Oldest/smallest first instead of newest/largest first.
 */
ascending?: boolean, limit?: number | null, cursor?: string | null, 
/**
 * Rows to skip from the start (without a cursor): the page a far jump lands on.
 */
offset?: number | null, };

/**
 * In TypeScript the decimal string it is sent as, e.g. "125000.00".
 */
export type Money = string;

export type Notification = { id: number, 
/**
 * `error` or `reminder`.
 */
category: 'error' | 'reminder', documentId: number | null, message: string, createdAt: string, readAt: string | null, 
/**
 * For the register's rejection of an act: the act, its number and date, and the errors by
 * field (the window words it in the user's language and opens the act on a field).
 */
act: ActNotice | null, };

/**
 * Payload of `open-link`: a `qoltanba://open?link=…` the OS handed to the running app.
 */
export type OpenLink = { link: string, };

export type OpenedDocument = { id: number, new: boolean, };

/**
 * What is shown of the ORD account: never its token.
 */
export type OrdAccount = { url: string, };

/**
 * Where a document came from.
 */
export type Origin = "import" | "operator" | "shared_link";

/**
 * One decision waiting in the outbox.
 */
export type OutboxItem = { id: number, documentId: number, documentTitle: string, documentNumber: string | null, kind: 'signature' | 'rejection', 
/**
 * pending (waits), sending (sent, the operator's receipt not in yet), failed.
 */
state: 'pending' | 'sending' | 'failed', attempts: number, nextAttemptAt: string | null, lastError: string | null, createdAt: string, };

/**
 * One document's outcome in this run.
 */
export type OutboxLine = { documentId: number, title: string, message: string, };

export type OutboxReport = { 
/**
 * Accepted by the operator for verification in this run.
 */
sent: Array<OutboxLine>, delivered: Array<OutboxLine>, 
/**
 * Refused for good: the document is back with the user.
 */
failed: Array<OutboxLine>, 
/**
 * Still waiting (offline, server busy, receipt pending), with why.
 */
waiting: Array<OutboxLine>, };

/**
 * An organisation: BIN and name.
 */
export type Party = { bin: string, name: string, };

/**
 * What prefill could not take from the document, for the user to fill in.
 */
export type Prefilled = { act: Act, 
/**
 * Fields left empty, each with why.
 */
toFill: Array<[string, string]>, };

/**
 * What a certificate's EKU says it may be used for and who holds it.
 */
export type Purpose = "signing" | "authentication" | "individual" | "legalEntity" | "firstHead" | "maySign" | "financial" | "humanResources" | "employee";

/**
 * One field the register objected to.
 */
export type RegisterError = { field: string, message: string, };

/**
 * The file format; CSV with `;` by default (what a spreadsheet program here opens in columns)
 * or `,` on request.
 */
export type RegisterFormat = "xlsx" | "csv" | "csv_comma";

/**
 * What a written register holds, for the message after it.
 */
export type RegisterWritten = { path: string, rows: number, };

/**
 * What removing a company deletes, for the question asked before.
 */
export type RemovalPlan = { company: Company, 
/**
 * Its data folder.
 */
folder: string, 
/**
 * Documents in its store.
 */
documents: number, 
/**
 * Keychain entries of its store (they may or may not hold a secret now).
 */
keychainEntries: number, };

/**
 * What was removed.
 */
export type Removed = { company: Company, folder: string, 
/**
 * The keychain entries deleted (by name: they carry ids, never a secret).
 */
keychainEntries: Array<string>, };

/**
 * The role of a party of the act's contract (as ERIR names them).
 */
export type Role = "advertiser" | "agency" | "distributor" | "ad_system_operator";

/**
 * The rows the user selected as a filter: everything `query` finds but the ids in `except`
 * ("select all", then a few unticked), so a selection over pages the list never loaded is
 * still exact, and the page never holds an array of ids for it.
 */
export type Selection = { query: ListQuery, except: Array<number>, };

/**
 * What the seller's 12-digit number is. Both kinds share the format and the check digit, so the
 * number alone cannot say reliably; the settings (`seller_kind`) and the operator's `/me` do.
 */
export type SellerKind = "bin" | "iin";

/**
 * An item the sync or an import did not keep, and why (in Russian, for the person).
 */
export type SetAside = { 
/**
 * `contracts` or `statistics`.
 */
list: string, 
/**
 * The item's id, or its line in a CSV file ("строка 4").
 */
item: string, reason: string, };

/**
 * A document not taken by this run, and why.
 */
export type SetAsideLine = { operatorId: string, code: ErrorCode, reason: string, };

export type Settings = { sellerBin: string | null, 
/**
 * `bin` or `iin`: what `seller_bin` is.
 */
sellerKind: SellerKind, sellerName: string | null, signerUrl: string | null, signerPin: string | null, language: Lang, 
/**
 * The language of the preset rejection reasons; "ru" unless set.
 */
reasonLanguage: Lang, dataDir: string, maxFileSize: number, reminderDays: number | null, 
/**
 * Whether a signed batch goes to the operator at once (on unless turned off).
 */
sendAfterSigning: boolean, 
/**
 * The desktop notifications' kinds turned off (none unless set).
 */
desktopAlertsOff: Array<AlertKind>, account: Account | null, };

/**
 * What `settings_set` may change; absent fields stay as they are.
 */
export type SettingsPatch = { sellerBin?: string, sellerKind?: SellerKind, signerUrl?: string, signerPin?: string, language?: Lang, reasonLanguage?: Lang, dataDir?: string, maxFileSize?: number, reminderDays?: number, sendAfterSigning?: boolean, desktopAlertsOff?: Array<AlertKind>, };

export type SharedLinkInput = { link: string, 
/**
 * Wrapped so that a log of the command's input never shows it.
 */
code: string, };

export type SignError = { code: ErrorCode, message: string, };

/**
 * What became of one document of a batch.
 */
export type SignOutcome = { id: number, signed: boolean, 
/**
 * Who signed: the certificate's holder, when the signature came back and was read.
 */
signer: SignerIdentity | null, error: SignError | null, };

/**
 * One stage of a batch, for the progress bar.
 */
export type SignProgress = { batchId: string, 
/**
 * waiting_for_pin: NCALayer shows its dialog; signing: chunks under way; checking: each
 * result verified and stored (with its outcome); sending: the batch is kept and goes to
 * the operator (setting send_after_signing); done.
 */
stage: 'waiting_for_pin' | 'signing' | 'checking' | 'sending' | 'done', done: number, total: number, outcome: SignOutcome | null, };

export type SignResult = { batchId: string, outcomes: Array<SignOutcome>, 
/**
 * What the send right after signing did (setting `send_after_signing`); null when nothing
 * was sent: the setting is off, nothing was signed, or nothing signed came from an
 * operator or a link (an imported file has nowhere to go).
 */
sent: OutboxReport | null, 
/**
 * Why that send failed as a whole (offline, token refused); the decisions stay in the
 * outbox. The signing itself succeeded all the same.
 */
sendError: string | null, };

/**
 * A stored signature without its CMS bytes.
 */
export type Signature = { id: number, documentId: number, party: 'own' | 'sender', attachmentId: string | null, signedSha256: string, signer: SignerIdentity | null, verdict: Verdict | null, 
/**
 * The verdict's warnings in each language (`verdict.warnings` are the stored Russian).
 */
warnings: Array<Warning>, verifiedAt: string | null, createdAt: string, };

/**
 * Also the `signer` column of a stored signature (read back with these field names; a field it
 * does not know is refused, so a row is never half understood).
 */
export type SignerIdentity = { commonName: string | null, 
/**
 * 12 digits from `serialNumber=IIN…`.
 */
iin: string | null, 
/**
 * 12 digits from `OU=BIN…` (legal entities only).
 */
bin: string | null, organisation: string | null, purposes: Array<Purpose>, 
/**
 * Every EKU OID as written, for support.
 */
extendedKeyUsage: Array<string>, notBefore: Timestamp, notAfter: Timestamp, 
/**
 * Certificate serial number, hex.
 */
serial: string, subject: string, issuer: string, };

/**
 * The signing service as last seen.
 */
export type SigningService = { url: string, name: string | null, pin: string | null, connected: boolean, };

export type SortKey = "received" | "date" | "amount" | "number";

/**
 * The form's fields as typed.
 */
export type StatisticsEntry = { 
/**
 * The creative's marker (erid).
 */
creative: string, platform: string, 
/**
 * Digits; spaces between thousands are allowed («15 000»).
 */
impressions: string, 
/**
 * Roubles as people type them («1 500,00»).
 */
amount: string, 
/**
 * `YYYY-MM-DD`.
 */
firstShown: string, };

export type StatisticsRecord = { 
/**
 * `stat_…`: the id allocations name.
 */
id: string, 
/**
 * The creative's marker (erid).
 */
creative: string, platform: string, impressions: number, 
/**
 * Roubles.
 */
amount: Money, firstShown: Day, 
/**
 * The last day to register it (see deadline.rs).
 */
deadline: Day, actId: number | null, 
/**
 * The allocation line (0-based) of that act.
 */
allocation: number | null, 
/**
 * The initial contract the ORD names for it (its id), or empty.
 */
initialContract: string, };

export type Status = "received" | "viewed" | "accepted" | "rejected" | "signed" | "queued" | "sent" | "delivered" | "send_failed" | "revoked";

export type SubIndication = "HASH_FAILURE" | "SIG_CRYPTO_FAILURE" | "FORMAT_FAILURE" | "NO_SIGNER" | "NO_SIGNING_CERTIFICATE_FOUND" | "OUT_OF_BOUNDS" | "NOT_YET_VALID" | "ALGORITHM_NOT_SUPPORTED" | "REVOKED" | "NO_CERTIFICATE_CHAIN_FOUND" | "SIG_CONSTRAINTS_FAILURE" | "CHAIN_CONSTRAINTS_FAILURE";

/**
 * Progress so far, reported after each document.
 */
export type SyncProgress = { 
/**
 * Documents the operator named (listing or events).
 */
seen: number, 
/**
 * Documents downloaded with their files.
 */
downloaded: number, bytes: number, };

export type SyncReport = { progress: SyncProgress, 
/**
 * Local ids of documents added by this run.
 */
added: Array<number>, revoked: Array<number>, 
/**
 * Documents decided elsewhere (e.g. on the operator's site) that this run noticed.
 */
decidedElsewhere: Array<number>, events: number, duplicateEvents: number, 
/**
 * Whether the whole inbox was listed.
 */
listed: boolean, 
/**
 * Documents named by the operator that could not be taken this run, with why; each is
 * kept and retried by the next sync, and never held back the others.
 */
setAside: Array<SetAsideLine>, 
/**
 * Outbox items sent (or delivered) after the sync (`app::sync`); the sync alone sends none.
 */
sent: number, };

/**
 * Where sync stands, without waiting for a sync that runs.
 */
export type SyncStatus = { online: boolean, syncing: boolean, lastSyncedAt: string | null, account: Account | null, };

/**
 * The inbox tabs.
 */
export type Tab = "needs_action" | "to_sign" | "accepted" | "rejected" | "signed" | "sent" | "all";

/**
 * Payload of `text_indexed`.
 */
export type TextIndexed = { 
/**
 * Documents still waiting for the rest of their text (a sync started, or the run failed).
 */
left: number, };

/**
 * An instant, in UTC. Years 0000–9999 only, so that every value has the stored text form.
 */
export type Timestamp = string;

/**
 * Whether this build can update itself, and its version.
 */
export type UpdateSupport = { enabled: boolean, currentVersion: string, };

/**
 * Also the `verdict` column of a stored signature: stores written before `algorithmId`, `intact`
 * and `chain` existed lack them, so those default; a field it does not know is refused.
 */
export type Verdict = { indication: Indication, subIndication: SubIndication | null, 
/**
 * A Russian sentence for the user.
 */
reason: string, signer: SignerIdentity | null, signingTime: Timestamp | null, 
/**
 * e.g. "RSA (PKCS#1 v1.5), SHA-256": for people, in their language.
 */
algorithm: string | null, 
/**
 * The same for scripts, in every language alike: `rsa-sha256`, `ecdsa-p256-sha256`,
 * `gost2015-512`, `gost2015-256`, `gost2004`, or `oid:` and the dotted OID of another.
 */
algorithmId: string | null, 
/**
 * What was not checked, said plainly (the chain to a trusted root, revocation).
 */
warnings: Array<string>, 
/**
 * The cryptographic check and the content digest passed, whatever the chain says.
 */
intact: boolean, 
/**
 * Subjects of the certificate chain from the signer up to the trust anchor, when one was
 * built (empty when the chain was not checked or none was found).
 */
chain: Array<string>, };

export type Versions = { app: string, core: string, webview: string | null, os: string, ncalayer: string | null, };

export type Violation = { 
/**
 * The field's path, as the register names it: `amount`, `allocations[1].amount`.
 */
field: string, code: string, 
/**
 * Russian.
 */
message: string, messageKk: string, messageEn: string, };

/**
 * Documents waiting for the user's decision, and decided ones waiting for its signature.
 */
export type Waiting = { decision: number, signature: number, };

export type WaitingDocument = { document: Document, 
/**
 * Whole days since it arrived.
 */
days: number, };

/**
 * One of a verdict's notes in each language, for a screen that changes language without asking
 * again (the document screen). A sentence the verifier did not make reads the same in all three.
 */
export type Warning = { 
/**
 * Russian: the stored sentence.
 */
message: string, messageKk: string, messageEn: string, };
