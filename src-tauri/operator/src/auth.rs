//! Bearer tokens: the account token reaches everything; a token from a shared link reaches one
//! document (and that document's receipts) only.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rusqlite::OptionalExtension;

use crate::problem::Problem;
use crate::server::Operator;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Account,
    Shared { document_id: String },
}

impl Access {
    /// Calls that only the account holder may make (/me, the inbox, ORD).
    pub fn require_account(&self) -> Result<(), Problem> {
        match self {
            Access::Account => Ok(()),
            Access::Shared { .. } => Err(Problem::unauthorized(
                "this token opens one shared document only",
            )),
        }
    }

    /// Another document looks absent to a shared-link token: it must not learn that it exists.
    pub fn require_document(&self, id: &str) -> Result<(), Problem> {
        match self {
            Access::Shared { document_id } if document_id != id => {
                Err(Problem::not_found(format!("no document {id}")))
            }
            _ => Ok(()),
        }
    }
}

pub async fn authenticate(
    State(operator): State<Operator>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned);
    let Some(token) = token else {
        return Problem::unauthorized("Authorization: Bearer <token> is required").into_response();
    };
    let access = if token == operator.settings.token {
        Some(Access::Account)
    } else {
        let now = crate::clock::now_ms();
        operator
            .store
            .call(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT document_id FROM access_tokens WHERE token = ?1 AND expires_at_ms > ?2",
                        rusqlite::params![token, now],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()?)
            })
            .await
            .ok()
            .flatten()
            .map(|document_id| Access::Shared { document_id })
    };
    match access {
        Some(access) => {
            request.extensions_mut().insert(access);
            next.run(request).await
        }
        None => Problem::unauthorized("the token is wrong or expired").into_response(),
    }
}
