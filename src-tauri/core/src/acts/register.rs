//! Sending acts to the ORD (`/ord/acts/...` of operator-api.md): put the act, submit it, read
//! the register's answer, send deletion requests. The account's base URL and keychain token are
//! the operator client's; the HTTP calls are here because operator::HttpOperator does not offer
//! the `ord` calls (yet) and its request helpers are private to it.

use super::act::ActDraft;
use super::saved::{refusal, Act, ActId, RegisterError};
use crate::error::{Error, ErrorCode, Result};
use crate::operator::{current_account, load_token, parse_base_url, Token};
use crate::store::Access;
use crate::store::{sha256_hex, Store};
use reqwest::{Method, Url};
use serde::Deserialize;
use std::time::Duration;

/// The ORD's part of the operator API, with one account's token.
#[derive(Clone)]
pub struct OrdClient {
    base: Url,
    token: Token,
    client: reqwest::Client,
}

impl std::fmt::Debug for OrdClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrdClient")
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
}

#[derive(Deserialize)]
struct Problem {
    code: Option<String>,
    detail: Option<String>,
}

impl OrdClient {
    /// A client for `base_url` (https, or http on loopback only: the token never crosses a
    /// network in clear text).
    pub fn new(base_url: &str, token: Token) -> Result<OrdClient> {
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
        Ok(OrdClient {
            base,
            token,
            client,
        })
    }

    /// The current operator account's client (token from the OS keychain).
    pub fn for_account(store: &Store) -> Result<OrdClient> {
        let account = current_account(store)?;
        OrdClient::new(&account.url, load_token(&account.name)?)
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
        let mut r = self
            .client
            .request(method, self.url(segments))
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
        serde_json::from_slice(&bytes)
            .map_err(|_| Error::new(ErrorCode::OperatorRejected, "ОРД прислал не JSON"))
    }

    pub async fn put_act(
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

    pub async fn submit(&self, external_id: &str, key: &str) -> Result<RegisterAnswer> {
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

    pub async fn status(&self, external_id: &str) -> Result<RegisterAnswer> {
        answer(
            self.call(Method::GET, &["ord", "acts", external_id], None, None)
                .await?,
        )
    }

    pub async fn request_deletion(
        &self,
        external_id: &str,
        key: &str,
        reason: &str,
    ) -> Result<String> {
        let v = self
            .call(
                Method::POST,
                &["ord", "acts", external_id, "deletion-requests"],
                Some(key),
                Some(&serde_json::json!({ "reason": reason })),
            )
            .await?;
        Ok(v["id"].as_str().unwrap_or_default().to_string())
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

/// The body the ORD receives: the act with each allocation's linked statistics.
pub fn wire_body(store: &Store, act: &Act) -> Result<serde_json::Value> {
    let mut draft: ActDraft = act.draft.clone();
    for (i, line) in draft.allocations.iter_mut().enumerate() {
        let linked = store.allocation_statistics(act.id, i)?;
        if !linked.is_empty() {
            line.statistics = linked.into_iter().map(|s| s.id).collect();
        }
    }
    Ok(serde_json::to_value(&draft).expect("an act serialises"))
}

/// Checks the act, puts it to the ORD and submits it; records what the register says. An act
/// that breaks a rule is not sent: the error lists every field.
pub async fn submit_act<A: Access>(store: &mut A, id: ActId, ord: &OrdClient) -> Result<Act> {
    let act = store.with(|s| s.act(id))?;
    if matches!(act.register_status.as_str(), "processing" | "accepted") {
        return Err(Error::new(
            ErrorCode::InvalidTransition,
            format!(
                "Акт №{id} уже {}: отправлять его снова не нужно",
                act.register_status
            ),
        ));
    }
    let violations = store.with(|s| s.check_act(&act.draft))?;
    if !violations.is_empty() {
        let e = refusal(&violations);
        return Err(Error::invalid(e.message.replacen(
            "Акт не сохранён",
            "Акт не отправлен",
            1,
        )));
    }
    let body = store.with(|s| wire_body(s, &act))?;
    let text = body.to_string();
    // Keys from the content: a retry of the same act after a crash is the same request.
    let put_key = sha256_hex(format!("put\n{}\n{text}", act.external_id).as_bytes());
    let put = ord.put_act(&act.external_id, &put_key, &body).await?;
    store.with(|s| s.record_register_answer(id, &put.register_status, &put.register_errors))?;
    let n = act.submissions + 1;
    let submit_key = sha256_hex(format!("submit\n{}\n{n}\n{text}", act.external_id).as_bytes());
    let submitted = ord.submit(&act.external_id, &submit_key).await?;
    store.with(|s| {
        s.record_submission(id)?;
        s.record_register_answer(id, &submitted.register_status, &submitted.register_errors)
    })
}

/// Reads the register's current answer for the act and records it.
pub async fn refresh_act<A: Access>(store: &mut A, id: ActId, ord: &OrdClient) -> Result<Act> {
    let act = store.with(|s| s.act(id))?;
    let a = ord.status(&act.external_id).await?;
    store.with(|s| s.record_register_answer(id, &a.register_status, &a.register_errors))
}

/// Polls until the register has decided (not `processing`) or `timeout` passes.
pub async fn await_register<A: Access>(
    store: &mut A,
    id: ActId,
    ord: &OrdClient,
    timeout: Duration,
) -> Result<Act> {
    let until = tokio::time::Instant::now() + timeout;
    loop {
        let act = refresh_act(store, id, ord).await?;
        if act.register_status != "processing" || tokio::time::Instant::now() >= until {
            return Ok(act);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends the deletion requests not yet sent; returns how many went.
pub async fn send_deletion_requests<A: Access>(store: &mut A, ord: &OrdClient) -> Result<usize> {
    let mut sent = 0;
    for r in store.with(|s| s.unsent_deletion_requests())? {
        let act = store.with(|s| s.act(r.act_id))?;
        let remote = ord
            .request_deletion(&act.external_id, &r.idempotency_key, &r.reason)
            .await?;
        store.with(|s| s.mark_deletion_sent(r.id, &remote))?;
        sent += 1;
    }
    Ok(sent)
}
