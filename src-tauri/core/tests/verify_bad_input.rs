//! Hostile and broken input to the verifier: each is refused for its reason, none panics.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerInfos};
use der::{Any, Decode, Encode};
use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{
    certificates_from, check_certificate, verify_attached_with, verify_detached_with, Indication,
    SubIndication, Validation, Verdict,
};

fn at() -> Timestamp {
    ts("2022-10-01T00:00:00Z")
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn data(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/nca")
        .join(name);
    std::fs::read(p).unwrap()
}

fn ctx() -> Validation {
    let mut v = Validation::new(at());
    v.anchors = ["nca_gost2015_test.cer", "nca_rsa_test.crt"]
        .iter()
        .map(|n| certificates_from(&data(n)).unwrap().remove(0))
        .collect();
    v
}

fn detached() -> Vec<u8> {
    data("signed_detached_gost2015_rsa.cms")
}

fn first(cms: &[u8]) -> Verdict {
    verify_detached_with(cms, b"test123", &ctx()).remove(0)
}

fn is(v: &Verdict, ind: Indication, sub: SubIndication) {
    assert_eq!((v.indication, v.sub_indication), (ind, Some(sub)), "{v:#?}");
}

fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

#[test]
fn truncated_and_garbage_der() {
    let cms = detached();
    for bad in [
        &cms[..cms.len() / 2],
        &cms[..10],
        &[][..],
        b"\x30\x84\xff\xff\xff\xff",
        b"garbage, not DER at all",
    ] {
        let v = verify_detached_with(bad, b"test123", &ctx());
        assert_eq!(v.len(), 1);
        is(&v[0], Indication::TotalFailed, SubIndication::FormatFailure);
        assert!(!v[0].intact);
    }
}

/// How a broken key or signature reaches the user: a crypto failure, not a crash. These inputs
/// also fail the final equation, so the guards themselves are proven by the unit tests in
/// src/signature/gost.rs (a key out of range that computes as G, s + q, s = 0, r ≥ q).
#[test]
fn point_not_on_the_curve() {
    // The first 04 81 80 is the signer certificate's public key X‖Y.
    let mut cms = detached();
    let at = cms
        .windows(3)
        .position(|w| w == [0x04, 0x81, 0x80])
        .unwrap();
    cms[at + 3 + 5] ^= 0x01;
    is(
        &first(&cms),
        Indication::TotalFailed,
        SubIndication::SigCryptoFailure,
    );
}

#[test]
fn r_or_s_out_of_range() {
    let base = detached();
    let sig = rfind(&base, &[0x04, 0x81, 0x80]) + 3;
    for (what, r, s) in [
        ("r = s = 2^512-1 (> q)", [0xFFu8; 64], [0xFFu8; 64]),
        ("r = 0", [0u8; 64], [1u8; 64]),
        ("s = 0", [1u8; 64], [0u8; 64]),
    ] {
        let mut cms = base.clone();
        cms[sig..sig + 64].copy_from_slice(&r);
        cms[sig + 64..sig + 128].copy_from_slice(&s);
        let v = first(&cms);
        assert_eq!(
            v.sub_indication,
            Some(SubIndication::SigCryptoFailure),
            "{what}"
        );
    }
}

#[test]
fn unknown_algorithm_oid_is_indeterminate() {
    // Streebog-512 (…1.3.3) becomes …1.3.9 everywhere: an algorithm nobody knows.
    let streebog = [0x06, 0x08, 0x2A, 0x83, 0x0E, 0x03, 0x0A, 0x01, 0x03, 0x03];
    let mut cms = detached();
    let mut i = 0;
    while i + streebog.len() <= cms.len() {
        if cms[i..i + streebog.len()] == streebog {
            cms[i + streebog.len() - 1] = 0x09;
        }
        i += 1;
    }
    let v = first(&cms);
    is(
        &v,
        Indication::Indeterminate,
        SubIndication::AlgorithmNotSupported,
    );
}

#[test]
fn cms_with_no_signer() {
    let ci = ContentInfo::from_der(&detached()).unwrap();
    let mut sd: SignedData = ci.content.decode_as().unwrap();
    sd.signer_infos = SignerInfos::try_from(vec![]).unwrap();
    let cms = ContentInfo {
        content_type: ci.content_type,
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap();
    let v = verify_detached_with(&cms, b"test123", &ctx());
    assert_eq!(v.len(), 1);
    is(&v[0], Indication::Indeterminate, SubIndication::NoSigner);
}

#[test]
fn huge_cms_and_huge_content() {
    // A header announcing 4 GB with nothing behind it.
    let mut cms = vec![0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xF0];
    cms.extend_from_slice(&detached()[4..]);
    let v = verify_attached_with(&cms, &ctx());
    is(&v[0], Indication::TotalFailed, SubIndication::FormatFailure);
    // A real signature over 32 MB of other content: a hash failure, not a crash.
    let big = vec![0x5Au8; 32 * 1024 * 1024];
    let v = verify_detached_with(&detached(), &big, &ctx());
    is(&v[0], Indication::TotalFailed, SubIndication::HashFailure);
}

#[test]
fn certificate_signature_algorithm_that_does_not_fit_the_issuer_key() {
    // The RSA test user certificate, relabelled as signed with GOST-2015 by its RSA CA.
    let der = certificates_from(&data("individual_valid_sign_2004_rsa.cer"))
        .unwrap()
        .remove(0);
    let mut cert = x509_cert::Certificate::from_der(&der).unwrap();
    cert.signature_algorithm.oid = "1.2.398.3.10.1.1.2.3.2".parse().unwrap();
    let relabelled = cert.to_der().unwrap();
    let mut v = ctx();
    v.at = ts("2022-06-01T00:00:00Z");
    let verdict = check_certificate(&relabelled, &v);
    is(
        &verdict,
        Indication::Indeterminate,
        SubIndication::NoCertificateChainFound,
    );
    assert!(
        verdict.reason.contains("не проверяется"),
        "{}",
        verdict.reason
    );
}
