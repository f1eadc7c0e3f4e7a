//! What a hostile or broken operator can do to a sync, and what it cannot: one bad document is
//! set aside with its reason and never blocks the documents after it or the cursor; limits on a
//! document's files; one XML policy for every way in; and one server cannot take the place of a
//! document held from another.

mod operator_common;

use operator_common::*;
use qoltanba_core::acts::Ord as _;
use qoltanba_core::model::Origin;
use qoltanba_core::operator::{open_shared_link, split_link, Tokens};
use qoltanba_core::store::{SettingKey, Settings as _};
use qoltanba_core::ErrorCode;
use rusqlite::params;

async fn load_server(count: usize) -> Server {
    Server::start(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(count));
        s.load_attachment_bytes = 4 * 1024;
    })
    .await
}

fn set_listed_sha(server: &Server, attachment: &str, sha: &str) {
    server
        .db()
        .execute(
            "UPDATE attachments SET sha256 = ?2 WHERE id = ?1",
            params![attachment, sha],
        )
        .unwrap();
}

fn listed_sha(server: &Server, attachment: &str) -> String {
    server
        .db()
        .query_row(
            "SELECT sha256 FROM attachments WHERE id = ?1",
            [attachment],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn one_corrupt_document_is_set_aside_and_the_other_39_arrive() {
    let server = load_server(40).await;
    let good = listed_sha(&server, "att_load_000004");
    set_listed_sha(&server, "att_load_000004", &"0".repeat(64));
    let mut c = Client::new();
    let op = server.client();

    let report = c
        .sync(&op)
        .await
        .expect("one bad document does not fail the sync");
    assert_eq!(report.added.len(), 39, "{:?}", report.set_aside);
    assert_eq!(report.set_aside.len(), 1);
    let line = &report.set_aside[0];
    assert_eq!(line.operator_id, "doc_load_000004");
    assert!(line.reason.contains("SHA-256"), "{}", line.reason);
    assert!(c
        .store
        .document_by_operator_id("doc_load_000004")
        .unwrap()
        .is_none());
    assert!(c
        .store
        .document_by_operator_id("doc_load_000040")
        .unwrap()
        .is_some());
    // Kept with its reason, and told the user once.
    let kept = c.store.set_aside_documents(ACCOUNT).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].operator_id, "doc_load_000004");
    let told = |c: &Client| {
        c.store
            .notifications(false)
            .unwrap()
            .into_iter()
            .filter(|n| n.message.contains("doc_load_000004") && n.message.contains("отложен"))
            .count()
    };
    assert_eq!(told(&c), 1);

    // Still broken: asked for again, still set aside, not told twice; nothing else re-downloaded.
    let again = c.sync(&op).await.unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.set_aside.len(), 1);
    assert_eq!(c.store.set_aside_documents(ACCOUNT).unwrap()[0].attempts, 2);
    assert_eq!(told(&c), 1);

    // The server serves it right: the next sync takes it, though the feed never names it again.
    set_listed_sha(&server, "att_load_000004", &good);
    let fixed = c.sync(&op).await.unwrap();
    assert_eq!(fixed.added.len(), 1, "{:?}", fixed.set_aside);
    assert!(fixed.set_aside.is_empty());
    assert!(c.store.set_aside_documents(ACCOUNT).unwrap().is_empty());
    let db = rusqlite::Connection::open(c.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    let n: i64 = db
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 40);
}

