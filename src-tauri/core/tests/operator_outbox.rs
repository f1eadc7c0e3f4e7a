//! The outbox against the real qoltanba-operator: a signed decision goes with its idempotency
//! key, its receipt is polled to "delivered"; offline it waits; a resend after a crash is the
//! same request (the operator keeps one signature); refusals return the document to the user.

mod operator_common;

use operator_common::*;
use qoltanba_core::model::{Action, Status};
use qoltanba_core::operator::{send_outbox, Operator, SignatureBody};
use qoltanba_core::store::outbox_state;
use qoltanba_core::ErrorCode;
use std::time::Duration;

const DOC: &str = "doc_2610_points";

fn all(_: &qoltanba_core::model::Document) -> bool {
    true
}

async fn synced(server: &Server) -> Client {
    let mut c = Client::new();
    c.sync(&server.client()).await.unwrap();
    c
}

fn signatures_on_server(server: &Server, id: &str) -> i64 {
    server.count("SELECT COUNT(*) FROM signatures WHERE document_id = ?1", id)
}

#[tokio::test]
async fn a_signature_is_sent_verified_and_delivered_once() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    assert_eq!(c.store.document(id).unwrap().status, Status::Queued);

    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let doc = c.store.document(id).unwrap();
    assert_eq!(doc.status, Status::Delivered);
    let item = c.store.outbox_all().unwrap().pop().unwrap();
    assert_eq!(item.state, outbox_state::DONE);
    assert!(item.receipt_id.as_deref().unwrap().starts_with("rcp_"));
    assert_eq!(signatures_on_server(&server, DOC), 1);
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM documents WHERE id = ?1 AND status = 'signed'",
            DOC
        ),
        1
    );
    let steps: Vec<String> = c
        .store
        .history(id)
        .unwrap()
        .into_iter()
        .map(|h| h.action)
        .collect();
    assert!(
        steps.ends_with(&[
            "sign".into(),
            "queue".into(),
            "mark_sent".into(),
            "mark_delivered".into()
        ]),
        "{steps:?}"
    );
}

#[tokio::test]
async fn a_rejection_goes_with_its_signed_refusal_notice() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store
        .reject(id, "Сумма бонуса не совпадает с расчётом")
        .unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM rejections WHERE document_id = ?1",
            DOC
        ),
        1
    );
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM documents WHERE id = ?1 AND status = 'rejected'",
            DOC
        ),
        1
    );
}

#[tokio::test]
async fn a_crash_between_sending_and_recording_resends_the_same_key_and_the_operator_keeps_one() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    let key = c.sign_decision(&server, id, "employee_sign");
    // The request reached the operator, then the program died before it recorded the receipt.
    let item = c.store.outbox().unwrap().pop().unwrap();
    let body: SignatureBody = serde_json::from_value(item.payload.clone()).unwrap();
    let first = server
        .client()
        .send_signature(DOC, &key, &body)
        .await
        .unwrap();
    let Client { dir, store } = c;
    drop(store); // the process ends here; the folder stays

    let mut store = open_store(dir.path());
    assert_eq!(
        store.document(id).unwrap().status,
        Status::Queued,
        "nothing recorded"
    );
    let report = send_outbox(&mut store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    let item = store.outbox_all().unwrap().pop().unwrap();
    assert_eq!(item.idempotency_key, key);
    assert_eq!(
        item.receipt_id.as_deref(),
        Some(first.receipt_id.as_str()),
        "the first result"
    );
    assert_eq!(signatures_on_server(&server, DOC), 1);
}

#[tokio::test]
async fn offline_the_decision_waits_and_goes_when_the_server_is_back() {
    let mut server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    server.stop().await;

    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.waiting.len(), 1);
    assert!(
        report.waiting[0].message.contains("недоступен"),
        "{report:?}"
    );
    let item = c.store.outbox().unwrap().pop().unwrap();
    assert_eq!(item.state, outbox_state::PENDING);
    assert_eq!(item.attempts, 1);
    assert!(item.next_attempt_at.is_some());
    assert_eq!(c.store.document(id).unwrap().status, Status::Queued);

    server.restart().await;
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    assert_eq!(signatures_on_server(&server, DOC), 1);
}

