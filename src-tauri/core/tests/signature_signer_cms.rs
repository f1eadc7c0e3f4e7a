//! The signature module against CMS made by qoltanba-signer from its PKCS#12 test keys in NCA's
//! profile: what we check before keeping a signature holds for real signatures, not just ours.

use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{check_own, verify_attached, verify_detached, Indication, Purpose};
use qoltanba_core::ErrorCode;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::{self, Manifest, SELLER_BIN};

const DOC: &[u8] = "Отчёт о реализации товара за октябрь 2026\n".as_bytes();

fn keys() -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let manifest = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    (dir, manifest)
}

fn sign(m: &Manifest, role: &str, data: &[u8], detached: bool) -> Vec<u8> {
    let key = Keystore::open(m.path(role), &m.password).unwrap();
    qoltanba_signer::cms::sign(&key, data, detached).unwrap()
}

#[test]
fn the_sellers_signing_keys_pass_every_check() {
    let (_dir, m) = keys();
    let now = Timestamp::now();
    for role in ["employee_sign", "head_sign", "employee_sign_ec"] {
        let cms = sign(&m, role, DOC, true);
        let v = verify_detached(&cms, DOC, now);
        assert_eq!(
            v.indication,
            Indication::TotalPassed,
            "{role}: {}",
            v.reason
        );
        let who = check_own(&cms, DOC, SELLER_BIN, now).unwrap();
        let key = m.key(role).unwrap();
        assert_eq!(who.iin.as_deref(), Some(key.iin.as_str()), "{role}");
        assert_eq!(who.bin.as_deref(), Some(SELLER_BIN));
        assert!(who.purposes.contains(&Purpose::Signing));
        assert!(who.purposes.contains(&Purpose::LegalEntity));
        assert!(v.signing_time.is_some());
    }
    let attached = sign(&m, "employee_sign", DOC, false);
    assert!(verify_attached(&attached, now).passed());
}

#[test]
fn wrong_keys_from_the_signer_are_refused() {
    let (_dir, m) = keys();
    let now = Timestamp::now();
    let refused = |role: &str| check_own(&sign(&m, role, DOC, true), DOC, SELLER_BIN, now);
    assert_eq!(
        refused("employee_auth").unwrap_err().code,
        ErrorCode::WrongSigner
    );
    assert_eq!(
        refused("other_org_sign").unwrap_err().code,
        ErrorCode::WrongSigner
    );
    assert_eq!(
        refused("individual_sign").unwrap_err().code,
        ErrorCode::WrongSigner
    );
    assert_eq!(
        refused("marketplace_sign").unwrap_err().code,
        ErrorCode::WrongSigner
    );
    let expired = refused("expired_sign").unwrap_err();
    assert_eq!(expired.code, ErrorCode::SignatureInvalid);
    assert!(expired.message.contains("истёк"), "{}", expired.message);
    // A signature over other bytes is not a signature of this document.
    let cms = sign(&m, "employee_sign", b"another document", true);
    let err = check_own(&cms, DOC, SELLER_BIN, now).unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureInvalid);
}
