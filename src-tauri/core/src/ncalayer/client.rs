//! The NCALayer client: one connection, one request in flight (NCALayer has no request ids, so
//! the next non-heartbeat frame is the reply), reconnect on the next call after any transport
//! failure.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::Mutex;

use super::connection::{open, Connection, Endpoint};
use super::failure::Failure;
use super::key_info::KeyInfo;
use super::pinning::Pinning;
use super::reply;
use super::request::{self, KeyType, SignOptions};
use crate::ErrorCode;

pub const DEFAULT_URL: &str = "wss://127.0.0.1:13579/";

#[derive(Debug, Clone)]
pub struct Settings {
    pub url: String,
    pub trust: Pinning,
    /// TCP + TLS + WebSocket + greeting.
    pub connect_timeout: Duration,
    /// How long a reply may take: the user picks a key and types a PIN in NCALayer's dialog.
    pub reply_timeout: Duration,
    /// Largest incoming message; a bigger one is refused without being read into memory.
    pub max_message_bytes: usize,
}

impl Settings {
    pub fn new(trust: Pinning) -> Settings {
        Settings {
            url: DEFAULT_URL.into(),
            trust,
            connect_timeout: Duration::from_secs(4),
            reply_timeout: Duration::from_secs(300),
            max_message_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What the last connection attempt showed: for the diagnostics screen and support reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub url: String,
    /// wss://: the channel is encrypted.
    pub encrypted: bool,
    /// ws:// to a loopback address: allowed, but said out loud.
    pub plain_loopback: bool,
    pub trust: String,
    pub connected: bool,
    /// NCALayer's version from its greeting.
    pub version: Option<String>,
    /// SHA-256 of the certificate the server presented (hex), to show and to pin.
    pub certificate_sha256: Option<String>,
    /// False in first-use mode: nothing is sent until the user confirms the certificate.
    pub confirmed: bool,
    pub last_error: Option<String>,
}

struct Link {
    trust: Pinning,
    conn: Option<Connection>,
    diagnostics: Diagnostics,
}

pub struct NcaLayer {
    endpoint: Endpoint,
    settings: Settings,
    link: Mutex<Link>,
}

impl NcaLayer {
    /// Checks the URL (plain ws:// only for loopback); connects lazily on first use.
    pub fn new(settings: Settings) -> Result<NcaLayer, Failure> {
        let endpoint = Endpoint::parse(&settings.url)?;
        let diagnostics = Diagnostics {
            url: endpoint.url.clone(),
            encrypted: endpoint.tls,
            plain_loopback: !endpoint.tls && endpoint.loopback,
            trust: settings.trust.describe(),
            ..Diagnostics::default()
        };
        Ok(NcaLayer {
            endpoint,
            link: Mutex::new(Link {
                trust: settings.trust.clone(),
                conn: None,
                diagnostics,
            }),
            settings,
        })
    }

    /// Connects afresh (a "check connection" button must not report a connection that died
    /// since) and reports what was seen. In first-use mode this is how the caller learns the
    /// certificate's SHA-256 to show the user.
    pub async fn probe(&self) -> Diagnostics {
        let mut link = self.link.lock().await;
        if let Some(conn) = link.conn.take() {
            conn.close().await;
        }
        let _ = self.ensure_connected(&mut link).await;
        link.diagnostics.clone()
    }

    /// The last known state, without connecting.
    pub async fn diagnostics(&self) -> Diagnostics {
        self.link.lock().await.diagnostics.clone()
    }

    /// Replaces the trust (e.g. the user confirmed the fingerprint: `Pinning::Pin`); the current
    /// connection is dropped so the next request shakes hands under the new trust.
    pub async fn set_trust(&self, trust: Pinning) {
        let mut link = self.link.lock().await;
        if let Some(conn) = link.conn.take() {
            conn.close().await;
        }
        link.diagnostics.trust = trust.describe();
        link.diagnostics.connected = false;
        link.trust = trust;
    }

    /// NCALayer's version from its greeting.
    pub async fn version(&self) -> Result<String, Failure> {
        let mut link = self.link.lock().await;
        self.ensure_connected(&mut link).await?;
        Ok(link
            .conn
            .as_ref()
            .map(|c| c.version.clone())
            .unwrap_or_default())
    }

    async fn ensure_connected(&self, link: &mut Link) -> Result<(), Failure> {
        match link.conn.as_mut().map(Connection::usable) {
            Some(true) => return Ok(()),
            Some(false) => {
                if let Some(conn) = link.conn.take() {
                    conn.close().await;
                }
            }
            None => {}
        }
        let attempt = open(
            &self.endpoint,
            &link.trust,
            self.settings.connect_timeout,
            self.settings.max_message_bytes,
        )
        .await;
        let d = &mut link.diagnostics;
        d.certificate_sha256 = attempt.certificate_sha256.map(hex::encode);
        d.confirmed = !matches!(link.trust, Pinning::FirstUse) || !self.endpoint.tls;
        match attempt.result {
            Ok(conn) => {
                d.connected = true;
                d.version = Some(conn.version.clone());
                d.last_error = None;
                link.conn = Some(conn);
                Ok(())
            }
            Err(f) => {
                d.connected = false;
                d.last_error = Some(f.message.clone());
                Err(f)
            }
        }
    }

    /// Sends one request and returns its result; the lock makes concurrent callers queue.
    pub(crate) async fn call(&self, body: String) -> Result<Option<Value>, Failure> {
        self.call_overlapped(body, || ()).await.0
    }

    /// As `call`, running `meanwhile` once the request is sent, while NCALayer works on it (the
    /// next chunk of a batch is read and encoded then). NCALayer takes one request at a time,
    /// so nothing else is sent before the reply. `meanwhile` does not run when the request
    /// could not be sent.
    pub(crate) async fn call_overlapped<T>(
        &self,
        body: String,
        meanwhile: impl FnOnce() -> T,
    ) -> (Result<Option<Value>, Failure>, Option<T>) {
        let mut link = self.link.lock().await;
        if let Err(f) = self.ensure_connected(&mut link).await {
            return (Err(f), None);
        }
        // Plain ws:// (loopback only) has no certificate to confirm.
        if matches!(link.trust, Pinning::FirstUse) && self.endpoint.tls {
            return (
                Err(Failure::new(
                    ErrorCode::CertificatePin,
                    "Сертификат NCALayer ещё не подтверждён: сверьте отпечаток и подтвердите его. \
                     Ничего не отправлено",
                )),
                None,
            );
        }
        let Some(conn) = link.conn.as_mut() else {
            return (Err(Failure::connection_lost("нет соединения")), None);
        };
        let timeout = self.settings.reply_timeout;
        let (reply, done) = match conn.send(body).await {
            Ok(()) => {
                // The reply waits in the socket while `meanwhile` runs on this task.
                let (reply, done) = tokio::join!(conn.reply(timeout), async { meanwhile() });
                (reply, Some(done))
            }
            Err(f) => (Err(f), None),
        };
        match reply {
            Ok(text) => (reply::parse(&text), done),
            Err(f) => {
                // The stream's state is unknown (a late reply would answer the next request):
                // drop it; the next call reconnects.
                if let Some(conn) = link.conn.take() {
                    conn.close().await;
                }
                link.diagnostics.connected = false;
                link.diagnostics.last_error = Some(f.message.clone());
                (Err(f), done)
            }
        }
    }

    // ---- kz.gov.pki.knca.commonUtils ----

    /// Hardware storages with a device present (PKCS12 is never listed).
    pub async fn get_active_tokens(&self) -> Result<Vec<String>, Failure> {
        let r = self
            .call(request::common_utils("getActiveTokens", vec![]))
            .await?;
        match r {
            None => Ok(vec![]),
            Some(Value::Array(_)) => reply::strings(r),
            Some(_) => Err(Failure::protocol("getActiveTokens: не массив")),
        }
    }

    pub async fn get_key_info(&self, storage: &str) -> Result<KeyInfo, Failure> {
        let r = self
            .call(request::common_utils("getKeyInfo", vec![storage.into()]))
            .await?;
        KeyInfo::from_response(r)
    }

    /// CMS over the data (attached or detached), as DER.
    pub async fn create_cades_from_base64(
        &self,
        storage: &str,
        key: KeyType,
        data: &[u8],
        attach: bool,
    ) -> Result<Vec<u8>, Failure> {
        let args = vec![
            storage.into(),
            request::key_type(key),
            request::b64(data).into(),
            attach.into(),
        ];
        let r = self
            .call(request::common_utils("createCAdESFromBase64", args))
            .await?;
        reply::cms_to_der(&reply::single(r)?)
    }

    /// Detached CMS over a hash computed by the caller, as DER.
    pub async fn create_cades_from_base64_hash(
        &self,
        storage: &str,
        key: KeyType,
        hash: &[u8],
    ) -> Result<Vec<u8>, Failure> {
        let args = vec![
            storage.into(),
            request::key_type(key),
            request::b64(hash).into(),
        ];
        let r = self
            .call(request::common_utils("createCAdESFromBase64Hash", args))
            .await?;
        reply::cms_to_der(&reply::single(r)?)
    }

    /// Enveloped XML signature; empty XPaths sign the whole document.
    pub async fn sign_xml(
        &self,
        storage: &str,
        key: KeyType,
        xml: &str,
        tbs_element_xpath: &str,
        signature_parent_xpath: &str,
    ) -> Result<String, Failure> {
        let args = vec![
            storage.into(),
            request::key_type(key),
            xml.into(),
            tbs_element_xpath.into(),
            signature_parent_xpath.into(),
        ];
        let r = self.call(request::common_utils("signXml", args)).await?;
        reply::single(r)
    }

    /// Several XML documents, one PIN prompt; results in the same order.
    pub async fn sign_xmls(
        &self,
        storage: &str,
        key: KeyType,
        xmls: &[&str],
    ) -> Result<Vec<String>, Failure> {
        let args = vec![
            storage.into(),
            request::key_type(key),
            Value::from(xmls.to_vec()),
            "".into(),
            "".into(),
        ];
        let r = self.call(request::common_utils("signXmls", args)).await?;
        same_count(reply::strings(r)?, xmls.len())
    }

    /// NCALayer's dialog language: "ru", "kk" or "en".
    pub async fn change_locale(&self, locale: &str) -> Result<(), Failure> {
        self.call(request::common_utils("changeLocale", vec![locale.into()]))
            .await
            .map(|_| ())
    }

    // ---- kz.gov.pki.knca.basics ----

    /// One document → CMS (DER). `attached` = the content travels inside the CMS.
    pub async fn sign_cms(
        &self,
        data: &[u8],
        attached: bool,
        options: &SignOptions,
    ) -> Result<Vec<u8>, Failure> {
        let r = self
            .call(request::sign_cms(&[data], false, attached, options))
            .await?;
        reply::cms_to_der(&reply::single(r)?)
    }

    /// Several documents in one request (one PIN prompt) → CMS (DER) each, in the same order.
    pub async fn sign_cms_many(
        &self,
        docs: &[&[u8]],
        attached: bool,
        options: &SignOptions,
    ) -> Result<Vec<Vec<u8>>, Failure> {
        if docs.is_empty() {
            return Ok(vec![]);
        }
        let r = self
            .call(request::sign_cms(docs, true, attached, options))
            .await?;
        same_count(reply::strings(r)?, docs.len())?
            .iter()
            .map(|s| reply::cms_to_der(s))
            .collect()
    }

    /// One XML document → signed XML.
    pub async fn sign_xml_document(
        &self,
        xml: &str,
        options: &SignOptions,
    ) -> Result<String, Failure> {
        let r = self.call(request::sign_xml(&[xml], false, options)).await?;
        reply::single(r)
    }

    /// Several XML documents in one request → signed XML each, in the same order.
    pub async fn sign_xml_documents(
        &self,
        xmls: &[&str],
        options: &SignOptions,
    ) -> Result<Vec<String>, Failure> {
        if xmls.is_empty() {
            return Ok(vec![]);
        }
        let r = self.call(request::sign_xml(xmls, true, options)).await?;
        same_count(reply::strings(r)?, xmls.len())
    }
}

/// A result list must match the request one to one; otherwise nobody can say which signature
/// belongs to which document, so none is accepted.
pub(crate) fn same_count<T>(items: Vec<T>, expected: usize) -> Result<Vec<T>, Failure> {
    if items.len() != expected {
        return Err(Failure::protocol(format!(
            "отправлено документов: {expected}, получено подписей: {}; ни одна не принята",
            items.len()
        )));
    }
    Ok(items)
}
