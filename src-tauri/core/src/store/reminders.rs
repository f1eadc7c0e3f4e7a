//! Reminders computed from the store, not stored: documents that have waited for the user's
//! signature longer than the `reminder_days` setting (the bell's Reminders tab).

use super::{SettingKey, Settings, Store};
use crate::error::Result;
use crate::model::Document;
use serde::Serialize;
use ts_rs::TS;

/// Days a document may wait before a reminder when `reminder_days` is not set.
pub const DEFAULT_REMINDER_DAYS: u32 = 3;
/// The most listed at once: the oldest come first, the rest wait for those to be dealt with.
const LIMIT: usize = 200;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WaitingDocument {
    pub document: Document,
    /// Whole days since it arrived.
    pub days: i64,
}

impl Store {
    /// Documents not yet signed (received, viewed, or decided but unsigned) that arrived more
    /// than `days` days ago, oldest first. `days` = None takes the setting (default 3).
    pub fn waiting_too_long(&self, days: Option<u32>) -> Result<Vec<WaitingDocument>> {
        let days = match days {
            Some(d) => d,
            None => self
                .setting(SettingKey::ReminderDays)?
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_REMINDER_DAYS),
        };
        let now_ms = self.clock.now().unix_millis();
        let day_ms: i64 = 86_400_000;
        let before = now_ms - i64::from(days) * day_ms;
        let mut st = self.conn.prepare_cached(
            "SELECT id, received_ms FROM documents
             WHERE status IN ('received', 'viewed', 'accepted', 'rejected') AND received_ms < ?1
             ORDER BY received_ms, id LIMIT ?2",
        )?;
        let rows: Vec<(i64, i64)> = st
            .query_map(rusqlite::params![before, LIMIT as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, received)| {
                Ok(WaitingDocument {
                    document: self.document(id)?,
                    days: (now_ms - received) / day_ms,
                })
            })
            .collect()
    }
}
