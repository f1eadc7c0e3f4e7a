//! The server's own TLS identity: a self-signed certificate for 127.0.0.1/localhost, kept in the
//! state directory so that a restart keeps the same pin. Clients pin its SHA-256.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use rcgen::{
    CertificateParams, DistinguishedName, DnType, KeyPair, SanType, PKCS_ECDSA_P256_SHA256,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio_rustls::TlsAcceptor;

pub const CERT_FILE: &str = "server-cert.pem";
pub const KEY_FILE: &str = "server-key.pem";
pub const PIN_FILE: &str = "server-cert.sha256";

/// A certificate and its private key (PKCS#8), both DER.
#[derive(Clone)]
pub struct TlsIdentity {
    cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("sha256", &self.sha256_hex())
            .finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// A fresh identity in memory (tests).
    pub fn generate() -> Result<TlsIdentity> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        let mut params = CertificateParams::new(vec!["localhost".to_string()])?;
        params
            .subject_alt_names
            .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, "qoltanba-signer 127.0.0.1");
        params.distinguished_name = dn;
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(3650);
        let cert = params.self_signed(&key)?;
        Ok(TlsIdentity {
            cert_der: cert.der().to_vec(),
            key_der: key.serialize_der(),
        })
    }

    /// Reads the identity from `dir`, or makes one and writes it there (key readable by the
    /// owner only), together with the pin file.
    pub fn load_or_create(dir: &Path) -> Result<TlsIdentity> {
        let cert_path = dir.join(CERT_FILE);
        let key_path = dir.join(KEY_FILE);
        let identity = if cert_path.exists() && key_path.exists() {
            let cert = CertificateDer::from_pem_file(&cert_path)
                .with_context(|| format!("read {}", cert_path.display()))?;
            let key = PrivatePkcs8KeyDer::from_pem_file(&key_path)
                .with_context(|| format!("read {}", key_path.display()))?;
            TlsIdentity {
                cert_der: cert.to_vec(),
                key_der: key.secret_pkcs8_der().to_vec(),
            }
        } else {
            std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
            let identity = TlsIdentity::generate()?;
            write_private(&key_path, identity.key_pem().as_bytes())?;
            std::fs::write(&cert_path, identity.certificate_pem())?;
            identity
        };
        std::fs::write(dir.join(PIN_FILE), format!("{}\n", identity.sha256_hex()))?;
        Ok(identity)
    }

    /// SHA-256 of the certificate's DER, lower-case hex: the pin clients compare.
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(&self.cert_der))
    }

    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }

    pub fn certificate_pem(&self) -> String {
        pem("CERTIFICATE", &self.cert_der)
    }

    fn key_pem(&self) -> String {
        pem("PRIVATE KEY", &self.key_der)
    }

    pub(crate) fn acceptor(&self) -> Result<TlsAcceptor> {
        // An explicit provider: two providers in one graph make the plain builder panic.
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(self.cert_der.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone())),
            )?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("write {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}
