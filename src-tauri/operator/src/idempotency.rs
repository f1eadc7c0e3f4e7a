//! Idempotency-Key handling: the first outcome of a write (success or 4xx problem) is recorded in
//! the same transaction as the write, and replayed byte for byte to a repeat with the same body.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::problem::{self, Problem};

/// A write's answer, as recorded and replayed.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn json(status: StatusCode, body: &Value) -> Self {
        Reply {
            status,
            content_type: "application/json".into(),
            body: body.to_string(),
        }
    }

    fn problem(p: &Problem) -> Self {
        Reply {
            status: p.status,
            content_type: problem::CONTENT_TYPE.into(),
            body: p.body().to_string(),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        if let Ok(v) = HeaderValue::from_str(&self.content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        response
    }
}

pub fn key(headers: &HeaderMap) -> Result<String, Problem> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .map(str::to_owned)
        .ok_or_else(|| Problem::validation("every write needs an Idempotency-Key header"))
}

/// Hash of what the write asks for. JSON is compared by value (keys sorted), so a client that
/// re-serialises the same body differently still gets its first result.
pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let canonical = serde_json::from_slice::<Value>(body)
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_else(|_| body.to_vec());
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(&canonical);
    hex::encode(hasher.finalize())
}

/// Runs `write` at most once per key, in one IMMEDIATE transaction with its record.
pub fn once(
    conn: &mut Connection,
    key: &str,
    hash: &str,
    at: &str,
    write: impl FnOnce(&Connection) -> Result<Reply, Problem>,
) -> Result<Reply, Problem> {
    let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let earlier = tx
        .query_row(
            "SELECT request_hash, status, content_type, body FROM idempotency WHERE key = ?1",
            [key],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, u16>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            },
        )
        .optional()?;
    if let Some((earlier_hash, status, content_type, body)) = earlier {
        if earlier_hash != hash {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "this Idempotency-Key was used with another request",
            ));
        }
        return Ok(Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            content_type,
            body,
        });
    }
    // The write runs in a savepoint so that a refused request leaves nothing behind but its record.
    let outcome = {
        let attempt = tx.savepoint()?;
        let outcome = write(&attempt);
        if outcome.is_ok() {
            attempt.commit()?;
        }
        outcome
    };
    let reply = match outcome {
        Ok(reply) => reply,
        // A client error is the request's answer and is kept; a server error may be retried.
        Err(p) if p.status.is_client_error() => Reply::problem(&p),
        Err(p) => return Err(p),
    };
    tx.execute(
        "INSERT INTO idempotency (key, request_hash, status, content_type, body, headers, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6)",
        params![key, hash, reply.status.as_u16(), reply.content_type, reply.body, at],
    )?;
    tx.commit()?;
    Ok(reply)
}
