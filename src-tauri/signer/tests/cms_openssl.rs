//! OpenSSL's `cms -verify` accepts the CMS we make: attached, detached and over a hash, RSA and EC.

mod common;

use common::{keystore, openssl_verify, run, stderr, stdout};
use qoltanba_signer::cms;
use sha2::{Digest, Sha256};

fn document() -> Vec<u8> {
    "Акт выполненных работ №42\n".repeat(300).into_bytes()
}

#[test]
fn detached_rsa_verifies_with_the_document_only() {
    let dir = tempfile::tempdir().unwrap();
    let data = document();
    let sig = cms::sign(&keystore("employee_sign"), &data, true).unwrap();
    let ok = openssl_verify(dir.path(), &sig, Some(&data));
    assert!(ok.status.success(), "{}", stderr(&ok));

    let mut changed = data.clone();
    changed[0] ^= 1;
    let bad = openssl_verify(dir.path(), &sig, Some(&changed));
    assert!(!bad.status.success(), "a changed document must not verify");
    // Refused because the content does not match what was signed (the signer's certificate
    // chain verified: no "Verify error"), not for any other reason.
    let err = stderr(&bad);
    assert!(
        err.contains("CMS_SignerInfo_verify_content:verification failure")
            && !err.contains("Verify error"),
        "refused for another reason: {err}"
    );
}

#[test]
fn attached_rsa_and_ec_carry_the_document() {
    for role in ["employee_sign", "employee_sign_ec"] {
        let dir = tempfile::tempdir().unwrap();
        let data = document();
        let sig = cms::sign(&keystore(role), &data, false).unwrap();
        let ok = openssl_verify(dir.path(), &sig, None);
        assert!(ok.status.success(), "{role}: {}", stderr(&ok));
        assert_eq!(
            std::fs::read(dir.path().join("out.bin")).unwrap(),
            data,
            "{role}"
        );
    }
}

#[test]
fn detached_ec_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = document();
    let sig = cms::sign(&keystore("employee_sign_ec"), &data, true).unwrap();
    let ok = openssl_verify(dir.path(), &sig, Some(&data));
    assert!(ok.status.success(), "{}", stderr(&ok));
}

#[test]
fn signature_over_a_hash_verifies_against_the_document() {
    for role in ["employee_sign", "employee_sign_ec"] {
        let dir = tempfile::tempdir().unwrap();
        let data = document();
        let sig = cms::sign_digest(&keystore(role), &Sha256::digest(&data)).unwrap();
        let ok = openssl_verify(dir.path(), &sig, Some(&data));
        assert!(ok.status.success(), "{role}: {}", stderr(&ok));
    }
    assert!(cms::sign_digest(&keystore("employee_sign"), b"short").is_err());
}

#[test]
fn cades_bes_signed_attributes_are_present() {
    let dir = tempfile::tempdir().unwrap();
    let sig = cms::sign(&keystore("employee_sign"), b"x", true).unwrap();
    let path = dir.path().join("s.der");
    std::fs::write(&path, &sig).unwrap();
    let print = run(
        "openssl",
        &[
            "cms",
            "-cmsout",
            "-print",
            "-inform",
            "DER",
            "-in",
            path.to_str().unwrap(),
        ],
    );
    assert!(print.status.success(), "{}", stderr(&print));
    let text = stdout(&print);
    for attr in [
        "contentType",
        "signingTime",
        "messageDigest",
        "id-smime-aa-signingCertificateV2",
    ] {
        assert!(text.contains(attr), "missing {attr}:\n{text}");
    }
}

#[test]
fn pem_form_round_trips_through_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let sig = cms::sign(&keystore("employee_sign"), b"hello", false).unwrap();
    let pem = cms::pem(&sig);
    assert!(pem.starts_with("-----BEGIN CMS-----\n") && pem.ends_with("-----END CMS-----\n"));
    let path = dir.path().join("s.pem");
    std::fs::write(&path, &pem).unwrap();
    let ca = common::manifest().ca.to_str().unwrap().to_string();
    let v = run(
        "openssl",
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "PEM",
            "-in",
            path.to_str().unwrap(),
            "-CAfile",
            &ca,
        ],
    );
    assert!(v.status.success(), "{}", stderr(&v));
    assert_eq!(v.stdout, b"hello");
}

#[test]
fn signing_time_is_the_one_given() {
    let dir = tempfile::tempdir().unwrap();
    // 2026-01-15 10:30:00 UTC
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_768_473_000);
    let sig = cms::sign_at(&keystore("employee_sign"), b"x", true, at).unwrap();
    let path = dir.path().join("s.der");
    std::fs::write(&path, &sig).unwrap();
    let print = run(
        "openssl",
        &[
            "cms",
            "-cmsout",
            "-print",
            "-inform",
            "DER",
            "-in",
            path.to_str().unwrap(),
        ],
    );
    let text = stdout(&print);
    assert!(text.contains("UTCTIME:Jan 15 10:30:00 2026 GMT"), "{text}");
}
