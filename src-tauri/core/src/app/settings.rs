//! Settings a person fills in once: the seller's number (an organisation's BIN or an individual
//! entrepreneur's IIN), the signing service, language, limits, the operator account. Never
//! secrets: the operator token lives in the OS keychain.

use super::sync::account;
use super::App;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{AlertKind, Lang};
use crate::ncalayer::Pinning;
use crate::operator::{self as op, Account, HttpSettings, Secret, Token};
use crate::signature::SellerKind;
use crate::store::{SettingKey, Settings as _, Store};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "Settings")]
pub struct SettingsView {
    pub seller_bin: Option<String>,
    /// `bin` or `iin`: what `seller_bin` is.
    pub seller_kind: SellerKind,
    pub seller_name: Option<String>,
    pub signer_url: Option<String>,
    pub signer_pin: Option<String>,
    #[ts(as = "Lang")]
    pub language: String,
    /// The language of the preset rejection reasons; "ru" unless set.
    #[ts(as = "Lang")]
    pub reason_language: String,
    pub data_dir: String,
    pub max_file_size: u64,
    pub reminder_days: Option<u32>,
    /// Whether a signed batch goes to the operator at once (on unless turned off).
    pub send_after_signing: bool,
    /// The desktop notifications' kinds turned off (none unless set).
    pub desktop_alerts_off: Vec<AlertKind>,
    pub account: Option<Account>,
}

/// What `settings_set` may change; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SettingsPatch {
    pub seller_bin: Option<String>,
    #[ts(as = "Option<SellerKind>")]
    pub seller_kind: Option<String>,
    pub signer_url: Option<String>,
    pub signer_pin: Option<String>,
    #[ts(as = "Option<Lang>")]
    pub language: Option<String>,
    #[ts(as = "Option<Lang>")]
    pub reason_language: Option<String>,
    pub data_dir: Option<String>,
    pub max_file_size: Option<u64>,
    pub reminder_days: Option<u32>,
    pub send_after_signing: Option<bool>,
    pub desktop_alerts_off: Option<Vec<AlertKind>>,
}

impl SettingsPatch {
    /// The window's patch. Each key is named through `SettingKey` (the stored key in camelCase),
    /// so an unknown key, or one of the program's, is refused with the list of known ones before
    /// anything is written; then the values are read into their types.
    pub fn from_ui(raw: serde_json::Map<String, serde_json::Value>) -> Result<Self> {
        for key in raw.keys().filter(|k| *k != "dataDir") {
            snake_case(key).parse::<SettingKey>()?;
        }
        serde_json::from_value(serde_json::Value::Object(raw))
            .map_err(|e| Error::invalid(format!("Настройки не изменены: {e}")))
    }
}

/// `sellerBin` → `seller_bin`.
fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The settings as the window shows them.
pub fn read(store: &Store, data_dir: &Path) -> Result<SettingsView> {
    Ok(SettingsView {
        seller_bin: store.seller_bin()?,
        seller_kind: store.seller_kind()?,
        seller_name: store.setting(SettingKey::SellerName)?,
        signer_url: store.setting(SettingKey::SignerUrl)?,
        signer_pin: store.setting(SettingKey::SignerPin)?,
        language: store
            .setting(SettingKey::Language)?
            .unwrap_or_else(|| "ru".into()),
        reason_language: store
            .setting(SettingKey::ReasonLanguage)?
            .unwrap_or_else(|| "ru".into()),
        data_dir: data_dir.display().to_string(),
        max_file_size: store.max_file_size()?,
        reminder_days: store
            .setting(SettingKey::ReminderDays)?
            .and_then(|v| v.parse().ok()),
        send_after_signing: store.send_after_signing()?,
        desktop_alerts_off: crate::alerts::kinds_off(store)?,
        account: account(store)?,
    })
}

/// Checks every field first (BIN or IIN of 12 digits, `bin` or `iin` as its kind, a pin of 64
/// hex digits, a known language), then writes them all; nothing is written if one is wrong.
pub fn apply(store: &mut Store, patch: SettingsPatch) -> Result<()> {
    if patch.data_dir.is_some() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            "Папку данных пока можно сменить только при запуске: qoltanba --data-dir ПАПКА (или переменная QOLTANBA_DATA_DIR)",
        ));
    }
    let mut writes: Vec<(SettingKey, String)> = Vec::new();
    if let Some(b) = patch.seller_bin {
        crate::model::TaxNumber::parse(b.trim())?;
        writes.push((SettingKey::SellerBin, b.trim().to_string()));
    }
    if let Some(k) = patch.seller_kind {
        let kind = SellerKind::parse(&k).ok_or_else(|| {
            Error::invalid("Продавец — организация (bin) или индивидуальный предприниматель (iin)")
        })?;
        writes.push((SettingKey::SellerKind, kind.code().to_string()));
    }
    if let Some(u) = patch.signer_url {
        writes.push((SettingKey::SignerUrl, u.trim().to_string()));
    }
    if let Some(p) = patch.signer_pin {
        Pinning::pin_from_hex(&p).map_err(Error::from)?;
        let pin: String = p.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        writes.push((SettingKey::SignerPin, pin.to_lowercase()));
    }
    if let Some(l) = patch.language {
        if crate::model::Lang::parse(&l).is_none() {
            return Err(Error::invalid("Язык: ru, kk или en"));
        }
        writes.push((SettingKey::Language, l));
    }
    if let Some(l) = patch.reason_language {
        if crate::model::Lang::parse(&l).is_none() {
            return Err(Error::invalid("Язык причин отклонения: ru, kk или en"));
        }
        writes.push((SettingKey::ReasonLanguage, l));
    }
    if let Some(m) = patch.max_file_size {
        writes.push((SettingKey::MaxFileSize, m.to_string()));
    }
    if let Some(d) = patch.reminder_days {
        writes.push((SettingKey::ReminderDays, d.to_string()));
    }
    if let Some(on) = patch.send_after_signing {
        writes.push((
            SettingKey::SendAfterSigning,
            if on { "on" } else { "off" }.into(),
        ));
    }
    if let Some(off) = patch.desktop_alerts_off {
        let codes: Vec<&str> = off.iter().map(|k| k.code()).collect();
        writes.push((SettingKey::DesktopAlertsOff, codes.join(",")));
    }
    for (k, v) in &writes {
        store.set_setting(*k, v)?;
    }
    Ok(())
}

#[derive(Debug, Deserialize, TS)]
pub struct AccountInput {
    pub name: String,
    pub url: String,
    /// Wrapped so that a log of the command's input never shows it.
    #[ts(type = "string")]
    pub token: Secret,
}

impl App {
    pub fn settings(&self) -> Result<SettingsView> {
        self.read(|s| read(s, self.data_dir()))
    }

    pub fn set_settings(&self, patch: SettingsPatch) -> Result<SettingsView> {
        self.write(|s| apply(s, patch))?;
        self.settings()
    }

    /// Checks the token with the operator, keeps it in the OS keychain (never in the data
    /// folder, never returned) and makes the account current. A refused token is not saved.
    pub async fn add_account(&self, name: &str, url: &str, token: Token) -> Result<Account> {
        let name = match name.trim() {
            "" => op::DEFAULT_ACCOUNT,
            n => n,
        };
        let mut store = self.store();
        op::add_account(&mut store, name, url, token, HttpSettings::default()).await?;
        self.clients.forget_account();
        self.read(op::current_account)
    }
}
