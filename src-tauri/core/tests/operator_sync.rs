//! Sync against the real qoltanba-operator over a loopback socket: the first run lists the
//! inbox, later runs follow the feed; duplicated and reordered events, revocations, documents
//! decided elsewhere, a server that is down, failing or slow, and a corrupted attachment.

mod operator_common;

use operator_common::*;
use qoltanba_core::model::{Action, AttachmentRole, Origin, Status};
use qoltanba_core::signature::Indication;
use qoltanba_core::store::sha256_hex;
use qoltanba_core::ErrorCode;
use std::time::Duration;

/// The demo month: 14 documents, one of them revoked before we ever saw it.
const DEMO_STORED: usize = 13;

#[tokio::test]
async fn the_first_sync_fills_the_inbox_and_the_next_one_is_up_to_date() {
    let server = Server::demo().await;
    let op = server.client();
    let mut c = Client::new();
    let mut seen = Vec::new();
    let report =
        qoltanba_core::operator::sync(&mut c.store, &op, ACCOUNT, &sync_options(), &mut |p| {
            seen.push(p.clone())
        })
        .await
        .unwrap();
    assert_eq!(report.added.len(), DEMO_STORED);
    assert!(report.listed);
    assert!(seen.last().unwrap().bytes > 0, "progress reports bytes");
    assert_eq!(seen.last().unwrap().downloaded, DEMO_STORED as u64);

    // The document is the operator's: fields, files checked by hash, sender's signature verified.
    let doc = c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .unwrap();
    assert_eq!(doc.origin, Origin::Operator);
    assert_eq!(doc.status, Status::Received);
    assert_eq!(doc.fields.number.as_deref(), Some("OZ-2026-10-0042"));
    assert_eq!(doc.fields.recipient.as_ref().unwrap().bin, SELLER_BIN);
    let main = doc.main_attachment().unwrap();
    assert_eq!(
        sha256_hex(&c.store.blob(&main.sha256).unwrap()),
        main.sha256
    );
    assert!(doc
        .attachments
        .iter()
        .any(|a| a.role == AttachmentRole::Appendix));
    let sigs = c.store.signatures(doc.id).unwrap();
    assert!(!sigs.is_empty(), "the sender's signature is kept");
    assert_eq!(sigs[0].party, "sender");
    assert_eq!(
        sigs[0].verdict.as_ref().unwrap().indication,
        Indication::TotalPassed
    );

    // The revoked act was never downloaded; the completed notice is marked as decided elsewhere.
    assert!(c
        .store
        .document_by_operator_id("doc_2610_other_revoked")
        .unwrap()
        .is_none());
    assert_eq!(report.decided_elsewhere.len(), 1);

    // Nothing new: up to date, nothing added, nothing downloaded.
    let again = c.sync(&op).await.unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.progress.downloaded, 0);
    assert!(!again.listed);
    assert!(c.store.verify_history().unwrap().intact);
}

#[tokio::test]
async fn revocations_and_decisions_elsewhere_arrive_through_the_feed_even_duplicated() {
    let server = Server::start(|s| s.faults.duplicate_events = true).await;
    let op = server.client();
    let mut c = Client::new();
    c.sync(&op).await.unwrap();
    let placement = c.id("doc_2610_placement");
    let sales = c.id("doc_2610_sales");
    c.store.accept(placement).unwrap();

    // Out of order on purpose: "updated" after "revoked" for the same document, and another
    // document decided on the operator's site.
    server.revoke("doc_2610_placement");
    server.decide_elsewhere("doc_2610_placement", "revoked");
    server.decide_elsewhere("doc_2610_sales", "signed");
    let report = c.sync(&op).await.unwrap();
    assert_eq!(report.revoked, vec![placement]);
    assert_eq!(report.decided_elsewhere, vec![sales]);
    let doc = c.store.document(placement).unwrap();
    assert_eq!(doc.status, Status::Revoked);
    assert!(
        c.store.apply(placement, Action::Sign, None).is_err(),
        "a revoked document can no longer be signed"
    );
    assert_eq!(
        c.store.operator_status(sales).unwrap().as_deref(),
        Some("signed")
    );

    // The duplicated event of the next page changes nothing: still one revocation in history.
    server.decide_elsewhere("doc_2610_other", "signed");
    let report = c.sync(&op).await.unwrap();
    assert!(report.duplicate_events + report.events > 0);
    let revocations = c
        .store
        .history(placement)
        .unwrap()
        .iter()
        .filter(|h| h.action == "revoke")
        .count();
    assert_eq!(revocations, 1);
    assert!(c.store.verify_history().unwrap().intact);
}

#[tokio::test]
async fn a_server_that_is_down_changes_nothing_and_sync_resumes_when_it_is_back() {
    let mut server = Server::demo().await;
    server.stop().await;
    let op = server.client();
    let mut c = Client::new();
    let e = c.sync(&op).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorUnreachable);
    assert!(e.message.contains("Оператор недоступен"), "{}", e.message);
    assert_eq!(c.store.sync_cursor(ACCOUNT).unwrap().0, None);

    server.restart().await;
    let report = c.sync(&op).await.unwrap();
    assert_eq!(report.added.len(), DEMO_STORED);
}

