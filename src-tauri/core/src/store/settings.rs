//! Key-value settings kept in the store (never secrets: those live in the OS keychain).

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
    if let Some(id) = get(conn, "installation_id")? {
        return Ok(id);
    }
    let id = uuid::Uuid::new_v4().to_string();
    set(conn, "installation_id", &id)?;
    Ok(id)
}

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
    fn setting(&self, key: &str) -> Result<Option<String>>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
    /// Largest file accepted by import, in bytes (default 100 MiB).
    fn max_file_size(&self) -> Result<u64> {
        Ok(self
            .setting("max_file_size")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(100 * 1024 * 1024))
    }
    /// What one document from the operator may bring: files, bytes per file, bytes in all
    /// (settings `max_attachments`, default 32, and `max_document_size`, default 4 × the file size).
    fn attachment_limits(&self) -> Result<AttachmentLimits> {
        let file = self.max_file_size()?;
        let num = |key: &str| -> Result<Option<u64>> {
            Ok(self.setting(key)?.and_then(|v| v.parse().ok()))
        };
        Ok(AttachmentLimits {
            file,
            count: num("max_attachments")?.unwrap_or(32) as usize,
            total: num("max_document_size")?.unwrap_or(file.saturating_mul(4)),
        })
    }
    /// Whether CRLs may be downloaded from the certificates' distribution points (setting
    /// `crl_download`, on by default; off: only lists already cached are used).
    fn crl_download(&self) -> Result<bool> {
        Ok(self.setting("crl_download")?.as_deref() != Some("off"))
    }
    /// Whether this is a test or demo profile (setting `profile` = `test` or `demo`; `work`, the
    /// default, otherwise): only such a profile may sign with NCA's test certificates.
    fn test_profile(&self) -> Result<bool> {
        Ok(matches!(
            self.setting("profile")?.as_deref(),
            Some("test" | "demo")
        ))
    }
    /// The seller's 12-digit number, a BIN or an entrepreneur's IIN (the key keeps its old name
    /// so stores made before sole proprietors still read).
    fn seller_bin(&self) -> Result<Option<String>> {
        self.setting("seller_bin")
    }
    /// What `seller_bin` is (setting `seller_kind`, `bin` unless set to `iin`).
    fn seller_kind(&self) -> Result<SellerKind> {
        Ok(self
            .setting("seller_kind")?
            .and_then(|k| SellerKind::parse(&k))
            .unwrap_or(SellerKind::Bin))
    }
    /// Whose signatures count as the seller's, if the number is set.
    fn seller(&self) -> Result<Option<Seller>> {
        let kind = self.seller_kind()?;
        Ok(self.seller_bin()?.map(|n| Seller::new(&n, kind)))
    }
}

/// Keys a user may set; the others (installation id, history head) belong to the program.
pub const USER_KEYS: &[&str] = &[
    "seller_bin",
    "seller_kind",
    "seller_name",
    "max_file_size",
    "max_attachments",
    "max_document_size",
    "signer_url",
    "signer_pin",
    "signer_ca_file",
    "signing_timeout_secs",
    "sign_chunk_size",
    "sign_filter",
    "language",
    // The language the preset rejection reasons are inserted in (ru unless set): the reason is
    // signed and read by the marketplace, which reads Russian, whatever the interface speaks.
    "reason_language",
    "reminder_days",
    "crl_download",
    "profile",
];

impl Settings for Store {
    fn setting(&self, key: &str) -> Result<Option<String>> {
        get(&self.conn, key)
    }
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        if !USER_KEYS.contains(&key) {
            return Err(crate::Error::invalid(format!(
                "Неизвестная настройка «{key}». Доступны: {}",
                USER_KEYS.join(", ")
            )));
        }
        if key == "seller_bin" {
            TaxNumber::parse(value)?;
        }
        if key == "seller_kind" && SellerKind::parse(value).is_none() {
            return Err(crate::Error::invalid(
                "seller_kind принимает bin (организация, БИН) или iin (индивидуальный предприниматель, ИИН)",
            ));
        }
        if matches!(
            key,
            "max_file_size" | "max_attachments" | "max_document_size"
        ) && value.parse::<u64>().map_or(true, |v| v == 0)
        {
            return Err(crate::Error::invalid(
                "Значение должно быть целым положительным числом (байт или файлов)",
            ));
        }
        if key == "reason_language" && crate::model::Lang::parse(value).is_none() {
            return Err(crate::Error::invalid(
                "Язык причин отклонения: ru, kk или en",
            ));
        }
        if key == "crl_download" && !matches!(value, "on" | "off") {
            return Err(crate::Error::invalid(
                "crl_download принимает on (загружать списки отзыва) или off (только сохранённые)",
            ));
        }
        if key == "profile" && !matches!(value, "work" | "test" | "demo") {
            return Err(crate::Error::invalid(
                "profile принимает work (рабочий), test (тестовые ключи НУЦ) или demo",
            ));
        }
        let (k, v) = (key.to_string(), value.to_string());
        self.write(|tx, _| set(tx, &k, &v))
    }
}