#[tokio::test]
async fn failures_mid_send_are_retried_and_still_give_one_signature() {
    let server = Server::start(|s| {
        s.faults.fail_rate = 0.5;
        s.faults.rng_seed = 3;
    })
    .await;
    let mut c = Client::new();
    let opts = qoltanba_core::operator::SyncOptions {
        retry: quick_retry(20),
        ..sync_options()
    };
    qoltanba_core::operator::sync(&mut c.store, &server.client(), ACCOUNT, &opts, &mut |_| {})
        .await
        .unwrap();
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let policy = qoltanba_core::operator::SendPolicy {
        retry: quick_retry(20),
        ..send_policy()
    };
    let mut delivered = 0;
    for _ in 0..5 {
        let r = send_outbox(&mut c.store, &server.client(), &all, &policy)
            .await
            .unwrap();
        delivered += r.delivered.len();
        if delivered > 0 {
            break;
        }
    }
    assert_eq!(delivered, 1);
    assert_eq!(signatures_on_server(&server, DOC), 1);
}

#[tokio::test]
async fn a_stale_decision_is_re_read_explained_and_given_back() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    server.decide_elsewhere(DOC, "rejected");

    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(
        report.failed[0].message.contains("уже отклонён"),
        "{report:?}"
    );
    let doc = c.store.document(id).unwrap();
    assert_eq!(doc.status, Status::SendFailed);
    let n = c.store.notifications(true).unwrap();
    assert!(n
        .iter()
        .any(|n| n.category == "error" && n.message.contains("уже отклонён")));
    // The user can act on it again.
    assert_eq!(
        c.store.apply(id, Action::Reopen, None).unwrap().status,
        Status::Received
    );
    assert_eq!(signatures_on_server(&server, DOC), 0);
}

#[tokio::test]
async fn a_signature_the_operator_refuses_keeps_its_reason_and_returns_the_document() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    // A key of another organisation passes our check only if the seller's BIN is set wrongly;
    // the operator then refuses it on the receipt.
    let other = server
        .keys()
        .key("other_org_sign")
        .unwrap()
        .bin
        .clone()
        .unwrap();
    use qoltanba_core::store::{SettingKey, Settings as _};
    c.store.set_setting(SettingKey::SellerBin, &other).unwrap();
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "other_org_sign");
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(report.failed[0].message.contains("signer_not_allowed"));
    assert_eq!(c.store.document(id).unwrap().status, Status::SendFailed);
    let item = c.store.outbox_all().unwrap().pop().unwrap();
    assert_eq!(item.state, outbox_state::FAILED);
    assert!(item.last_error.unwrap().contains("signer_not_allowed"));
    assert!(c
        .store
        .notifications(true)
        .unwrap()
        .iter()
        .any(|n| n.category == "error" && n.message.contains("не принял подпись")));

    // "Retry" sends the same decision with its own key: the operator answers as the first time
    // and still holds one signature.
    c.store.apply(id, Action::Retry, None).unwrap();
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(c.store.document(id).unwrap().status, Status::SendFailed);
    assert_eq!(signatures_on_server(&server, DOC), 1);
}

#[tokio::test]
async fn a_refused_token_stops_sending_and_keeps_the_queue() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let e = send_outbox(
        &mut c.store,
        &server.client_with("expired"),
        &all,
        &send_policy(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    assert!(e.message.contains("новый токен"));
    assert_eq!(c.store.document(id).unwrap().status, Status::Queued);
    assert_eq!(c.store.outbox().unwrap().len(), 1);
    // A new token: the same decision goes.
    tokio::time::sleep(Duration::from_millis(10)).await;
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1);
}
