//! Key-value settings kept in the store (never secrets: those live in the OS keychain).

use super::setting_key::{SettingKey, USER_KEYS};
use super::Store;
use crate::error::Result;
use crate::model::TaxNumber;
use crate::signature::{Seller, SellerKind};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// The id that names this installation's history key in the keychain.
pub(crate) fn installation_id(conn: &Connection) -> Result<String> {
    let key = SettingKey::InstallationId.as_str();
    if let Some(id) = get(conn, key)? {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    set(conn, key, &id)?;
    // A store made now names its tokens after this id from the start (no older names to find).
    set(
        conn,
        SettingKey::TokenScope.as_str(),
        TOKEN_SCOPE_INSTALLATION,
    )?;
    Ok(id)
}

/// The value of `token_scope` in a store whose tokens are named after its installation id.
pub(crate) const TOKEN_SCOPE_INSTALLATION: &str = "installation";

/// Budgets for one document received from an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Bytes of one file.
    pub file: u64,
    /// Files of one document.
    pub count: usize,
    /// Bytes of all its files together.
    pub total: u64,
}

/// Typed access to the settings a user can change.
pub trait Settings {
    fn setting(&self, key: SettingKey) -> Result<Option<String>>;
    /// Sets one of the user's keys (USER_KEYS) after checking the value; the program's keys
    /// are refused.
    fn set_setting(&mut self, key: SettingKey, value: &str) -> Result<()>;
    /// Largest file accepted by import, in bytes (default 100 MiB).
    fn max_file_size(&self) -> Result<u64> {
        Ok(self
            .setting(SettingKey::MaxFileSize)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(100 * 1024 * 1024))
    }
    /// What one document from the operator may bring: files, bytes per file, bytes in all
    /// (settings `max_attachments`, default 32, and `max_document_size`, default 4 × the file size).
    fn attachment_limits(&self) -> Result<AttachmentLimits> {
        let file = self.max_file_size()?;
        let num = |key: SettingKey| -> Result<Option<u64>> {
            Ok(self.setting(key)?.and_then(|v| v.parse().ok()))
        };
        Ok(AttachmentLimits {
            file,
            count: num(SettingKey::MaxAttachments)?.unwrap_or(32) as usize,
            total: num(SettingKey::MaxDocumentSize)?.unwrap_or(file.saturating_mul(4)),
        })
    }
    /// Whether CRLs may be downloaded from the certificates' distribution points (setting
    /// `crl_download`, on by default; off: only lists already cached are used).
    fn crl_download(&self) -> Result<bool> {
        Ok(self.setting(SettingKey::CrlDownload)?.as_deref() != Some("off"))
    }
    /// Whether a signed batch is sent at once (setting `send_after_signing`; on unless "off").
    fn send_after_signing(&self) -> Result<bool> {
        Ok(self.setting(SettingKey::SendAfterSigning)?.as_deref() != Some("off"))
    }
    /// Whether this is a test or demo profile (setting `profile` = `test` or `demo`; `work`, the
    /// default, otherwise): only such a profile may sign with NCA's test certificates.
    fn test_profile(&self) -> Result<bool> {
        Ok(matches!(
            self.setting(SettingKey::Profile)?.as_deref(),
            Some("test" | "demo")
        ))
    }
    /// The seller's 12-digit number, a BIN or an entrepreneur's IIN (the key keeps its old name
    /// so stores made before sole proprietors still read).
    fn seller_bin(&self) -> Result<Option<String>> {
        self.setting(SettingKey::SellerBin)
    }
    /// What `seller_bin` is (setting `seller_kind`, `bin` unless set to `iin`).
    fn seller_kind(&self) -> Result<SellerKind> {
        Ok(self
            .setting(SettingKey::SellerKind)?
            .and_then(|k| SellerKind::parse(&k))
            .unwrap_or(SellerKind::Bin))
    }
    /// Whose signatures count as the seller's, if the number is set.
    fn seller(&self) -> Result<Option<Seller>> {
        let kind = self.seller_kind()?;
        Ok(self.seller_bin()?.map(|n| Seller::new(&n, kind)))
    }
}

impl Settings for Store {
    fn setting(&self, key: SettingKey) -> Result<Option<String>> {
        get(&self.conn, key.as_str())
    }
    fn set_setting(&mut self, key: SettingKey, value: &str) -> Result<()> {
        use SettingKey as K;
        if !key.is_user() {
            let known: Vec<_> = USER_KEYS.iter().map(|k| k.as_str()).collect();
            return Err(crate::Error::invalid(format!(
                "Настройку «{key}» задаёт сама программа. Доступны: {}",
                known.join(", ")
            )));
        }
        if key == K::SellerBin {
            TaxNumber::parse(value)?;
        }
        if key == K::SellerKind && SellerKind::parse(value).is_none() {
            return Err(crate::Error::invalid(
                "seller_kind принимает bin (организация, БИН) или iin (индивидуальный предприниматель, ИИН)",
            ));
        }
        if matches!(key, K::MaxFileSize | K::MaxAttachments | K::MaxDocumentSize)
            && value.parse::<u64>().map_or(true, |v| v == 0)
        {
            return Err(crate::Error::invalid(
                "Значение должно быть целым положительным числом (байт или файлов)",
            ));
        }
        if key == K::ReasonLanguage && crate::model::Lang::parse(value).is_none() {
            return Err(crate::Error::invalid(
                "Язык причин отклонения: ru, kk или en",
            ));
        }
        if key == K::CrlDownload && !matches!(value, "on" | "off") {
            return Err(crate::Error::invalid(
                "crl_download принимает on (загружать списки отзыва) или off (только сохранённые)",
            ));
        }
        if key == K::SendAfterSigning && !matches!(value, "on" | "off") {
            return Err(crate::Error::invalid(
                "send_after_signing принимает on (отправлять сразу после подписи) или off (только по кнопке «Отправить»)",
            ));
        }
        if key == K::DesktopAlertsOff {
            crate::model::check_kinds_off(value)?;
        }
        if key == K::Profile && !matches!(value, "work" | "test" | "demo") {
            return Err(crate::Error::invalid(
                "profile принимает work (рабочий), test (тестовые ключи НУЦ) или demo",
            ));
        }
        let v = value.to_string();
        self.write(|tx, _| set(tx, key.as_str(), &v))
    }
}
