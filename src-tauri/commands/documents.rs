//! Documents: the list and the tab counts, one document with everything its screen shows, its
//! file bytes (for pdf.js), its history, the decisions (accept, reject, retry, reopen), the check
//! of the whole history chain, notifications.

use crate::error::CmdResult;
use crate::state::AppState;
use qoltanba_core::model::{user_actions, Action, Document, DocumentId, DocumentKind, Status};
use qoltanba_core::signature::{SignerIdentity, Verdict};
use qoltanba_core::store::history::HistoryEntry;
use qoltanba_core::store::search::{Query, Tab};
use qoltanba_core::store::{Notification, StoredSignature, WaitingDocument};
use qoltanba_core::{Error, Store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tauri::ipc::Response;
use tauri::State;
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

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentPage {
    pub documents: Vec<Document>,
    /// Cursor of the next page (pass it back as `cursor`), null on the last page.
    pub next: Option<String>,
}

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
    pub verified_at: Option<String>,
    pub created_at: String,
}

impl From<StoredSignature> for Signature {
    fn from(s: StoredSignature) -> Self {
        Signature {
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
pub fn detail(store: &Store, id: DocumentId) -> qoltanba_core::Result<DocumentDetail> {
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

#[tauri::command]
pub async fn list_documents(
    state: State<'_, AppState>,
    query: Option<ListQuery>,
) -> CmdResult<DocumentPage> {
    let ListQuery { mut query, tab } = query.unwrap_or_default();
    if query.statuses.is_empty() {
        if let Some(t) = tab {
            t.apply_to(&mut query);
        }
    }
    let page = state.store.lock().await.list(&query)?;
    Ok(DocumentPage {
        documents: page.documents,
        next: page.next,
    })
}

pub fn tab_name(t: Tab) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// How many documents each tab holds (needs_action, accepted, rejected, signed, sent, all), and
/// what the header says waits: `awaiting_decision` (received, viewed) and `awaiting_signature`
/// (accepted or rejected, not signed yet). One answer, so the header and the tabs never disagree.
#[tauri::command]
pub async fn tab_counts(state: State<'_, AppState>) -> CmdResult<BTreeMap<String, u64>> {
    let store = state.store.lock().await;
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

/// The document with its signatures, corrections, allowed actions. Opening a received document
/// marks it viewed (that is what opening it means; the history records it).
#[tauri::command]
pub async fn get_document(state: State<'_, AppState>, id: DocumentId) -> CmdResult<DocumentDetail> {
    let mut store = state.store.lock().await;
    store.view(id)?;
    Ok(detail(&store, id)?)
}

/// The bytes of the attachment `attachmentId` (the main file when absent), as raw bytes: an
/// ArrayBuffer in JavaScript, ready for pdf.js or a DOMParser. Checked against their hash.
#[tauri::command]
pub async fn document_bytes(
    state: State<'_, AppState>,
    id: DocumentId,
    attachment_id: Option<String>,
) -> CmdResult<Response> {
    let store = state.store.lock().await;
    let doc = store.document(id)?;
    let sha = match &attachment_id {
        None => doc.content_sha256.clone(),
        Some(a) => doc
            .attachments
            .iter()
            .find(|x| &x.id == a)
            .map(|x| x.sha256.clone())
            .ok_or_else(|| Error::not_found(format!("У документа №{id} нет файла {a}")))?,
    };
    Ok(Response::new(store.blob(&sha)?))
}

#[tauri::command]
pub async fn document_history(
    state: State<'_, AppState>,
    id: DocumentId,
) -> CmdResult<Vec<HistoryEntry>> {
    Ok(state.store.lock().await.history(id)?)
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainCheck {
    pub entries: u64,
    pub intact: bool,
    #[ts(as = "Option<qoltanba_core::store::history::BrokenEntry>")]
    pub first_broken: Option<serde_json::Value>,
}

/// Walks the whole hash chain. A broken chain is a result (`intact: false`, the first broken
/// entry named), not an error.
#[tauri::command]
pub async fn verify_history(state: State<'_, AppState>) -> CmdResult<ChainCheck> {
    let report = state.store.lock().await.verify_history()?;
    let v = serde_json::to_value(&report).unwrap_or_default();
    Ok(ChainCheck {
        entries: v["entries"].as_u64().unwrap_or(0),
        intact: report.first_broken.is_none(),
        first_broken: report
            .first_broken
            .as_ref()
            .and_then(|b| serde_json::to_value(b).ok()),
    })
}

async fn decide(
    state: &AppState,
    id: DocumentId,
    action: Action,
    reason: Option<&str>,
) -> CmdResult<DocumentDetail> {
    let mut store = state.store.lock().await;
    store.apply(id, action, reason)?;
    Ok(detail(&store, id)?)
}

#[tauri::command]
pub async fn accept_document(
    state: State<'_, AppState>,
    id: DocumentId,
) -> CmdResult<DocumentDetail> {
    decide(&state, id, Action::Accept, None).await
}

#[tauri::command]
pub async fn reject_document(
    state: State<'_, AppState>,
    id: DocumentId,
    reason: String,
) -> CmdResult<DocumentDetail> {
    decide(&state, id, Action::Reject, Some(&reason)).await
}

/// Puts a decision the operator did not take (send_failed) back in the outbox.
#[tauri::command]
pub async fn retry_sending(
    state: State<'_, AppState>,
    id: DocumentId,
) -> CmdResult<DocumentDetail> {
    decide(&state, id, Action::Retry, None).await
}

/// After the operator refused a decision: decide again.
#[tauri::command]
pub async fn reopen_document(
    state: State<'_, AppState>,
    id: DocumentId,
) -> CmdResult<DocumentDetail> {
    decide(&state, id, Action::Reopen, None).await
}

/// Errors and reminders, newest first; `readAt` is set for the ones marked read.
#[tauri::command]
pub async fn notifications(state: State<'_, AppState>) -> CmdResult<Vec<Notification>> {
    Ok(state.store.lock().await.notifications(false)?)
}

/// Marks notifications read (kept in the store, so they stay read after a restart).
#[tauri::command]
pub async fn mark_notifications_read(state: State<'_, AppState>, ids: Vec<i64>) -> CmdResult<()> {
    state.store.lock().await.mark_notifications_read(&ids)?;
    Ok(())
}

/// Documents that have waited for a signature longer than the `reminder_days` setting, oldest
/// first (the bell's reminders).
#[tauri::command]
pub async fn waiting_documents(state: State<'_, AppState>) -> CmdResult<Vec<WaitingDocument>> {
    Ok(state.store.lock().await.waiting_too_long(None)?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::Kit;
    use serde_json::json;

    #[test]
    fn list_get_bytes_accept_reject_history_and_verify_through_ipc() {
        let kit = Kit::new();
        let a = kit.import_pdf("act-1.pdf", "Act of completed works No 17 of 05.10.2026");
        let b = kit.import_pdf("act-2.pdf", "Reconciliation act No 18 of 06.10.2026");

        let list = kit.ok(
            "list_documents",
            json!({ "query": { "tab": "needs_action" } }),
        );
        assert_eq!(list["documents"].as_array().unwrap().len(), 2, "{list}");
        assert!(list.as_object().unwrap().contains_key("next"));
        let counts = kit.ok("tab_counts", json!({}));
        assert_eq!(counts["needs_action"], 2);
        assert_eq!(counts["all"], 2);
        assert_eq!(counts["awaiting_decision"], 2, "received: a decision first");
        assert_eq!(
            counts["awaiting_signature"], 0,
            "nothing decided, nothing to sign"
        );
        let none = kit.ok("list_documents", json!({ "query": { "tab": "signed" } }));
        assert_eq!(none["documents"].as_array().unwrap().len(), 0);
        let all = kit.ok("list_documents", json!({ "query": {} }));
        assert_eq!(all["documents"].as_array().unwrap().len(), 2);

        let d = kit.ok("get_document", json!({ "id": a }));
        assert_eq!(d["document"]["id"], a);
        assert_eq!(d["document"]["status"], "viewed", "opening marks it viewed");
        assert_eq!(d["allowedActions"], json!(["accept", "reject"]));
        assert_eq!(d["corrects"], json!(null));
        assert_eq!(d["correctedBy"], json!([]));
        assert!(d["signatures"].is_array());

        let main = d["document"]["attachments"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let bytes = kit.bytes("document_bytes", json!({ "id": a, "attachmentId": main }));
        assert!(
            bytes.starts_with(b"%PDF-"),
            "the stored PDF comes back as raw bytes"
        );
        assert!(kit
            .bytes("document_bytes", json!({ "id": a }))
            .starts_with(b"%PDF-"));
        let e = kit.err("document_bytes", json!({ "id": a, "attachmentId": "nope" }));
        assert_eq!(e["code"], "not_found");

        let r = kit.ok("accept_document", json!({ "id": a }));
        assert_eq!(r["document"]["status"], "accepted");
        assert_eq!(r["allowedActions"], json!(["sign"]), "{r}");
        let e = kit.err("accept_document", json!({ "id": a }));
        assert_eq!(e["code"], "invalid_transition");
        assert_eq!(e["retryable"], false);
        let e = kit.err("reject_document", json!({ "id": b, "reason": "" }));
        assert_eq!(e["code"], "invalid_input");
        let r = kit.ok(
            "reject_document",
            json!({ "id": b, "reason": "Неверная сумма" }),
        );
        assert_eq!(r["document"]["status"], "rejected");
        assert_eq!(r["document"]["rejectReason"], "Неверная сумма");
        let e = kit.err("retry_sending", json!({ "id": b }));
        assert_eq!(e["code"], "invalid_transition");

        let counts = kit.ok("tab_counts", json!({}));
        assert_eq!(counts["accepted"], 1);
        assert_eq!(counts["rejected"], 1);
        assert_eq!(counts["needs_action"], 0);
        assert_eq!(counts["awaiting_decision"], 0);
        assert_eq!(
            counts["awaiting_signature"], 2,
            "an accepted and a rejected document both wait for the signature of their decision"
        );

        let h = kit.ok("document_history", json!({ "id": a }));
        let actions: Vec<&str> = h
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.ends_with(&["view", "accept"]), "{actions:?}");

        let v = kit.ok("verify_history", json!({}));
        assert_eq!(v["intact"], true, "{v}");
        assert!(v["entries"].as_u64().unwrap() >= 4);
        assert_eq!(v["firstBroken"], json!(null));

        let e = kit.err("get_document", json!({ "id": 999 }));
        assert_eq!(
            e,
            json!({"code": "not_found", "message": e["message"], "retryable": false})
        );
        assert_eq!(kit.ok("notifications", json!({})), json!([]));
        assert_eq!(
            kit.ok("mark_notifications_read", json!({ "ids": [1] })),
            json!(null)
        );
    }

    #[test]
    fn reminders_list_unsigned_documents_and_read_marks_are_stored() {
        let kit = Kit::new();
        let a = kit.import_pdf("a.pdf", "Act of completed works No 7");
        kit.ok("accept_document", json!({ "id": a }));
        // Nothing has waited three days yet.
        assert_eq!(kit.ok("waiting_documents", json!({})), json!([]));
        kit.set("reminder_days", "0");
        std::thread::sleep(std::time::Duration::from_millis(5));
        let w = kit.ok("waiting_documents", json!({}));
        assert_eq!(w[0]["document"]["id"], a, "{w}");
        assert_eq!(w[0]["days"], 0);

        let id = tauri::async_runtime::block_on(async {
            kit.state()
                .store
                .lock()
                .await
                .notify("error", Some(a), "Отправка не удалась")
                .unwrap()
        });
        assert_eq!(kit.ok("notifications", json!({}))[0]["readAt"], json!(null));
        kit.ok("mark_notifications_read", json!({ "ids": [id] }));
        let n = kit.ok("notifications", json!({}));
        assert!(n[0]["readAt"].is_string(), "{n}");
    }
}
