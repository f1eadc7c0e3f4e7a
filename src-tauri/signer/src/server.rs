//! The WebSocket server: loopback only, NCALayer's greeting, heartbeat echo, one request at a
//! time per connection; plain ws:// (tests) or wss:// with our own certificate.
//!
//! Unlike NCALayer, it does not answer every web page: loopback is reachable from any page the
//! user opens, so the handshake's `Origin` must be on an allow-list (the Qoltanba window's own
//! origins; programs, which send no Origin, are let in). Every prompt names the caller.
//!
//! ```no_run
//! # async fn demo(keys: Vec<qoltanba_signer::keystore::Keystore>) -> anyhow::Result<()> {
//! use qoltanba_signer::{confirm::Confirm, server::Server};
//! let running = Server::new(keys).confirm(Confirm::Auto).spawn().await?;
//! println!("{}", running.url()); // ws://127.0.0.1:<port>/
//! running.shutdown().await;
//! # Ok(()) }
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use crate::confirm::{Caller, Confirm};
use crate::fault::Fault;
use crate::keyset::KeySet;
use crate::keystore::Keystore;
use crate::protocol::{Session, GREETING, HEARTBEAT};
use crate::tls::TlsIdentity;

/// The default cap on one request: a batch as Qoltanba sends it (it splits batches at 32 MiB of
/// documents, ~43 MiB in base64) with room to spare. A page or program cannot make the signer hold
/// more in memory than this per connection; `Server::max_message_bytes` (`--max-message-mib`)
/// raises it for a client that sends more in one request.
pub const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The origins of the Qoltanba window (Tauri serves its page from these on Linux/macOS and on
/// Windows); always allowed.
pub const APP_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// The common name of the CAs `testkeys` makes: automatic approval serves only keys they issued,
/// never a real one.
pub const TEST_CA_PREFIX: &str = "QOLTANBA TEST CA";

/// How a signing server is to run; `spawn` starts it.
pub struct Server {
    addr: SocketAddr,
    keys: Vec<Keystore>,
    tls: Option<TlsIdentity>,
    confirm: Confirm,
    fault: Option<Fault>,
    origins: Vec<String>,
    max_message_bytes: usize,
    fixed_cms: Option<Vec<u8>>,
}

impl Server {
    /// Plain ws:// on 127.0.0.1 with a free port, every request approved.
    pub fn new(keystores: Vec<Keystore>) -> Server {
        Server {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keys: keystores,
            tls: None,
            confirm: Confirm::Auto,
            fault: None,
            origins: APP_ORIGINS.iter().map(|o| o.to_string()).collect(),
            max_message_bytes: MAX_MESSAGE_BYTES,
            fixed_cms: None,
        }
    }

    /// Also lets in connections whose handshake carries this `Origin` (exactly as a browser
    /// sends it, e.g. `https://edo.example.kz`; `null` for sandboxed or file pages).
    pub fn allow_origin(mut self, origin: impl Into<String>) -> Server {
        self.origins.push(origin.into());
        self
    }

    /// The largest request (one WebSocket message) taken; a larger one closes the connection.
    pub fn max_message_bytes(mut self, bytes: usize) -> Server {
        self.max_message_bytes = bytes;
        self
    }

    /// The address to bind; must be a loopback address. Port 0 picks a free port.
    pub fn addr(mut self, addr: SocketAddr) -> Server {
        self.addr = addr;
        self
    }

    /// Serve wss:// with this identity.
    pub fn tls(mut self, identity: TlsIdentity) -> Server {
        self.tls = Some(identity);
        self
    }

    pub fn confirm(mut self, confirm: Confirm) -> Server {
        self.confirm = confirm;
        self
    }

    /// Test and benchmark only: answer every basics.sign of CMS with this CMS (DER), after
    /// decoding and approving the documents as usual, to measure what the protocol itself
    /// costs. Served with test keys only, as automatic approval is.
    pub fn fixed_cms(mut self, der: Vec<u8>) -> Server {
        self.fixed_cms = Some(der);
        self
    }

    /// Test only: misbehave in the given way.
    pub fn fault(mut self, fault: Fault) -> Server {
        self.fault = Some(fault);
        self
    }

    /// Binds and starts serving in the background. Refuses automatic approval unless every key
    /// is a test key (issued by a `testkeys` CA): a real key is never used without a person.
    pub async fn spawn(self) -> Result<Running> {
        if !self.addr.ip().is_loopback() {
            bail!(
                "refusing to listen on {}: only loopback addresses (127.0.0.0/8, ::1) are allowed",
                self.addr
            );
        }
        if self.confirm == Confirm::Auto || self.fixed_cms.is_some() {
            if let Some(real) = self.keys.iter().find(|k| !is_test_key(k)) {
                bail!(
                    "refusing --confirm auto: the key {} is not a test key (issued by {:?}, not by a \
                     \"{TEST_CA_PREFIX}\" that `qoltanba-signer testkeys` makes); automatic approval \
                     serves test keys only. Use --confirm tty to approve each request",
                    real.path().display(),
                    crate::profile::Profile::of(real.certificate())
                        .issuer_cn
                        .unwrap_or_default()
                );
            }
        }
        let listener = TcpListener::bind(self.addr)
            .await
            .with_context(|| format!("bind {}", self.addr))?;
        let addr = listener.local_addr()?;
        let acceptor = self.tls.as_ref().map(TlsIdentity::acceptor).transpose()?;
        let (stop, stopped) = watch::channel(false);
        let keys = Arc::new(KeySet::new(self.keys));
        let (confirm, fault) = (self.confirm, self.fault);
        let origins = Arc::new(self.origins);
        let fixed_cms = self
            .fixed_cms
            .as_deref()
            .map(|der| Arc::new(crate::cms::pem(der)));
        let counted = keys.clone();
        let max_message = self.max_message_bytes;
        let task = tokio::spawn(async move {
            let mut stopped_accepting = stopped.clone();
            loop {
                let tcp = tokio::select! {
                    _ = stopped_accepting.changed() => break,
                    accepted = listener.accept() => match accepted {
                        Ok((tcp, _)) => tcp,
                        Err(_) => continue,
                    },
                };
                let _ = tcp.set_nodelay(true);
                let keys = keys.clone();
                let fixed_cms = fixed_cms.clone();
                let stopped = stopped.clone();
                let acceptor = acceptor.clone();
                let gate = Gate {
                    origins: origins.clone(),
                    max_message,
                };
                tokio::spawn(async move {
                    let start = move |caller| Session {
                        fixed_cms,
                        ..Session::new(keys, confirm, caller)
                    };
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(tcp).await {
                                connection(tls, gate, start, fault, stopped).await;
                            }
                        }
                        None => connection(tcp, gate, start, fault, stopped).await,
                    }
                });
            }
        });
        Ok(Running {
            addr,
            keys: counted,
            certificate_sha256: self.tls.as_ref().map(TlsIdentity::sha256_hex),
            stop,
            task,
        })
    }
}

