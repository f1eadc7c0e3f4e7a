//! A rejection signs a refusal notice naming what it rejects (issue #14 part 3): the notice is
//! built from the stored document, signed, kept with the signature, sent as version 2 to the
//! real qoltanba-operator (which verifies it over the notice) and exported beside its signature.

mod operator_common;

use base64::Engine;
use operator_common::*;
use qoltanba_core::model::Status;
use qoltanba_core::operator::send_outbox;
use qoltanba_core::refusal::RefusalNotice;
use qoltanba_core::signature::check_own;
use qoltanba_core::store::{sha256_hex, NewSignature};
use qoltanba_core::ErrorCode;

const DOC: &str = "doc_2610_points";
const OTHER: &str = "doc_2610_goods_comp";
const REASON: &str = "Сумма бонуса <итог> не совпадает с расчётом & актом";

fn all(_: &qoltanba_core::model::Document) -> bool {
    true
}

async fn synced(server: &Server) -> Client {
    let mut c = Client::new();
    c.sync(&server.client()).await.unwrap();
    c
}

#[tokio::test]
async fn a_rejection_signs_a_notice_naming_the_document_and_the_operator_verifies_it() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.reject(id, REASON).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let doc = c.store.document(id).unwrap();
    assert_eq!(doc.status, Status::Queued);

    // What was signed is a notice, kept in the store under the signed hash.
    let own = c
        .store
        .signatures(id)
        .unwrap()
        .into_iter()
        .find(|s| s.party == "own")
        .unwrap();
    let bytes = c.store.blob(&own.signed_sha256).unwrap();
    let notice = RefusalNotice::parse(&bytes).unwrap();
    assert_eq!(notice.document_id, DOC);
    assert_eq!(notice.number, doc.fields.number.clone().unwrap());
    assert_eq!(notice.date, doc.fields.date.clone().unwrap());
    assert_eq!(notice.content_sha256, doc.content_sha256);
    assert_eq!(
        notice.content_sha256,
        sha256_hex(&c.store.blob(&doc.content_sha256).unwrap()),
        "the hash of the main file the user saw"
    );
    assert_eq!(notice.sender, doc.fields.sender.clone().unwrap().bin);
    assert_eq!(notice.recipient, SELLER_BIN);
    assert_eq!(notice.reason, REASON);

    // The signature holds over the notice, not over the bare reason.
    let now = qoltanba_core::model::Timestamp::now();
    check_own(&own.cms, &bytes, SELLER_BIN, now).expect("valid over the notice");
    assert!(check_own(&own.cms, REASON.as_bytes(), SELLER_BIN, now).is_err());

    // The outbox sends version 2 with exactly these bytes.
    let item = c.store.outbox().unwrap().pop().unwrap();
    let sent = base64::engine::general_purpose::STANDARD
        .decode(item.payload["notice"].as_str().unwrap())
        .unwrap();
    assert_eq!(sent, bytes);
    assert_eq!(item.payload["reason"], REASON);

    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    assert_eq!(c.store.document(id).unwrap().status, Status::Delivered);
    let kept: Vec<u8> = server
        .db()
        .query_row(
            "SELECT n.notice FROM refusal_notices n JOIN rejections r ON r.receipt_id = n.receipt_id
             WHERE r.document_id = ?1",
            [DOC],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, bytes, "the operator keeps the notice that was signed");
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM documents WHERE id = ?1 AND status = 'rejected'",
            DOC
        ),
        1
    );

    // Export writes the notice beside its signature.
    let out = c.path().join("export");
    let files = qoltanba_core::export::export_document(&c.store, id, &out).unwrap();
    let xml = format!("{id}-refusal-{}.xml", own.id);
    assert!(files.contains(&xml), "{files:?}");
    assert!(files.contains(&format!("{xml}.p7s")), "{files:?}");
    assert_eq!(std::fs::read(out.join(&xml)).unwrap(), bytes);
    assert_eq!(
        std::fs::read(out.join(format!("{xml}.p7s"))).unwrap(),
        own.cms
    );
}

