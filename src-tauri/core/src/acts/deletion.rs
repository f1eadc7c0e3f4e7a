//! Acts are never deleted: the user asks the ORD to delete one, with a reason. The request is
//! recorded (with its idempotency key) and in the act's history, then sent.

use super::saved::{record, ActId};
use crate::error::{Error, Result};
use crate::store::Store;
use rusqlite::params;
use serde::Serialize;

pub const MAX_REASON_CHARS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletionRequest {
    pub id: i64,
    pub act_id: ActId,
    pub reason: String,
    pub idempotency_key: String,
    /// The ORD's id of the request once sent.
    pub remote_id: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeletionRequest> {
    Ok(DeletionRequest {
        id: r.get(0)?,
        act_id: r.get(1)?,
        reason: r.get(2)?,
        idempotency_key: r.get(3)?,
        remote_id: r.get(4)?,
        created_at: r.get(5)?,
        sent_at: r.get(6)?,
    })
}

const COLUMNS: &str = "id, act_id, reason, idempotency_key, remote_id, created_at, sent_at";

impl Store {
    /// Records a request to delete the act from the register; the act itself stays.
    pub fn request_act_deletion(&mut self, id: ActId, reason: &str) -> Result<DeletionRequest> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason: укажите причину удаления — её прочитает оператор рекламных данных",
            ));
        }
        let n = reason.chars().count();
        if n > MAX_REASON_CHARS {
            return Err(Error::invalid(format!(
                "reason: причина слишком длинная ({n} символов, допустимо {MAX_REASON_CHARS})"
            )));
        }
        self.act(id)?;
        let key = uuid::Uuid::new_v4().to_string();
        let reason = reason.to_string();
        let rid = self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO act_deletion_requests (act_id, reason, idempotency_key, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, reason, key, ctx.at],
            )?;
            let rid = tx.last_insert_rowid();
            record(
                tx,
                ctx,
                id,
                "deletion_requested",
                (None, None),
                Some(&reason),
                serde_json::json!({ "request": rid }),
            )?;
            Ok(rid)
        })?;
        self.deletion_request(rid)
    }

    pub fn deletion_request(&self, id: i64) -> Result<DeletionRequest> {
        Ok(self.conn.query_row(
            &format!("SELECT {COLUMNS} FROM act_deletion_requests WHERE id = ?1"),
            [id],
            row,
        )?)
    }

    /// Requests not yet sent to the ORD.
    pub fn unsent_deletion_requests(&self) -> Result<Vec<DeletionRequest>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM act_deletion_requests WHERE sent_at IS NULL ORDER BY id"
        ))?;
        let rows = st.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn mark_deletion_sent(&mut self, request: i64, remote_id: &str) -> Result<()> {
        let r = self.deletion_request(request)?;
        let remote = remote_id.to_string();
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE act_deletion_requests SET remote_id = ?1, sent_at = ?2 WHERE id = ?3",
                params![remote, ctx.at, request],
            )?;
            record(
                tx,
                ctx,
                r.act_id,
                "deletion_request_sent",
                (None, None),
                None,
                serde_json::json!({ "request": request, "remoteId": remote }),
            )
        })
    }
}
