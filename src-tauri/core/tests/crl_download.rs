//! CRLs from the certificates' distribution points, over real loopback sockets: a test CA and a
//! signer certificate whose CDP is `http://127.0.0.1:<port>/ca.crl` are made here with rcgen, a
//! small HTTP server serves the CA's CRL, and documents with the sender's signature are imported
//! into a store that trusts the CA. The verdicts kept on arrival are what the user sees.

mod support;

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
use qoltanba_core::store::Settings;
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
const NOW: OffsetDateTime = datetime!(2026-11-01 09:00 UTC);
const SHA256_OID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_DATA: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

/// A one-route HTTP server on 127.0.0.1 answering every request with `body` (status 200);
/// `huge` answers with an endless body claiming 25 MiB. Stopped (port closed) on `stop`.
struct CrlServer {
    port: u16,
    body: Arc<Mutex<Vec<u8>>>,
    huge: Arc<AtomicBool>,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl CrlServer {
    fn start() -> CrlServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let body = Arc::new(Mutex::new(Vec::new()));
        let huge = Arc::new(AtomicBool::new(false));
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
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/ca.crl", self.port)
    }

    fn serve(&self, body: Vec<u8>) {
        *self.body.lock().unwrap() = body;
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Closes the port: later downloads meet a refused connection, as offline.
    fn stop(&mut self) {
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
struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: Vec<u8>,
}

struct Signer {
    key: p256::ecdsa::SigningKey,
    cert: x509_cert::Certificate,
    serial: u64,
}

fn ca() -> Ca {
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
    fn signer(&self, serial: u64, cdp: &str) -> Signer {
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
            uris: vec![cdp.to_string()],
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
    fn crl(&self, revoked: &[u64], next: OffsetDateTime) -> Vec<u8> {
        CertificateRevocationListParams {
            this_update: next - time::Duration::days(30),
            next_update: next,
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
fn sign(s: &Signer, content: &[u8]) -> Vec<u8> {
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

/// A store whose clock reads NOW and that trusts `ca`.
fn store_trusting(dir: &std::path::Path, ca: &Ca) -> (Store, Arc<FixedClock>) {
    let clock = support::fixed_clock();
    let mut store = Store::open(dir, support::options(clock.clone())).unwrap();
    store.trust_add(&ca.der).unwrap();
    (store, clock)
}

/// Imports a sales report signed by `s` and returns the verdict kept for the sender signature.
fn import_signed(store: &mut Store, s: &Signer, number: &str) -> serde_json::Value {
    let pdf = support::sales_report_pdf(number);
    let cms = sign(s, &pdf);
    let i = import::import_bytes(store, &format!("report-{number}.pdf"), pdf, vec![cms]).unwrap();
    let sigs = store.signatures(i.id).unwrap();
    assert_eq!(sigs.len(), 1);
    assert!(
        sigs[0].verified_at.is_some(),
        "the verdict is kept with its time"
    );
    sigs[0].verdict.clone().expect("a verdict is kept")
}

fn warnings(v: &serde_json::Value) -> Vec<String> {
    v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

fn revocation_unchecked(v: &serde_json::Value) -> bool {
    warnings(v)
        .iter()
        .any(|w| w.starts_with("Отзыв не проверен"))
}

#[test]
fn a_revoked_signer_is_revoked_online_then_offline_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(4242, &server.url());
    server.serve(ca.crl(&[signer.serial], NOW + time::Duration::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca);

    // (a) Online: the CRL is downloaded, cached, and the signature fails as revoked.
    let v = import_signed(&mut store, &signer, "101");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert!(v["reason"].as_str().unwrap().contains("отозван"), "{v}");
    assert_eq!(server.requests(), 1);
    assert_eq!(store.cached_crl_urls().unwrap(), vec![server.url()]);
    let cached = store.cached_crl(&server.url()).unwrap().unwrap();
    assert_eq!(cached.next_update, Some(NOW + time::Duration::days(7)));
    assert!(cached.issuer.contains("ТЕСТОВЫЙ УЦ"), "{}", cached.issuer);

    // A current cached list is used as it is: no second download.
    let v = import_signed(&mut store, &signer, "102");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert_eq!(
        server.requests(),
        1,
        "a current CRL is not downloaded again"
    );

    // (b) Server gone: the same verdict from the cache, without any warning about the list.
    server.stop();
    let v = import_signed(&mut store, &signer, "103");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert!(!revocation_unchecked(&v), "{v}");
}

#[test]
fn a_stale_cached_crl_is_used_with_a_warning_when_the_server_is_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(77, &server.url());
    // A list whose nextUpdate has already passed by the store's time.
    server.serve(ca.crl(&[signer.serial], NOW - time::Duration::days(2)));
    let (mut store, _) = store_trusting(dir.path(), &ca);
    let v = import_signed(&mut store, &signer, "201");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    assert_eq!(store.cached_crl_urls().unwrap(), vec![server.url()]);

    // (c) Stale in the cache and the server down: the verdict still comes from the stale list,
    // and the user is told it is out of date since its nextUpdate and why it was not renewed.
    server.stop();
    let v = import_signed(&mut store, &signer, "202");
    assert_eq!(v["indication"], "TOTAL_FAILED", "{v}");
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
    let w = warnings(&v);
    let stale = (NOW - time::Duration::days(2)).date().to_string();
    assert!(
        w.iter().any(|w| w.contains(&server.url())
            && w.contains(&format!("устарел с {stale}"))
            && w.contains("свежий получить не удалось")),
        "{w:?}"
    );
}

#[test]
fn garbage_or_a_huge_answer_stores_nothing_and_says_revocation_was_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(9, &server.url());
    let (mut store, _) = store_trusting(dir.path(), &ca);

    // (d) Not a CRL.
    server.serve(b"<html>\xd0\x9d\xd0\xb5 CRL</html>".to_vec());
    let v = import_signed(&mut store, &signer, "301");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(revocation_unchecked(&v), "{v}");
    assert!(
        warnings(&v)
            .iter()
            .any(|w| w.contains("не является списком отозванных")),
        "{v}"
    );
    assert!(store.cached_crl_urls().unwrap().is_empty());

    // A body over the limit is given up while it streams in.
    server.huge.store(true, Ordering::SeqCst);
    let v = import_signed(&mut store, &signer, "302");
    assert!(revocation_unchecked(&v), "{v}");
    assert!(
        warnings(&v).iter().any(|w| w.contains("больше 20 МиБ")),
        "{v}"
    );
    assert!(store.cached_crl_urls().unwrap().is_empty());
    // The document itself is kept, its signature shown as intact.
    assert_eq!(v["intact"], true, "{v}");
}

#[test]
fn a_signer_not_on_the_list_passes_with_no_revocation_warning() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let revoked = ca.signer(1, &server.url());
    let good = ca.signer(2, &server.url());
    server.serve(ca.crl(&[revoked.serial], NOW + time::Duration::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca);
    // (e)
    let v = import_signed(&mut store, &good, "401");
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
    assert_eq!(v["subIndication"], serde_json::Value::Null);
    assert!(warnings(&v).is_empty(), "{v}");
    assert_eq!(v["chain"].as_array().unwrap().len(), 2, "{v}");
}

#[test]
fn with_downloads_off_only_the_cache_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(5, &server.url());
    server.serve(ca.crl(&[signer.serial], NOW + time::Duration::days(7)));
    let (mut store, _) = store_trusting(dir.path(), &ca);
    store.set_setting("crl_download", "off").unwrap();
    let v = import_signed(&mut store, &signer, "501");
    assert_eq!(
        server.requests(),
        0,
        "nothing is downloaded when told not to"
    );
    assert!(revocation_unchecked(&v), "{v}");
    assert_ne!(v["subIndication"], "REVOKED", "{v}");
    assert!(store.set_setting("crl_download", "maybe").is_err());

    store.set_setting("crl_download", "on").unwrap();
    let v = import_signed(&mut store, &signer, "502");
    assert_eq!(server.requests(), 1);
    assert_eq!(v["subIndication"], "REVOKED", "{v}");
}

#[test]
fn without_a_trusted_ca_nothing_is_downloaded_and_the_chain_is_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = CrlServer::start();
    let ca = ca();
    let signer = ca.signer(6, &server.url());
    server.serve(ca.crl(&[signer.serial], NOW + time::Duration::days(7)));
    let mut store = support::open(dir.path());
    let v = import_signed(&mut store, &signer, "601");
    assert_eq!(server.requests(), 0);
    assert_eq!(v["indication"], "TOTAL_PASSED", "{v}");
    assert!(
        warnings(&v).iter().any(|w| w.contains("не проверялись")),
        "{v}"
    );
}
