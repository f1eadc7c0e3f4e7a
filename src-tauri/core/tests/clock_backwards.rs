//! The clock moved backwards (a wrong BIOS clock corrected, a VM restored, the user fixing the date):
//! history written before and after still verifies, and a decision that waited for the operator is
//! sent as soon as the operator is back, not after the clock has caught up again.

mod operator_common;

use operator_common::*;
use qoltanba_core::clock::FixedClock;
use qoltanba_core::model::Status;
use qoltanba_core::operator::send_outbox;
use qoltanba_core::store::{outbox_state, SettingKey, Settings as _};
use qoltanba_core::{OpenOptions, Store};
use std::sync::Arc;

fn all(_: &qoltanba_core::model::Document) -> bool {
    true
}

/// A sender that keeps to the schedule (a background sender; `outbox --send` sends regardless).
fn scheduled() -> qoltanba_core::operator::SendPolicy {
    qoltanba_core::operator::SendPolicy {
        ignore_schedule: false,
        ..send_policy()
    }
}

#[tokio::test]
async fn after_the_clock_moves_back_history_verifies_and_the_outbox_does_not_stall() {
    let mut server = Server::demo().await;
    let clock = Arc::new(FixedClock::at(qoltanba_core::model::Timestamp::now()));
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(
        dir.path(),
        OpenOptions {
            clock: clock.clone(),
            keychain: qoltanba_core::keychain::KeychainMode::from_env(),
            actor: "user:test".into(),
        },
    )
    .unwrap();
    store
        .set_setting(SettingKey::SellerBin, SELLER_BIN)
        .unwrap();
    let mut c = Client { dir, store };
    c.sync(&server.client()).await.unwrap();
    let id = c.id("doc_2610_points");
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");

    // Offline: the decision is deferred to "now + a few seconds" by the clock of that moment.
    server.stop().await;
    send_outbox(&mut c.store, &server.client(), &all, &scheduled())
        .await
        .unwrap();
    let item = c.store.outbox().unwrap().pop().unwrap();
    assert_eq!(item.state, outbox_state::PENDING);
    assert!(item.next_attempt_at.is_some());

    // The clock goes two days back; more work is done at that time.
    clock.advance(qoltanba_core::model::TimeDelta::days(-2));
    let other = c.id("doc_2610_sales");
    c.store.reject(other, "Сумма не совпадает").unwrap();
    let report = c.store.verify_history().unwrap();
    assert!(report.intact, "{:?}", report.first_broken);
    let entries = c.store.history(other).unwrap();
    assert_eq!(
        entries.last().unwrap().to_status.as_deref(),
        Some("rejected")
    );

    // The operator is back: the deferred decision goes now, not in two days.
    server.restart().await;
    let report = send_outbox(&mut c.store, &server.client(), &all, &scheduled())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    assert_eq!(c.store.document(id).unwrap().status, Status::Delivered);
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM signatures WHERE document_id = ?1",
            "doc_2610_points"
        ),
        1
    );
    assert!(c.store.verify_history().unwrap().intact);
}