#[tokio::test]
async fn a_document_with_too_many_files_or_too_many_bytes_is_set_aside() {
    let server = load_server(6).await;
    let db = server.db();
    // Document 2 brings 3 appendices; document 5 one appendix of 3 MB.
    for i in 0..3 {
        db.execute(
            "INSERT INTO attachments (id, document_id, position, role, file_name, mime_type, size, sha256, bytes)
             VALUES (?1, 'doc_load_000002', ?2, 'appendix', ?3, 'application/pdf', 3, ?4, x'414243')",
            params![format!("att_extra_{i}"), i + 1, format!("extra-{i}.pdf"), qoltanba_core::store::sha256_hex(b"ABC")],
        )
        .unwrap();
    }
    let big = vec![b'x'; 3 << 20];
    db.execute(
        "INSERT INTO attachments (id, document_id, position, role, file_name, mime_type, size, sha256, bytes)
         VALUES ('att_big', 'doc_load_000005', 1, 'appendix', 'big.bin', 'application/octet-stream', ?1, ?2, ?3)",
        params![big.len() as i64, qoltanba_core::store::sha256_hex(&big), big],
    )
    .unwrap();
    let mut c = Client::new();
    c.store
        .set_setting(SettingKey::MaxAttachments, "3")
        .unwrap();
    c.store
        .set_setting(SettingKey::MaxDocumentSize, &(2u64 << 20).to_string())
        .unwrap();
    let report = c.sync(&server.client()).await.unwrap();
    assert_eq!(report.added.len(), 4);
    let mut aside: Vec<_> = report
        .set_aside
        .iter()
        .map(|l| (l.operator_id.as_str(), l.code))
        .collect();
    aside.sort_by_key(|(id, _)| *id);
    assert_eq!(
        aside,
        vec![
            ("doc_load_000002", ErrorCode::FileTooLarge),
            ("doc_load_000005", ErrorCode::FileTooLarge)
        ]
    );
    assert!(
        report.set_aside[0].reason.contains("max_"),
        "{}",
        report.set_aside[0].reason
    );
    // The limits are the user's to change: refused values change nothing.
    assert!(c
        .store
        .set_setting(SettingKey::MaxAttachments, "0")
        .is_err());
    assert!(c
        .store
        .set_setting(SettingKey::MaxDocumentSize, "много")
        .is_err());
}

#[tokio::test]
async fn a_document_whose_date_is_not_yyyy_mm_dd_is_set_aside_and_the_others_arrive() {
    let server = load_server(4).await;
    let db = server.db();
    db.execute(
        "UPDATE documents SET date = '31.10.2026' WHERE id = 'doc_load_000002'",
        [],
    )
    .unwrap();
    db.execute(
        "UPDATE documents SET period_to = '2026-02-30' WHERE id = 'doc_load_000003'",
        [],
    )
    .unwrap();
    let mut c = Client::new();
    let report = c.sync(&server.client()).await.unwrap();
    assert_eq!(report.added.len(), 2, "{:?}", report.set_aside);
    let mut aside: Vec<_> = report
        .set_aside
        .iter()
        .map(|l| (l.operator_id.as_str(), l.code, l.reason.as_str()))
        .collect();
    aside.sort_by_key(|(id, _, _)| *id);
    assert_eq!(aside.len(), 2);
    assert_eq!(aside[0].0, "doc_load_000002");
    assert_eq!(aside[0].1, ErrorCode::OperatorRejected);
    assert!(
        aside[0].2.contains("date: «31.10.2026» — не дата"),
        "{}",
        aside[0].2
    );
    assert_eq!(aside[1].0, "doc_load_000003");
    assert!(
        aside[1].2.contains("periodTo: «2026-02-30»"),
        "{}",
        aside[1].2
    );
    // Nothing of them was stored; every stored document's date is one the client reads.
    assert!(c
        .store
        .document_by_operator_id("doc_load_000002")
        .unwrap()
        .is_none());
    assert!(c
        .store
        .document_by_operator_id("doc_load_000003")
        .unwrap()
        .is_none());
    for id in ["doc_load_000001", "doc_load_000004"] {
        let d = c.store.document_by_operator_id(id).unwrap().unwrap();
        assert!(d
            .fields
            .date
            .as_deref()
            .is_none_or(|t| qoltanba_core::model::Day::parse(t).is_ok()));
    }
}

