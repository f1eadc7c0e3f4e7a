//! Documents: the list and the tab counts, one document with everything its screen shows, its
//! file bytes (for pdf.js), its history, the decisions (accept, reject, retry, reopen), the check
//! of the whole history chain, notifications. Reads go to the read-only connection.

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::app::documents::{
    self as docs, ChainCheck, DocumentDetail, DocumentPage, InboxRow, ListQuery, Selection,
};
use qoltanba_core::model::{Action, DocumentId};
use qoltanba_core::store::history::HistoryEntry;
use qoltanba_core::store::{Notification, WaitingDocument};
use std::collections::BTreeMap;
use tauri::ipc::Response;

#[tauri::command]
pub async fn list_documents(app: Opened, query: Option<ListQuery>) -> CmdResult<DocumentPage> {
    Ok(app.read(|s| docs::list(s, query.unwrap_or_default()))?)
}

/// How many documents the list's query finds: the list sizes its scrollbar from it.
#[tauri::command]
pub async fn count_documents(app: Opened, query: Option<ListQuery>) -> CmdResult<u64> {
    Ok(app.read(|s| docs::count(s, query.unwrap_or_default()))?)
}

/// The rows of a selection given as a filter ("select all" over pages never loaded), for the
/// signing dialog that lists exactly what it signs.
#[tauri::command]
pub async fn selected_documents(app: Opened, selection: Selection) -> CmdResult<Vec<InboxRow>> {
    Ok(app.read(|s| docs::selected(s, selection))?)
}

#[tauri::command]
pub async fn tab_counts(app: Opened) -> CmdResult<BTreeMap<String, u64>> {
    Ok(app.read(docs::tab_counts)?)
}

/// The document with its signatures, corrections, allowed actions, from the read-only
/// connection: asked for beside the file's bytes when the user clicks a row.
#[tauri::command]
pub async fn get_document(app: Opened, id: DocumentId) -> CmdResult<DocumentDetail> {
    Ok(app.read(|s| docs::detail(s, id))?)
}

/// The document was shown: a received one becomes viewed. The window asks after the first
/// page is painted, off the way to it.
#[tauri::command]
pub async fn mark_viewed(app: Opened, id: DocumentId) -> CmdResult<DocumentDetail> {
    Ok(app.write(|s| docs::open(s, id))?)
}

/// The bytes of the attachment `attachmentId` (the main file when absent), as raw bytes: an
/// ArrayBuffer in JavaScript, ready for pdf.js or a DOMParser. Checked against their hash.
#[tauri::command]
pub async fn document_bytes(
    app: Opened,
    id: DocumentId,
    attachment_id: Option<String>,
) -> CmdResult<Response> {
    let bytes = app.read(|s| docs::bytes(s, id, attachment_id.as_deref()))?;
    Ok(Response::new(bytes))
}

#[tauri::command]
pub async fn document_history(app: Opened, id: DocumentId) -> CmdResult<Vec<HistoryEntry>> {
    Ok(app.read(|s| s.history(id))?)
}

/// Walks the whole hash chain (a broken chain is a result, not an error).
#[tauri::command]
pub async fn verify_history(app: Opened) -> CmdResult<ChainCheck> {
    Ok(app.read_whole(docs::verify_history)?)
}

#[tauri::command]
pub async fn accept_document(app: Opened, id: DocumentId) -> CmdResult<DocumentDetail> {
    Ok(app.write(|s| docs::decide(s, id, Action::Accept, None))?)
}

#[tauri::command]
pub async fn reject_document(
    app: Opened,
    id: DocumentId,
    reason: String,
) -> CmdResult<DocumentDetail> {
    Ok(app.write(|s| docs::decide(s, id, Action::Reject, Some(&reason)))?)
}

/// Puts a decision the operator did not take (send_failed) back in the outbox.
#[tauri::command]
pub async fn retry_sending(app: Opened, id: DocumentId) -> CmdResult<DocumentDetail> {
    Ok(app.write(|s| docs::decide(s, id, Action::Retry, None))?)
}

/// After the operator refused a decision: decide again.
#[tauri::command]
pub async fn reopen_document(app: Opened, id: DocumentId) -> CmdResult<DocumentDetail> {
    Ok(app.write(|s| docs::decide(s, id, Action::Reopen, None))?)
}

/// Errors and reminders, newest first; `readAt` is set for the ones marked read.
#[tauri::command]
pub async fn notifications(app: Opened) -> CmdResult<Vec<Notification>> {
    Ok(app.read(|s| s.notifications(false))?)
}

/// Marks notifications read (kept in the store, so they stay read after a restart).
#[tauri::command]
pub async fn mark_notifications_read(app: Opened, ids: Vec<i64>) -> CmdResult<()> {
    app.write(|s| s.mark_notifications_read(&ids))?;
    Ok(())
}

/// Documents that have waited for a signature longer than the `reminder_days` setting, oldest
/// first (the bell's reminders).
#[tauri::command]
pub async fn waiting_documents(app: Opened) -> CmdResult<Vec<WaitingDocument>> {
    Ok(app.read(|s| s.waiting_too_long(None))?)
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

        // The row is what the list shows, not the whole document.
        let row = &all["documents"][0];
        assert!(
            row.get("kind").is_some() && row.get("status").is_some(),
            "{row}"
        );
        assert!(
            row.get("attachments").is_none() && row.get("contentSha256").is_none(),
            "{row}"
        );
        assert_eq!(
            kit.ok(
                "count_documents",
                json!({ "query": { "tab": "needs_action" } })
            ),
            2
        );
        let picked = kit.ok(
            "selected_documents",
            json!({ "selection": { "query": { "tab": "needs_action" }, "except": [b] } }),
        );
        assert_eq!(picked.as_array().unwrap().len(), 1, "{picked}");
        assert_eq!(picked[0]["id"], a);

        let d = kit.ok("get_document", json!({ "id": a }));
        assert_eq!(d["document"]["id"], a);
        assert_eq!(
            d["document"]["status"], "received",
            "reading it writes nothing"
        );
        let d = kit.ok("mark_viewed", json!({ "id": a }));
        assert_eq!(d["document"]["status"], "viewed", "shown: it is viewed");
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

        let id = kit
            .state()
            .app()
            .write(|s| s.notify("error", Some(a), "Отправка не удалась"))
            .unwrap();
        assert_eq!(kit.ok("notifications", json!({}))[0]["readAt"], json!(null));
        kit.ok("mark_notifications_read", json!({ "ids": [id] }));
        let n = kit.ok("notifications", json!({}));
        assert!(n[0]["readAt"].is_string(), "{n}");
    }
}
