//! Opening a document from an e-mailed link with its authorisation code, without an account.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};
use time::Duration;

use crate::clock;
use crate::problem::Problem;
use crate::server::Operator;

/// Wrong codes allowed before the link locks.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long a locked link stays locked.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// How long a token from a shared link works.
pub const TOKEN_HOURS: i64 = 24;

#[derive(Deserialize)]
struct OpenBody {
    link: String,
    code: String,
}

/// Creates (or replaces) a shared link to one document.
pub fn create(
    conn: &Connection,
    document_id: &str,
    link: &str,
    code: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO shared_links (link, code, document_id, failed_attempts, locked_until_ms)
         VALUES (?1, ?2, ?3, 0, 0)",
        params![link, code, document_id],
    )?;
    Ok(())
}

fn locked(until_ms: i64, now_ms: i64) -> Problem {
    let seconds = ((until_ms - now_ms) as u64).div_ceil(1000).max(1);
    Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many wrong codes: the link is locked for a while",
    )
    .retry_after(seconds)
}

pub async fn open(
    State(operator): State<Operator>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, Problem> {
    let request: OpenBody =
        serde_json::from_slice(&body).map_err(|e| Problem::validation(format!("body: {e}")))?;
    let now = clock::now();
    let now_ms = clock::now_ms();
    operator
        .store
        .call(move |conn| {
            let tx = conn.transaction()?;
            let link = tx
                .query_row(
                    "SELECT code, document_id, failed_attempts, locked_until_ms FROM shared_links
                     WHERE link = ?1",
                    [&request.link],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)),
                )
                .optional()?;
            // An unknown link answers like a wrong code, so links cannot be probed.
            let Some((code, document_id, attempts, locked_until)) = link else {
                return Err(Problem::unauthorized("the link or the code is wrong"));
            };
            if locked_until > now_ms {
                return Err(locked(locked_until, now_ms));
            }
            if request.code.trim() != code {
                let attempts = attempts + 1;
                if attempts >= MAX_ATTEMPTS {
                    let until = now_ms + LOCK_SECONDS * 1000;
                    tx.execute(
                        "UPDATE shared_links SET failed_attempts = 0, locked_until_ms = ?1 WHERE link = ?2",
                        params![until, request.link],
                    )?;
                    tx.commit()?;
                    return Err(locked(until, now_ms));
                }
                tx.execute(
                    "UPDATE shared_links SET failed_attempts = ?1 WHERE link = ?2",
                    params![attempts, request.link],
                )?;
                tx.commit()?;
                return Err(Problem::unauthorized("the link or the code is wrong"));
            }
            let token = format!("shr_{}", uuid::Uuid::new_v4().simple());
            let expires = now + Duration::hours(TOKEN_HOURS);
            tx.execute(
                "UPDATE shared_links SET failed_attempts = 0 WHERE link = ?1",
                [&request.link],
            )?;
            tx.execute(
                "INSERT INTO access_tokens (token, document_id, expires_at_ms) VALUES (?1, ?2, ?3)",
                params![token, document_id, now_ms + TOKEN_HOURS * 3_600_000],
            )?;
            tx.commit()?;
            Ok(Json(json!({
                "accessToken": token,
                "documentId": document_id,
                "expiresAt": clock::rfc3339(expires),
            })))
        })
        .await
}
