//! The WebSocket server: loopback only, NCALayer's greeting, heartbeat echo, one request at a
//! time per connection; plain ws:// (tests) or wss:// with our own certificate.
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

use crate::confirm::Confirm;
use crate::fault::Fault;
use crate::keyset::KeySet;
use crate::keystore::Keystore;
use crate::protocol::{Session, GREETING, HEARTBEAT};
use crate::tls::TlsIdentity;

/// Large enough for a batch of big documents in base64 (NCALayer takes tens of MB).
pub const MAX_MESSAGE_BYTES: usize = 512 << 20;

/// How a signing server is to run; `spawn` starts it.
pub struct Server {
    addr: SocketAddr,
    keys: Vec<Keystore>,
    tls: Option<TlsIdentity>,
    confirm: Confirm,
    fault: Option<Fault>,
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
        }
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

    /// Test only: misbehave in the given way.
    pub fn fault(mut self, fault: Fault) -> Server {
        self.fault = Some(fault);
        self
    }

    /// Binds and starts serving in the background.
    pub async fn spawn(self) -> Result<Running> {
        if !self.addr.ip().is_loopback() {
            bail!(
                "refusing to listen on {}: only loopback addresses (127.0.0.0/8, ::1) are allowed",
                self.addr
            );
        }
        let listener = TcpListener::bind(self.addr)
            .await
            .with_context(|| format!("bind {}", self.addr))?;
        let addr = listener.local_addr()?;
        let acceptor = self.tls.as_ref().map(TlsIdentity::acceptor).transpose()?;
        let (stop, stopped) = watch::channel(false);
        let keys = Arc::new(KeySet::new(self.keys));
        let (confirm, fault) = (self.confirm, self.fault);
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
                let session = Session::new(keys.clone(), confirm);
                let stopped = stopped.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(tcp).await {
                                connection(tls, session, fault, stopped).await;
                            }
                        }
                        None => connection(tcp, session, fault, stopped).await,
                    }
                });
            }
        });
        Ok(Running {
            addr,
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

async fn connection<S>(
    stream: S,
    mut session: Session,
    fault: Option<Fault>,
    mut stopped: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    let Ok(ws) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await else {
        return;
    };
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
            Some(Fault::TamperSignature) => {
                crate::fault::tamper(&session.answer(text.as_str()).await)
            }
            _ => session.answer(text.as_str()).await,
        };
        if tx.send(Message::text(reply)).await.is_err() {
            break;
        }
    }
    let _ = tx.close().await;
}
