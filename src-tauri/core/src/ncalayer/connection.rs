//! One WebSocket connection to NCALayer: TCP, our own TLS (trust by pin/CA/first use), the
//! WebSocket upgrade, the greeting, then strictly one request and its reply at a time.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::http::Uri;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use super::failure::Failure;
use super::pinning::{client_config, Pinning, Presented};
use crate::ErrorCode;

/// The text both sides may send to keep a connection alive; never a reply.
pub(crate) const HEARTBEAT: &str = "--heartbeat--";

pub(crate) trait Transport: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Transport for T {}

/// Where NCALayer listens, parsed from the configured URL.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub url: String,
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub loopback: bool,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint, Failure> {
        let bad = |why: &str| {
            Failure::new(
                ErrorCode::InvalidInput,
                format!("Неверный адрес NCALayer «{url}»: {why}"),
            )
        };
        let uri: Uri = url.parse().map_err(|_| bad("не URL"))?;
        let tls = match uri.scheme_str() {
            Some("wss") => true,
            Some("ws") => false,
            _ => return Err(bad("нужна схема wss:// (или ws:// для 127.0.0.1)")),
        };
        let host = uri
            .host()
            .ok_or_else(|| bad("нет хоста"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
        // NCALayer runs on the user's own computer; a document sent to another host would leave
        // it, pinned certificate or not (docs/SECURITY.md).
        if !loopback {
            return Err(bad(
                "NCALayer работает только на этом компьютере: адрес должен быть 127.0.0.1 или localhost",
            ));
        }
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok(Endpoint {
            url: url.to_string(),
            host,
            port,
            tls,
            loopback,
        })
    }
}

/// An open, greeted connection.
pub(crate) struct Connection {
    ws: WebSocketStream<Box<dyn Transport>>,
    pub version: String,
    /// Set while a request waits for its reply. Still set later means the caller gave up
    /// mid-request (its future was dropped): the reply may yet arrive, so the connection is unusable.
    awaiting_reply: bool,
}

/// What a failed connect attempt still learned (the presented certificate, for diagnostics).
pub(crate) struct Attempt {
    pub result: Result<Connection, Failure>,
    pub certificate_sha256: Option<[u8; 32]>,
}

/// Connects and upgrades within `timeout`, then waits as long again for the greeting.
pub(crate) async fn open(
    endpoint: &Endpoint,
    trust: &Pinning,
    timeout: Duration,
    max_message_bytes: usize,
) -> Attempt {
    let presented = Arc::new(Mutex::new(Presented::default()));
    let work = open_inner(endpoint, trust, presented.clone(), max_message_bytes);
    let result = match tokio::time::timeout(timeout, work).await {
        Ok(Ok(conn)) => greet(conn, timeout).await,
        Ok(Err(f)) => Err(f),
        Err(_) => Err(Failure::new(
            ErrorCode::SignerUnavailable,
            format!(
                "NCALayer не ответил за {} с. Убедитесь, что NCALayer запущен",
                timeout.as_secs()
            ),
        )),
    };
    let certificate_sha256 = presented.lock().unwrap_or_else(|p| p.into_inner()).sha256;
    Attempt {
        result,
        certificate_sha256,
    }
}

async fn open_inner(
    endpoint: &Endpoint,
    trust: &Pinning,
    presented: Arc<Mutex<Presented>>,
    max_message_bytes: usize,
) -> Result<Connection, Failure> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port))
        .await
        .map_err(Failure::not_running)?;
    let _ = tcp.set_nodelay(true);
    let stream: Box<dyn Transport> = if endpoint.tls {
        let config = client_config(trust, presented.clone())?;
        let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone())
            .map_err(|_| Failure::new(ErrorCode::InvalidInput, "Неверное имя хоста NCALayer"))?;
        match TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
        {
            Ok(tls) => Box::new(tls),
            Err(e) => return Err(tls_failure(e, &presented)),
        }
    } else {
        Box::new(tcp)
    };
    let ws_config = WebSocketConfig::default()
        .max_message_size(Some(max_message_bytes))
        .max_frame_size(Some(max_message_bytes));
    let (ws, _) =
        tokio_tungstenite::client_async_with_config(endpoint.url.as_str(), stream, Some(ws_config))
            .await
            .map_err(|e| not_ncalayer(format!("нет WebSocket ({e})")))?;
    Ok(Connection {
        ws,
        version: String::new(),
        awaiting_reply: false,
    })
}

/// NCALayer greets first; silence or anything but `{"result":{"version":…}}` is not NCALayer.
async fn greet(mut conn: Connection, timeout: Duration) -> Result<Connection, Failure> {
    let greeting = match tokio::time::timeout(timeout, conn.next_reply()).await {
        Err(_) => return Err(not_ncalayer("нет приветствия")),
        Ok(Err(f)) if f.code == ErrorCode::SignerProtocol => return Err(f),
        Ok(Err(f)) => return Err(not_ncalayer(format!("нет приветствия ({})", f.message))),
        Ok(Ok(text)) => text,
    };
    conn.version = greeting_version(&greeting)?;
    Ok(conn)
}

fn not_ncalayer(detail: impl std::fmt::Display) -> Failure {
    Failure::new(
        ErrorCode::SignerProtocol,
        format!("Программа на этом порту не похожа на NCALayer: {detail}"),
    )
}