/// A server that is listening. `shutdown` stops it, closes its connections and waits; dropping
/// it stops it too, without waiting.
pub struct Running {
    addr: SocketAddr,
    keys: Arc<KeySet>,
    certificate_sha256: Option<String>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    /// The bound address (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `ws://127.0.0.1:PORT/` or `wss://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        let scheme = if self.certificate_sha256.is_some() {
            "wss"
        } else {
            "ws"
        };
        format!("{scheme}://{}/", self.addr)
    }

    /// Items signed so far, over every connection (documents, hashes, XML documents).
    pub fn signed(&self) -> u64 {
        self.keys.signed()
    }

    /// The pin of the served certificate (TLS only).
    pub fn certificate_sha256(&self) -> Option<&str> {
        self.certificate_sha256.as_deref()
    }

    /// Stops accepting, closes open connections and waits for the listener to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// What a connection must pass before its first request: the handshake's Origin, and the size
/// of each message.
struct Gate {
    origins: Arc<Vec<String>>,
    max_message: usize,
}

impl Gate {
    /// The caller, or None when its Origin is not allowed.
    fn admit(&self, origin: Option<&str>) -> Option<Caller> {
        match origin {
            None => Some(Caller::Program),
            Some(o) if self.origins.iter().any(|a| a == o) => Some(Caller::Page(o.to_string())),
            Some(_) => None,
        }
    }
}

fn is_test_key(key: &Keystore) -> bool {
    crate::profile::Profile::of(key.certificate())
        .issuer_cn
        .is_some_and(|cn| cn.starts_with(TEST_CA_PREFIX))
}

async fn connection<S>(
    stream: S,
    gate: Gate,
    start: impl FnOnce(Caller) -> Session,
    fault: Option<Fault>,
    mut stopped: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
    let config = WebSocketConfig::default()
        .max_message_size(Some(gate.max_message))
        .max_frame_size(Some(gate.max_message));
    let mut caller = None;
    // The signature is tungstenite's handshake callback; its error type is not ours to shrink.
    #[allow(clippy::result_large_err)]
    let check = |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
        // A header that is not text is treated as an Origin no list holds.
        let origin = request
            .headers()
            .get_all("origin")
            .iter()
            .map(|v| v.to_str().unwrap_or("\u{FFFD}"))
            .collect::<Vec<_>>();
        let admitted = match origin.as_slice() {
            [] => gate.admit(None),
            [one] => gate.admit(Some(one)),
            _ => None,
        };
        match admitted {
            Some(c) => {
                caller = Some(c);
                Ok(response)
            }
            None => {
                eprintln!(
                    "refused a connection from Origin {origin:?}: not on the allow-list (--allow-origin)"
                );
                let mut refusal = ErrorResponse::new(Some(
                    "this origin may not use the signing service".to_string(),
                ));
                *refusal.status_mut() = tokio_tungstenite::tungstenite::http::StatusCode::FORBIDDEN;
                Err(refusal)
            }
        }
    };
    let Ok(ws) = tokio_tungstenite::accept_hdr_async_with_config(stream, check, Some(config)).await
    else {
        return;
    };
    let Some(caller) = caller else {
        return;
    };
    let mut session = start(caller);
    let (mut tx, mut rx) = ws.split();
    let greeting = match fault {
        Some(Fault::NoGreeting) => None,
        Some(Fault::WrongGreeting) => Some(r#"{"hello":"this is not NCALayer"}"#),
        _ => Some(GREETING),
    };
    if let Some(greeting) = greeting {
        if tx.send(Message::text(greeting)).await.is_err() {
            return;
        }
    }
    loop {
        let message = tokio::select! {
            _ = stopped.changed() => break,
            m = rx.next() => m,
        };
        let text = match message {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
            Some(Ok(_)) => continue, // pings are answered by tungstenite; binary is not ours
        };
        if text.as_str() == HEARTBEAT {
            if tx.send(Message::text(HEARTBEAT)).await.is_err() {
                break;
            }
            continue;
        }
        let reply = match fault {
            Some(Fault::CloseMidRequest) => return, // drops the socket without a close frame
            Some(Fault::NeverReply) => continue,
            Some(Fault::NonJson) => "this is not JSON".to_string(),
            Some(Fault::TamperSignature) => crate::fault::tamper(&session.answer(&text).await),
            _ => session.answer(&text).await,
        };
        if tx.send(Message::text(reply)).await.is_err() {
            break;
        }
    }
    let _ = tx.close().await;
}
