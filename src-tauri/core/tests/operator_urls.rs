//! Operator addresses that carry a login or password (`https://:secret@host`) are refused
//! everywhere an address comes in: the account, an e-mailed link, the ORD client. The secret is
//! never repeated in the message and nothing is stored.

mod support;

use qoltanba_core::acts::HttpOrd;
use qoltanba_core::operator::{add_account, split_link, HttpSettings, Secret, Token};
use qoltanba_core::ErrorCode;

const PASSWORD: &str = "pw-Qoltanba-7f3a";

fn with_password() -> Vec<String> {
    vec![
        format!("https://:{PASSWORD}@edo.example.kz/api/v1"),
        format!("https://user:{PASSWORD}@edo.example.kz/api/v1"),
        format!("http://:{PASSWORD}@127.0.0.1:8080/api"),
    ]
}

#[tokio::test]
async fn an_account_address_with_a_password_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = support::open(dir.path());
    for url in with_password() {
        let e = add_account(
            &mut store,
            "main",
            &url,
            Token::new("tok-1").unwrap(),
            HttpSettings::default(),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{url}: {}", e.message);
        assert!(e.message.contains("пароль"), "{}", e.message);
        assert!(!e.message.contains(PASSWORD), "{}", e.message);
        assert!(store.operator_account().unwrap().is_none());
    }
}

#[test]
fn a_shared_link_or_an_ord_address_with_a_password_is_refused() {
    for url in with_password() {
        let e = split_link(&format!("{url}/shared/lnk_abc"), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{url}");
        assert!(!e.message.contains(PASSWORD), "{}", e.message);
        // A bare link token falls back to the account's address, checked the same way.
        let e = split_link("lnk_abc", Some(&url)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{url}");
        let e = HttpOrd::new(&url, Token::new("tok-1").unwrap()).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput, "{url}");
        assert!(!e.message.contains(PASSWORD), "{}", e.message);
    }
    // A text that is not an address at all is not echoed when it may hold a password.
    let e = split_link(&format!("https://:{PASSWORD}@/shared/x"), None).unwrap_err();
    assert!(!e.message.contains(PASSWORD), "{}", e.message);
    // Plain addresses still work.
    assert!(HttpOrd::new("https://edo.example.kz/api/v1", Token::new("t").unwrap()).is_ok());
    assert!(split_link("https://edo.example.kz/api/shared/lnk_abc", None).is_ok());
}

#[test]
fn typed_secrets_never_show_in_debug() {
    let code = Secret::new("482913");
    assert!(!format!("{code:?}").contains("482913"));
    assert_eq!(code.reveal(), "482913");
}
