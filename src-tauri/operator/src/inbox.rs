//! Reading: the account, the event feed, the listing, one document and its attachments' bytes.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rusqlite::OptionalExtension;
use serde_json::{json, Value};

use crate::auth::Access;
use crate::document::{self, STATUSES};
use crate::paging::{self, Page, PageQuery};
use crate::problem::Problem;
use crate::seed::parties;
use crate::server::Operator;

pub async fn me(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    let seller = parties::seller_of(&operator.settings);
    let kind = parties::seller_kind(&operator.settings);
    Ok(Json(json!({
        "organization": {"bin": seller.bin, "name": seller.name, "kind": kind},
        "employee": {"id": "emp_0001", "iin": parties::EMPLOYEE_IIN, "name": parties::EMPLOYEE_NAME},
    })))
}

pub async fn events(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    let page = Page::parse(&query)?;
    let duplicate = operator.settings.faults.duplicate_events;
    operator
        .store
        .call(move |conn| {
            let mut rows: Vec<(i64, Value)> = conn
                .prepare_cached(
                    "SELECT seq, id, document_id, type, at FROM events WHERE seq > ?1
                     ORDER BY seq LIMIT ?2",
                )?
                .query_map([page.after_seq, page.limit], |r| {
                    Ok((
                        r.get(0)?,
                        json!({"id": r.get::<_, String>(1)?, "documentId": r.get::<_, String>(2)?,
                               "type": r.get::<_, String>(3)?, "at": r.get::<_, String>(4)?}),
                    ))
                })?
                .collect::<Result<_, _>>()?;
            // Fault: deliver the event just before the cursor again (only alongside new ones, so
            // a client that reads until `next` is null still stops).
            if duplicate && !rows.is_empty() && page.after_seq > 0 {
                let again = conn
                    .query_row(
                        "SELECT id, document_id, type, at FROM events WHERE seq = ?1",
                        [page.after_seq],
                        |r| {
                            Ok(json!({"id": r.get::<_, String>(0)?, "documentId": r.get::<_, String>(1)?,
                                      "type": r.get::<_, String>(2)?, "at": r.get::<_, String>(3)?}))
                        },
                    )
                    .optional()?;
                if let Some(event) = again {
                    rows.insert(0, (page.after_seq, event));
                }
            }
            // `next` points after the last event delivered, so a client can store it and poll;
            // an empty page (nothing new yet) says null.
            let next = rows.last().map(|(seq, _)| paging::encode(*seq));
            let events: Vec<Value> = rows.into_iter().map(|(_, v)| v).collect();
            Ok(Json(json!({"events": events, "next": next})))
        })
        .await
}

pub async fn documents(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Value>, Problem> {
    access.require_account()?;
    let page = Page::parse(&query)?;
    let status = query.status.clone().filter(|s| !s.is_empty());
    if let Some(s) = &status {
        if !STATUSES.contains(&s.as_str()) {
            return Err(Problem::validation(format!("unknown status {s}")));
        }
    }
    operator
        .store
        .call(move |conn| {
            let sql = format!(
                "{} WHERE seq > ?1 AND (?2 IS NULL OR status = ?2) ORDER BY seq LIMIT ?3",
                document::SELECT
            );
            let mut rows: Vec<(i64, Value)> = conn
                .prepare_cached(&sql)?
                .query_map(
                    rusqlite::params![page.after_seq, status, page.limit + 1],
                    document::from_row,
                )?
                .collect::<Result<_, _>>()?;
            let more = rows.len() as i64 > page.limit;
            rows.truncate(page.limit as usize);
            let next = if more {
                rows.last().map(|(seq, _)| paging::encode(*seq))
            } else {
                None
            };
            let mut documents = Vec::with_capacity(rows.len());
            for (_, mut d) in rows {
                document::complete(conn, &mut d)?;
                documents.push(d);
            }
            Ok(Json(json!({"documents": documents, "next": next})))
        })
        .await
}

pub async fn document(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Problem> {
    access.require_document(&id)?;
    operator
        .store
        .call(move |conn| document::load(conn, &id).map(Json))
        .await
}

pub async fn attachment(
    State(operator): State<Operator>,
    Extension(access): Extension<Access>,
    Path((id, attachment_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    access.require_document(&id)?;
    let (mime, name, bytes) = operator
        .store
        .call(move |conn| {
            conn.query_row(
                "SELECT mime_type, file_name, bytes FROM attachments WHERE id = ?1 AND document_id = ?2",
                [&attachment_id, &id],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Vec<u8>>(2)?)),
            )
            .optional()?
            .ok_or_else(|| Problem::not_found(format!("no attachment {attachment_id} in {id}")))
        })
        .await?;
    let length = bytes.len();
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    // File names are Cyrillic-free ASCII in this server; RFC 6266 quoting is enough.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
