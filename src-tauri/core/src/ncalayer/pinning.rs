//! Which TLS certificate the client believes is NCALayer's. Any local process can take port 13579
//! while NCALayer is down and would receive the documents, so "accept any certificate" does not
//! exist here: a SHA-256 pin, a CA file, or first use (report the certificate, send nothing).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};

use super::failure::Failure;
use crate::ErrorCode;

/// How the server certificate is trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pinning {
    /// SHA-256 of the server certificate's DER, confirmed earlier by the user.
    Pin([u8; 32]),
    /// PEM file with the CA(s) that issued NCALayer's certificate (NCA's root, installed by NCALayer).
    CaFile(PathBuf),
    /// Connect, read the greeting and report the certificate's SHA-256 so the caller can ask the
    /// user; no request is ever sent over such a connection.
    FirstUse,
}

impl Pinning {
    /// Parses a pin written as 64 hex digits (colons and spaces allowed, as browsers show it).
    pub fn pin_from_hex(text: &str) -> Result<Pinning, Failure> {
        let clean: String = text.chars().filter(|c| !matches!(c, ':' | ' ')).collect();
        let bytes = hex::decode(clean).map_err(|_| {
            Failure::new(
                ErrorCode::InvalidInput,
                "Отпечаток сертификата NCALayer должен состоять из 64 шестнадцатеричных цифр",
            )
        })?;
        let pin: [u8; 32] = bytes.try_into().map_err(|_| {
            Failure::new(
                ErrorCode::InvalidInput,
                "Отпечаток сертификата NCALayer должен быть SHA-256 (32 байта)",
            )
        })?;
        Ok(Pinning::Pin(pin))
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Pinning::Pin(p) => format!("pin sha256:{}", hex::encode(p)),
            Pinning::CaFile(p) => format!("ca file {}", p.display()),
            Pinning::FirstUse => "first use (unconfirmed)".into(),
        }
    }
}

/// SHA-256 of a certificate's DER: the fingerprint users compare and the pin stores.
pub fn certificate_sha256(der: &[u8]) -> [u8; 32] {
    Sha256::digest(der).into()
}

/// What the TLS handshake saw; filled by the verifier, read after the handshake.
#[derive(Debug, Default)]
pub(crate) struct Presented {
    pub sha256: Option<[u8; 32]>,
    pub pin_mismatch: bool,
}

/// Builds the rustls client configuration for a trust mode, with the one provider we ship
/// (aws-lc-rs), so a second provider elsewhere in the graph cannot make rustls panic.
pub(crate) fn client_config(
    trust: &Pinning,
    presented: Arc<Mutex<Presented>>,
) -> Result<ClientConfig, Failure> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Failure::new(ErrorCode::SignerUnavailable, format!("TLS: {e}")))?;
    let config = match trust {
        Pinning::CaFile(path) => {
            let roots = load_roots(path)?;
            let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots),
                provider.clone(),
            )
            .build()
            .map_err(|e| Failure::new(ErrorCode::CertificatePin, format!("TLS: {e}")))?;
            let verifier = RecordingVerifier {
                provider,
                mode: Check::Ca(inner),
                presented,
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth()
        }
        Pinning::Pin(pin) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(RecordingVerifier {
                provider,
                mode: Check::Pin(*pin),
                presented,
            }))
            .with_no_client_auth(),
        Pinning::FirstUse => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(RecordingVerifier {
                provider,
                mode: Check::Report,
                presented,
            }))
            .with_no_client_auth(),
    };
    Ok(config)
}

fn load_roots(path: &std::path::Path) -> Result<RootCertStore, Failure> {
    let unreadable = |e: String| {
        Failure::new(
            ErrorCode::CertificatePin,
            format!(
                "Не удалось прочитать корневой сертификат NCALayer {}: {e}",
                path.display()
            ),
        )
    };
    let pem = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let mut roots = RootCertStore::empty();
    // rustls' own PEM reader (pki-types); rustls-pemfile is unmaintained (RUSTSEC-2025-0134).
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| unreadable(e.to_string()))?;
        roots.add(cert).map_err(|e| unreadable(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(unreadable("в файле нет сертификатов".into()));
    }
    Ok(roots)
}

#[derive(Debug)]
enum Check {
    Pin([u8; 32]),
    Ca(Arc<rustls::client::WebPkiServerVerifier>),
    Report,
}

/// Checks the certificate by the trust mode and records its fingerprint; handshake signatures are
/// always verified, so a process that merely replays NCALayer's certificate cannot pass.
#[derive(Debug)]
struct RecordingVerifier {
    provider: Arc<CryptoProvider>,
    mode: Check,
    presented: Arc<Mutex<Presented>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = certificate_sha256(end_entity.as_ref());
        let mut presented = self.presented.lock().unwrap_or_else(|p| p.into_inner());
        presented.sha256 = Some(seen);
        match &self.mode {
            Check::Pin(pin) if *pin == seen => Ok(ServerCertVerified::assertion()),
            Check::Pin(_) => {
                presented.pin_mismatch = true;
                Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::ApplicationVerificationFailure,
                ))
            }
            Check::Ca(inner) => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            Check::Report => Ok(ServerCertVerified::assertion()),
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
