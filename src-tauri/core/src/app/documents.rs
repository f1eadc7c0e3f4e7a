//! Documents as the window and the CLI show them: the list (a page of the search), the tab
//! counts, one document with everything its screen shows, its file bytes checked against their
//! hash, the check of the whole history chain, and the decisions.

use crate::error::{Error, Result};
use crate::model::{
    user_actions, Action, Decision, Document, DocumentId, DocumentKind, Money, Party, Status,
};
use crate::signature::{SignerIdentity, Verdict, Warning};
use crate::store::search::{Query, Tab};
use crate::store::{Store, StoredSignature};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// The list's filters: the core's search query plus the tab (turned into its statuses when no
/// statuses are given).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields = nullable)]
pub struct ListQuery {
    #[serde(flatten)]
    pub query: Query,
    pub tab: Option<Tab>,
}

/// A page of the list: its rows and the cursor after them.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentPage {
    pub documents: Vec<InboxRow>,
    /// Cursor of the next page (pass it back as `cursor`), null on the last page.
    pub next: Option<String>,
    /// A text search while documents wait for the rest of their text to be indexed: how many
    /// (the window says the search may not find everything yet). Null otherwise.
    #[ts(type = "number | null")]
    pub text_waiting: Option<u64>,
}

/// What one row of the inbox shows, and no more: the list holds hundreds of these while the
/// document screen fetches the whole document of the one that is open. The field names are
/// the document's, so a whole document stands in for its row.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxRow {
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub date: Option<String>,
    pub title: String,
    pub sender: Option<Party>,
    pub amount: Option<Money>,
    pub currency: String,
    pub status: Status,
    pub decision: Option<Decision>,
}

impl From<Document> for InboxRow {
    fn from(d: Document) -> Self {
        InboxRow {
            id: d.id,
            kind: d.fields.kind,
            number: d.fields.number,
            date: d.fields.date,
            title: d.fields.title,
            sender: d.fields.sender,
            amount: d.fields.amount,
            currency: d.fields.currency,
            status: d.status,
            decision: d.decision,
        }
    }
}

/// The rows the user selected as a filter: everything `query` finds but the ids in `except`
/// ("select all", then a few unticked), so a selection over pages the list never loaded is
/// still exact, and the page never holds an array of ids for it.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Selection {
    pub query: ListQuery,
    pub except: Vec<DocumentId>,
}

/// How many documents a selection may name at once: the signing dialog lists each of them, and
/// one NCALayer batch of more is not what a person means by a click.
pub const SELECTION_MAX: usize = 10_000;

/// A stored signature without its CMS bytes.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    pub id: i64,
    pub document_id: DocumentId,
    #[ts(type = "'own' | 'sender'")]
    pub party: String,
    pub attachment_id: Option<String>,
    pub signed_sha256: String,
    pub signer: Option<SignerIdentity>,
    pub verdict: Option<Verdict>,
    /// The verdict's warnings in each language (`verdict.warnings` are the stored Russian).
    pub warnings: Vec<Warning>,
    pub verified_at: Option<String>,
    pub created_at: String,
}

