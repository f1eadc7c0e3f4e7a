//! The operator: sync (progress as `sync_progress` events, then the outbox is sent), its status
//! and the `connectivity` event, the outbox list, and opening a document from an e-mailed link
//! with its code. A link only fetches a document: it never decides or signs.

use super::events::Window;
use crate::error::CmdResult;
use crate::state::{AppState, Opened};
use qoltanba_core::app::sync::{self, OutboxEntry, SyncStatus};
use qoltanba_core::model::DocumentId;
use qoltanba_core::operator::{OutboxReport, Secret, SendPolicy, SyncOptions, SyncReport};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

/// Brings the documents up to date with the operator, then sends the outbox. A sync already
/// running is refused.
#[tauri::command]
pub async fn sync_now<R: Runtime>(handle: AppHandle<R>, app: Opened) -> CmdResult<SyncReport> {
    let host = Window(handle.clone());
    let report = app.sync(&SyncOptions::default(), &host).await;
    // The rest of the new texts, off the sync's path (also after a sync that stopped midway:
    // what it stored is kept).
    crate::text_indexer::index_soon(handle.clone());
    let report = report?;
    crate::desktop_alerts::look_soon(handle);
    Ok(report)
}

#[tauri::command]
pub async fn sync_status(app: Opened) -> CmdResult<SyncStatus> {
    Ok(sync::status(&app)?)
}

/// What waits to be sent or was refused (delivered items are not listed).
#[tauri::command]
pub async fn outbox(app: Opened) -> CmdResult<Vec<OutboxEntry>> {
    Ok(app.read(sync::outbox)?)
}

/// Sends what waits in the outbox now, each item to the account or the link its document came
/// from (no account is needed for a link's documents), and waits a while for receipts.
#[tauri::command]
pub async fn send_outbox(app: Opened) -> CmdResult<OutboxReport> {
    Ok(app.send_outbox(&SendPolicy::default()).await?)
}

#[derive(Debug, Deserialize, TS)]
pub struct SharedLinkInput {
    pub link: String,
    /// Wrapped so that a log of the command's input never shows it.
    #[ts(type = "string")]
    pub code: Secret,
}

#[derive(Debug, Serialize, TS)]
pub struct OpenedDocument {
    pub id: DocumentId,
    pub new: bool,
}

