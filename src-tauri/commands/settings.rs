//! Settings a person fills in once (the core's `app::settings`) and the operator account. Never
//! secrets: the operator token lives in the OS keychain.

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::app::settings::{AccountInput, SettingsPatch, SettingsView};
use qoltanba_core::operator::{Account, Token};

#[tauri::command]
pub async fn settings_get(app: Opened) -> CmdResult<SettingsView> {
    Ok(app.settings()?)
}

/// Checks every field first, then writes them; returns the settings as stored.
#[tauri::command]
pub async fn settings_set(
    app: Opened,
    patch: serde_json::Map<String, serde_json::Value>,
) -> CmdResult<SettingsView> {
    Ok(app.set_settings(SettingsPatch::from_ui(patch)?)?)
}

/// Checks the token with the operator, keeps it in the OS keychain (never in the data folder,
/// never returned) and makes the account current. A refused token is not saved.
#[tauri::command]
pub async fn account_add(app: Opened, account: AccountInput) -> CmdResult<Account> {
    let token = Token::new(account.token.reveal())?;
    Ok(app.add_account(&account.name, &account.url, token).await?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, OperatorKit};
    use serde_json::json;

    #[test]
    fn settings_are_read_checked_and_written() {
        let kit = Kit::new();
        let s = kit.ok("settings_get", json!({}));
        assert_eq!(s["sellerBin"], json!(null));
        assert_eq!(s["language"], "ru");
        assert_eq!(
            s["reasonLanguage"], "ru",
            "rejection reasons are Russian unless set: the marketplace reads Russian"
        );
        assert_eq!(s["account"], json!(null));
        assert!(s["maxFileSize"].as_u64().unwrap() > 0);
        assert!(s["dataDir"].as_str().unwrap().ends_with("data"));
        let s = kit.ok(
            "settings_set",
            json!({ "patch": { "sellerBin": "123456789021", "language": "kk", "reminderDays": 3 } }),
        );
        assert_eq!(s["sellerBin"], "123456789021");
        assert_eq!(s["language"], "kk");
        assert_eq!(s["reminderDays"], 3);
        let e = kit.err("settings_set", json!({ "patch": { "sellerBin": "12" } }));
        assert_eq!(e["code"], "invalid_input");
        let e = kit.err("settings_set", json!({ "patch": { "signerPin": "abc" } }));
        assert_eq!(e["retryable"], false, "{e}");
        let e = kit.err("settings_set", json!({ "patch": { "language": "de" } }));
        assert_eq!(e["code"], "invalid_input");
        let s = kit.ok(
            "settings_set",
            json!({ "patch": { "reasonLanguage": "kk" } }),
        );
        assert_eq!(s["reasonLanguage"], "kk");
        assert_eq!(
            s["language"], "kk",
            "the interface language is a separate setting"
        );
        let e = kit.err(
            "settings_set",
            json!({ "patch": { "reasonLanguage": "de" } }),
        );
        assert_eq!(e["code"], "invalid_input");
        assert_eq!(
            kit.ok("settings_get", json!({}))["reasonLanguage"],
            "kk",
            "nothing changed"
        );
        let pin = "AB".repeat(32);
        let s = kit.ok("settings_set", json!({ "patch": { "signerPin": pin } }));
        assert_eq!(s["signerPin"], "ab".repeat(32));
        assert_eq!(
            kit.ok("settings_get", json!({}))["sellerBin"],
            "123456789021"
        );
    }

    #[test]
    fn an_entrepreneurs_iin_is_the_seller_number_with_its_kind() {
        let kit = Kit::new();
        assert_eq!(kit.ok("settings_get", json!({}))["sellerKind"], "bin");
        let s = kit.ok(
            "settings_set",
            json!({ "patch": { "sellerBin": "950620450121", "sellerKind": "iin" } }),
        );
        assert_eq!(
            (&s["sellerBin"], &s["sellerKind"]),
            (&json!("950620450121"), &json!("iin"))
        );
        // A kind that is neither: refused with a message and a code, and nothing of the patch
        // is written, not even its valid number.
        let e = kit.err(
            "settings_set",
            json!({ "patch": { "sellerBin": "123456789021", "sellerKind": "ip" } }),
        );
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("индивидуальный предприниматель"),
            "{e}"
        );
        let e = kit.err(
            "settings_set",
            json!({ "patch": { "sellerBin": "9506204501" } }),
        );
        assert!(
            e["message"].as_str().unwrap().contains("БИН или ИИН"),
            "{e}"
        );
        let s = kit.ok("settings_get", json!({}));
        assert_eq!(
            (&s["sellerBin"], &s["sellerKind"]),
            (&json!("950620450121"), &json!("iin"))
        );
    }

    #[test]
    fn a_token_the_operator_refuses_is_not_kept() {
        use qoltanba_core::operator::Tokens;
        use qoltanba_core::ErrorCode;
        let operator = OperatorKit::start();
        let kit = Kit::new();
        // Its own name: the keychain is shared by every test running at the same time.
        let name = format!(
            "refused-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let e = kit.err(
            "account_add",
            json!({ "account": { "name": name, "url": operator.url(), "token": "not-the-token" } }),
        );
        assert_eq!(e["code"], "unauthorized", "{e}");
        assert_eq!(kit.ok("settings_get", json!({}))["account"], json!(null));
        // Nor in the keychain, where an accepted token would go.
        let tokens = kit.state().app().read(Tokens::of).unwrap();
        match tokens.load(&name).map(|_| "a token") {
            Err(e) if e.code == ErrorCode::Unauthorized => {} // the keychain has no such entry
            Err(e)
                if e.code == ErrorCode::Keychain
                    && std::env::var("QOLTANBA_EXPECT_OS_KEYCHAIN").as_deref() != Ok("1") => {}
            other => panic!("the refused token is in the keychain: {other:?}"),
        }
    }

    /// A log line or panic message with the command's input must not carry the token.
    #[test]
    fn the_account_input_never_shows_its_token_in_debug() {
        let input: super::AccountInput = serde_json::from_value(
            json!({ "name": "main", "url": "https://edo.example.kz/api", "token": "tok-SECRET-51" }),
        )
        .unwrap();
        let shown = format!("{input:?} {input:#?}");
        assert!(!shown.contains("tok-SECRET-51"), "{shown}");
        assert!(shown.contains("edo.example.kz"), "{shown}");
    }
}
