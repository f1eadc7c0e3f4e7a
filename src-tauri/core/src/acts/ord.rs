//! The ORD, the ad-data operator (`/ord/acts/...` of operator-api.md): the calls the acts
//! workflow makes ([`Ord`]) and their adapter over HTTPS ([`HttpOrd`]), beside the document
//! operator's `Operator` and `HttpOperator`. Replies are read with the operator's capped reader.

use super::saved::RegisterError;
use crate::error::{Error, ErrorCode, Result};
use crate::operator::{parse_base_url, Token};
use crate::store::Store;
use reqwest::{Method, Url};
use serde::Deserialize;
use std::future::Future;
use std::time::Duration;

/// What the acts workflow asks of an ORD. Every call is one request; the idempotency keys come
/// from the caller, so a retry after a lost answer is the same request.
pub trait Ord {
    /// Creates or replaces the act `external_id` with `body` (the act as the ORD receives it).
    fn put_act(
        &self,
        external_id: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> impl Future<Output = Result<RegisterAnswer>>;
    /// Hands the act to the register.
    fn submit(&self, external_id: &str, key: &str) -> impl Future<Output = Result<RegisterAnswer>>;
    /// The register's current answer for the act.
    fn status(&self, external_id: &str) -> impl Future<Output = Result<RegisterAnswer>>;
}

/// The ORD over HTTPS, as operator-api.md describes it, with one account's token.
#[derive(Clone)]
pub struct HttpOrd {
    base: Url,
    token: Token,
    client: reqwest::Client,
}

impl std::fmt::Debug for HttpOrd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpOrd")
            .field("base", &self.base.as_str())
            .finish()
    }
}

/// The register's view of an act.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisterAnswer {
    pub register_status: String,
    #[serde(default)]
    pub register_errors: Vec<RegisterError>,
    /// The act's version in the register (1, then 2, 3, … as an accepted act is changed).
    #[serde(default)]
    pub version: Option<i64>,
}

#[derive(Deserialize)]
struct Problem {
    code: Option<String>,
    detail: Option<String>,
}

impl HttpOrd {
    /// A client for `base_url` (https, or http on loopback only: the token never crosses a
    /// network in clear text).
    pub fn new(base_url: &str, token: Token) -> Result<HttpOrd> {
        // The operator client's own check: https, no login or password in the address.
        let base = parse_base_url(base_url)?;
        let loopback = matches!(base.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        if base.scheme() != "https" && !(base.scheme() == "http" && loopback) {
            return Err(Error::invalid(
                "Адрес оператора должен начинаться с https:// (http:// — только для 127.0.0.1)",
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                Error::new(ErrorCode::OperatorUnreachable, format!("HTTPS-клиент: {e}"))
            })?;
        Ok(HttpOrd {
            base,
            token,
            client,
        })
    }

    /// The ORD account's client (token from the OS keychain): never the document operator's.
    pub fn for_account(store: &Store) -> Result<HttpOrd> {
        super::account::ord_client(store)
    }

    /// The base URL as checked.
    pub fn base(&self) -> &str {
        self.base.as_str()
    }

    fn url(&self, segments: &[&str]) -> Url {
        let mut u = self.base.clone();
        u.path_segments_mut()
            .expect("checked: an http(s) URL is a base")
            .pop_if_empty()
            .extend(segments);
        u
    }

    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        key: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value> {
        let bytes = self.call_bytes(method, segments, &[], key, body).await?;
        serde_json::from_slice(&bytes)
            .map_err(|_| Error::new(ErrorCode::OperatorRejected, "ОРД прислал не JSON"))
    }

    /// One page of a listing (`/ord/contracts`, `/ord/statistics`) as the bytes received, read
    /// with the capped reader: the caller counts them against its budget.
    pub(super) async fn get_page(&self, list: &str, query: &[(&str, String)]) -> Result<Vec<u8>> {
        self.call_bytes(Method::GET, &["ord", list], query, None, None)
            .await
    }

    async fn call_bytes(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        key: Option<&str>,
        body: Option<&serde_json::Value>,
    ) -> Result<Vec<u8>> {
        let mut url = self.url(segments);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut r = self
            .client
            .request(method, url)
            .bearer_auth(self.token.expose());
        if let Some(k) = key {
            r = r.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            r = r.json(b);
        }
        let reply = r.send().await.map_err(|e| {
            Error::new(
                ErrorCode::OperatorUnreachable,
                format!("Оператор рекламных данных недоступен: {}", e.without_url()),
            )
        })?;
        let status = reply.status().as_u16();
        // The same capped reader as the document operator's: a reply past the limit is refused
        // without reading the rest.
        let limit = if (200..300).contains(&status) {
            crate::operator::limits::MAX_JSON_BYTES
        } else {
            crate::operator::limits::MAX_PROBLEM_BYTES
        };
        let bytes = crate::operator::http::read_limited(reply, limit, "ответ ОРД")
            .await
            .map_err(Error::from)?;
        if !(200..300).contains(&status) {
            let p: Option<Problem> = serde_json::from_slice(&bytes).ok();
            let said = p
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.detail.unwrap_or_default(),
                        p.code.unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            let code = match status {
                401 => ErrorCode::Unauthorized,
                s if s >= 500 => ErrorCode::OperatorUnreachable,
                _ => ErrorCode::OperatorRejected,
            };
            return Err(Error::new(
                code,
                format!("ОРД отклонил запрос (HTTP {status}): {said}"),
            ));
        }
        Ok(bytes)
    }
}

impl Ord for HttpOrd {
    async fn put_act(
        &self,
        external_id: &str,
        key: &str,
        body: &serde_json::Value,
    ) -> Result<RegisterAnswer> {
        answer(
            self.call(
                Method::PUT,
                &["ord", "acts", external_id],
                Some(key),
                Some(body),
            )
            .await?,
        )
    }

    async fn submit(&self, external_id: &str, key: &str) -> Result<RegisterAnswer> {
        let empty = serde_json::json!({});
        answer(
            self.call(
                Method::POST,
                &["ord", "acts", external_id, "submit"],
                Some(key),
                Some(&empty),
            )
            .await?,
        )
    }

    async fn status(&self, external_id: &str) -> Result<RegisterAnswer> {
        answer(
            self.call(Method::GET, &["ord", "acts", external_id], None, None)
                .await?,
        )
    }
}

fn answer(v: serde_json::Value) -> Result<RegisterAnswer> {
    serde_json::from_value(v).map_err(|e| {
        Error::new(
            ErrorCode::OperatorRejected,
            format!("Ответ ОРД не соответствует API: {e}"),
        )
    })
}
