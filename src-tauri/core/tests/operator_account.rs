//! The operator account and shared links, with the real OS keychain (run under `./dev.sh test`,
//! which starts gnome-keyring in a D-Bus session): the token is checked with GET /me, kept in
//! the keychain only, and never reaches the database, an export, an error or Debug output.

mod operator_common;

use operator_common::*;
use qoltanba_core::model::{Origin, Status};
use qoltanba_core::operator::{
    account_url, add_account, open_shared_link, send_outbox, shared_operator, split_link, Token,
    Tokens,
};
use qoltanba_core::store::{SettingKey, Settings};
use qoltanba_core::ErrorCode;

const SECRET: &str = "tok-Qoltanba-SECRET-7f3a9c51";

fn account() -> String {
    format!("t-{}", uuid::Uuid::new_v4().simple())
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn the_token_is_checked_kept_in_the_keychain_and_nowhere_else() {
    let server = Server::start(|s| s.token = SECRET.into()).await;
    let mut c = Client::new();
    let name = account();

    // A wrong token is refused and nothing is saved.
    let e = add_account(
        &mut c.store,
        &name,
        &server.url(),
        Token::new("wrong").unwrap(),
        http(),
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized);
    assert!(c.store.operator_account().unwrap().is_none());
    assert_eq!(
        Tokens::of(&c.store).unwrap().load(&name).unwrap_err().code,
        ErrorCode::Unauthorized
    );

    // The right one: /me fills the seller's organisation.
    c.store
        .set_setting(SettingKey::SellerBin, "999999999999")
        .unwrap();
    let me = add_account(
        &mut c.store,
        &name,
        &server.url(),
        Token::new(&format!("{SECRET}\n")).unwrap(),
        http(),
    )
    .await
    .unwrap();
    assert_eq!(me.organization.bin, SELLER_BIN);
    assert_eq!(c.store.seller_bin().unwrap().as_deref(), Some(SELLER_BIN));
    assert!(c
        .store
        .setting(SettingKey::SellerName)
        .unwrap()
        .unwrap()
        .contains("Продавец"));
    assert!(format!("{:?}", Tokens::of(&c.store).unwrap().load(&name).unwrap()) == "Token(…)");

    // Use it for everything a user does: sync, decide, sign, send, export.
    let (acc, op) = account_url(&c.store, http()).unwrap();
    assert!(!format!("{op:?} {acc:?}").contains(SECRET));
    qoltanba_core::operator::sync(&mut c.store, &op, &acc.name, &sync_options(), &mut |_| {})
        .await
        .unwrap();
    let id = c.id("doc_2610_points");
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let r = send_outbox(&mut c.store, &op, &|_| true, &send_policy())
        .await
        .unwrap();
    assert_eq!(r.delivered.len(), 1);
    let export = c.path().join("export");
    qoltanba_core::export::export_document(&c.store, id, &export).unwrap();
    let e = qoltanba_core::operator::sync(
        &mut c.store,
        &server.client_with("bad"),
        &acc.name,
        &sync_options(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(!e.message.contains(SECRET));
    let tokens = Tokens::of(&c.store).unwrap();
    drop(c.store);

    // Neither the database (with its WAL) nor the export holds the token.
    let files = files_under(c.dir.path());
    assert!(files.iter().any(|f| f.ends_with("qoltanba.db")));
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !contains(&bytes, SECRET.as_bytes()),
            "token found in {}",
            f.display()
        );
    }
    tokens.delete(&name).unwrap();
}

#[tokio::test]
async fn a_shared_link_opens_with_its_code_and_its_decision_can_be_sent() {
    let server = Server::demo().await;
    let mut c = Client::new();
    let link = qoltanba_operator::seed::demo::SHARED_LINK;
    let (base, token) = split_link(&format!("{}/shared/{link}", server.url()), None).unwrap();
    assert_eq!(token, link);

    let e = open_shared_link(&mut c.store, &base, link, "000000", http())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("Неверный код"), "{}", e.message);
    assert!(c
        .store
        .document_by_operator_id(qoltanba_operator::seed::demo::SHARED_DOCUMENT)
        .unwrap()
        .is_none());

    let (id, new) = open_shared_link(
        &mut c.store,
        &base,
        link,
        qoltanba_operator::seed::demo::SHARED_CODE,
        http(),
    )
    .await
    .unwrap();
    assert!(new);
    let doc = c.store.document(id).unwrap();
    assert_eq!(doc.origin, Origin::SharedLink);
    assert_eq!(doc.status, Status::Received);

    // Its decision goes with the link's own token (from the keychain), without an account.
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "employee_sign");
    let opid = doc.operator_id.clone().unwrap();
    let op = shared_operator(&c.store, &opid, http()).unwrap();
    let r = send_outbox(&mut c.store, &op, &|d| d.id == id, &send_policy())
        .await
        .unwrap();
    assert_eq!(r.delivered.len(), 1, "{r:?}");
    // The link's token did its one job: it is gone from the keychain.
    let e = Tokens::of(&c.store)
        .unwrap()
        .load(&format!("shared:{opid}"))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized, "{}", e.message);
}

#[tokio::test]
async fn a_replaced_account_leaves_no_token_in_the_keychain() {
    let server = Server::start(|s| s.token = SECRET.into()).await;
    let mut c = Client::new();
    let (first, second) = (account(), account());
    for name in [&first, &second] {
        add_account(
            &mut c.store,
            name,
            &server.url(),
            Token::new(SECRET).unwrap(),
            http(),
        )
        .await
        .unwrap();
    }
    assert_eq!(c.store.operator_account().unwrap().unwrap().0, second);
    assert!(Tokens::of(&c.store).unwrap().load(&second).is_ok());
    let e = Tokens::of(&c.store).unwrap().load(&first).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unauthorized, "{}", e.message);
    // The same account added again keeps its (new) token.
    add_account(
        &mut c.store,
        &second,
        &server.url(),
        Token::new(SECRET).unwrap(),
        http(),
    )
    .await
    .unwrap();
    assert!(Tokens::of(&c.store).unwrap().load(&second).is_ok());
    Tokens::of(&c.store).unwrap().delete(&second).unwrap();
}

#[tokio::test]
async fn a_locked_link_says_when_to_try_again() {
    let server = Server::demo().await;
    server
        .running
        .as_ref()
        .unwrap()
        .share("doc_2610_sales", "lnk_lock_test", "111111")
        .unwrap();
    let mut c = Client::new();
    let mut last = None;
    for _ in 0..qoltanba_operator::MAX_ATTEMPTS {
        last = Some(
            open_shared_link(
                &mut c.store,
                &server.url(),
                "lnk_lock_test",
                "999999",
                http(),
            )
            .await
            .unwrap_err(),
        );
    }
    let e = last.unwrap();
    assert!(e.message.contains("заблокировал"), "{}", e.message);
    assert!(
        e.message.contains("Повторите через 15 мин"),
        "{}",
        e.message
    );
    // Even the right code waits now.
    let e = open_shared_link(
        &mut c.store,
        &server.url(),
        "lnk_lock_test",
        "111111",
        http(),
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("Повторите через"), "{}", e.message);
    assert!(c
        .store
        .document_by_operator_id("doc_2610_sales")
        .unwrap()
        .is_none());
}
