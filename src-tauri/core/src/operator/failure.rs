//! How an operator call failed: the error a person reads, plus what the caller needs to decide
//! whether and when to try again (the HTTP status, the server's problem code, Retry-After).

use crate::error::{Error, ErrorCode};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Failure {
    pub error: Error,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The problem+json `code`, when the server sent one.
    pub problem_code: Option<String>,
    /// The server's `detail`, kept for the history and notifications.
    pub detail: Option<String>,
    /// What `Retry-After` asked for.
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Failure {
        Failure {
            error: Error::new(code, message),
            status: None,
            problem_code: None,
            detail: None,
            retry_after: None,
        }
    }

    pub fn unreachable(message: impl Into<String>) -> Failure {
        Failure::new(ErrorCode::OperatorUnreachable, message)
    }

    /// An answer that is not what the API promises (not JSON, another shape, too large).
    pub fn protocol(message: impl Into<String>) -> Failure {
        Failure::new(ErrorCode::OperatorRejected, message)
    }

    pub fn code(&self) -> ErrorCode {
        self.error.code
    }

    /// Timeouts, network errors, 5xx, 429 and 503: the same request may succeed later.
    pub fn retryable(&self) -> bool {
        matches!(
            self.error.code,
            ErrorCode::OperatorUnreachable | ErrorCode::Timeout
        ) || matches!(self.status, Some(429) | Some(503))
            || self.status.is_some_and(|s| s >= 500)
    }

    /// 409/422: the client's view of the document is stale; re-read it.
    pub fn is_stale(&self) -> bool {
        matches!(self.status, Some(409))
            || self.problem_code.as_deref() == Some("invalid_document_state")
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        f.error
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure {
            error,
            status: None,
            problem_code: None,
            detail: None,
            retry_after: None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error.message)
    }
}
