//! File contents, stored once by SHA-256.

use super::Store;
use crate::error::{Error, Result};
pub use crate::model::sha256_hex;
use rusqlite::{params, Connection, OptionalExtension};

/// Stores the bytes unless the same bytes are already there; returns their hash.
pub(crate) fn put(conn: &Connection, bytes: &[u8]) -> Result<String> {
    let h = sha256_hex(bytes);
    conn.prepare_cached("INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3) ON CONFLICT(sha256) DO NOTHING")?.execute(
        params![h, bytes.len() as i64, bytes],
    )?;
    Ok(h)
}

impl Store {
    /// The bytes with this hash, checked against it on the way out: what is shown or signed is
    /// exactly what was stored.
    pub fn blob(&self, sha256: &str) -> Result<Vec<u8>> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [sha256], |r| {
                r.get(0)
            })
            .optional()?;
        let bytes = bytes.ok_or_else(|| Error::not_found(format!("Файл {sha256} не найден")))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(Error::storage(format!(
                "Содержимое файла {sha256} не совпадает с его хешем: база повреждена"
            )));
        }
        Ok(bytes)
    }
}
