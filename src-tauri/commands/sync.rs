//! The operator: sync (progress as `sync_progress` events, then the outbox is sent), its status
//! and the `connectivity` event, the outbox list, and opening a document from an e-mailed link
//! with its code. A link only fetches a document: it never decides or signs.

use crate::error::{CmdResult, IpcError};
use crate::state::{off_thread, AppState, SYNC};
use qoltanba_core::model::{Document, DocumentId, Origin};
use qoltanba_core::operator::{
    self as op, Account, HttpOperator, HttpSettings, OutboxReport, Secret, SendPolicy, SyncOptions,
    SyncProgress,
};
use qoltanba_core::store::outbox_state;
use qoltanba_core::{ErrorCode, Store};
use serde::{Deserialize, Serialize};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Runtime, State};

pub const SYNC_PROGRESS_EVENT: &str = "sync_progress";
pub const CONNECTIVITY_EVENT: &str = "connectivity";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub progress: SyncProgress,
    pub added: Vec<DocumentId>,
    pub revoked: Vec<DocumentId>,
    pub decided_elsewhere: Vec<DocumentId>,
    /// Documents not taken this run (kept and retried by the next sync), with why.
    pub set_aside: Vec<op::SetAsideLine>,
    /// Outbox items sent (or delivered) by this run.
    pub sent: usize,
    pub events: u64,
    pub duplicate_events: u64,
    pub listed: bool,
}

fn set_online<R: Runtime>(app: &AppHandle<R>, state: &AppState, online: bool) {
    if state.online.swap(online, Ordering::Relaxed) != online {
        let _ = app.emit(CONNECTIVITY_EVENT, serde_json::json!({ "online": online }));
    }
}

fn offline(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::OperatorUnreachable | ErrorCode::Timeout)
}

/// Sends what waits in the outbox: account documents with the account's token, each
/// shared-link document with its own.
async fn send_waiting(
    operator: Option<Arc<HttpOperator>>,
    store: &mut Store,
) -> qoltanba_core::Result<OutboxReport> {
    let policy = SendPolicy::default();
    let mut report = OutboxReport::default();
    let mut docs: Vec<Document> = Vec::new();
    for i in store.outbox()? {
        if i.state == outbox_state::PENDING || i.state == outbox_state::SENT {
            docs.push(store.document(i.document_id)?);
        }
    }
    if docs.iter().any(|d| d.origin != Origin::SharedLink) {
        let client = operator.ok_or_else(|| {
            qoltanba_core::Error::new(ErrorCode::NotFound, "Учётная запись оператора не добавлена")
        })?;
        let is_account = |d: &Document| d.origin != Origin::SharedLink;
        report = op::send_outbox(store, &*client, &is_account, &policy).await?;
    }
    for d in docs.iter().filter(|d| d.origin == Origin::SharedLink) {
        let Some(opid) = d.operator_id.clone() else {
            continue;
        };
        let client = op::shared_operator(store, &opid, HttpSettings::default())?;
        let id = d.id;
        let this = move |x: &Document| x.id == id;
        let r = op::send_outbox(store, &client, &this, &policy).await?;
        report.sent.extend(r.sent);
        report.delivered.extend(r.delivered);
        report.failed.extend(r.failed);
        report.waiting.extend(r.waiting);
    }
    Ok(report)
}

