//! The first adapter: operator-api.md over HTTPS (reqwest + rustls, one crypto provider). Every
//! reply is size-capped while it streams in, problem+json errors become typed failures, and JSON
//! of another shape is a clear error rather than a guess.

use super::limits::{MAX_JSON_BYTES, MAX_PROBLEM_BYTES};
use super::wire::*;
use super::{Failure, Operator, Token};
use crate::error::{Error, ErrorCode, Result};
use reqwest::{header, Method, RequestBuilder, Response, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The whole request, reply included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_json_bytes: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_json_bytes: MAX_JSON_BYTES,
        }
    }
}

/// An operator reached over HTTP(S) with one account's token (or a shared link's).
#[derive(Clone)]
pub struct HttpOperator {
    base: Url,
    token: Option<Token>,
    client: reqwest::Client,
    settings: HttpSettings,
}

impl std::fmt::Debug for HttpOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpOperator")
            .field("base", &self.base.as_str())
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Checks an operator's base URL: https, or plain http on this computer only (a token must
/// never cross a network in clear text).
pub(crate) fn parse_base_url(text: &str) -> Result<Url> {
    let url = Url::parse(text.trim()).map_err(|_| {
        // The text is echoed only when it cannot carry a password (no '@'): a mistyped
        // `https://:secret@host` must not end up on screen or in a log.
        let shown = if text.contains('@') {
            "Этот текст".to_string()
        } else {
            format!("«{}»", text.trim())
        };
        Error::invalid(format!(
            "{shown} не похож на адрес оператора; пример: https://edo.example.kz/api/v1"
        ))
    })?;
    // A password (or a login) in the address would be stored, shown in the settings and
    // diagnostics, and sent to every host on a redirect: the operator's secret is the token,
    // which lives in the keychain. Refused without repeating the address.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "Адрес оператора содержит логин или пароль (часть «…@» перед хостом). Уберите её: \
             доступ даёт только токен, он хранится в системном хранилище ключей. Ничего не сохранено",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid(
                "Адрес оператора должен начинаться с https:// (http:// допустим только для 127.0.0.1 и localhost)",
            ))
        }
        _ => {
            return Err(Error::invalid(
                "Адрес оператора должен начинаться с https://",
            ))
        }
    }
    if url.cannot_be_a_base() || url.query().is_some() {
        return Err(Error::invalid(
            "Адрес оператора должен быть вида https://хост/путь без параметров и логина",
        ));
    }
    Ok(url)
}

fn retry_after(r: &Response) -> Option<Duration> {
    r.headers()
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(24 * 3600)))
}

fn network(e: reqwest::Error) -> Failure {
    // reqwest's text names the URL (never a header): no token can leak through it.
    let why = if e.is_timeout() {
        "оператор не ответил вовремя".to_string()
    } else if e.is_connect() {
        "нет соединения с сервером оператора".to_string()
    } else if e.is_body() || e.is_decode() {
        "соединение оборвалось во время передачи".to_string()
    } else {
        "ошибка сети".to_string()
    };
    let mut f = Failure::unreachable(format!(
        "Оператор недоступен: {why}. Решения сохранены и уйдут, когда связь восстановится"
    ));
    f.detail = Some(e.without_url().to_string());
    f
}

