//! Notifications shown under the bell: errors and reminders.

use super::Store;
use crate::error::Result;
use crate::model::DocumentId;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: i64,
    /// `error` or `reminder`.
    #[ts(type = "'error' | 'reminder'")]
    pub category: String,
    pub document_id: Option<DocumentId>,
    pub message: String,
    pub created_at: String,
    pub read_at: Option<String>,
    /// For the register's rejection of an act: the act, its number and date, and the errors by
    /// field (the window words it in the user's language and opens the act on a field).
    pub act: Option<ActNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActNotice {
    pub id: i64,
    pub number: String,
    pub date: String,
    pub errors: Vec<FieldNotice>,
}

/// One field the register named and what it said (the store keeps its own copy of the shape,
/// so that it does not depend on the acts module above it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct FieldNotice {
    pub field: String,
    pub message: String,
}

/// Adds a notification inside the caller's transaction (a change and what it tells the user are
/// committed together). Returns its id.
pub(crate) fn insert(
    tx: &rusqlite::Connection,
    category: &str,
    document_id: Option<DocumentId>,
    message: &str,
    at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO notifications (category, document_id, message, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![category, document_id, message, at])?;
    Ok(tx.last_insert_rowid())
}

impl Store {
    pub fn notify(
        &mut self,
        category: &str,
        document_id: Option<DocumentId>,
        message: &str,
    ) -> Result<i64> {
        let (c, m) = (category.to_string(), message.to_string());
        self.write(|tx, ctx| insert(tx, &c, document_id, &m, &ctx.at))
    }

    /// The register rejected an act: an error notification naming the act and its fields.
    pub fn notify_act_rejected(&mut self, notice: &ActNotice, message: &str) -> Result<i64> {
        let json = serde_json::to_string(notice).expect("a notice serialises");
        let (m, id) = (message.to_string(), notice.id);
        self.write(|tx, ctx| {
            let n = insert(tx, "error", None, &m, &ctx.at)?;
            tx.execute(
                "UPDATE notifications SET act_id = ?1, act_errors = ?2 WHERE id = ?3",
                params![id, json, n],
            )?;
            Ok(n)
        })
    }

    pub fn notifications(&self, unread_only: bool) -> Result<Vec<Notification>> {
        let mut st = self.conn.prepare(
            "SELECT id, category, document_id, message, created_at, read_at, act_errors
             FROM notifications WHERE (?1 = 0 OR read_at IS NULL) ORDER BY id DESC",
        )?;
        let rows = st.query_map([unread_only as i64], |r| {
            Ok(Notification {
                id: r.get(0)?,
                category: r.get(1)?,
                document_id: r.get(2)?,
                message: r.get(3)?,
                created_at: r.get(4)?,
                read_at: r.get(5)?,
                act: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|j| serde_json::from_str(&j).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks notifications read; they stay listed, only the unread count drops. Returns how
    /// many were unread.
    pub fn mark_notifications_read(&mut self, ids: &[i64]) -> Result<usize> {
        let ids = ids.to_vec();
        self.write(|tx, ctx| {
            let mut st = tx.prepare_cached(
                "UPDATE notifications SET read_at = ?2 WHERE id = ?1 AND read_at IS NULL",
            )?;
            let mut n = 0;
            for id in ids {
                n += st.execute(params![id, ctx.at])?;
            }
            Ok(n)
        })
    }
}
