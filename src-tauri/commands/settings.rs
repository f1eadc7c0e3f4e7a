//! Settings a person fills in once: the seller's number (an organisation's BIN or an individual
//! entrepreneur's IIN), the signing service, language,
//! limits, the operator account. Never secrets: the operator token lives in the OS keychain.

use crate::error::{CmdResult, IpcError};
use crate::state::AppState;
use qoltanba_core::ncalayer::Pinning;
use qoltanba_core::operator::{self as op, Account, HttpSettings, Secret, Token};
use qoltanba_core::signature::SellerKind;
use qoltanba_core::store::Settings as _;
use qoltanba_core::{Error, ErrorCode, Store};
use serde::{Deserialize, Serialize};
use tauri::State;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub seller_bin: Option<String>,
    /// `bin` or `iin`: what `seller_bin` is.
    pub seller_kind: SellerKind,
    pub seller_name: Option<String>,
    pub signer_url: Option<String>,
    pub signer_pin: Option<String>,
    pub language: String,
    /// The language of the preset rejection reasons; "ru" unless set.
    pub reason_language: String,
    pub data_dir: String,
    pub max_file_size: u64,
    pub reminder_days: Option<u32>,
    pub account: Option<Account>,
}

/// What `settings_set` may change; absent fields stay as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsPatch {
    pub seller_bin: Option<String>,
    pub seller_kind: Option<String>,
    pub signer_url: Option<String>,
    pub signer_pin: Option<String>,
    pub language: Option<String>,
    pub reason_language: Option<String>,
    pub data_dir: Option<String>,
    pub max_file_size: Option<u64>,
    pub reminder_days: Option<u32>,
}

pub fn account(store: &Store) -> qoltanba_core::Result<Option<Account>> {
    match op::current_account(store) {
        Ok(a) => Ok(Some(a)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn read(state: &AppState, store: &Store) -> qoltanba_core::Result<Settings> {
    Ok(Settings {
        seller_bin: store.seller_bin()?,
        seller_kind: store.seller_kind()?,
        seller_name: store.setting("seller_name")?,
        signer_url: store.setting("signer_url")?,
        signer_pin: store.setting("signer_pin")?,
        language: store.setting("language")?.unwrap_or_else(|| "ru".into()),
        reason_language: store
            .setting("reason_language")?
            .unwrap_or_else(|| "ru".into()),
        data_dir: state.data_dir().display().to_string(),
        max_file_size: store.max_file_size()?,
        reminder_days: store.setting("reminder_days")?.and_then(|v| v.parse().ok()),
        account: account(store)?,
    })
}

#[tauri::command]
pub async fn settings_get(state: State<'_, AppState>) -> CmdResult<Settings> {
    let store = state.store.lock().await;
    Ok(read(&state, &store)?)
}

/// Checks every field first (BIN or IIN of 12 digits, `bin` or `iin` as its kind, a pin of 64 hex digits, a known language), then
/// writes them; returns the settings as stored.
#[tauri::command]
pub async fn settings_set(state: State<'_, AppState>, patch: SettingsPatch) -> CmdResult<Settings> {
    if patch.data_dir.is_some() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Папку данных пока можно сменить только при запуске: qoltanba --data-dir ПАПКА (или переменная QOLTANBA_DATA_DIR)",
        ));
    }
    let mut writes: Vec<(&str, String)> = Vec::new();
    if let Some(b) = patch.seller_bin {
        qoltanba_core::model::TaxNumber::parse(b.trim())?;
        writes.push(("seller_bin", b.trim().to_string()));
    }
    if let Some(k) = patch.seller_kind {
        let kind = SellerKind::parse(&k).ok_or_else(|| {
            Error::invalid("Продавец — организация (bin) или индивидуальный предприниматель (iin)")
        })?;
        writes.push(("seller_kind", kind.code().to_string()));
    }
    if let Some(u) = patch.signer_url {
        writes.push(("signer_url", u.trim().to_string()));
    }
    if let Some(p) = patch.signer_pin {
        Pinning::pin_from_hex(&p).map_err(Error::from)?;
        let pin: String = p.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        writes.push(("signer_pin", pin.to_lowercase()));
    }
    if let Some(l) = patch.language {
        if qoltanba_core::model::Lang::parse(&l).is_none() {
            return Err(Error::invalid("Язык: ru, kk или en").into());
        }
        writes.push(("language", l));
    }
    if let Some(l) = patch.reason_language {
        if qoltanba_core::model::Lang::parse(&l).is_none() {
            return Err(Error::invalid("Язык причин отклонения: ru, kk или en").into());
        }
        writes.push(("reason_language", l));
    }
    if let Some(m) = patch.max_file_size {
        writes.push(("max_file_size", m.to_string()));
    }
    if let Some(d) = patch.reminder_days {
        writes.push(("reminder_days", d.to_string()));
    }
    let mut store = state.store.lock().await;
    for (k, v) in &writes {
        store.set_setting(k, v)?;
    }
    Ok(read(&state, &store)?)
}

#[derive(Debug, Deserialize)]
pub struct AccountInput {
    pub name: String,
    pub url: String,
    /// Wrapped so that a log of the command's input never shows it.
    pub token: Secret,
}

/// Checks the token with the operator, keeps it in the OS keychain (never in the data folder,
/// never returned) and makes the account current. A refused token is not saved.
#[tauri::command]
pub async fn account_add(state: State<'_, AppState>, account: AccountInput) -> CmdResult<Account> {
    let token = Token::new(account.token.reveal())?;
    let name = if account.name.trim().is_empty() {
        op::DEFAULT_ACCOUNT.to_string()
    } else {
        account.name
    };
    let mut store = state.store.lock().await;
    op::add_account(
        &mut store,
        &name,
        &account.url,
        token,
        HttpSettings::default(),
    )
    .await?;
    state.forget_operator();
    Ok(op::current_account(&store)?)
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
        use qoltanba_core::operator::load_token;
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
        match load_token(&name).map(|_| "a token") {
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