impl From<StoredSignature> for Signature {
    fn from(s: StoredSignature) -> Self {
        let warnings = s.verdict.iter().flat_map(|v| &v.warnings);
        Signature {
            warnings: warnings.map(|w| Warning::of(w)).collect(),
            id: s.id,
            document_id: s.document_id,
            party: s.party,
            attachment_id: s.attachment_id,
            signed_sha256: s.signed_sha256,
            signer: s.signer,
            verdict: s.verdict,
            verified_at: s.verified_at,
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRef {
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub number: Option<String>,
    pub date: Option<String>,
    pub status: Status,
}

impl From<&Document> for DocumentRef {
    fn from(d: &Document) -> Self {
        DocumentRef {
            id: d.id,
            kind: d.fields.kind,
            number: d.fields.number.clone(),
            date: d.fields.date.clone(),
            status: d.status,
        }
    }
}

/// Everything the document screen shows, in one call.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDetail {
    pub document: Document,
    /// The buttons to draw: the core's user actions of the status, without `view`.
    #[ts(type = "Array<'accept' | 'reject' | 'sign' | 'retry' | 'reopen'>")]
    pub allowed_actions: Vec<Action>,
    pub signatures: Vec<Signature>,
    pub corrects: Option<DocumentRef>,
    pub corrected_by: Vec<DocumentRef>,
    pub operator_status: Option<String>,
}

/// The document screen's data for `id`.
pub fn detail(store: &Store, id: DocumentId) -> Result<DocumentDetail> {
    let document = store.document(id)?;
    let corrects = match document.correction_of {
        Some(c) => store.document(c).ok().map(|d| DocumentRef::from(&d)),
        None => None,
    };
    let mut corrected_by = Vec::new();
    if let Some(kind) = document.fields.kind.correction() {
        let q = Query {
            kind: Some(kind),
            limit: Some(1000),
            ..Query::default()
        };
        for d in store.list(&q)?.documents {
            if d.correction_of == Some(id) {
                corrected_by.push(DocumentRef::from(&d));
            }
        }
    }
    Ok(DocumentDetail {
        allowed_actions: user_actions(document.status)
            .into_iter()
            .filter(|a| *a != Action::View)
            .collect(),
        signatures: store
            .signatures(id)?
            .into_iter()
            .map(Signature::from)
            .collect(),
        operator_status: store.operator_status(id)?,
        corrects,
        corrected_by,
        document,
    })
}

/// The store's query of `query`: its tab turned into statuses when none are given.
fn store_query(query: ListQuery) -> Query {
    let ListQuery { mut query, tab } = query;
    if query.statuses.is_empty() {
        if let Some(t) = tab {
            t.apply_to(&mut query);
        }
    }
    query
}

/// A page of the list for `query`: after its cursor, or its offset rows in.
pub fn list(store: &Store, query: ListQuery) -> Result<DocumentPage> {
    let page = store.list(&store_query(query))?;
    Ok(DocumentPage {
        documents: page.documents.into_iter().map(InboxRow::from).collect(),
        next: page.next,
        text_waiting: page.text_waiting,
    })
}

/// How many documents `query` finds (cursor, offset and limit aside).
pub fn count(store: &Store, query: ListQuery) -> Result<u64> {
    store.count(&store_query(query))
}

/// The rows of a selection, in the list's order, read page by page with the keyset cursor.
/// More than [`SELECTION_MAX`] is refused, naming the count, before any row is read.
pub fn selected(store: &Store, selection: Selection) -> Result<Vec<InboxRow>> {
    let Selection { query, except } = selection;
    let mut query = store_query(query);
    query.cursor = None;
    query.offset = None;
    query.limit = Some(500);
    if except.len() > SELECTION_MAX {
        return Err(Error::invalid(format!(
            "Снято с выбора больше {SELECTION_MAX} документов: выберите документы заново"
        )));
    }
    let except: std::collections::HashSet<DocumentId> = except.into_iter().collect();
    let total = store.count(&query)?;
    let excepted = total.saturating_sub(except.len() as u64);
    if excepted > SELECTION_MAX as u64 {
        return Err(Error::invalid(format!(
            "Выбрано {excepted} документов, а за один раз можно не больше {SELECTION_MAX}: \
             сузьте выбор фильтром (вкладка, период, вид)"
        )));
    }
    let mut rows = Vec::new();
    loop {
        let page = store.list(&query)?;
        rows.extend(
            page.documents
                .into_iter()
                .filter(|d| !except.contains(&d.id))
                .map(InboxRow::from),
        );
        // A document arriving meanwhile must not push the answer past the budget.
        if rows.len() > SELECTION_MAX {
            rows.truncate(SELECTION_MAX);
            break;
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => break,
        }
    }
    Ok(rows)
}

pub fn tab_name(t: Tab) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// How many documents each tab holds (needs_action, to_sign, accepted, rejected, signed, sent,
/// all), and what the header says waits: `awaiting_decision` (received, viewed) and
/// `awaiting_signature` (accepted or rejected, not signed yet: the to_sign tab's number). One
/// answer, so the header and the tabs never disagree.
pub fn tab_counts(store: &Store) -> Result<BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, u64> = store
        .tab_counts()?
        .into_iter()
        .map(|(t, n)| (tab_name(t), n))
        .collect();
    let waiting = store.waiting_counts()?;
    counts.insert("awaiting_decision".into(), waiting.decision);
    counts.insert("awaiting_signature".into(), waiting.signature);
    Ok(counts)
}

/// Marks a document opened: a received one becomes viewed (that is what opening it means; the
/// history records it), then its screen's data. The window calls it after the document is on
/// screen, so the write lock is never on the way to the first page.
pub fn open(store: &mut Store, id: DocumentId) -> Result<DocumentDetail> {
    store.view(id)?;
    detail(store, id)
}

/// The bytes of the attachment `attachment_id` (the main file when absent), checked against
/// their hash.
pub fn bytes(store: &Store, id: DocumentId, attachment_id: Option<&str>) -> Result<Vec<u8>> {
    let doc = store.document(id)?;
    let sha = match attachment_id {
        None => doc.content_sha256.clone(),
        Some(a) => doc
            .attachments
            .iter()
            .find(|x| x.id == a)
            .map(|x| x.sha256.clone())
            .ok_or_else(|| Error::not_found(format!("У документа №{id} нет файла {a}")))?,
    };
    store.blob(&sha)
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainCheck {
    pub entries: u64,
    pub intact: bool,
    #[ts(as = "Option<crate::store::history::BrokenEntry>")]
    pub first_broken: Option<serde_json::Value>,
}

/// Walks the whole hash chain, for the window (on one thread: it runs in the background after
/// each document is shown). A broken chain is a result (`intact: false`, the first broken entry
/// named), not an error.
pub fn verify_history(store: &Store) -> Result<ChainCheck> {
    let report = store.verify_history_on_one_thread()?;
    Ok(ChainCheck {
        entries: report.entries,
        intact: report.first_broken.is_none(),
        first_broken: report
            .first_broken
            .as_ref()
            .and_then(|b| serde_json::to_value(b).ok()),
    })
}

/// A decision (accept, reject with its reason, retry sending, reopen), then the screen's data.
pub fn decide(
    store: &mut Store,
    id: DocumentId,
    action: Action,
    reason: Option<&str>,
) -> Result<DocumentDetail> {
    store.apply(id, action, reason)?;
    detail(store, id)
}
