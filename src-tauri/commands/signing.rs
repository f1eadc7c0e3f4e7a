//! Signing the decisions on documents through NCALayer (the core's `App::sign`). Progress goes
//! out as `sign_progress` events; `cancel_signing` stops the whole batch (nothing of a cancelled
//! batch is kept).

use super::events::Window;
use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::app::signing::{self, KeyChoice, SignResult, SigningService};
use qoltanba_core::app::SIGNING;
use qoltanba_core::model::DocumentId;
use tauri::{AppHandle, Runtime};

#[tauri::command]
pub async fn signing_service(app: Opened) -> CmdResult<SigningService> {
    Ok(signing::service(&app).await?)
}

/// Signs the decisions on `ids`, one confirmation in NCALayer per chunk; one outcome per
/// document (signed and queued for sending, or why not).
#[tauri::command]
pub async fn sign_documents<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    ids: Vec<DocumentId>,
) -> CmdResult<SignResult> {
    Ok(app
        .sign(&ids, &KeyChoice::default(), &Window(handle))
        .await?)
}

/// Cancels the running signing batch, if any.
#[tauri::command]
pub async fn cancel_signing(app: Opened) -> CmdResult<()> {
    app.operations.cancel(SIGNING);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, SignerKit};
    use serde_json::json;
    use std::time::Duration;

    #[test]
    fn a_batch_is_signed_through_the_real_signer_with_progress_events() {
        let signer = SignerKit::start(None);
        let kit = Kit::new();
        signer.configure(&kit);
        let a = kit.import_pdf("a.pdf", "Act of completed works No 1");
        let b = kit.import_pdf("b.pdf", "Act of completed works No 2");
        kit.ok("accept_document", json!({ "id": a }));
        kit.ok(
            "reject_document",
            json!({ "id": b, "reason": "Сумма не совпадает" }),
        );

        let r = kit.ok("sign_documents", json!({ "ids": [a, b] }));
        let out = r["outcomes"].as_array().unwrap();
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|o| o["signed"] == true), "{out:?}");
        let st = kit.ok("get_document", json!({ "id": a }))["document"]["status"].clone();
        assert!(st == "signed" || st == "queued", "{st}");
        let events = kit.events("sign_progress");
        let stages: Vec<&str> = events
            .iter()
            .map(|p| p["stage"].as_str().unwrap())
            .collect();
        assert_eq!(
            stages,
            ["waiting_for_pin", "signing", "checking", "checking", "done"]
        );
        assert!(events
            .iter()
            .all(|e| e["batchId"] == r["batchId"] && e["total"] == 2));
        assert_eq!(events[3]["outcome"]["id"], b);
        assert_eq!(events[4]["done"], 2);

        let s = kit.ok("signing_service", json!({}));
        assert_eq!(s["url"], signer.url());
        assert_eq!(s["pin"], signer.pin());
        assert_eq!(s["connected"], true);

        // Signing again is refused per document: the status has moved on.
        let again = kit.ok("sign_documents", json!({ "ids": [a] }));
        assert_eq!(again["outcomes"][0]["signed"], false);
        assert_eq!(again["outcomes"][0]["error"]["code"], "invalid_transition");
    }

    #[test]
    fn a_batch_in_several_requests_reports_each_one_as_it_is_signed() {
        let signer = SignerKit::start(None);
        let kit = Kit::new();
        signer.configure(&kit);
        kit.set("sign_chunk_size", "1");
        let ids: Vec<i64> = (1..=3)
            .map(|n| {
                let id = kit.import_pdf(
                    &format!("{n}.pdf"),
                    &format!("Act of completed works No 1{n}"),
                );
                kit.ok("accept_document", json!({ "id": id }));
                id
            })
            .collect();

        let r = kit.ok("sign_documents", json!({ "ids": ids }));
        assert!(r["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["signed"] == true));
        let events = kit.events("sign_progress");
        let seen: Vec<(String, u64)> = events
            .iter()
            .map(|e| {
                (
                    e["stage"].as_str().unwrap().to_string(),
                    e["done"].as_u64().unwrap(),
                )
            })
            .collect();
        let want: Vec<(String, u64)> = [
            ("waiting_for_pin", 0),
            ("signing", 1),
            ("signing", 2),
            ("signing", 3),
            ("checking", 1),
            ("checking", 2),
            ("checking", 3),
            ("done", 3),
        ]
        .iter()
        .map(|(s, d)| (s.to_string(), *d))
        .collect();
        assert_eq!(seen, want);
        // Each result names its own document, in the order they were kept.
        let kept: Vec<i64> = events[4..7]
            .iter()
            .map(|e| e["outcome"]["id"].as_i64().unwrap())
            .collect();
        assert_eq!(kept, ids);
    }

    #[test]
    fn cancel_stops_a_batch_waiting_on_the_signer_and_keeps_nothing() {
        let signer = SignerKit::start(Some(qoltanba_signer::fault::Fault::NeverReply));
        let kit = Kit::new();
        signer.configure(&kit);
        let a = kit.import_pdf("a.pdf", "Act of completed works No 3");
        kit.ok("accept_document", json!({ "id": a }));
        let webview = kit.webview.clone();
        let args = kit.as_page(json!({ "ids": [a] }));
        let waiting = std::thread::spawn(move || {
            crate::commands::testkit::call(&webview, "sign_documents", args)
        });
        // The batch must really be waiting on the signer before Cancel means anything.
        let mut waiting_for_pin = false;
        for _ in 0..200 {
            if kit
                .events("sign_progress")
                .iter()
                .any(|e| e["stage"] == "waiting_for_pin")
            {
                waiting_for_pin = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            waiting_for_pin,
            "the batch never waited for the PIN: {:?}",
            kit.events("sign_progress")
        );
        let e = kit.err("sign_documents", json!({ "ids": [a] }));
        assert_eq!(e["code"], "invalid_input", "one batch at a time: {e}");
        assert_eq!(kit.ok("cancel_signing", json!({})), json!(null));
        let e = waiting.join().unwrap().unwrap_err();
        assert_eq!(e["code"], "user_cancelled", "{e}");
        let d = kit.ok("get_document", json!({ "id": a }));
        assert_eq!(d["document"]["status"], "accepted");
        assert_eq!(d["signatures"], json!([]), "no signature kept");
        assert_eq!(kit.ok("outbox", json!({})), json!([]), "nothing to send");
        assert_eq!(kit.events("sign_progress").last().unwrap()["stage"], "done");
    }

    /// The window's path for an individual entrepreneur: the IIN and its kind set in settings,
    /// the personal key signs and the document is kept; another person's key never is.
    #[test]
    fn an_entrepreneur_signs_from_the_window_with_the_personal_key() {
        use qoltanba_signer::testkeys;
        let keys = tempfile::tempdir().unwrap();
        let m = testkeys::generate(keys.path(), testkeys::DEFAULT_PASSWORD).unwrap();
        let kit = Kit::new();
        let sole = SignerKit::start_role(&m, "sole_sign", None);
        sole.configure(&kit);
        kit.ok(
            "settings_set",
            json!({ "patch": { "sellerBin": testkeys::SOLE_IIN, "sellerKind": "iin" } }),
        );
        let a = kit.import_pdf("a.pdf", "Act of completed works No 5");
        kit.ok("accept_document", json!({ "id": a }));
        let r = kit.ok("sign_documents", json!({ "ids": [a] }));
        let o = &r["outcomes"][0];
        assert_eq!(o["signed"], true, "{o}");
        assert_eq!(o["signer"]["iin"], testkeys::SOLE_IIN);
        drop(sole);

        let other = SignerKit::start_role(&m, "individual_sign", None);
        kit.set("signer_url", &other.url());
        kit.set("signer_pin", &other.pin());
        kit.set("sign_filter", "off");
        let b = kit.import_pdf("b.pdf", "Act of completed works No 6");
        kit.ok("accept_document", json!({ "id": b }));
        let r = kit.ok("sign_documents", json!({ "ids": [b] }));
        let o = &r["outcomes"][0];
        assert_eq!(o["signed"], false, "{o}");
        assert_eq!(o["error"]["code"], "wrong_signer");
        let said = o["error"]["message"].as_str().unwrap();
        assert!(
            said.contains(testkeys::INDIVIDUAL_IIN) && said.contains(testkeys::SOLE_IIN),
            "{said}"
        );
        assert_eq!(
            kit.ok("get_document", json!({ "id": b }))["document"]["status"],
            "accepted"
        );
    }

    #[test]
    fn signing_without_the_sellers_bin_says_what_to_set() {
        let kit = Kit::new();
        let a = kit.import_pdf("a.pdf", "Act No 4");
        kit.ok("accept_document", json!({ "id": a }));
        let e = kit.err("sign_documents", json!({ "ids": [a] }));
        assert_eq!(e["code"], "invalid_input");
        assert!(e["message"].as_str().unwrap().contains("БИН"));
    }
}