/// `{"result":{"version":"1.4"}}`; anything else is not NCALayer.
fn greeting_version(text: &str) -> Result<String, Failure> {
    let value: Value =
        serde_json::from_str(text).map_err(|_| not_ncalayer("приветствие не JSON"))?;
    match value.pointer("/result/version") {
        Some(Value::String(v)) if !v.trim().is_empty() => Ok(v.clone()),
        _ => Err(not_ncalayer("в приветствии нет версии")),
    }
}

fn tls_failure(e: std::io::Error, presented: &Mutex<Presented>) -> Failure {
    let seen = presented.lock().unwrap_or_else(|p| p.into_inner());
    if seen.pin_mismatch {
        return Failure::new(
            ErrorCode::CertificatePin,
            "Сертификат NCALayer не совпадает с подтверждённым ранее: порт может занимать другая \
             программа. Документы не отправлены",
        );
    }
    let invalid_certificate = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| matches!(r, rustls::Error::InvalidCertificate(_)));
    if invalid_certificate {
        return Failure::new(
            ErrorCode::CertificatePin,
            format!("Сертификат NCALayer не прошёл проверку: {e}. Документы не отправлены"),
        );
    }
    if seen.sha256.is_some() {
        return Failure::new(
            ErrorCode::CertificatePin,
            format!("Защищённое соединение с NCALayer не установлено: {e}"),
        );
    }
    not_ncalayer(format!("TLS не установлен ({e})"))
}

impl Connection {
    /// Sends one request (its text moves into the message, not copied); `reply` then waits
    /// for the answer.
    pub async fn send(&mut self, request: String) -> Result<(), Failure> {
        self.awaiting_reply = true;
        self.ws
            .send(Message::text(request))
            .await
            .map_err(read_failure)
    }

    /// The reply to the request sent; heartbeats in between are skipped.
    pub async fn reply(&mut self, timeout: Duration) -> Result<String, Failure> {
        match tokio::time::timeout(timeout, self.next_reply()).await {
            Ok(Ok(reply)) => {
                self.awaiting_reply = false;
                Ok(reply)
            }
            Ok(Err(f)) => Err(f),
            Err(_) => Err(Failure::new(
                ErrorCode::Timeout,
                format!(
                    "NCALayer не ответил за {} с; повторите попытку",
                    timeout.as_secs()
                ),
            )),
        }
    }

    /// Whether the connection can carry a new request: no abandoned request, and nothing but
    /// heartbeats arrived while idle (a close, an error or a stray reply means NCALayer went away
    /// or restarted; reconnecting then is safe because nothing was sent).
    pub fn usable(&mut self) -> bool {
        if self.awaiting_reply {
            return false;
        }
        loop {
            match self.ws.next().now_or_never() {
                None => return true,
                Some(Some(Ok(Message::Text(t)))) if t.as_str().trim() == HEARTBEAT => continue,
                Some(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Some(_) => return false,
            }
        }
    }

    /// The next text frame that is not a heartbeat.
    async fn next_reply(&mut self) -> Result<String, Failure> {
        loop {
            match self.ws.next().await {
                Some(Ok(Message::Text(text))) => {
                    if text.as_str().trim() == HEARTBEAT {
                        continue;
                    }
                    return Ok(text.as_str().to_string());
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                Some(Ok(Message::Binary(_))) => {
                    return Err(Failure::protocol("двоичный кадр вместо JSON"))
                }
                Some(Ok(Message::Close(_))) | None => {
                    return Err(Failure::connection_lost("NCALayer закрыл соединение"))
                }
                Some(Err(e)) => return Err(read_failure(e)),
            }
        }
    }

    pub async fn close(mut self) {
        let _ = tokio::time::timeout(Duration::from_millis(200), self.ws.close(None)).await;
    }
}

fn read_failure(e: WsError) -> Failure {
    match e {
        WsError::Capacity(c) => Failure::protocol(format!("слишком большое сообщение ({c})")),
        WsError::Utf8(_) => Failure::protocol("текст не в UTF-8"),
        other => Failure::connection_lost(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ws_only_for_loopback() {
        assert!(!Endpoint::parse("ws://127.0.0.1:13579/").unwrap().tls);
        assert!(Endpoint::parse("ws://localhost:13579/").unwrap().loopback);
        assert!(Endpoint::parse("ws://[::1]:13579/").unwrap().loopback);
        let remote = Endpoint::parse("ws://10.0.0.5:13579/").unwrap_err();
        assert_eq!(remote.code, ErrorCode::InvalidInput);
        assert!(Endpoint::parse("wss://127.0.0.1:13579/").unwrap().tls);
        assert!(Endpoint::parse("http://127.0.0.1/").is_err());
    }

    #[test]
    fn greeting_needs_a_version() {
        assert_eq!(
            greeting_version(r#"{"result":{"version":"1.4"}}"#).unwrap(),
            "1.4"
        );
        for bad in [r#"{"result":{}}"#, r#"{"version":"1.4"}"#, "hello", "[]"] {
            assert_eq!(
                greeting_version(bad).unwrap_err().code,
                ErrorCode::SignerProtocol
            );
        }
    }
}
