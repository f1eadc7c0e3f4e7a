//! The operator client: one trait that sync, the outbox and the UI speak ([`Operator`]), and its
//! first adapter for shared/operator-api.md over HTTPS ([`HttpOperator`]). An adapter for another
//! operator is one more module implementing the trait; nothing else changes.

mod account;
mod backoff;
mod failure;
pub(crate) mod http;
pub(crate) mod limits;
mod outbox;
pub(crate) mod receive;
mod shared_link;
mod sync;
mod token;
mod wire;

pub use account::{account_url, add_account, current_account, Account, DEFAULT_ACCOUNT};
pub use backoff::{Backoff, Retry};
pub use failure::Failure;
pub(crate) use http::parse_base_url;
pub use http::{HttpOperator, HttpSettings};
pub use outbox::{send_outbox, OutboxLine, OutboxReport, SendPolicy};
pub use shared_link::{open_shared_link, shared_operator, split_link};
pub use sync::{sync, SetAsideLine, SyncOptions, SyncProgress, SyncReport};
pub use token::{
    delete_ord_token, load_ord_token, ord_user, save_ord_token, Secret, Token, Tokens,
};
pub use wire::*;

use std::future::Future;

/// What any operator must offer the client. Every call is one request; retries and their
/// timing belong to the caller (sync, outbox), which knows what may be repeated.
pub trait Operator {
    /// The organisation and employee behind the token.
    fn whoami(&self) -> impl Future<Output = Result<Me, Failure>>;
    /// One page of the change feed after `after` (from the start when `None`).
    fn events(&self, after: Option<&str>) -> impl Future<Output = Result<EventPage, Failure>>;
    /// One page of the full inbox listing, for first sync and reconciliation.
    fn inbox(&self, after: Option<&str>) -> impl Future<Output = Result<DocumentPage, Failure>>;
    fn document(&self, id: &str) -> impl Future<Output = Result<RemoteDocument, Failure>>;
    /// The bytes of an attachment, refused beyond `max_bytes` without buffering the rest.
    fn attachment(
        &self,
        document_id: &str,
        attachment_id: &str,
        max_bytes: u64,
    ) -> impl Future<Output = Result<Vec<u8>, Failure>>;
    /// Sends a signature; the same key with the same body returns the first result.
    fn send_signature(
        &self,
        document_id: &str,
        idempotency_key: &str,
        body: &SignatureBody,
    ) -> impl Future<Output = Result<Accepted, Failure>>;
    fn send_rejection(
        &self,
        document_id: &str,
        idempotency_key: &str,
        body: &RejectionBody,
    ) -> impl Future<Output = Result<Accepted, Failure>>;
    fn receipt(&self, receipt_id: &str) -> impl Future<Output = Result<Receipt, Failure>>;
}
