//! Signatures and rejections from the recipient, and their receipts. A decision is verified when
//! it arrives; its receipt stays `pending` for the configured time and then settles, moving the
//! document to `signed` or `rejected` (clients must poll, as with a real operator).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Access;
use crate::clock;
use crate::document;
use crate::idempotency::{self, Reply};
use crate::problem::Problem;
use crate::refusal;
use crate::server::Operator;
use crate::verification::{self, Verdict};

const MAX_REASON_CHARS: usize = 5000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignatureBody {
    attachment_id: String,
    cms: String,
}

/// Version 2 of a rejection. `notice` is optional only so that a version 1 body gets its own
/// clear refusal instead of a serde message.
#[derive(Deserialize)]
struct RejectionBody {
    reason: String,
    #[serde(default)]
    notice: Option<String>,
    cms: String,
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::validation(format!("body: {e}")))
}

fn decode_cms(text: &str) -> Result<Vec<u8>, Problem> {
    STANDARD
        .decode(text.trim())
        .map_err(|_| Problem::validation("cms must be base64 of a DER CMS structure"))
}

fn awaiting(conn: &Connection, id: &str) -> Result<String, Problem> {
    let (status, recipient_bin) = document::status_and_recipient(conn, id)?;
    if status != "awaiting_signature" {
        return Err(Problem::invalid_state(format!(
            "document {id} is {status}, not awaiting signature"
        )));
    }
    Ok(recipient_bin)
}

/// Stores a receipt whose outcome is already known but not yet visible.
fn open_receipt(
    conn: &Connection,
    document_id: &str,
    decision: &str,
    verdict: Verdict,
    ready_at_ms: i64,
    at: &str,
) -> Result<String, Problem> {
    let (outcome, problem) = match verdict {
        Verdict::Valid => ("verified", None),
        Verdict::Invalid(why) => (
            "failed",
            Some(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "signature_invalid",
                why,
            )),
        ),
        Verdict::SignerNotAllowed(why) => (
            "failed",
            Some(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "signer_not_allowed",
                why,
            )),
        ),
    };
    let id = format!("rcp_{}", uuid::Uuid::new_v4().simple());
    conn.execute(
        "INSERT INTO receipts (id, document_id, decision, status, problem, outcome, outcome_problem,
           ready_at_ms, created_at) VALUES (?1, ?2, ?3, 'pending', NULL, ?4, ?5, ?6, ?7)",
        params![
            id,
            document_id,
            decision,
            outcome,
            problem.map(|p| p.body().to_string()),
            ready_at_ms,
            at
        ],
    )?;
    Ok(id)
}

fn accepted(receipt_id: &str) -> Reply {
    Reply::json(
        StatusCode::ACCEPTED,
        &json!({"receiptId": receipt_id, "status": "accepted_for_verification"}),
    )
}

