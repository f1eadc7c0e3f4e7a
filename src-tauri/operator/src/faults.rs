//! Fault injection for client tests: failures, latency, cut bodies and stale writes, all from one
//! seeded RNG so that a run can be repeated.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::problem::Problem;
use crate::server::Operator;

pub struct FaultState {
    rng: Mutex<StdRng>,
    writes: AtomicU64,
    answers: Mutex<Vec<Answer>>,
}

/// One request as the client met it: what it asked, the status it got, and whether the body was
/// cut. Tests read these to show that a fault landed where they claim (a 5xx that was retried, a
/// cut in an attachment download rather than in the listing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub method: String,
    /// Path and query, as asked.
    pub path: String,
    pub status: u16,
    pub cut: bool,
}

impl FaultState {
    pub fn new(seed: u64) -> Self {
        FaultState {
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            writes: AtomicU64::new(0),
            answers: Mutex::new(Vec::new()),
        }
    }

    pub fn answers(&self) -> Vec<Answer> {
        self.answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn record(&self, request: &(Method, String), status: StatusCode, cut: bool) {
        self.answers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Answer {
                method: request.0.to_string(),
                path: request.1.clone(),
                status: status.as_u16(),
                cut,
            });
    }
}

fn is_write(request: &Request) -> bool {
    (request.method() == Method::POST || request.method() == Method::PUT)
        && request.uri().path() != "/shared/open"
}

pub async fn inject(State(operator): State<Operator>, request: Request, next: Next) -> Response {
    let faults = &operator.settings.faults;
    let state = &operator.faults;
    let asked = (
        request.method().clone(),
        request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |p| p.as_str().to_owned(),
        ),
    );
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.fail_rate > 0.0 {
        let (fail, unavailable) = {
            let mut rng = state.rng.lock().unwrap_or_else(|p| p.into_inner());
            (rng.gen::<f64>() < faults.fail_rate, rng.gen_bool(0.5))
        };
        if fail {
            let response = if unavailable {
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "injected: try again later",
                )
                .retry_after(1)
                .into_response()
            } else {
                Problem::internal("injected failure").into_response()
            };
            state.record(&asked, response.status(), false);
            return response;
        }
    }
    let write = is_write(&request);
    if let Some(limit) = faults.stale_after {
        if write && state.writes.load(Ordering::SeqCst) >= limit {
            let response =
                Problem::invalid_state("injected: the client's view of the document is stale")
                    .into_response();
            state.record(&asked, response.status(), false);
            return response;
        }
    }
    let response = next.run(request).await;
    if write && response.status().is_success() {
        state.writes.fetch_add(1, Ordering::SeqCst);
    }
    let drops_here = faults
        .drop_only
        .as_deref()
        .is_none_or(|part| asked.1.contains(part));
    let (response, was_cut) = match faults.drop_after {
        Some(limit) if drops_here => cut(response, limit).await,
        _ => (response, false),
    };
    state.record(&asked, response.status(), was_cut);
    response
}

/// Sends the first `limit` bytes of a longer body, announced with its full length, then breaks the
/// connection: what a client sees when a network drops mid-download.
async fn cut(response: Response, limit: usize) -> (Response, bool) {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR.into_response(), false);
    };
    if bytes.len() <= limit {
        return (Response::from_parts(parts, Body::from(bytes)), false);
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let head: Result<axum::body::Bytes, std::io::Error> = Ok(bytes.slice(..limit));
    // The pause lets the head and the first bytes reach the client before the connection breaks.
    let broken = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "injected drop",
        ))
    });
    let body = futures_util::stream::iter([head]).chain(broken);
    (Response::from_parts(parts, Body::from_stream(body)), true)
}
