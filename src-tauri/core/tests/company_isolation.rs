//! Two companies on one computer, each with its own real qoltanba-operator (an LLP, and a sole
//! proprietor with another token), its own qoltanba-signer holding its own seller's key, and an
//! operator account of the same (default) name, with the real OS keychain (run under
//! `./dev.sh test`): nothing of one company is found, signed or sent under the other, even after
//! switching A → B → A; adding and removing companies never touches another's keychain entries.

mod operator_common;
mod support;

use operator_common::*;
use qoltanba_core::app::signing::KeyChoice;
use qoltanba_core::app::{App, Silent};
use qoltanba_core::company::{keychain_entries, Companies, Company};
use qoltanba_core::keychain::entry_exists;
use qoltanba_core::model::{DocumentId, Status};
use qoltanba_core::operator::{add_account, open_shared_link, split_link, Token, Tokens};
use qoltanba_core::store::search::Query;
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::ErrorCode;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::{Running, Server as Signer};
use qoltanba_signer::tls::TlsIdentity;
use std::path::Path;

const ACCOUNT_NAME: &str = "default";
const B_TOKEN: &str = "token-of-the-sole-proprietor";

/// A signer holding the key `role` of `server`'s test PKI (its seller's own key).
async fn signer(server: &Server, role: &str) -> Running {
    let m = server.keys();
    let key = Keystore::open(m.path(role), &m.password).unwrap();
    Signer::new(vec![key])
        .tls(TlsIdentity::generate().unwrap())
        .spawn()
        .await
        .unwrap()
}

fn open(dir: &Path) -> App {
    App::new(open_store(dir)).unwrap()
}

fn use_signer(app: &App, signer: &Running) {
    app.write(|s| {
        s.set_setting(SettingKey::SignerUrl, &signer.url())?;
        s.set_setting(SettingKey::SignerPin, signer.certificate_sha256().unwrap())?;
        s.set_setting(SettingKey::SigningTimeoutSecs, "20")
    })
    .unwrap();
}

/// The company's operator account (token checked with the operator and kept in the keychain,
/// as `account add` does) and its signer.
async fn connect(app: &App, server: &Server, token: &str, signer: &Running) {
    add_account(
        &mut app.store(),
        ACCOUNT_NAME,
        &server.url(),
        Token::new(token).unwrap(),
        http(),
    )
    .await
    .unwrap();
    use_signer(app, signer);
    app.write(|s| s.set_setting(SettingKey::SendAfterSigning, "off"))
        .unwrap();
}

fn id_of(app: &App, operator_id: &str) -> DocumentId {
    app.read(|s| s.document_by_operator_id(operator_id))
        .unwrap()
        .unwrap_or_else(|| panic!("{operator_id} is in the store"))
        .id
}

fn found(app: &App, words: &str) -> usize {
    app.read(|s| {
        s.list(&Query {
            text: Some(words.into()),
            ..Query::default()
        })
    })
    .unwrap()
    .documents
    .len()
}

