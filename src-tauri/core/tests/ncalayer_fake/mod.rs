//! A real WebSocket-over-TLS server on 127.0.0.1 that speaks NCALayer's protocol as scripted by a
//! test, and can misbehave: wrong greeting, silence, garbage, huge frames, dropped connections.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

/// What the server does in answer to one request.
#[derive(Debug, Clone)]
pub enum Act {
    Send(String),
    Heartbeat,
    /// Close the TCP connection without a reply.
    Drop,
    /// Never answer (the connection stays open).
    Silence,
    /// A text frame of this many bytes.
    Huge(usize),
    Wait(Duration),
}

pub type Script = Arc<dyn Fn(usize, &serde_json::Value) -> Vec<Act> + Send + Sync>;

pub struct Fake {
    pub addr: SocketAddr,
    pub cert_der: Vec<u8>,
    pub ca_pem: Option<String>,
    /// Requests received (parsed JSON), in order, across connections.
    pub requests: Arc<Mutex<Vec<serde_json::Value>>>,
    /// TCP connections accepted.
    pub connections: Arc<AtomicUsize>,
    /// WebSocket upgrades completed (after TLS).
    pub upgrades: Arc<AtomicUsize>,
}

impl Fake {
    pub fn url(&self) -> String {
        format!("wss://127.0.0.1:{}/", self.addr.port())
    }
    pub fn plain_url(&self) -> String {
        format!("ws://127.0.0.1:{}/", self.addr.port())
    }
    pub fn pin(&self) -> [u8; 32] {
        Sha256::digest(&self.cert_der).into()
    }
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.requests.lock().unwrap().clone()
    }
    pub fn upgrades(&self) -> usize {
        self.upgrades.load(Ordering::SeqCst)
    }
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

pub struct Options {
    pub greeting: Option<String>,
    pub tls: bool,
    /// Issue the server certificate from a test CA (for Pinning::CaFile).
    pub with_ca: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            greeting: Some(r#"{"result":{"version":"1.4"}}"#.into()),
            tls: true,
            with_ca: false,
        }
    }
}

pub async fn start(script: Script) -> Fake {
    start_with(Options::default(), script).await
}

pub async fn start_with(options: Options, script: Script) -> Fake {
    let (cert_der, key_der, ca_pem) = certificate(options.with_ca);
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let fake = Fake {
        addr: listener.local_addr().unwrap(),
        cert_der,
        ca_pem,
        requests: Arc::default(),
        connections: Arc::default(),
        upgrades: Arc::default(),
    };
    let (requests, connections, upgrades) = (
        fake.requests.clone(),
        fake.connections.clone(),
        fake.upgrades.clone(),
    );
    let counter = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            connections.fetch_add(1, Ordering::SeqCst);
            let (acceptor, script, requests, upgrades, counter) = (
                acceptor.clone(),
                script.clone(),
                requests.clone(),
                upgrades.clone(),
                counter.clone(),
            );
            let greeting = options.greeting.clone();
            let tls = options.tls;
            tokio::spawn(async move {
                if tls {
                    let Ok(stream) = acceptor.accept(tcp).await else {
                        return;
                    };
                    serve(stream, greeting, script, requests, upgrades, counter).await;
                } else {
                    serve(tcp, greeting, script, requests, upgrades, counter).await;
                }
            });
        }
    });
    fake
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    greeting: Option<String>,
    script: Script,
    requests: Arc<Mutex<Vec<serde_json::Value>>>,
    upgrades: Arc<AtomicUsize>,
    counter: Arc<AtomicUsize>,
) {
    let config = WebSocketConfig::default().max_message_size(Some(256 << 20));
    let Ok(mut ws) = tokio_tungstenite::accept_async_with_config(stream, Some(config)).await else {
        return;
    };
    upgrades.fetch_add(1, Ordering::SeqCst);
    if let Some(g) = greeting {
        if ws.send(Message::text(g)).await.is_err() {
            return;
        }
    }
    while let Some(Ok(msg)) = ws.next().await {
        let Message::Text(text) = msg else { continue };
        if text.as_str() == "--heartbeat--" {
            let _ = ws.send(Message::text("--heartbeat--")).await;
            continue;
        }
        let request: serde_json::Value =
            serde_json::from_str(text.as_str()).unwrap_or(serde_json::Value::Null);
        requests.lock().unwrap().push(request.clone());
        let n = counter.fetch_add(1, Ordering::SeqCst);
        for act in script(n, &request) {
            match act {
                Act::Send(t) => {
                    if ws.send(Message::text(t)).await.is_err() {
                        return;
                    }
                }
                Act::Heartbeat => {
                    let _ = ws.send(Message::text("--heartbeat--")).await;
                }
                Act::Drop => return,
                Act::Silence => {
                    // Keep the socket open, answer nothing, until the client goes away.
                    while let Some(Ok(_)) = ws.next().await {}
                    return;
                }
                Act::Huge(n) => {
                    let _ = ws.send(Message::text("x".repeat(n))).await;
                }
                Act::Wait(d) => tokio::time::sleep(d).await,
            }
        }
    }
}

/// A server certificate for 127.0.0.1/localhost: self-signed, or issued by a fresh test CA.
fn certificate(with_ca: bool) -> (Vec<u8>, Vec<u8>, Option<String>) {
    let names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    if !with_ca {
        let ck = rcgen::generate_simple_self_signed(names).unwrap();
        return (ck.cert.der().to_vec(), ck.signing_key.serialize_der(), None);
    }
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Test NCA root");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(names).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    (
        cert.der().to_vec(),
        key.serialize_der(),
        Some(ca_cert.pem()),
    )
}

/// A script from a fixed list of answers, one list per request in order; past the end: silence.
pub fn replies(answers: Vec<Vec<Act>>) -> Script {
    Arc::new(move |n, _| answers.get(n).cloned().unwrap_or(vec![Act::Silence]))
}

pub fn text(s: &str) -> Act {
    Act::Send(s.to_string())
}
