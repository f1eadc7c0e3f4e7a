//! The outbox: decisions waiting to reach the operator. Each item carries the idempotency key it
//! will be sent with, fixed when the decision is made, so a resend after a crash is harmless.

use super::transition::{subject, transition, Move};
use super::{notifications, Store};
use crate::error::Result;
use crate::model::{DocumentId, Timestamp};
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
    pub next_attempt_at: Option<Timestamp>,
    pub receipt_id: Option<String>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    /// When the item last changed (by the clock of that moment): a deferral's start.
    pub updated_at: Timestamp,
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
        self.outbox_items("WHERE state <> 'done'")
    }

    /// Outbox items matching a fixed `WHERE` clause (ours, never user input), oldest first.
    fn outbox_items(&self, filter: &str) -> Result<Vec<OutboxItem>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT id, document_id, kind, idempotency_key, payload, state, attempts, next_attempt_at,
                    receipt_id, last_error, created_at, updated_at
             FROM outbox {filter} ORDER BY id"
        ))?;
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
                // Unreadable counts as none: the item is due now, as it was before.
                next_attempt_at: r
                    .get::<_, Option<String>>(7)?
                    .and_then(|t| Timestamp::parse(&t).ok()),
                receipt_id: r.get(8)?,
                last_error: r.get(9)?,
                created_at: r.get(10)?,
                updated_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The states of an outbox item: `pending` (not yet accepted by the operator), `sent` (accepted,
/// its receipt is polled), `failed` (refused; the document is back with the user), `done`.
pub mod state {
    pub const PENDING: &str = "pending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
    pub const DONE: &str = "done";
}

fn item_document(tx: &rusqlite::Transaction<'_>, item: i64) -> Result<(DocumentId, String)> {
    use rusqlite::OptionalExtension;
    tx.query_row(
        "SELECT document_id, idempotency_key FROM outbox WHERE id = ?1",
        [item],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| crate::Error::not_found(format!("Запись очереди №{item} не найдена")))
}

/// Moves the item's document by `action` and records it; the caller's transaction keeps both.
fn move_document(
    tx: &rusqlite::Transaction<'_>,
    ctx: &super::StoreCtx<'_>,
    id: DocumentId,
    action: crate::model::Action,
    reason: Option<&str>,
    detail: serde_json::Value,
) -> Result<()> {
    let status: String = tx.query_row("SELECT status FROM documents WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    let from = crate::model::Status::from_code(&status)
        .ok_or_else(|| crate::Error::storage(format!("Неизвестный статус «{status}»")))?;
    let m = Move {
        action,
        actor: "operator",
        reason,
        detail,
    };
    transition(tx, ctx, id, from, m)?;
    Ok(())
}

impl Store {
    /// One outbox item, whatever its state.
    pub fn outbox_item(&self, item: i64) -> Result<OutboxItem> {
        self.outbox_all()?
            .into_iter()
            .find(|i| i.id == item)
            .ok_or_else(|| crate::Error::not_found(format!("Запись очереди №{item} не найдена")))
    }

    /// Every item, done ones included, oldest first.
    pub fn outbox_all(&self) -> Result<Vec<OutboxItem>> {
        self.outbox_items("")
    }

    /// The operator accepted the decision for verification: keep its receipt, document → sent.
    pub fn outbox_sent(&mut self, item: i64, receipt_id: &str) -> Result<()> {
        let receipt = receipt_id.to_string();
        self.write(|tx, ctx| {
            let (doc, key) = item_document(tx, item)?;
            tx.execute(
                "UPDATE outbox SET state = ?1, receipt_id = ?2, attempts = attempts + 1, last_error = NULL,
                   next_attempt_at = NULL, updated_at = ?3 WHERE id = ?4",
                params![state::SENT, receipt, ctx.at, item],
            )?;
            move_document(
                tx,
                ctx,
                doc,
                crate::model::Action::MarkSent,
                None,
                serde_json::json!({"receiptId": receipt, "idempotencyKey": key}),
            )
        })
    }

    /// A try that may succeed later (network, 5xx, 429): count it, say why, and when to retry.
    pub fn outbox_deferred(
        &mut self,
        item: i64,
        why: &str,
        next_attempt_at: Timestamp,
    ) -> Result<()> {
        let (why, next) = (why.to_string(), next_attempt_at);
        self.write(|tx, ctx| {
            item_document(tx, item)?;
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2, updated_at = ?3
                 WHERE id = ?4",
                params![why, next, ctx.at, item],
            )?;
            Ok(())
        })
    }

    /// The operator verified the decision: the item is done, the document delivered.
    pub fn outbox_delivered(&mut self, item: i64) -> Result<()> {
        self.write(|tx, ctx| {
            let (doc, key) = item_document(tx, item)?;
            let receipt: Option<String> =
                tx.query_row("SELECT receipt_id FROM outbox WHERE id = ?1", [item], |r| {
                    r.get(0)
                })?;
            tx.execute(
                "UPDATE outbox SET state = ?1, last_error = NULL, updated_at = ?2 WHERE id = ?3",
                params![state::DONE, ctx.at, item],
            )?;
            move_document(
                tx,
                ctx,
                doc,
                crate::model::Action::MarkDelivered,
                None,
                serde_json::json!({"receiptId": receipt, "idempotencyKey": key}),
            )
        })
    }

    /// The operator refused the decision for good: keep its reason, document → send failed (the
    /// user may decide again), and tell the user under Errors — one transaction.
    pub fn outbox_failed(&mut self, item: i64, reason: &str, notice: &str) -> Result<()> {
        let (reason, notice) = (reason.to_string(), notice.to_string());
        self.write(|tx, ctx| {
            let (doc, key) = item_document(tx, item)?;
            tx.execute(
                "UPDATE outbox SET state = ?1, last_error = ?2, next_attempt_at = NULL, updated_at = ?3
                 WHERE id = ?4",
                params![state::FAILED, reason, ctx.at, item],
            )?;
            move_document(
                tx,
                ctx,
                doc,
                crate::model::Action::MarkFailed,
                Some(&reason),
                serde_json::json!({"idempotencyKey": key}),
            )?;
            notifications::insert(tx, "error", Some(doc), &notice, &ctx.at)?;
            Ok(())
        })
    }
}

impl Store {
    /// After the user pressed "Retry" on a refused decision: the item goes out again with its
    /// own key (so the operator can never count it twice), recorded in the history.
    pub fn outbox_requeue(&mut self, item: i64) -> Result<()> {
        self.write(|tx, ctx| {
            let (doc, key) = item_document(tx, item)?;
            let n = tx.execute(
                "UPDATE outbox SET state = ?1, next_attempt_at = NULL, updated_at = ?2 WHERE id = ?3 AND state = ?4",
                params![state::PENDING, ctx.at, item, state::FAILED],
            )?;
            if n == 1 {
                super::history::append(
                    tx,
                    ctx.key,
                    super::history::NewEntry {
                        subject: subject(doc),
                        at: ctx.at.clone(),
                        actor: ctx.actor,
                        action: "requeue",
                        from_status: None,
                        to_status: None,
                        reason: None,
                        detail: serde_json::json!({"idempotencyKey": key}),
                    },
                )?;
            }
            Ok(())
        })
    }
}