/// Opens an e-mailed link with its authorisation code and stores the document.
#[tauri::command]
pub async fn open_shared_link<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    input: SharedLinkInput,
) -> CmdResult<OpenedDocument> {
    let opened = app.open_shared_link(&input.link, input.code.reveal(), None);
    let (id, new) = opened.await?;
    if new {
        crate::text_indexer::index_soon(handle);
    }
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
    use serde_json::{json, Value};

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

        // Accept one, sign it with the seller's key of the operator's demo, send it by syncing
        // (not at once: that is `send_after_signing`, on by default, tested below).
        let signer = SignerKit::start_with(&operator.keys(), None);
        signer.configure(&kit);
        kit.ok(
            "settings_set",
            json!({ "patch": { "sendAfterSigning": false } }),
        );
        assert_eq!(kit.ok("settings_get", json!({}))["sendAfterSigning"], false);
        let list = kit.ok("list_documents", json!({ "query": { "tab": "all" } }));
        let id = list["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].clone())
            // A row is what the list shows; the operator's id is in the whole document.
            .find(|id| {
                kit.ok("get_document", json!({ "id": id }))["document"]["operatorId"]
                    == "doc_2610_sales"
            })
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

    /// A seller with no account at all opens the e-mailed link with its code, accepts, signs.
    fn link_only_user_signs(operator: &OperatorKit, kit: &Kit) -> (Value, Value) {
        use qoltanba_operator::seed::demo::{SHARED_CODE, SHARED_LINK};
        assert_eq!(kit.ok("sync_status", json!({}))["account"], json!(null));
        let link = format!("{}/shared/{SHARED_LINK}", operator.url());
        let opened = kit.ok(
            "open_shared_link",
            json!({ "input": { "link": link, "code": SHARED_CODE } }),
        );
        let id = opened["id"].clone();
        kit.ok("accept_document", json!({ "id": id }));
        let s = kit.ok("sign_documents", json!({ "ids": [id] }));
        assert_eq!(s["outcomes"][0]["signed"], true, "{s}");
        (id, s)
    }

    fn status_becomes(kit: &Kit, id: &Value, want: &str) -> bool {
        for _ in 0..100 {
            if kit.ok("get_document", json!({ "id": id }))["document"]["status"] == want {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    }

    /// Issue #14 parts 1 and 4 (needs the OS keychain: the link's token lives there). One test,
    /// two runs in turn: both open the demo's one link, whose token has one keychain entry.
    #[test]
    fn a_link_only_users_decision_reaches_the_links_server() {
        // «Отправить» in the outbox sends it to the link's server without any account.
        let operator = OperatorKit::start();
        let kit = Kit::new();
        let signer = SignerKit::start_with(&operator.keys(), None);
        signer.configure(&kit);
        kit.set("send_after_signing", "off");
        let (id, signed) = link_only_user_signs(&operator, &kit);
        assert_eq!(signed["sent"], json!(null), "{signed}");
        let waiting = kit.ok("outbox", json!({}));
        assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
        assert_eq!(waiting[0]["documentId"], id);
        // A link whose access the keychain lost says to open the e-mail's link again, not to
        // add an account; the decision stays queued.
        let opid = kit.ok("get_document", json!({ "id": id }))["document"]["operatorId"].clone();
        let entry = format!("shared:{}", opid.as_str().unwrap());
        let tokens = kit
            .state()
            .app()
            .read(qoltanba_core::operator::Tokens::of)
            .unwrap();
        let token = tokens.load(&entry).unwrap();
        tokens.delete(&entry).unwrap();
        let e = kit.err("send_outbox", json!({}));
        assert_eq!(e["code"], "link_expired", "{e}");
        assert!(
            e["message"].as_str().unwrap().contains("ссылку из письма"),
            "{e}"
        );
        assert_eq!(kit.ok("outbox", json!({})).as_array().unwrap().len(), 1);
        tokens.save(&entry, &token).unwrap();

        let r = kit.ok("send_outbox", json!({}));
        assert!(went(&r).contains(&id), "{r}");
        assert!(r["failed"].as_array().unwrap().is_empty(), "{r}");
        assert!(status_becomes(&kit, &id, "delivered"), "{r}");
        assert_eq!(kit.ok("outbox", json!({})), json!([]));
        // Nothing left: a second send has nothing to do and needs no account either.
        let again = kit.ok("send_outbox", json!({}));
        assert!(went(&again).is_empty(), "{again}");
        assert_eq!(again["waiting"], json!([]), "{again}");
        drop((kit, signer, operator));

        // With `send_after_signing` on (the default) the signing result says it went, and it
        // is delivered without pressing anything else.
        let operator = OperatorKit::start();
        let kit = Kit::new();
        let signer = SignerKit::start_with(&operator.keys(), None);
        signer.configure(&kit);
        assert_eq!(kit.ok("settings_get", json!({}))["sendAfterSigning"], true);
        let (id, signed) = link_only_user_signs(&operator, &kit);
        assert_eq!(signed["sendError"], json!(null), "{signed}");
        assert!(went(&signed["sent"]).contains(&id), "{signed}");
        let stages: Vec<Value> = kit
            .events("sign_progress")
            .iter()
            .map(|e| e["stage"].clone())
            .collect();
        assert_eq!(
            stages[stages.len() - 2..],
            [json!("sending"), json!("done")]
        );
        assert!(status_becomes(&kit, &id, "delivered"), "{signed}");
        assert_eq!(kit.ok("outbox", json!({})), json!([]));
    }

    /// The documents a send's report says went (accepted or delivered).
    fn went(report: &Value) -> Vec<Value> {
        let mut ids: Vec<Value> = ["sent", "delivered"]
            .iter()
            .flat_map(|k| report[*k].as_array().cloned().unwrap_or_default())
            .map(|l| l["documentId"].clone())
            .collect();
        ids.dedup();
        ids
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
