//! «Нажмите Отправить или Готово»: a signed batch goes to the real qoltanba-operator at once
//! when the setting `send_after_signing` is on (the default), through `App::sign` with the real
//! qoltanba-signer; with it off, or with the operator gone, the decision waits in the outbox
//! and the signing result still says it was signed.

mod operator_common;

use operator_common::*;
use qoltanba_core::app::signing::{KeyChoice, SignResult};
use qoltanba_core::app::{App, Silent};
use qoltanba_core::model::{DocumentId, Status};
use qoltanba_core::operator::SendPolicy;
use qoltanba_core::store::{outbox_state, SettingKey, Settings};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server as Signer};
use qoltanba_signer::tls::TlsIdentity;

/// The app with the demo operator as its account and a signer holding the seller's key of the
/// operator's demo, both over real sockets; the demo's documents synced.
async fn app_with(server: &Server) -> (tempfile::TempDir, App, Running) {
    let m = server.keys();
    let key = Keystore::open(m.path("employee_sign"), &m.password).unwrap();
    let signer = Signer::new(vec![key])
        .tls(TlsIdentity::generate().unwrap())
        .spawn()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let app = App::new(store).unwrap();
    app.write(|s| {
        s.set_setting(SettingKey::SellerBin, SELLER_BIN)?;
        s.set_setting(SettingKey::SignerUrl, &signer.url())?;
        s.set_setting(SettingKey::SignerPin, signer.certificate_sha256().unwrap())?;
        s.set_setting(SettingKey::SigningTimeoutSecs, "20")?;
        s.set_operator_account(ACCOUNT, &server.url(), None)
    })
    .unwrap();
    app.clients
        .use_operator(ACCOUNT, &server.url(), server.client());
    app.sync_documents(&sync_options(), &Silent).await.unwrap();
    (dir, app, signer)
}

fn accepted(app: &App, operator_id: &str) -> DocumentId {
    let id = app
        .read(|s| s.document_by_operator_id(operator_id))
        .unwrap()
        .unwrap_or_else(|| panic!("{operator_id} was synced"))
        .id;
    app.write(|s| s.accept(id)).unwrap();
    id
}

async fn sign(app: &App, id: DocumentId) -> SignResult {
    let r = app
        .sign(&[id], &KeyChoice::default(), &Silent)
        .await
        .unwrap();
    assert!(r.outcomes[0].signed, "{:?}", r.outcomes[0].error);
    r
}

fn status(app: &App, id: DocumentId) -> Status {
    app.read(|s| s.document(id)).unwrap().status
}