/// Brings the documents up to date with the operator (progress after each document as
/// `sync_progress`), then sends the outbox and collects receipts. A sync already running is
/// refused; a failure to send leaves the items queued for the next run.
#[tauri::command]
pub async fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<SyncReport> {
    if state.running(SYNC) {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Синхронизация уже идёт",
        ));
    }
    let _operation = state.start_operation(SYNC);
    let mut store = state.store.clone().lock_owned().await;
    let (account, client) = state.operator(&store)?;
    let handle = app.clone();
    let (r, sent) = off_thread(move || {
        tauri::async_runtime::block_on(async move {
            let mut progress = |p: &SyncProgress| {
                let _ = handle.emit(SYNC_PROGRESS_EVENT, p.clone());
            };
            let opts = SyncOptions::default();
            let r = op::sync(&mut store, &*client, &account.name, &opts, &mut progress).await;
            if r.is_err() {
                return (r, 0);
            }
            let sent = match send_waiting(Some(client), &mut store).await {
                Ok(o) => {
                    let mut ids: Vec<DocumentId> = o
                        .sent
                        .iter()
                        .chain(&o.delivered)
                        .map(|l| l.document_id)
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids.len()
                }
                Err(e) => {
                    eprintln!("qoltanba: outbox not sent after sync: {}", e.message);
                    0
                }
            };
            (r, sent)
        })
    })
    .await?;
    match &r {
        Ok(_) => set_online(&app, &state, true),
        Err(e) if offline(e.code) => set_online(&app, &state, false),
        Err(_) => {}
    }
    let report = r?;
    Ok(SyncReport {
        progress: report.progress,
        added: report.added,
        revoked: report.revoked,
        decided_elsewhere: report.decided_elsewhere,
        set_aside: report.set_aside,
        sent,
        events: report.events,
        duplicate_events: report.duplicate_events,
        listed: report.listed,
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub online: bool,
    pub syncing: bool,
    pub last_synced_at: Option<String>,
    pub account: Option<Account>,
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> CmdResult<SyncStatus> {
    let syncing = state.running(SYNC);
    // While a sync holds the store, answer from what is known without waiting for it.
    let account = match state.store.try_lock() {
        Ok(store) => super::settings::account(&store)?,
        Err(_) => None,
    };
    Ok(SyncStatus {
        online: state.online.load(Ordering::Relaxed),
        syncing,
        last_synced_at: account.as_ref().and_then(|a| a.synced_at.clone()),
        account,
    })
}

/// One decision waiting in the outbox.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub id: i64,
    pub document_id: DocumentId,
    pub document_title: String,
    pub document_number: Option<String>,
    pub kind: String,
    /// pending (waits), sending (sent, the operator's receipt not in yet), failed.
    pub state: &'static str,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
}

/// What waits to be sent or was refused (delivered items are not listed).
#[tauri::command]
pub async fn outbox(state: State<'_, AppState>) -> CmdResult<Vec<OutboxItem>> {
    let store = state.store.lock().await;
    let mut out = Vec::new();
    for i in store.outbox_all()? {
        let st = match i.state.as_str() {
            outbox_state::PENDING => "pending",
            outbox_state::SENT => "sending",
            outbox_state::FAILED => "failed",
            _ => continue,
        };
        let d = store.document(i.document_id)?;
        out.push(OutboxItem {
            id: i.id,
            document_id: i.document_id,
            document_title: d.fields.title,
            document_number: d.fields.number,
            kind: i.kind,
            state: st,
            attempts: i.attempts,
            next_attempt_at: i.next_attempt_at.map(|t| t.to_string()),
            last_error: i.last_error,
            created_at: i.created_at.to_string(),
        });
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
pub struct SharedLinkInput {
    pub link: String,
    /// Wrapped so that a log of the command's input never shows it.
    pub code: Secret,
}

#[derive(Debug, Serialize)]
pub struct OpenedDocument {
    pub id: DocumentId,
    pub new: bool,
}

/// Opens an e-mailed link with its authorisation code and stores the document (a link that is
/// only a token uses the account's operator address). The document then goes through the usual
/// review: nothing is accepted or signed here.
#[tauri::command]
pub async fn open_shared_link(
    state: State<'_, AppState>,
    input: SharedLinkInput,
) -> CmdResult<OpenedDocument> {
    let mut store = state.store.lock().await;
    let fallback = store.operator_account()?.map(|(_, u)| u);
    let (base, link) = op::split_link(&input.link, fallback.as_deref())?;
    let (id, new) = op::open_shared_link(
        &mut store,
        &base,
        &link,
        input.code.reveal(),
        HttpSettings::default(),
    )
    .await?;
    Ok(OpenedDocument { id, new })
}

/// The operator link of a `qoltanba://open?link=…` that started or reached the app before the
/// page listened for the `open-link` event; null when none (taken once).
#[tauri::command]
pub async fn take_pending_link(state: State<'_, AppState>) -> CmdResult<Option<String>> {
    Ok(state.take_pending_link())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, OperatorKit, SignerKit};
    use serde_json::json;

    /// A log line or panic message with the command's input must not carry the link's code.
    #[test]
    fn the_shared_link_input_never_shows_its_code_in_debug() {
        let input: super::SharedLinkInput = serde_json::from_value(
            json!({ "link": "https://edo.example.kz/s/abc", "code": "482913" }),
        )
        .unwrap();
        let shown = format!("{input:?} {input:#?}");
        assert!(!shown.contains("482913"), "{shown}");
        assert!(shown.contains("edo.example.kz"), "{shown}");
    }

    #[test]
    fn sync_with_progress_then_sign_and_send_to_the_real_operator() {
        let operator = OperatorKit::start();
        let kit = Kit::new();
        let st = kit.ok("sync_status", json!({}));
        assert_eq!(st["account"], json!(null));
        assert_eq!(st["syncing"], false);
        assert_eq!(kit.err("sync_now", json!({}))["code"], "not_found");
        operator.use_account(&kit);

        let report = kit.ok("sync_now", json!({}));
        let added = report["added"].as_array().unwrap().clone();
        assert!(!added.is_empty(), "{report}");
        assert_eq!(report["sent"], 0);
        let progress = kit.events("sync_progress");
        assert!(!progress.is_empty());
        assert_eq!(
            progress.last().unwrap()["downloaded"].as_u64().unwrap(),
            added.len() as u64
        );
        let st = kit.ok("sync_status", json!({}));
        assert_eq!(st["online"], true);
        assert!(st["lastSyncedAt"].is_string(), "{st}");
        assert_eq!(st["account"]["url"], operator.url());

        // Accept one, sign it with the seller's key of the operator's demo, send it by syncing.
        let signer = SignerKit::start_with(&operator.keys(), None);
        signer.configure(&kit);
        let list = kit.ok("list_documents", json!({ "query": { "tab": "all" } }));
        let id = list["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["operatorId"] == "doc_2610_sales")
            .map(|d| d["id"].clone())
            .expect("the demo's sales report");
        kit.ok("accept_document", json!({ "id": id }));
        let s = kit.ok("sign_documents", json!({ "ids": [id] }));
        assert_eq!(s["outcomes"][0]["signed"], true, "{s}");
        let waiting = kit.ok("outbox", json!({}));
        assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
        assert_eq!(waiting[0]["state"], "pending");
        assert_eq!(waiting[0]["documentId"], id);
        let report = kit.ok("sync_now", json!({}));
        let after = kit.ok("outbox", json!({}));
        let doc = kit.ok("get_document", json!({ "id": id }));
        assert_eq!(
            report["sent"], 1,
            "{report} {after} {}",
            doc["document"]["status"]
        );
        let mut delivered = false;
        for _ in 0..50 {
            if kit.ok("get_document", json!({ "id": id }))["document"]["status"] == "delivered" {
                delivered = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
            kit.ok("sync_now", json!({}));
        }
        assert!(delivered);
        assert!(kit.ok("outbox", json!({})).as_array().unwrap().is_empty());
    }

    #[test]
    fn a_wrong_code_is_refused_and_a_link_is_only_kept_for_the_page() {
        let operator = OperatorKit::start();
        let kit = Kit::new();
        let link = format!("{}/shared/abc", operator.url());
        let e = kit.err(
            "open_shared_link",
            json!({ "input": { "link": link, "code": " " } }),
        );
        assert_eq!(e["code"], "invalid_input");
        let e = kit.err(
            "open_shared_link",
            json!({ "input": { "link": "abc", "code": "000000" } }),
        );
        assert!(e["message"].is_string(), "{e}");
        assert_eq!(kit.ok("tab_counts", json!({}))["all"], 0);
        assert_eq!(kit.ok("take_pending_link", json!({})), json!(null));
        kit.state()
            .set_pending_link("https://edo.example.kz/s/abc".into());
        assert_eq!(
            kit.ok("take_pending_link", json!({})),
            "https://edo.example.kz/s/abc"
        );
        assert_eq!(kit.ok("take_pending_link", json!({})), json!(null));
    }
}
