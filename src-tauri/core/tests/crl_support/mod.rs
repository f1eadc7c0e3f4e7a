//! A test CA issuing signer certificates with CRL distribution points, the CMS they sign, and a
//! small HTTP server on loopback that serves CRLs (or redirects): shared by the CRL tests.

#![allow(dead_code)]

#[path = "../support/mod.rs"]
pub mod support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use cms::builder::{create_signing_time_attribute, SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::{Decode, Encode};
use qoltanba_core::clock::FixedClock;
use qoltanba_core::model::{TimeDelta, Timestamp};
use qoltanba_core::trust::LocalCrlServers;
use qoltanba_core::{import, Store};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint,
    DnType, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, RevocationReason,
    RevokedCertParams, SerialNumber,
};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use time::macros::datetime;
use time::OffsetDateTime;

/// The store's clock (support::fixed_clock): the time of every check here.
/// The tests' now: what `support::fixed_clock` reads.
pub fn now() -> Timestamp {
    Timestamp::parse("2026-11-01T09:00:00Z").unwrap()
}

/// A core time as rcgen takes it.
fn rc(t: Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.unix_seconds()).unwrap()
}
pub const SHA256_OID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const ID_DATA: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

/// A one-route HTTP server on 127.0.0.1 answering every request with `body` (status 200);
/// `huge` answers with an endless body claiming 25 MiB. Stopped (port closed) on `stop`.
pub struct CrlServer {
    pub port: u16,
    pub body: Arc<Mutex<Vec<u8>>>,
    pub huge: Arc<AtomicBool>,
    /// Milliseconds to wait before answering (a slow CRL server).
    pub delay_ms: Arc<std::sync::atomic::AtomicU64>,
    /// When set, every request is answered `302 Found` to this URL instead.
    pub redirect: Arc<Mutex<Option<String>>>,
    pub requests: Arc<AtomicUsize>,
    pub stop: Arc<AtomicBool>,
    pub thread: Option<JoinHandle<()>>,
}

impl CrlServer {
    pub fn start() -> CrlServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let body = Arc::new(Mutex::new(Vec::new()));
        let huge = Arc::new(AtomicBool::new(false));
        let delay_ms = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let delay = delay_ms.clone();
        let redirect: Arc<Mutex<Option<String>>> = Arc::default();
        let to = redirect.clone();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, h, r, s) = (body.clone(), huge.clone(), requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                let Ok((mut conn, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                r.fetch_add(1, Ordering::SeqCst);
                conn.set_nonblocking(false).unwrap();
                conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let mut req = vec![0u8; 4096];
                let mut got = 0;
                while !req[..got].windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut req[got..]) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => got += n,
                    }
                }
                std::thread::sleep(Duration::from_millis(delay.load(Ordering::SeqCst)));
                if let Some(url) = to.lock().unwrap().clone() {
                    let head = format!(
                        "HTTP/1.1 302 Found\r\nLocation: {url}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    );
                    let _ = conn.write_all(head.as_bytes());
                    continue;
                }
                if h.load(Ordering::SeqCst) {
                    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nConnection: close\r\n\r\n";
                    let _ = conn.write_all(head.as_bytes());
                    let chunk = vec![0x30u8; 64 * 1024];
                    // 25 MiB, or until the client hangs up.
                    for _ in 0..400 {
                        if conn.write_all(&chunk).is_err() {
                            break;
                        }
                    }
                    continue;
                }
                let body = b.lock().unwrap().clone();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(&body);
            }
        });
        CrlServer {
            port,
            body,
            huge,
            delay_ms,
            redirect,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/ca.crl", self.port)
    }

    /// The test-only permission for a store or run to fetch CRLs from this loopback server.
    pub fn local(servers: &[&CrlServer]) -> LocalCrlServers {
        LocalCrlServers(
            servers
                .iter()
                .map(|s| std::net::SocketAddr::from(([127, 0, 0, 1], s.port)))
                .collect(),
        )
    }

    pub fn serve(&self, body: Vec<u8>) {
        *self.body.lock().unwrap() = body;
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Closes the port: later downloads meet a refused connection, as offline.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for CrlServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A test CA, and signer certificates it issues with a CRL distribution point.
pub struct Ca {
    pub issuer: Issuer<'static, KeyPair>,
    pub der: Vec<u8>,
}

pub struct Signer {
    pub key: p256::ecdsa::SigningKey,
    pub cert: x509_cert::Certificate,
    pub serial: u64,
}

pub fn ca() -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name
        .push(DnType::CommonName, "ТЕСТОВЫЙ УЦ (CRL)");
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.not_before = datetime!(2026-01-01 00:00 UTC);
    p.not_after = datetime!(2030-01-01 00:00 UTC);
    let cert = p.self_signed(&key).unwrap();
    Ca {
        der: cert.der().to_vec(),
        issuer: Issuer::new(p, key),
    }
}

