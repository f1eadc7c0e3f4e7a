//! Documents set aside by sync: named by the operator but not taken (a file under a wrong
//! SHA-256, over a limit, unparseable, an id another server holds). Each keeps its reason and is
//! retried by later syncs; the first time it is told the user as a notification.

use super::Store;
use crate::error::{ErrorCode, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A document the operator named that could not be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAside {
    pub operator_id: String,
    pub code: ErrorCode,
    pub reason: String,
    /// Syncs that tried it.
    pub attempts: u32,
    pub first_at: String,
    pub last_at: String,
}

impl Store {
    /// Records that `operator_id` could not be taken; the first time, the user is told.
    pub fn set_aside(
        &mut self,
        account: &str,
        operator_id: &str,
        code: ErrorCode,
        reason: &str,
    ) -> Result<()> {
        let (account, id, reason) = (
            account.to_string(),
            operator_id.to_string(),
            reason.to_string(),
        );
        let code = code.as_str().to_string();
        self.write(|tx, ctx| {
            let known: Option<i64> = tx
                .query_row(
                    "SELECT attempts FROM set_aside WHERE account = ?1 AND operator_id = ?2",
                    params![account, id],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute(
                "INSERT INTO set_aside (account, operator_id, code, reason, attempts, first_at, last_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
                 ON CONFLICT (account, operator_id) DO UPDATE
                 SET code = ?3, reason = ?4, attempts = attempts + 1, last_at = ?5",
                params![account, id, code, reason, ctx.at],
            )?;
            if known.is_none() {
                let told = format!("Документ {id} от оператора отложен: {reason}. Остальные документы получены; этот будет запрошен снова при следующей синхронизации");
                super::notifications::insert(tx, "error", None, &told, &ctx.at)?;
            }
            Ok(())
        })
    }

    /// The documents set aside for `account`, oldest first.
    pub fn set_aside_documents(&self, account: &str) -> Result<Vec<SetAside>> {
        let mut st = self.conn.prepare(
            "SELECT operator_id, code, reason, attempts, first_at, last_at FROM set_aside
             WHERE account = ?1 ORDER BY first_at, operator_id",
        )?;
        let rows = st.query_map([account], |r| {
            let code: String = r.get(1)?;
            Ok(SetAside {
                operator_id: r.get(0)?,
                code: ErrorCode::from_code(&code).unwrap_or(ErrorCode::OperatorRejected),
                reason: r.get(2)?,
                attempts: r.get(3)?,
                first_at: r.get(4)?,
                last_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets a set-aside document once it has been taken (or is no longer offered).
    pub fn take_back(&mut self, account: &str, operator_id: &str) -> Result<()> {
        let (account, id) = (account.to_string(), operator_id.to_string());
        self.write(|tx, _| {
            tx.execute(
                "DELETE FROM set_aside WHERE account = ?1 AND operator_id = ?2",
                params![account, id],
            )?;
            Ok(())
        })
    }
}