/// A signature as NCALayer would return it, over `content`, with the payload `payload`.
fn record(
    c: &mut Client,
    server: &Server,
    id: i64,
    content: &[u8],
    payload: serde_json::Value,
) -> qoltanba_core::Result<(i64, String)> {
    let cms = server.sign("employee_sign", content);
    c.store.record_own_signature(
        id,
        NewSignature {
            attachment_id: None,
            signed_sha256: sha256_hex(content),
            cms,
            signer: None,
            verdict: None,
        },
        payload,
    )
}

#[tokio::test]
async fn a_rejection_is_kept_only_with_a_notice_about_this_document_and_reason() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let (id, other) = (c.id(DOC), c.id(OTHER));
    c.store.reject(id, REASON).unwrap();
    c.store.reject(other, REASON).unwrap();
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);

    // The old form, a signature over the bare reason, is not kept.
    let e = record(
        &mut c,
        &server,
        id,
        REASON.as_bytes(),
        serde_json::json!({"reason": REASON, "cms": "x"}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignatureInvalid, "{}", e.message);

    // Another document's notice, and this document's notice with another file hash or reason.
    let theirs = qoltanba_core::signing::bytes_to_sign(&c.store, other).unwrap();
    let mine = RefusalNotice::parse(&qoltanba_core::signing::bytes_to_sign(&c.store, id).unwrap())
        .unwrap();
    let other_hash = RefusalNotice {
        content_sha256: sha256_hex(b"another version"),
        ..mine.clone()
    }
    .to_bytes();
    let other_reason = RefusalNotice {
        reason: "Другая причина".into(),
        ..mine.clone()
    }
    .to_bytes();
    for (what, notice) in [
        ("another document", theirs),
        ("another hash", other_hash),
        ("another reason", other_reason),
    ] {
        let e = record(
            &mut c,
            &server,
            id,
            &notice,
            serde_json::json!({"reason": REASON, "notice": b64(&notice), "cms": "x"}),
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::SignatureInvalid, "{what}: {}", e.message);
    }
    // A payload whose reason differs from the signed one is not sent either.
    let right = mine.to_bytes();
    let e = record(
        &mut c,
        &server,
        id,
        &right,
        serde_json::json!({"reason": "Другая причина", "notice": b64(&right), "cms": "x"}),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignatureInvalid, "{}", e.message);
    assert!(c
        .store
        .signatures(id)
        .unwrap()
        .iter()
        .all(|s| s.party != "own"));
    assert!(c.store.outbox().unwrap().is_empty());
    assert_eq!(c.store.document(id).unwrap().status, Status::Rejected);

    // The right notice is kept.
    record(
        &mut c,
        &server,
        id,
        &right,
        serde_json::json!({"reason": REASON, "notice": b64(&right), "cms": "x"}),
    )
    .unwrap();
    assert_eq!(c.store.document(id).unwrap().status, Status::Queued);
}

#[tokio::test]
async fn a_rejection_is_not_signed_when_the_stored_main_file_no_longer_matches_its_hash() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.reject(id, REASON).unwrap();
    let sha = c.store.document(id).unwrap().content_sha256;
    let db = rusqlite::Connection::open(c.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    db.execute(
        "UPDATE blobs SET bytes = CAST('changed' AS BLOB) WHERE sha256 = ?1",
        [&sha],
    )
    .unwrap();
    let e = qoltanba_core::signing::bytes_to_sign(&c.store, id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage, "{}", e.message);
}

#[tokio::test]
async fn a_rejection_queued_before_notices_is_returned_to_be_signed_again_not_sent() {
    let server = Server::demo().await;
    let mut c = synced(&server).await;
    let id = c.id(DOC);
    c.store.reject(id, REASON).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    // As an older version queued it: no notice in the payload.
    let db = rusqlite::Connection::open(c.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    db.execute(
        "UPDATE outbox SET payload = json_remove(payload, '$.notice')",
        [],
    )
    .unwrap();
    let report = send_outbox(&mut c.store, &server.client(), &all, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(
        report.failed[0].message.contains("подпишите отказ заново"),
        "{report:?}"
    );
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM rejections WHERE document_id = ?1",
            DOC
        ),
        0
    );
}
