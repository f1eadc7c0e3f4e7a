//! The names of the settings table's fixed keys, in one place. Keys made per account or per
//! document (`operator_url:NAME`, `shared_url:ID`, …) stay with the code that makes them
//! (store/operator_state.rs).

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// One setting. The user's keys can be set from the window and the CLI; the program's keys
/// (installation id, history head, …) only by the code that owns them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettingKey {
    // The user's.
    /// The seller's 12-digit number, a BIN or an entrepreneur's IIN (the name is older than
    /// sole proprietors; kept so existing stores read).
    SellerBin,
    SellerKind,
    SellerName,
    MaxFileSize,
    MaxAttachments,
    MaxDocumentSize,
    SignerUrl,
    SignerPin,
    SignerCaFile,
    SigningTimeoutSecs,
    SignChunkSize,
    SignFilter,
    Language,
    /// The language the preset rejection reasons are inserted in (ru unless set): the reason
    /// is signed and read by the marketplace, which reads Russian, whatever the interface speaks.
    ReasonLanguage,
    ReminderDays,
    CrlDownload,
    Profile,
    /// Whether a signed batch goes to the operator at once ("on" unless set to "off").
    SendAfterSigning,
    /// The desktop notifications' kinds turned off, a comma list (alerts/mod.rs).
    DesktopAlertsOff,
    // The program's.
    InstallationId,
    /// Where the history key lives when the OS keychain is not used (keychain.rs).
    HistoryKeyFile,
    /// The MAC of the last history entry (history.rs).
    HistoryHead,
    /// The current operator account's name.
    OperatorAccount,
    /// The Russian VAT rates by date, JSON (acts/vat.rs).
    RuVatRates,
    /// The newest document a desktop notification has looked at (alerts/mod.rs).
    AlertsSeenDocument,
    /// The window's last size and position, `x,y,width,height` (app/placement.rs).
    WindowPlacement,
    /// The ORD account's base URL (its token is in the OS keychain only): set by
    /// `acts account add`, never by a plain settings write.
    OrdUrl,
    /// Set when the installation id is made: this store's operator tokens are named after it
    /// in the keychain (operator/token.rs). A store made by an older version has none, and may
    /// still find its token under the older name, which had no installation in it.
    TokenScope,
}

/// Keys a user may set, in the order the CLI and the diagnostics report list them.
pub const USER_KEYS: &[SettingKey] = &[
    SettingKey::SellerBin,
    SettingKey::SellerKind,
    SettingKey::SellerName,
    SettingKey::MaxFileSize,
    SettingKey::MaxAttachments,
    SettingKey::MaxDocumentSize,
    SettingKey::SignerUrl,
    SettingKey::SignerPin,
    SettingKey::SignerCaFile,
    SettingKey::SigningTimeoutSecs,
    SettingKey::SignChunkSize,
    SettingKey::SignFilter,
    SettingKey::Language,
    SettingKey::ReasonLanguage,
    SettingKey::ReminderDays,
    SettingKey::CrlDownload,
    SettingKey::Profile,
    SettingKey::SendAfterSigning,
    SettingKey::DesktopAlertsOff,
];

impl SettingKey {
    /// The key as the settings table holds it (never change one: stores keep them).
    pub const fn as_str(self) -> &'static str {
        match self {
            SettingKey::SellerBin => "seller_bin",
            SettingKey::SellerKind => "seller_kind",
            SettingKey::SellerName => "seller_name",
            SettingKey::MaxFileSize => "max_file_size",
            SettingKey::MaxAttachments => "max_attachments",
            SettingKey::MaxDocumentSize => "max_document_size",
            SettingKey::SignerUrl => "signer_url",
            SettingKey::SignerPin => "signer_pin",
            SettingKey::SignerCaFile => "signer_ca_file",
            SettingKey::SigningTimeoutSecs => "signing_timeout_secs",
            SettingKey::SignChunkSize => "sign_chunk_size",
            SettingKey::SignFilter => "sign_filter",
            SettingKey::Language => "language",
            SettingKey::ReasonLanguage => "reason_language",
            SettingKey::ReminderDays => "reminder_days",
            SettingKey::CrlDownload => "crl_download",
            SettingKey::Profile => "profile",
            SettingKey::SendAfterSigning => "send_after_signing",
            SettingKey::InstallationId => "installation_id",
            SettingKey::HistoryKeyFile => "history_key_file",
            SettingKey::HistoryHead => "history_head",
            SettingKey::OperatorAccount => "operator_account",
            SettingKey::RuVatRates => "ru_vat_rates",
            SettingKey::DesktopAlertsOff => "desktop_alerts_off",
            SettingKey::AlertsSeenDocument => "alerts_seen_document",
            SettingKey::WindowPlacement => "window_placement",
            SettingKey::OrdUrl => "ord_url",
            SettingKey::TokenScope => "token_scope",
        }
    }

    /// Whether a user may set it (window, CLI); the others belong to the program.
    pub fn is_user(self) -> bool {
        USER_KEYS.contains(&self)
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key typed by a person or sent by the window: only the user's keys are known by name, so
/// nothing from outside can name (and so read or overwrite) the program's own.
impl FromStr for SettingKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<SettingKey> {
        USER_KEYS
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<_> = USER_KEYS.iter().map(|k| k.as_str()).collect();
                // Cut so that a hostile megabyte of key is not echoed back whole.
                let shown: String = s.chars().take(64).collect();
                Error::invalid(format!(
                    "Неизвестная настройка «{shown}». Доступны: {}",
                    known.join(", ")
                ))
            })
    }
}