impl Ca {
    pub fn signer(&self, serial: u64, cdp: &str) -> Signer {
        self.signer_with(serial, &[cdp.to_string()])
    }

    /// A signer certificate whose distribution point names every URL of `cdps`.
    pub fn signer_with(&self, serial: u64, cdps: &[String]) -> Signer {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, "ТЕСТОВ ТЕСТ");
        p.serial_number = Some(SerialNumber::from(serial));
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
        p.not_before = datetime!(2026-01-01 00:00 UTC);
        p.not_after = datetime!(2028-01-01 00:00 UTC);
        p.crl_distribution_points = vec![CrlDistributionPoint {
            uris: cdps.to_vec(),
        }];
        let cert = p.signed_by(&key, &self.issuer).unwrap();
        use p256::pkcs8::DecodePrivateKey;
        Signer {
            key: p256::ecdsa::SigningKey::from_pkcs8_der(&key.serialize_der()).unwrap(),
            cert: x509_cert::Certificate::from_der(cert.der()).unwrap(),
            serial,
        }
    }

    /// A CRL of this CA revoking `revoked` (serials) since 2026-06-01, valid until `next`.
    pub fn crl(&self, revoked: &[u64], next: Timestamp) -> Vec<u8> {
        CertificateRevocationListParams {
            this_update: rc(next - TimeDelta::days(30)),
            next_update: rc(next),
            crl_number: SerialNumber::from(1u64),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|s| RevokedCertParams {
                    serial_number: SerialNumber::from(*s),
                    revocation_time: datetime!(2026-06-01 00:00 UTC),
                    reason_code: Some(RevocationReason::KeyCompromise),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        }
        .signed_by(&self.issuer)
        .unwrap()
        .der()
        .to_vec()
    }
}

/// A detached CMS (SHA-256, ECDSA P-256, signingTime) of `content` by `s`.
pub fn sign(s: &Signer, content: &[u8]) -> Vec<u8> {
    let digest = Sha256::digest(content).to_vec();
    let encap = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: s.cert.tbs_certificate.issuer.clone(),
        serial_number: s.cert.tbs_certificate.serial_number.clone(),
    });
    let alg = AlgorithmIdentifierOwned {
        oid: SHA256_OID,
        parameters: None,
    };
    let mut b = SignedDataBuilder::new(&encap);
    b.add_digest_algorithm(alg.clone())
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(s.cert.clone()))
        .unwrap();
    let mut si = SignerInfoBuilder::new(&s.key, sid, alg, &encap, Some(&digest)).unwrap();
    si.add_signed_attribute(create_signing_time_attribute().unwrap())
        .unwrap();
    b.add_signer_info::<_, p256::ecdsa::DerSignature>(si)
        .unwrap();
    b.build().unwrap().to_der().unwrap()
}

/// A store whose clock reads `now()`, that trusts `ca` and may fetch CRLs from the loopback
/// servers `local` (a test-only permission: nothing local is fetched otherwise).
pub fn store_trusting(
    dir: &std::path::Path,
    ca: &Ca,
    local: &[&CrlServer],
) -> (Store, Arc<FixedClock>) {
    let clock = support::fixed_clock();
    let mut store = Store::open(dir, support::options(clock.clone())).unwrap();
    store.allow_local_crl_servers(CrlServer::local(local));
    store.trust_add(&ca.der).unwrap();
    (store, clock)
}

/// Imports a sales report signed by `s` and returns the verdict kept for the sender signature.
pub fn import_signed(store: &mut Store, s: &Signer, number: &str) -> serde_json::Value {
    let pdf = support::sales_report_pdf(number);
    let cms = sign(s, &pdf);
    let i = import::import_bytes(store, &format!("report-{number}.pdf"), pdf, vec![cms]).unwrap();
    let sigs = store.signatures(i.id).unwrap();
    assert_eq!(sigs.len(), 1);
    assert!(
        sigs[0].verified_at.is_some(),
        "the verdict is kept with its time"
    );
    // As JSON, the shape the window and `--json` show, so the checks read like what users see.
    serde_json::to_value(sigs[0].verdict.clone().expect("a verdict is kept")).unwrap()
}

pub fn warnings(v: &serde_json::Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

pub fn revocation_unchecked(v: &serde_json::Value) -> bool {
    warnings(v)
        .iter()
        .any(|w| w.starts_with("Отзыв не проверен"))
}