/// Reads a body up to `limit` bytes, refusing (without reading the rest) anything longer. Every
/// reply from outside (operator, shared link, ORD) is read through it.
pub(crate) async fn read_limited(
    mut r: Response,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, Failure> {
    let too_large = || {
        Failure::protocol(format!(
            "Оператор прислал слишком большой ответ ({what}): больше {limit} байт; ответ отброшен"
        ))
    };
    if r.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(r.content_length().unwrap_or(0).min(limit) as usize);
    while let Some(chunk) = r.chunk().await.map_err(network)? {
        if out.len() as u64 + chunk.len() as u64 > limit {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Turns a non-2xx answer into a typed failure with the server's code and detail.
async fn refusal(r: Response) -> Failure {
    let status = r.status().as_u16();
    let wait = retry_after(&r);
    let body = read_limited(r, MAX_PROBLEM_BYTES, "ошибка")
        .await
        .unwrap_or_default();
    let problem: Problem = serde_json::from_slice(&body).unwrap_or_default();
    let detail = problem.detail.clone().or(problem.title.clone());
    let said = match (&problem.code, &detail) {
        (Some(c), Some(d)) => format!(": {d} ({c})"),
        (None, Some(d)) => format!(": {d}"),
        (Some(c), None) => format!(" ({c})"),
        (None, None) => String::new(),
    };
    let (code, message) = match status {
        401 => (
            ErrorCode::Unauthorized,
            "Оператор не принял токен (HTTP 401): он неверен или истёк. Получите новый токен у оператора и добавьте его: qoltanba account add --url АДРЕС --token-stdin. Решения в очереди сохранены".to_string(),
        ),
        429 => (
            ErrorCode::OperatorRejected,
            format!("Оператор просит подождать (HTTP 429){said}"),
        ),
        s if s >= 500 => (
            ErrorCode::OperatorUnreachable,
            format!("Сервер оператора временно не работает (HTTP {s}){said}. Повторим позже"),
        ),
        s => (
            ErrorCode::OperatorRejected,
            format!("Оператор отклонил запрос (HTTP {s}){said}"),
        ),
    };
    Failure {
        error: Error::new(code, message),
        status: Some(status),
        problem_code: problem.code,
        detail,
        retry_after: wait,
    }
}

impl HttpOperator {
    pub fn new(base_url: &str, token: Option<Token>, settings: HttpSettings) -> Result<Self> {
        let base = parse_base_url(base_url)?;
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .user_agent(concat!("qoltanba/", env!("CARGO_PKG_VERSION")))
            // A redirect could carry the bearer token to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorCode::OperatorUnreachable,
                    format!("Не удалось подготовить HTTPS-клиент: {e}"),
                )
            })?;
        Ok(HttpOperator {
            base,
            token,
            client,
            settings,
        })
    }

    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The same server and connection pool with another token (a shared link's).
    pub fn with_token(&self, token: Token) -> HttpOperator {
        HttpOperator {
            token: Some(token),
            ..self.clone()
        }
    }

    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut u = self.base.clone();
        u.path_segments_mut()
            .expect("checked: the base URL can be a base")
            .pop_if_empty()
            .extend(segments);
        if !query.is_empty() {
            u.query_pairs_mut().extend_pairs(query);
        }
        u
    }

    fn request(&self, method: Method, url: Url) -> RequestBuilder {
        let r = self
            .client
            .request(method, url)
            .header(header::ACCEPT, "application/json");
        match &self.token {
            Some(t) => r.bearer_auth(t.expose()),
            None => r,
        }
    }

    async fn send(&self, r: RequestBuilder) -> Result<Response, Failure> {
        let r = r.send().await.map_err(network)?;
        if r.status().is_success() {
            Ok(r)
        } else {
            Err(refusal(r).await)
        }
    }

    async fn json<T: DeserializeOwned>(&self, r: RequestBuilder, what: &str) -> Result<T, Failure> {
        let r = self.send(r).await?;
        let body = read_limited(r, self.settings.max_json_bytes, what).await?;
        let value: serde_json::Value = serde_json::from_slice(&body).map_err(|_| {
            Failure::protocol(format!(
                "Оператор прислал не JSON в ответ на запрос «{what}»: это не сервер API оператора или он неисправен"
            ))
        })?;
        serde_json::from_value(value).map_err(|e| {
            Failure::protocol(format!(
                "Ответ оператора на запрос «{what}» не соответствует API: {e}"
            ))
        })
    }

    async fn write<T: DeserializeOwned, B: serde::Serialize>(
        &self,
        segments: &[&str],
        key: &str,
        body: &B,
        what: &str,
    ) -> Result<T, Failure> {
        let r = self
            .request(Method::POST, self.url(segments, &[]))
            .header("Idempotency-Key", key)
            .json(body);
        self.json(r, what).await
    }

    /// Opens a shared link with its authorisation code (no account needed).
    pub async fn open_shared(&self, link: &str, code: &str) -> Result<SharedAccess, Failure> {
        let r = self
            .client
            .post(self.url(&["shared", "open"], &[]))
            .json(&serde_json::json!({"link": link, "code": code}));
        let r = r.send().await.map_err(network)?;
        if !r.status().is_success() {
            return Err(refusal(r).await);
        }
        let body = read_limited(r, MAX_PROBLEM_BYTES, "открытие ссылки").await?;
        // Not `{e}`: serde would quote part of the body, which holds the access token.
        serde_json::from_slice(&body).map_err(|_| {
            Failure::protocol("Ответ оператора на открытие ссылки не соответствует API")
        })
    }
}

fn page_query(after: Option<&str>) -> Vec<(&str, &str)> {
    let mut q = vec![("limit", "500")];
    if let Some(a) = after {
        q.push(("after", a));
    }
    q
}

impl Operator for HttpOperator {
    async fn whoami(&self) -> Result<Me, Failure> {
        let r = self.request(Method::GET, self.url(&["me"], &[]));
        self.json(r, "сведения об учётной записи").await
    }

    async fn events(&self, after: Option<&str>) -> Result<EventPage, Failure> {
        let q = page_query(after);
        let r = self.request(Method::GET, self.url(&["inbox", "events"], &q));
        self.json(r, "лента изменений").await
    }

    async fn inbox(&self, after: Option<&str>) -> Result<DocumentPage, Failure> {
        let q = page_query(after);
        let r = self.request(Method::GET, self.url(&["inbox", "documents"], &q));
        self.json(r, "список входящих").await
    }

    async fn document(&self, id: &str) -> Result<RemoteDocument, Failure> {
        let r = self.request(Method::GET, self.url(&["documents", id], &[]));
        self.json(r, &format!("документ {id}")).await
    }

    async fn attachment(
        &self,
        document_id: &str,
        attachment_id: &str,
        max_bytes: u64,
    ) -> Result<Vec<u8>, Failure> {
        let url = self.url(
            &["documents", document_id, "attachments", attachment_id],
            &[],
        );
        let r = self
            .send(self.request(Method::GET, url).header(header::ACCEPT, "*/*"))
            .await?;
        read_limited(r, max_bytes, &format!("файл {attachment_id}")).await
    }

    async fn send_signature(
        &self,
        document_id: &str,
        idempotency_key: &str,
        body: &SignatureBody,
    ) -> Result<Accepted, Failure> {
        self.write(
            &["documents", document_id, "signatures"],
            idempotency_key,
            body,
            "отправка подписи",
        )
        .await
    }

    async fn send_rejection(
        &self,
        document_id: &str,
        idempotency_key: &str,
        body: &RejectionBody,
    ) -> Result<Accepted, Failure> {
        self.write(
            &["documents", document_id, "rejections"],
            idempotency_key,
            body,
            "отправка отказа",
        )
        .await
    }

    async fn receipt(&self, receipt_id: &str) -> Result<Receipt, Failure> {
        let r = self.request(Method::GET, self.url(&["receipts", receipt_id], &[]));
        self.json(r, "квитанция").await
    }
}