fn outbox_states(app: &App) -> Vec<String> {
    app.read(|s| s.outbox_all())
        .unwrap()
        .into_iter()
        .map(|i| i.state)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_decision_is_delivered_without_a_separate_send() {
    let server = Server::demo().await;
    let (_c, app, _signer) = app_with(&server).await;
    let id = accepted(&app, "doc_2610_sales");

    let r = sign(&app, id).await;
    let sent = r.sent.expect("sent right after signing");
    assert_eq!(r.send_error, None);
    let delivered: Vec<DocumentId> = sent.delivered.iter().map(|l| l.document_id).collect();
    assert_eq!(delivered, [id], "{sent:?}");
    assert_eq!(status(&app, id), Status::Delivered);
    assert_eq!(outbox_states(&app), [outbox_state::DONE]);
    // The operator has the signature: recorded once on its side.
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM signatures WHERE document_id = ?1",
            "doc_2610_sales"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_setting_off_the_decision_waits_in_the_outbox() {
    let server = Server::demo().await;
    let (_c, app, _signer) = app_with(&server).await;
    app.write(|s| s.set_setting(SettingKey::SendAfterSigning, "off"))
        .unwrap();
    let id = accepted(&app, "doc_2610_sales");

    let r = sign(&app, id).await;
    assert!(r.sent.is_none(), "{:?}", r.sent);
    assert_eq!(r.send_error, None);
    assert_eq!(status(&app, id), Status::Queued);
    assert_eq!(outbox_states(&app), [outbox_state::PENDING]);
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM signatures WHERE document_id = ?1",
            "doc_2610_sales"
        ),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_operator_gone_the_batch_is_signed_and_the_decision_waits() {
    let mut server = Server::demo().await;
    let (_c, app, _signer) = app_with(&server).await;
    let id = accepted(&app, "doc_2610_sales");
    server.stop().await;

    let r = sign(&app, id).await;
    let sent = r.sent.expect("a send was tried");
    assert!(
        sent.delivered.is_empty() && sent.sent.is_empty(),
        "{sent:?}"
    );
    assert_eq!(sent.waiting.len(), 1, "{sent:?}");
    assert_eq!(sent.waiting[0].document_id, id);
    assert_eq!(status(&app, id), Status::Queued);
    assert_eq!(outbox_states(&app), [outbox_state::PENDING]);
}

#[test]
fn the_setting_takes_on_or_off_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open_store(dir.path());
    assert!(store.send_after_signing().unwrap(), "on unless set");
    let e = store
        .set_setting(SettingKey::SendAfterSigning, "yes")
        .unwrap_err();
    assert!(e.message.contains("send_after_signing"), "{}", e.message);
    assert!(store.send_after_signing().unwrap());
    store
        .set_setting(SettingKey::SendAfterSigning, "off")
        .unwrap();
    assert!(!store.send_after_signing().unwrap());
    assert_eq!(
        "send_after_signing".parse::<SettingKey>().unwrap(),
        SettingKey::SendAfterSigning
    );
}

/// One group that cannot go never holds back another: with the operator account gone (an
/// account document still queued), a link-only decision is still delivered, and the account's
/// document stays queued with the reason (needs the OS keychain: the link's token lives there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_account_does_not_hold_back_a_links_decision() {
    use qoltanba_operator::seed::demo::{SHARED_CODE, SHARED_LINK};
    let server = Server::demo().await;
    // The link's document is not among the account's (else the link would name a document
    // the store already has from the account): hidden from the account's sync, then back.
    let hide = "PRAGMA foreign_keys = OFF;
                CREATE TABLE hidden AS SELECT * FROM documents WHERE id = 'doc_2610_svc_comp';
                DELETE FROM documents WHERE id = 'doc_2610_svc_comp';";
    server.db().execute_batch(hide).unwrap();
    let (dir, app, _signer) = app_with(&server).await;
    server
        .db()
        .execute_batch("PRAGMA foreign_keys = OFF; INSERT INTO documents SELECT * FROM hidden; DROP TABLE hidden;")
        .unwrap();
    app.write(|s| s.set_setting(SettingKey::SendAfterSigning, "off"))
        .unwrap();
    let account_doc = accepted(&app, "doc_2610_sales");
    sign(&app, account_doc).await;

    // The account removed (as a user who only keeps links would have it).
    rusqlite::Connection::open(dir.path().join(qoltanba_core::store::DB_FILE))
        .unwrap()
        .execute("DELETE FROM settings WHERE key = 'operator_account'", [])
        .unwrap();
    let link = format!("{}/shared/{SHARED_LINK}", server.url());
    let (link_doc, _) = app
        .open_shared_link(&link, SHARED_CODE, None)
        .await
        .unwrap();
    app.write(|s| s.accept(link_doc)).unwrap();
    sign(&app, link_doc).await;

    let r = app.send_outbox(&SendPolicy::default()).await.unwrap();
    let went: Vec<DocumentId> = r
        .sent
        .iter()
        .chain(&r.delivered)
        .map(|l| l.document_id)
        .collect();
    assert!(went.contains(&link_doc), "{r:?}");
    assert!(!went.contains(&account_doc), "{r:?}");
    let waiting: Vec<_> = r
        .waiting
        .iter()
        .filter(|l| l.document_id == account_doc)
        .collect();
    assert_eq!(waiting.len(), 1, "{r:?}");
    assert!(waiting[0].message.contains("Учётная запись"), "{r:?}");
    assert_eq!(status(&app, account_doc), Status::Queued);

    // With nothing but the account's document left, the send says what is missing.
    let e = app.send_outbox(&SendPolicy::default()).await.unwrap_err();
    assert!(e.message.contains("Учётная запись"), "{}", e.message);
    assert_eq!(status(&app, account_doc), Status::Queued);
}