pub async fn sign(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Reply, Problem> {
    access.require_document(&id)?;
    let key = idempotency::key(&headers)?;
    let hash = idempotency::request_hash("POST", &format!("/documents/{id}/signatures"), &body);
    let now = clock::now();
    let ready_at = clock::now_ms() + operator.settings.pending.as_millis() as i64;
    operator
        .store
        .call(move |conn| {
            let at = clock::rfc3339(now);
            idempotency::once(conn, &key, &hash, &at.clone(), |tx| {
                let request: SignatureBody = parse(&body)?;
                let cms = decode_cms(&request.cms)?;
                let recipient_bin = awaiting(tx, &id)?;
                let (role, bytes) = tx
                    .query_row(
                        "SELECT role, bytes FROM attachments WHERE id = ?1 AND document_id = ?2",
                        [&request.attachment_id, &id],
                        |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
                    )
                    .optional()?
                    .ok_or_else(|| {
                        Problem::validation(format!("no attachment {} in {id}", request.attachment_id))
                    })?;
                if role == "esf" {
                    return Err(Problem::validation(
                        "an ESF is not signed here: it goes to the state portal",
                    ));
                }
                let verdict = verification::verify(&cms, &bytes, &recipient_bin, now);
                let receipt = open_receipt(tx, &id, "signature", verdict, ready_at, &at)?;
                tx.execute(
                    "INSERT INTO signatures (receipt_id, document_id, attachment_id, cms, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![receipt, id, request.attachment_id, cms, at],
                )?;
                Ok(accepted(&receipt))
            })
        })
        .await
}

pub async fn reject(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Reply, Problem> {
    access.require_document(&id)?;
    let key = idempotency::key(&headers)?;
    let hash = idempotency::request_hash("POST", &format!("/documents/{id}/rejections"), &body);
    let now = clock::now();
    let ready_at = clock::now_ms() + operator.settings.pending.as_millis() as i64;
    operator
        .store
        .call(move |conn| {
            let at = clock::rfc3339(now);
            idempotency::once(conn, &key, &hash, &at.clone(), |tx| {
                let request: RejectionBody = parse(&body)?;
                let chars = request.reason.chars().count();
                if chars == 0 || chars > MAX_REASON_CHARS || request.reason.trim().is_empty() {
                    return Err(Problem::validation(format!(
                        "reason must be 1..{MAX_REASON_CHARS} characters"
                    )));
                }
                let cms = decode_cms(&request.cms)?;
                let recipient_bin = awaiting(tx, &id)?;
                let notice = refusal::notice(tx, &id, &request.reason, request.notice.as_deref())?;
                let verdict = verification::verify(&cms, &notice, &recipient_bin, now);
                let receipt = open_receipt(tx, &id, "rejection", verdict, ready_at, &at)?;
                tx.execute(
                    "INSERT INTO rejections (receipt_id, document_id, reason, cms, received_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![receipt, id, request.reason, cms, at],
                )?;
                tx.execute(
                    "INSERT INTO refusal_notices (receipt_id, notice) VALUES (?1, ?2)",
                    params![receipt, notice],
                )?;
                Ok(accepted(&receipt))
            })
        })
        .await
}

pub async fn receipt(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    let (document_id, status, problem) = operator
        .store
        .call(move |conn| {
            conn.query_row(
                "SELECT document_id, status, problem FROM receipts WHERE id = ?1",
                [&id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| Problem::not_found(format!("no receipt {id}")))
        })
        .await?;
    access.require_document(&document_id)?;
    let problem: Value = problem
        .and_then(|p| serde_json::from_str(&p).ok())
        .unwrap_or(Value::Null);
    Ok(Json(
        json!({"status": status, "problem": problem, "documentId": document_id}),
    ))
}

/// Makes the outcome of every receipt whose pending time is over visible, and applies it.
pub fn settle(conn: &mut Connection, now_ms: i64, at: &str) -> Result<(), Problem> {
    let due: Vec<(String, String, String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, document_id, decision, outcome, outcome_problem FROM receipts
             WHERE status = 'pending' AND ready_at_ms <= ?1 ORDER BY rowid",
        )?
        .query_map([now_ms], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    if due.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (receipt, document_id, decision, outcome, problem) in due {
        let (mut outcome, mut problem) = (outcome, problem);
        if outcome == "verified" {
            let (status, _) = document::status_and_recipient(&tx, &document_id)?;
            if status == "awaiting_signature" {
                let new_status = if decision == "signature" {
                    "signed"
                } else {
                    "rejected"
                };
                tx.execute(
                    "UPDATE documents SET status = ?1, updated_at = ?2 WHERE id = ?3",
                    params![new_status, at, document_id],
                )?;
                document::record_event(&tx, &document_id, "updated", at)?;
            } else {
                // Another decision settled first: this one came too late.
                outcome = "failed".into();
                problem = Some(
                    Problem::invalid_state(format!("document {document_id} is already {status}"))
                        .body()
                        .to_string(),
                );
            }
        }
        tx.execute(
            "UPDATE receipts SET status = ?1, problem = ?2 WHERE id = ?3",
            params![outcome, problem, receipt],
        )?;
    }
    tx.commit()?;
    Ok(())
}
