//! «Нажмите Отправить или Готово»: a signed batch goes to the real qoltanba-operator at once
//! when the setting `send_after_signing` is on (the default), through `App::sign` with the real
//! qoltanba-signer; with it off, or with the operator gone, the decision waits in the outbox
//! and the signing result still says it was signed.

mod operator_common;

use operator_common::*;
use qoltanba_core::app::signing::{KeyChoice, SignResult};
use qoltanba_core::app::{App, Silent};
use qoltanba_core::model::{DocumentId, Status};
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