#[tokio::test]
async fn failures_and_latency_are_retried_until_everything_is_in() {
    let server = Server::start(|s| {
        s.faults.fail_rate = 0.3;
        s.faults.latency = Duration::from_millis(5);
        s.faults.rng_seed = 7;
    })
    .await;
    let op = server.client();
    let mut c = Client::new();
    let opts = qoltanba_core::operator::SyncOptions {
        retry: quick_retry(12),
        ..sync_options()
    };
    let report = qoltanba_core::operator::sync(&mut c.store, &op, ACCOUNT, &opts, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(report.added.len(), DEMO_STORED);

    // The faults really happened, and each failed request was asked again and answered.
    let answers = server.answers();
    let failed: Vec<usize> = (0..answers.len())
        .filter(|&i| answers[i].status >= 500)
        .collect();
    assert!(
        failed.len() >= 3,
        "the fault rate gave 5xx answers: {answers:#?}"
    );
    for i in failed {
        let f = &answers[i];
        assert!(
            answers[i + 1..]
                .iter()
                .any(|a| a.method == f.method && a.path == f.path && a.status < 300),
            "{} {} failed with {} and was not retried",
            f.method,
            f.path,
            f.status
        );
    }
}

#[tokio::test]
async fn a_reply_slower_than_the_timeout_is_unreachable_not_a_hang() {
    let server = Server::start(|s| s.faults.latency = Duration::from_millis(1500)).await;
    let op = qoltanba_core::operator::HttpOperator::new(
        &server.url(),
        Some(qoltanba_core::operator::Token::new("demo-token").unwrap()),
        qoltanba_core::operator::HttpSettings {
            timeout: Duration::from_millis(300),
            ..http()
        },
    )
    .unwrap();
    let mut c = Client::new();
    let e = c.sync(&op).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorUnreachable);
    assert!(e.message.contains("не ответил вовремя"), "{}", e.message);
    assert!(c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_download_cut_off_midway_stores_no_part_of_the_document() {
    // Attachment bodies longer than 2 KB break after 2 KB; the listing arrives whole, so the
    // cut lands in a download of the document's own bytes.
    let server = Server::start(|s| {
        s.faults.drop_after = Some(2048);
        s.faults.drop_only = Some("/attachments/".into());
    })
    .await;
    let op = server.client();
    let mut c = Client::new();
    let e = c.sync(&op).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorUnreachable, "{}", e.message);
    assert!(e.message.contains("оборвалось"), "{}", e.message);
    assert_eq!(
        c.store.sync_cursor(ACCOUNT).unwrap().0,
        None,
        "no cursor committed"
    );
    assert!(c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .is_none());

    let answers = server.answers();
    assert!(
        answers
            .iter()
            .any(|a| a.path.starts_with("/inbox/documents") && a.status == 200 && !a.cut),
        "the listing arrived whole: {answers:#?}"
    );
    assert!(
        answers
            .iter()
            .any(|a| a.path.contains("/documents/doc_2610_sales/attachments/") && a.cut),
        "the sales report's download started and was cut: {answers:#?}"
    );
}

#[tokio::test]
async fn an_attachment_whose_hash_does_not_match_is_never_stored() {
    let server = Server::demo().await;
    let db = server.db();
    let original: Vec<u8> = db
        .query_row(
            "SELECT bytes FROM attachments WHERE document_id = 'doc_2610_sales' AND role = 'main'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut tampered = original.clone();
    let last = tampered.len() - 10;
    tampered[last] ^= 0x55; // same size, other bytes
    db.execute(
        "UPDATE attachments SET bytes = ?1 WHERE document_id = 'doc_2610_sales' AND role = 'main'",
        [&tampered],
    )
    .unwrap();
    let op = server.client();
    let mut c = Client::new();
    // The document is set aside with its reason; the rest of the month arrives.
    let report = c.sync(&op).await.unwrap();
    assert_eq!(report.added.len(), DEMO_STORED - 1);
    assert_eq!(report.set_aside.len(), 1);
    assert_eq!(report.set_aside[0].operator_id, "doc_2610_sales");
    assert_eq!(report.set_aside[0].code, ErrorCode::OperatorRejected);
    assert!(
        report.set_aside[0].reason.contains("SHA-256"),
        "{}",
        report.set_aside[0].reason
    );
    assert!(c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .is_none());

    // Once the operator serves the right bytes, the next sync takes everything.
    db.execute(
        "UPDATE attachments SET bytes = ?1 WHERE document_id = 'doc_2610_sales' AND role = 'main'",
        [&original],
    )
    .unwrap();
    c.sync(&op).await.unwrap();
    assert!(c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_wrong_token_says_to_give_a_new_one() {
    let server = Server::demo().await;
    let op = server.client_with("not-the-token");
    let mut c = Client::new();
    let e = c.sync(&op).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    assert!(e.message.contains("новый токен"), "{}", e.message);
    assert!(!e.message.contains("not-the-token"));
}

#[tokio::test]
async fn reconciliation_catches_what_the_feed_missed() {
    let server = Server::demo().await;
    let op = server.client();
    let mut c = Client::new();
    c.sync(&op).await.unwrap();
    // Changed on the server without any event (a feed that lost one).
    server
        .db()
        .execute(
            "UPDATE documents SET status = 'revoked' WHERE id = 'doc_2610_other'",
            [],
        )
        .unwrap();
    let plain = c.sync(&op).await.unwrap();
    assert!(plain.revoked.is_empty(), "the feed says nothing");
    let opts = qoltanba_core::operator::SyncOptions {
        reconcile: true,
        ..sync_options()
    };
    let r = qoltanba_core::operator::sync(&mut c.store, &op, ACCOUNT, &opts, &mut |_| {})
        .await
        .unwrap();
    assert!(r.listed);
    assert_eq!(r.revoked, vec![c.id("doc_2610_other")]);
}

async fn load_server(
    count: usize,
    configure: impl FnOnce(&mut qoltanba_operator::Settings),
) -> Server {
    Server::start(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(count));
        s.load_attachment_bytes = 4 * 1024;
        configure(s);
    })
    .await
}

/// Documents in the store as a second connection sees them (committed ones only).
fn committed(c: &Client) -> i64 {
    let conn = rusqlite::Connection::open(c.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_commits_documents_64_at_a_time_and_a_run_stopped_after_a_batch_loses_and_repeats_nothing(
) {
    let server = load_server(150, |_| {}).await;
    let op = server.client();
    let mut c = Client::new();
    let dir = c.path();
    let seen_at_progress = std::sync::Mutex::new(Vec::new());
    // The run stops dead right after its first batch is committed (as if the program were
    // killed there): the progress report comes after each batch's commit.
    // Batches of 64 however slowly this machine downloads (the 100 ms rule has its own test).
    let opts = qoltanba_core::operator::SyncOptions {
        batch_wait: Duration::from_secs(600),
        ..sync_options()
    };
    let stopped = {
        let mut progress = |p: &qoltanba_core::operator::SyncProgress| {
            if p.downloaded == 0 {
                return;
            }
            let conn = rusqlite::Connection::open(dir.join(qoltanba_core::store::DB_FILE)).unwrap();
            let n: i64 = conn
                .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
                .unwrap();
            seen_at_progress.lock().unwrap().push((p.downloaded, n));
            panic!("stopped after the first batch");
        };
        let run = qoltanba_core::operator::sync(&mut c.store, &op, ACCOUNT, &opts, &mut progress);
        futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(run)).await
    };
    assert!(stopped.is_err(), "the run was stopped");
    assert_eq!(
        *seen_at_progress.lock().unwrap(),
        vec![(64, 64)],
        "the first report after downloads came with a whole batch of 64, already committed"
    );
    assert_eq!(committed(&c), 64);
    assert_eq!(
        c.store.sync_cursor(ACCOUNT).unwrap().0,
        None,
        "no cursor before the listing is all in"
    );

    // The next run takes the other 86 and none of the 64 twice.
    let report = c.sync(&op).await.unwrap();
    assert_eq!(report.added.len(), 86);
    assert_eq!(committed(&c), 150);
    assert!(c.store.sync_cursor(ACCOUNT).unwrap().0.is_some());
    assert!(c.store.verify_history().unwrap().intact);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_that_arrives_slowly_is_stored_within_100_ms_not_held_for_its_batch() {
    // Each answer takes 250 ms: a batch of 64 would keep the first document out of sight for
    // most of a minute; it is committed 100 ms after it arrived, before the next one is in.
    let server = load_server(3, |s| s.faults.latency = Duration::from_millis(250)).await;
    let op = server.client();
    let mut c = Client::new();
    let dir = c.path();
    let mut seen = Vec::new();
    let opts = qoltanba_core::operator::SyncOptions {
        parallel: 1,
        ..sync_options()
    };
    let mut progress = |p: &qoltanba_core::operator::SyncProgress| {
        if p.downloaded > 0 {
            let conn = rusqlite::Connection::open(dir.join(qoltanba_core::store::DB_FILE)).unwrap();
            let n: i64 = conn
                .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
                .unwrap();
            seen.push((p.downloaded, n));
        }
    };
    let report = qoltanba_core::operator::sync(&mut c.store, &op, ACCOUNT, &opts, &mut progress)
        .await
        .unwrap();
    assert_eq!(report.added.len(), 3);
    assert_eq!(seen, vec![(1, 1), (2, 2), (3, 3)], "one document at a time");
}
