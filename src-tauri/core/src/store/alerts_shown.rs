//! Which desktop notifications were shown (alerts/mod.rs), so each is shown once.

use super::{settings, SettingKey, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    pub(crate) fn alert_shown(&self, key: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM alerts_shown WHERE key = ?1", [key], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }

    /// Records the notifications shown (or passed over) and the newest document looked at, in
    /// one transaction.
    pub(crate) fn record_alerts(
        &mut self,
        keys: &[String],
        seen_document: Option<i64>,
    ) -> Result<()> {
        let keys = keys.to_vec();
        self.write(|tx, ctx| {
            let mut st = tx.prepare_cached(
                "INSERT OR IGNORE INTO alerts_shown (key, shown_at) VALUES (?1, ?2)",
            )?;
            for k in &keys {
                st.execute(params![k, ctx.at])?;
            }
            if let Some(id) = seen_document {
                settings::set(tx, SettingKey::AlertsSeenDocument.as_str(), &id.to_string())?;
            }
            Ok(())
        })
    }
}
