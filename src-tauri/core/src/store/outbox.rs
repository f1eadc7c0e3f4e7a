//! The outbox: decisions waiting to reach the operator. Each item carries the idempotency key it
//! will be sent with, fixed when the decision is made, so a resend after a crash is harmless.

use super::Store;
use crate::error::Result;
use crate::model::DocumentId;
use rusqlite::params;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    Signature,
    Rejection,
}

impl OutboxKind {
    pub fn code(self) -> &'static str {
        match self {
            OutboxKind::Signature => "signature",
            OutboxKind::Rejection => "rejection",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub id: i64,
    pub document_id: DocumentId,
    pub kind: String,
    pub idempotency_key: String,
    pub payload: serde_json::Value,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub receipt_id: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
}

pub(crate) fn enqueue(
    tx: &rusqlite::Transaction<'_>,
    document_id: DocumentId,
    kind: OutboxKind,
    payload: &serde_json::Value,
    at: &str,
) -> Result<String> {
    let key = uuid::Uuid::new_v4().to_string();
    tx.execute(
        "INSERT INTO outbox (document_id, kind, idempotency_key, payload, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![document_id, kind.code(), key, payload.to_string(), at],
    )?;
    Ok(key)
}

impl Store {
    /// Items not yet done (pending, sending or failed), oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        let mut st = self.conn.prepare(
            "SELECT id, document_id, kind, idempotency_key, payload, state, attempts, next_attempt_at,
                    receipt_id, last_error, created_at
             FROM outbox WHERE state <> 'done' ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            let payload: String = r.get(4)?;
            Ok(OutboxItem {
                id: r.get(0)?,
                document_id: r.get(1)?,
                kind: r.get(2)?,
                idempotency_key: r.get(3)?,
                payload: serde_json::from_str(&payload).unwrap_or_default(),
                state: r.get(5)?,
                attempts: r.get(6)?,
                next_attempt_at: r.get(7)?,
                receipt_id: r.get(8)?,
                last_error: r.get(9)?,
                created_at: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
