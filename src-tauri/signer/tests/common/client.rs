//! A WebSocket client over a real socket, plain or TLS with a pinned certificate, as the
//! desktop app will connect.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

pub struct Client {
    ws: WebSocketStream<Box<dyn Stream>>,
}

fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(512 << 20))
        .max_frame_size(Some(512 << 20))
}

impl Client {
    pub async fn plain(addr: SocketAddr) -> Client {
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let stream: Box<dyn Stream> = Box::new(tcp);
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            format!("ws://{addr}/"),
            stream,
            Some(config()),
        )
        .await
        .expect("websocket handshake");
        Client { ws }
    }

    /// Plain ws:// with an `Origin` header, as a browser page connects; Err with the refusal
    /// when the handshake is refused.
    pub async fn plain_with_origin(addr: SocketAddr, origin: &str) -> Result<Client, String> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let tcp = TcpStream::connect(addr).await.expect("connect");
        let stream: Box<dyn Stream> = Box::new(tcp);
        let mut request = format!("ws://{addr}/").into_client_request().unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().expect("header value"));
        match tokio_tungstenite::client_async_with_config(request, stream, Some(config())).await {
            Ok((ws, _)) => Ok(Client { ws }),
            Err(e) => Err(e.to_string()),
        }
    }

    /// TLS that accepts only a certificate whose SHA-256 is `pin`; also reports what it saw.
    pub async fn tls(addr: SocketAddr, pin: &str) -> Result<(Client, String), String> {
        let seen = Arc::new(Mutex::new(String::new()));
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier = Arc::new(Pin {
            pin: pin.to_string(),
            seen: seen.clone(),
            provider: provider.clone(),
        });
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let tls = connector
            .connect(name, tcp)
            .await
            .map_err(|e| e.to_string())?;
        let stream: Box<dyn Stream> = Box::new(tls);
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            format!("wss://{addr}/"),
            stream,
            Some(self::config()),
        )
        .await
        .map_err(|e| e.to_string())?;
        let seen = seen.lock().unwrap().clone();
        Ok((Client { ws }, seen))
    }

    /// Sends, or false when the server has closed (e.g. mid-way through a message over its cap).
    pub async fn try_send_text(&mut self, text: &str) -> bool {
        self.ws.send(Message::text(text)).await.is_ok()
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send");
    }

    /// The next text frame, or None when the connection ended.
    pub async fn next_text(&mut self) -> Option<String> {
        loop {
            match self.ws.next().await? {
                Ok(Message::Text(t)) => return Some(t.to_string()),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            }
        }
    }

    /// Reads the greeting and checks it is NCALayer's.
    pub async fn connect_plain(addr: SocketAddr) -> Client {
        let mut c = Client::plain(addr).await;
        let greeting = c.next_text().await.expect("greeting");
        assert_eq!(greeting, r#"{"result":{"version":"1.4"}}"#);
        c
    }

    pub async fn request(&mut self, request: Value) -> Value {
        self.send_text(&request.to_string()).await;
        let reply = self.next_text().await.expect("reply");
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("reply not JSON ({e}): {reply}"))
    }
}

#[derive(Debug)]
struct Pin {
    pin: String,
    seen: Arc<Mutex<String>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pin {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got = hex::encode(Sha256::digest(end_entity.as_ref()));
        *self.seen.lock().unwrap() = got.clone();
        if got == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(format!("pin mismatch: {got}")))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
