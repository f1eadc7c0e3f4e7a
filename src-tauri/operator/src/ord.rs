//! Advertising acts for the register (ORD/ERIR): stored as sent, submitted, and after the pending
//! time accepted, or rejected with the errors given by `--register-reject` (with
//! `--register-reject-once`, only an act's first submission: the corrected one is accepted). A
//! submitted act that breaks the register's rules (the client's own
//! `qoltanba_core::acts::validate`) is rejected at once with an error per field. An accepted act
//! may be PUT again: it becomes the next version, in `draft` until submitted; every version is
//! kept. Acts are never deleted through the API (a deletion is an e-mail to the ORD's support).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use qoltanba_core::acts::{validate, ActDraft, RuleContext, VatTable};

use crate::auth::Access;
use crate::clock;
use crate::idempotency::{self, Reply};
use crate::problem::Problem;
use crate::server::Operator;

fn load(conn: &Connection, external_id: &str) -> Result<Value, Problem> {
    let row = conn
        .query_row(
            "SELECT body, register_status, register_errors, version FROM ord_acts WHERE external_id = ?1",
            [external_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Problem::not_found(format!("no act {external_id}")))?;
    let mut act: Value = serde_json::from_str(&row.0).unwrap_or_else(|_| json!({}));
    act["externalId"] = json!(external_id);
    act["registerStatus"] = json!(row.1);
    act["registerErrors"] = serde_json::from_str(&row.2).unwrap_or_else(|_| json!([]));
    act["version"] = json!(row.3);
    Ok(act)
}

fn status(conn: &Connection, external_id: &str) -> Result<Option<String>, Problem> {
    Ok(conn
        .query_row(
            "SELECT register_status FROM ord_acts WHERE external_id = ?1",
            [external_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub async fn put(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(external_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Reply, Problem> {
    access.require_account()?;
    let key = idempotency::key(&headers)?;
    let hash = idempotency::request_hash("PUT", &format!("/ord/acts/{external_id}"), &body);
    let at = clock::rfc3339(clock::now());
    operator
        .store
        .call(move |conn| {
            idempotency::once(conn, &key, &hash, &at.clone(), |tx| {
                let act: Value = serde_json::from_slice(&body)
                    .map_err(|e| Problem::validation(format!("body: {e}")))?;
                if !act.is_object() {
                    return Err(Problem::validation("an act is a JSON object"));
                }
                let body = act.to_string();
                match status(tx, &external_id)?.as_deref() {
                    Some("processing") => {
                        return Err(Problem::invalid_state(format!(
                            "act {external_id} is being checked by the register and cannot be replaced now"
                        )))
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO ord_acts (external_id, body, register_status,
                               register_errors, ready_at_ms, updated_at) VALUES (?1, ?2, 'draft', '[]', 0, ?3)",
                            params![external_id, body, at],
                        )?;
                    }
                    // A change of a registered act is its next version; a draft or a rejected
                    // act is replaced within its version.
                    Some(s) => {
                        tx.execute(
                            "UPDATE ord_acts SET body = ?1, register_status = 'draft', register_errors = '[]',
                               ready_at_ms = 0, updated_at = ?2, version = version + (?3 = 'accepted')
                             WHERE external_id = ?4",
                            params![body, at, s, external_id],
                        )?;
                    }
                }
                tx.execute(
                    "INSERT OR REPLACE INTO ord_act_versions (external_id, version, body, put_at)
                     SELECT external_id, version, body, ?2 FROM ord_acts WHERE external_id = ?1",
                    params![external_id, at],
                )?;
                Ok(Reply::json(StatusCode::OK, &load(tx, &external_id)?))
            })
        })
        .await
}

pub async fn submit(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(external_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Reply, Problem> {
    access.require_account()?;
    let key = idempotency::key(&headers)?;
    let hash = idempotency::request_hash("POST", &format!("/ord/acts/{external_id}/submit"), &body);
    let at = clock::rfc3339(clock::now());
    let ready_at = clock::now_ms() + operator.settings.pending.as_millis() as i64;
    operator
        .store
        .call(move |conn| {
            idempotency::once(conn, &key, &hash, &at.clone(), |tx| {
                let s = status(tx, &external_id)?
                    .ok_or_else(|| Problem::not_found(format!("no act {external_id}")))?;
                if s != "draft" && s != "rejected" {
                    return Err(Problem::invalid_state(format!(
                        "act {external_id} is already {s}"
                    )));
                }
                let violations = register_rules(tx, &external_id)?;
                if violations.as_array().is_some_and(|v| !v.is_empty()) {
                    tx.execute(
                        "UPDATE ord_acts SET register_status = 'rejected', register_errors = ?1,
                           updated_at = ?2 WHERE external_id = ?3",
                        params![violations.to_string(), at, external_id],
                    )?;
                    return Ok(Reply::json(StatusCode::ACCEPTED, &load(tx, &external_id)?));
                }
                tx.execute(
                    "UPDATE ord_acts SET register_status = 'processing', register_errors = '[]',
                       ready_at_ms = ?1, updated_at = ?2, submissions = submissions + 1
                     WHERE external_id = ?3",
                    params![ready_at, at, external_id],
                )?;
                Ok(Reply::json(StatusCode::ACCEPTED, &load(tx, &external_id)?))
            })
        })
        .await
}

/// The register's rules on the stored act, as `registerErrors`; the server knows no contracts, so
/// the rules that need a contract's customer check only what the act says.
fn register_rules(conn: &Connection, external_id: &str) -> Result<Value, Problem> {
    let body: String = conn.query_row(
        "SELECT body FROM ord_acts WHERE external_id = ?1",
        [external_id],
        |r| r.get(0),
    )?;
    let errors: Vec<Value> = match serde_json::from_str::<ActDraft>(&body) {
        Err(e) => vec![
            json!({"field": "", "code": "invalid_act", "message": format!("акт не разобран: {e}")}),
        ],
        Ok(act) => {
            let vat = VatTable::default();
            validate(
                &act,
                RuleContext {
                    vat: &vat,
                    contracts: None,
                },
            )
            .into_iter()
            .map(|v| json!({"field": v.field, "code": v.code, "message": v.message}))
            .collect()
        }
    };
    Ok(Value::Array(errors))
}

pub async fn get(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(external_id): Path<String>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    operator
        .store
        .call(move |conn| load(conn, &external_id).map(Json))
        .await
}

/// Every version of the act as PUT, oldest first: (version, body).
pub fn versions(conn: &Connection, external_id: &str) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut st = conn.prepare(
        "SELECT version, body FROM ord_act_versions WHERE external_id = ?1 ORDER BY version",
    )?;
    let rows = st.query_map([external_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Ends the processing of submitted acts whose pending time is over. With `once`, the rejections
/// apply to an act's first submission only.
pub fn settle(
    conn: &Connection,
    now_ms: i64,
    at: &str,
    rejections: &[(String, String)],
    once: bool,
) -> Result<(), Problem> {
    let (status, errors) = if rejections.is_empty() {
        ("accepted", json!([]))
    } else {
        let errors: Vec<Value> = rejections
            .iter()
            .map(|(field, message)| json!({"field": field, "message": message}))
            .collect();
        ("rejected", Value::Array(errors))
    };
    conn.execute(
        "UPDATE ord_acts SET register_status = ?1, register_errors = ?2, updated_at = ?3
         WHERE register_status = 'processing' AND ready_at_ms <= ?4 AND (?5 = 0 OR submissions = 1)",
        params![status, errors.to_string(), at, now_ms, once],
    )?;
    if once && !rejections.is_empty() {
        // The corrected submissions: accepted.
        settle(conn, now_ms, at, &[], false)?;
    }
    Ok(())
}
