//! The window stays usable while a workflow waits: with NCALayer's PIN dialog left open, or a
//! sync against a slow operator, the list, the counts and a document answer within 100 ms (the
//! store is never held across a network wait; reads use their own connection).

use crate::commands::testkit::{call, Kit, OperatorKit, SignerKit};
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::testkeys;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ANSWER_WITHIN: Duration = Duration::from_millis(100);

/// Calls every screen's read and says how long the slowest took.
fn slowest_read(kit: &Kit, doc: i64) -> (Duration, Vec<(String, Duration)>) {
    let mut times = Vec::new();
    for (cmd, args) in [
        ("list_documents", json!({ "query": { "tab": "all" } })),
        ("tab_counts", json!({})),
        ("get_document", json!({ "id": doc })),
        ("outbox", json!({})),
        ("sync_status", json!({})),
    ] {
        let t = Instant::now();
        kit.ok(cmd, args);
        times.push((cmd.to_string(), t.elapsed()));
    }
    (times.iter().map(|(_, d)| *d).max().unwrap(), times)
}

fn wait_for(kit: &Kit, event: &str, what: impl Fn(&Value) -> bool) {
    for _ in 0..400 {
        if kit.events(event).iter().any(&what) {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("no {event} event came: {:?}", kit.events(event));
}

#[test]
fn the_window_answers_while_ncalayers_pin_dialog_is_open() {
    let keys = tempfile::tempdir().unwrap();
    let m = testkeys::generate(keys.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    let signer = SignerKit::start_confirming(&m, "employee_sign", None, Confirm::Hold);
    let kit = Kit::new();
    signer.configure(&kit);
    let a = kit.import_pdf("a.pdf", "Act of completed works No 31");
    let other = kit.import_pdf("b.pdf", "Act of completed works No 32");
    kit.ok("accept_document", json!({ "id": a }));
    let webview = kit.webview.clone();
    let args = kit.as_page(json!({ "ids": [a] }));
    let signing = std::thread::spawn(move || call(&webview, "sign_documents", args));
    wait_for(&kit, "sign_progress", |e| e["stage"] == "waiting_for_pin");
    // The request is with the signer now, whose dialog never closes.
    std::thread::sleep(Duration::from_millis(200));
    let (slowest, times) = slowest_read(&kit, other);
    assert!(slowest < ANSWER_WITHIN, "{times:?}");
    // A decision on another document is written meanwhile, and the batch still waits.
    let d = kit.ok("accept_document", json!({ "id": other }));
    assert_eq!(d["document"]["status"], "accepted");
    assert!(
        !signing.is_finished(),
        "the batch should still wait for the PIN"
    );
    kit.ok("cancel_signing", json!({}));
    let e = signing.join().unwrap().unwrap_err();
    assert_eq!(e["code"], "user_cancelled", "{e}");
}

#[test]
fn the_window_answers_during_a_slow_sync() {
    let operator = OperatorKit::start_slow(Duration::from_millis(300));
    let kit = Kit::new();
    kit.set("seller_bin", testkeys::SELLER_BIN);
    let doc = kit.import_pdf("a.pdf", "Act of completed works No 33");
    operator.use_account(&kit);
    let webview = kit.webview.clone();
    let args = kit.as_page(json!({}));
    let syncing = std::thread::spawn(move || call(&webview, "sync_now", args));
    // Measured while the sync is under way: after its first document, before its end.
    wait_for(&kit, "sync_progress", |p| {
        p["downloaded"].as_u64() >= Some(1)
    });
    let mut measured = 0;
    while !syncing.is_finished() && measured < 5 {
        let (slowest, times) = slowest_read(&kit, doc);
        assert!(slowest < ANSWER_WITHIN, "{times:?}");
        assert_eq!(kit.ok("sync_status", json!({}))["syncing"], true);
        measured += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(measured > 0, "the sync ended before anything was measured");
    match syncing.join().unwrap() {
        Ok(tauri::ipc::InvokeResponseBody::Json(r)) => {
            let r: Value = serde_json::from_str(&r).unwrap();
            assert!(!r["added"].as_array().unwrap().is_empty(), "{r}");
        }
        other => panic!("the sync should end well: {other:?}"),
    }
}