#[tokio::test]
async fn xml_with_a_doctype_is_refused_by_sync_as_by_import() {
    let server = load_server(3).await;
    let xml = br#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>"#;
    server
        .db()
        .execute(
            "INSERT INTO attachments (id, document_id, position, role, file_name, mime_type, size, sha256, bytes)
             VALUES ('att_xml', 'doc_load_000002', 1, 'appendix', 'act.xml', 'application/xml', ?1, ?2, ?3)",
            params![xml.len() as i64, qoltanba_core::store::sha256_hex(xml), xml.to_vec()],
        )
        .unwrap();
    let mut c = Client::new();
    let report = c.sync(&server.client()).await.unwrap();
    assert_eq!(report.added.len(), 2);
    assert_eq!(report.set_aside.len(), 1);
    assert_eq!(report.set_aside[0].code, ErrorCode::UnsafeXml);
    assert!(report.set_aside[0].reason.contains("DOCTYPE"));
    assert!(c
        .store
        .document_by_operator_id("doc_load_000002")
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn a_link_from_another_server_cannot_take_a_document_held_from_the_account() {
    let account = Server::demo().await;
    let attacker = Server::demo().await;
    let mut c = Client::new();
    c.sync(&account.client()).await.unwrap();
    let held = c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .unwrap();
    assert_eq!(held.origin, Origin::Operator);
    // The attacker's server names the same id in a link of its own.
    attacker
        .running
        .as_ref()
        .unwrap()
        .share("doc_2610_sales", "lnk_evil", "123456")
        .unwrap();
    let (base, link) = split_link(&format!("{}/shared/lnk_evil", attacker.url()), None).unwrap();
    let e = open_shared_link(&mut c.store, &base, &link, "123456", http())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorRejected);
    assert!(e.message.contains("другого сервера"), "{}", e.message);
    // Nothing of the link was kept: no address, no token, the document as it was.
    assert_eq!(c.store.shared_link_url("doc_2610_sales").unwrap(), None);
    assert!(Tokens::of(&c.store)
        .unwrap()
        .load("shared:doc_2610_sales")
        .is_err());
    let after = c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .unwrap();
    assert_eq!((after.id, after.origin), (held.id, Origin::Operator));
}

#[tokio::test]
async fn an_account_cannot_take_a_document_held_from_another_servers_link() {
    let link_server = Server::demo().await;
    let account = Server::demo().await;
    let mut c = Client::new();
    let demo = qoltanba_operator::seed::demo::SHARED_LINK;
    let (base, link) = split_link(&format!("{}/shared/{demo}", link_server.url()), None).unwrap();
    let (id, _) = open_shared_link(
        &mut c.store,
        &base,
        &link,
        qoltanba_operator::seed::demo::SHARED_CODE,
        http(),
    )
    .await
    .unwrap();
    let opid = c.store.document(id).unwrap().operator_id.unwrap();
    // Another server's account lists a document under the same id.
    c.store
        .set_operator_account(ACCOUNT, &account.url(), None)
        .unwrap();
    let report = c.sync(&account.client()).await.unwrap();
    assert!(report
        .set_aside
        .iter()
        .any(|l| l.operator_id == opid && l.reason.contains("другого сервера")));
    // The link's document keeps its server: its decision can only go there.
    assert_eq!(
        c.store
            .shared_link_url(&opid)
            .unwrap()
            .as_deref()
            .map(|u| u.trim_end_matches('/')),
        Some(base.trim_end_matches('/'))
    );
    Tokens::of(&c.store)
        .unwrap()
        .delete(&format!("shared:{opid}"))
        .unwrap();
}

/// A server that answers any request with a JSON body of `total` bytes, sent in chunks.
async fn flooding_server(total: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if s.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut sent = 0;
                while sent < total {
                    let frame =
                        [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
                    if s.write_all(&frame).await.is_err() {
                        return; // the client stopped reading: what the cap is for
                    }
                    sent += chunk.len();
                }
                let _ = s.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_ord_client_reads_no_reply_past_its_cap() {
    let url = flooding_server(40 << 20).await;
    let ord = qoltanba_core::acts::HttpOrd::new(
        &url,
        qoltanba_core::operator::Token::new("ord-test-token").unwrap(),
    )
    .unwrap();
    let e = ord.status("act_1").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OperatorRejected);
    assert!(e.message.contains("слишком большой ответ"), "{}", e.message);
}
