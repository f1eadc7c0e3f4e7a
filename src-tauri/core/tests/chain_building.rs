//! Chain building against hostile certificate pools: a sender's CMS can carry any certificates,
//! and the search for a path to a trusted certificate must stay cheap whatever they are (it runs
//! while a sync or an import holds the store). Certificates and CMS are made here with real keys.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::{Decode, Encode};
use qoltanba_core::signature::{
    chain_work, verify_detached_with, Indication, SubIndication, Validation, MAX_SIGNATURE_CHECKS,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SerialNumber};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use time::macros::datetime;

const SHA256_OID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_DATA: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

fn ca_params(name: &str, serial: u64) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, name);
    p.serial_number = Some(SerialNumber::from(serial));
    p.not_before = datetime!(2026-01-01 00:00 UTC);
    p.not_after = datetime!(2030-01-01 00:00 UTC);
    p
}

/// A detached CMS of `content` by a fresh P-256 key whose certificate `issuer` signed, carrying
/// `extra` certificates besides the signer's; with the signer certificate (DER).
fn signed_with_pool<S: rcgen::SigningKey>(
    issuer: &Issuer<'_, S>,
    extra: &[Vec<u8>],
    content: &[u8],
) -> Vec<u8> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "ТЕСТОВ ТЕСТ");
    p.serial_number = Some(SerialNumber::from(500u64));
    p.not_before = datetime!(2026-01-01 00:00 UTC);
    p.not_after = datetime!(2028-01-01 00:00 UTC);
    let cert = p.signed_by(&key, issuer).unwrap();
    let cert = x509_cert::Certificate::from_der(cert.der()).unwrap();
    use p256::pkcs8::DecodePrivateKey;
    let signing = p256::ecdsa::SigningKey::from_pkcs8_der(&key.serialize_der()).unwrap();
    let encap = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let alg = AlgorithmIdentifierOwned {
        oid: SHA256_OID,
        parameters: None,
    };
    let digest = Sha256::digest(content).to_vec();
    let mut b = SignedDataBuilder::new(&encap);
    b.add_digest_algorithm(alg.clone()).unwrap();
    b.add_certificate(CertificateChoices::Certificate(cert))
        .unwrap();
    for der in extra {
        let c = x509_cert::Certificate::from_der(der).unwrap();
        b.add_certificate(CertificateChoices::Certificate(c))
            .unwrap();
    }
    let si = SignerInfoBuilder::new(&signing, sid, alg, &encap, Some(&digest)).unwrap();
    b.add_signer_info::<_, p256::ecdsa::DerSignature>(si)
        .unwrap();
    b.build().unwrap().to_der().unwrap()
}

/// The store's trusted root: unrelated to the pool, as NCA's root is to a forged CMS.
fn trusted_root() -> Vec<u8> {
    let key = KeyPair::generate().unwrap();
    ca_params("НАСТОЯЩИЙ КОРЕНЬ", 1)
        .self_signed(&key)
        .unwrap()
        .der()
        .to_vec()
}

/// The certificates of a CMS, the signer's first.
fn certificates(cms: &[u8]) -> Vec<Vec<u8>> {
    qoltanba_core::signature::cms_certificates(cms)
}

/// Verifies on another thread and gives up after `limit`: a search that explodes fails the test
/// instead of hanging it.
fn judged_within(
    cms: Vec<u8>,
    content: &'static [u8],
    v: Validation,
    limit: Duration,
) -> (qoltanba_core::signature::Verdict, Duration) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let started = Instant::now();
        let verdicts = verify_detached_with(&cms, content, &v);
        let _ = tx.send((verdicts.into_iter().next().unwrap(), started.elapsed()));
    });
    rx.recv_timeout(limit)
        .expect("the chain search did not finish: it explores every ordering of the pool")
}

#[test]
fn fifteen_cas_with_one_name_and_one_key_are_judged_in_a_bounded_number_of_checks() {
    // Fifteen self-issued CAs sharing a name and a key all sign each other: every ordering of
    // them is a candidate path, 15·14·…·7 of them up to the depth limit.
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let pool: Vec<Vec<u8>> = (1..=15u64)
        .map(|i| {
            ca_params("ПЕТЛЯ УЦ", i)
                .self_signed(&key)
                .unwrap()
                .der()
                .to_vec()
        })
        .collect();
    let issuer = Issuer::new(ca_params("ПЕТЛЯ УЦ", 1), key);
    const CONTENT: &[u8] = b"\xd0\x90\xd0\xba\xd1\x82 \xe2\x84\x96 15";
    let cms = signed_with_pool(&issuer, &pool, CONTENT);
    let mut v =
        Validation::new(qoltanba_core::model::Timestamp::parse("2026-11-01T09:00:00Z").unwrap());
    v.anchors = vec![trusted_root()];

    // What the user sees: the signature is intact, its chain could not be built, quickly.
    let certs = certificates(&cms);
    let (verdict, took) = judged_within(cms, CONTENT, v.clone(), Duration::from_secs(60));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert!(verdict.intact, "{verdict:?}");
    assert_eq!(verdict.indication, Indication::Indeterminate);
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );

    // Exact work: each of the 16 certificates is checked once against the one key.
    let work = chain_work(&certs[0], &certs, &v);
    assert_eq!(work.signature_checks, 16, "{work:?}");
    assert!(work.signature_checks <= MAX_SIGNATURE_CHECKS);
    assert!(!work.found && !work.exhausted, "{work:?}");
}

#[test]
fn lookalike_cas_with_different_keys_stop_at_the_signature_check_budget() {
    // Fifteen CAs with one name and fifteen keys in a ring (each signed by the next): no
    // authority key identifier tells them apart, so every certificate has fifteen candidates
    // (240 pairs) and paths go round the ring; the search stops at the budget.
    let keys: Vec<KeyPair> = (0..15)
        .map(|_| KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap())
        .collect();
    let params: Vec<CertificateParams> =
        (0..15u64).map(|i| ca_params("ПЕТЛЯ УЦ", 100 + i)).collect();
    let pool: Vec<Vec<u8>> = (0..15)
        .map(|i| {
            let next = (i + 1) % 15;
            let by = Issuer::from_params(&params[next], &keys[next]);
            params[i].signed_by(&keys[i], &by).unwrap().der().to_vec()
        })
        .collect();
    let issuer = Issuer::from_params(&params[0], &keys[0]);
    const CONTENT: &[u8] = b"\xd0\x90\xd0\xba\xd1\x82 \xe2\x84\x96 16";
    let cms = signed_with_pool(&issuer, &pool, CONTENT);
    let mut v =
        Validation::new(qoltanba_core::model::Timestamp::parse("2026-11-01T09:00:00Z").unwrap());
    v.anchors = vec![trusted_root()];

    let certs = certificates(&cms);
    let (verdict, took) = judged_within(cms, CONTENT, v.clone(), Duration::from_secs(60));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
    assert!(
        verdict.reason.contains("больше 64 проверок"),
        "{}",
        verdict.reason
    );

    let work = chain_work(&certs[0], &certs, &v);
    assert_eq!(work.signature_checks, MAX_SIGNATURE_CHECKS, "{work:?}");
    assert!(work.exhausted && !work.found, "{work:?}");
}