fn signatures_at(server: &Server, operator_id: &str) -> i64 {
    server.count(
        "SELECT COUNT(*) FROM signatures WHERE document_id = ?1",
        operator_id,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_of_one_company_is_found_signed_or_sent_under_the_other() {
    let server_a = Server::demo().await;
    let server_b = Server::start(|s| {
        s.sole_proprietor = true;
        s.token = B_TOKEN.into();
    })
    .await;
    let (signer_a, signer_b) = (
        signer(&server_a, "employee_sign").await,
        signer(&server_b, "sole_sign").await,
    );
    let root = tempfile::tempdir().unwrap();
    let companies = Companies::at(root.path());
    let a = companies.pick(None).unwrap();
    let b = companies.add("ИП Иванов").unwrap();

    // A's account, then B's under the same name: B's token must not become A's.
    let app = open(&companies.dir(&a));
    connect(&app, &server_a, qoltanba_operator::DEFAULT_TOKEN, &signer_a).await;
    drop(app);
    let app = open(&companies.dir(&b));
    connect(&app, &server_b, B_TOKEN, &signer_b).await;
    app.sync_documents(&sync_options(), &Silent).await.unwrap();
    drop(app);

    // Back in A: its sync goes out with A's own token.
    let app = open(&companies.dir(&a));
    app.sync_documents(&sync_options(), &Silent)
        .await
        .expect("A syncs with its own token after B's account was added");
    app.write(|s| {
        qoltanba_core::import::import_bytes(
            s,
            "a-only.pdf",
            support::sales_report_pdf("OZ-AONLY-77"),
            vec![],
        )
    })
    .unwrap();
    assert_eq!(found(&app, "AONLY"), 1);
    let a_only = app
        .read(|s| {
            s.list(&Query {
                text: Some("AONLY".into()),
                ..Query::default()
            })
        })
        .unwrap()
        .documents[0]
        .id;

    // A signs its decision with its own key; it waits in A's outbox.
    let sales = id_of(&app, "doc_2610_sales");
    app.write(|s| s.accept(sales)).unwrap();
    let r = app
        .sign(&[sales], &KeyChoice::default(), &Silent)
        .await
        .unwrap();
    assert!(r.outcomes[0].signed, "{:?}", r.outcomes[0].error);
    assert_eq!(
        app.read(|s| s.document(sales)).unwrap().status,
        Status::Queued
    );

    // A's document cannot be signed with B's key. NCALayer is asked for A's seller's keys only,
    // and B's signer has none: nothing signed.
    let points = id_of(&app, "doc_2610_points");
    app.write(|s| s.accept(points)).unwrap();
    use_signer(&app, &signer_b);
    let e = app
        .sign(&[points], &KeyChoice::default(), &Silent)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::SignerError, "{}", e.message);
    // Every key offered: B's key signs, and A's check of the seller refuses it, keeping nothing.
    app.write(|s| s.set_setting(SettingKey::SignFilter, "off"))
        .unwrap();
    let r = app
        .sign(&[points], &KeyChoice::default(), &Silent)
        .await
        .unwrap();
    assert!(!r.outcomes[0].signed);
    let err = r.outcomes[0].error.as_ref().expect("why not");
    assert_eq!(err.code, ErrorCode::WrongSigner, "{}", err.message);
    let doc = app.read(|s| s.document(points)).unwrap();
    assert_eq!(doc.status, Status::Accepted);
    let own = |app: &App, id| {
        app.read(|s| s.signatures(id))
            .unwrap()
            .into_iter()
            .filter(|g| g.party == "own")
            .count()
    };
    assert_eq!(own(&app, points), 0);
    assert_eq!(own(&app, sales), 1);
    use_signer(&app, &signer_a);
    let waiting_a = app.read(|s| s.waiting_counts()).unwrap();
    drop(app);

    // B is open: A's documents are not there (by search, by its counts), its own copy of the
    // same operator document is untouched, and its send carries nothing of A's.
    let app = open(&companies.dir(&b));
    assert_eq!(found(&app, "AONLY"), 0);
    // Nor by its id, and it cannot be decided or signed from here.
    assert_eq!(
        app.read(|s| s.document(a_only)).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(app.write(|s| s.accept(a_only)).is_err());
    let signed = app.sign(&[a_only], &KeyChoice::default(), &Silent).await;
    assert!(
        signed
            .as_ref()
            .map_or(true, |r| r.outcomes.iter().all(|o| !o.signed)),
        "{signed:?}"
    );
    let b_sales = app
        .read(|s| s.document_by_operator_id("doc_2610_sales"))
        .unwrap()
        .expect("B has its own copy");
    assert_eq!(b_sales.status, Status::Received);
    assert!(app.read(|s| s.outbox()).unwrap().is_empty());
    let waiting_b = app.read(|s| s.waiting_counts()).unwrap();
    assert_ne!(waiting_a, waiting_b);
    assert_eq!(waiting_b.signature, 0);
    let sent = app.send_outbox(&send_policy()).await.unwrap();
    assert!(
        sent.sent.is_empty() && sent.delivered.is_empty(),
        "{sent:?}"
    );
    drop(app);
    assert_eq!(signatures_at(&server_a, "doc_2610_sales"), 0);
    assert_eq!(signatures_at(&server_b, "doc_2610_sales"), 0);

    // The list of companies counts each from its own store.
    let lines = companies.overview().unwrap();
    assert_eq!(lines[0].waiting, Some(waiting_a));
    assert_eq!(lines[1].waiting, Some(waiting_b));

    // A again: its decision is still waiting, and goes to A's operator only.
    let app = open(&companies.dir(&a));
    assert_eq!(found(&app, "AONLY"), 1);
    let sent = app.send_outbox(&send_policy()).await.unwrap();
    let delivered: Vec<DocumentId> = sent.delivered.iter().map(|l| l.document_id).collect();
    assert_eq!(delivered, [sales], "{sent:?}");
    assert_eq!(signatures_at(&server_a, "doc_2610_sales"), 1);
    assert_eq!(signatures_at(&server_b, "doc_2610_sales"), 0);
    drop(app);

    cleanup(&companies, &[a, b]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_and_removing_a_company_never_touches_another_s_keychain_entries() {
    let server = Server::demo().await;
    let root = tempfile::tempdir().unwrap();
    let companies = Companies::at(root.path());
    let b = companies.add("B").unwrap();
    let dir_b = companies.dir(&b);

    // B: an account, an e-mailed link's document, an ORD account: every kind of entry.
    let app = open(&dir_b);
    add_account(
        &mut app.store(),
        ACCOUNT_NAME,
        &server.url(),
        Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap(),
        http(),
    )
    .await
    .unwrap();
    let link = qoltanba_operator::seed::demo::SHARED_LINK;
    let (base, _) = split_link(&format!("{}/shared/{link}", server.url()), None).unwrap();
    open_shared_link(
        &mut app.store(),
        &base,
        link,
        qoltanba_operator::seed::demo::SHARED_CODE,
        http(),
    )
    .await
    .unwrap();
    app.write(|s| {
        qoltanba_core::acts::save_ord_account(s, &server.url(), &Token::new("ord-b").unwrap())
    })
    .unwrap();
    let tokens_b = app.read(Tokens::of).unwrap();
    drop(app);
    let entries_b = keychain_entries(&dir_b).unwrap();
    assert!(entries_b.len() >= 4, "{entries_b:?}");
    let held_b: Vec<String> = entries_b
        .iter()
        .filter(|e| entry_exists(e).unwrap())
        .cloned()
        .collect();
    for kind in ["operator-token:", "ord-token:", ":shared:"] {
        assert!(
            held_b.iter().any(|e| e.contains(kind)),
            "{kind} in {held_b:?}"
        );
    }

    // C comes with an account of the same name, then goes.
    let c = companies.add("C").unwrap();
    let app = open(&companies.dir(&c));
    add_account(
        &mut app.store(),
        ACCOUNT_NAME,
        &server.url(),
        Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap(),
        http(),
    )
    .await
    .unwrap();
    drop(app);
    let entries_c = keychain_entries(&companies.dir(&c)).unwrap();
    assert!(entries_c.iter().all(|e| !entries_b.contains(e)));
    let plan = companies.removal_plan("C", Some(&b.id)).unwrap();
    assert_eq!(plan.keychain_entries, entries_c.len());
    let removed = companies.remove("C", Some(&b.id)).unwrap();
    assert_eq!(removed.keychain_entries, entries_c);
    for e in &entries_c {
        assert!(!entry_exists(e).unwrap(), "{e} deleted");
    }
    assert!(!companies.dir(&c).exists());
    // B's entries are all still there, and its token still opens its account.
    for e in &held_b {
        assert!(entry_exists(e).unwrap(), "{e} kept");
    }
    assert_eq!(
        tokens_b.load(ACCOUNT_NAME).unwrap(),
        Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap()
    );
    let app = open(&dir_b);
    app.sync_documents(&sync_options(), &Silent).await.unwrap();
    drop(app);

    // The open company is not removed; the first one never is (its data is the data folder).
    let e = companies.remove("B", Some(&b.id)).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("открыта"), "{}", e.message);
    let e = companies.remove("main", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(dir_b.exists());

    // Removed: its folder and every entry of its store.
    companies.remove("b", None).unwrap();
    for e in &entries_b {
        assert!(!entry_exists(e).unwrap(), "{e} deleted");
    }
    assert!(!dir_b.exists());
    assert_eq!(companies.list().unwrap().len(), 1);
    cleanup(&companies, &[companies.pick(None).unwrap()]);
}

#[test]
fn a_token_under_the_older_name_moves_to_its_own_store_and_a_new_store_never_takes_it() {
    let name = format!("t-{}", uuid::Uuid::new_v4().simple());
    let older = keyring::Entry::new("qoltanba", &format!("operator-token:{name}")).unwrap();
    older.set_password("older-token").unwrap();

    // A store made now never looks under the older name: it could be another company's.
    let new = tempfile::tempdir().unwrap();
    let store = open_store(new.path());
    let e = Tokens::of(&store).unwrap().load(&name).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    assert!(older.get_password().is_ok(), "left where it was");

    // A store made by an older version (no token scope recorded) finds it, and moves it.
    let old = tempfile::tempdir().unwrap();
    let store = open_store(old.path());
    drop(store);
    rusqlite::Connection::open(old.path().join("qoltanba.db"))
        .unwrap()
        .execute("DELETE FROM settings WHERE key = 'token_scope'", [])
        .unwrap();
    let store = open_store(old.path());
    let tokens = Tokens::of(&store).unwrap();
    assert_eq!(
        tokens.load(&name).unwrap(),
        Token::new("older-token").unwrap()
    );
    assert!(matches!(older.get_password(), Err(keyring::Error::NoEntry)));
    assert_eq!(
        tokens.load(&name).unwrap(),
        Token::new("older-token").unwrap()
    );
    tokens.delete(&name).unwrap();
}

/// The keychain entries the test made go with it.
fn cleanup(companies: &Companies, list: &[Company]) {
    for c in list {
        for e in keychain_entries(&companies.dir(c)).unwrap_or_default() {
            let _ = qoltanba_core::keychain::delete_entry(&e);
        }
    }
}
