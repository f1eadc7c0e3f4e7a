//! GOST signatures made by qoltanba-signer, judged by qoltanba-core's own verifier: NCANode's
//! public GOST keystores (2015-512 and 2004) and the signer's generated GOST-2015 test keys, every
//! method NCALayer offers (CMS detached/attached, over data or a hash, several documents, XML),
//! and tampered copies refused for the right reason.

use base64::Engine;
use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{
    certificates_from, crls_from, verify_attached_with, verify_detached_with, verify_xml_with,
    Indication, SubIndication, Validation, Verdict,
};
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::testkeys::{self, Manifest};
use qoltanba_signer::{cms, xmldsig};
use sha2::Digest;

const DOC: &[u8] = "Акт сверки за октябрь 2026, ТОО \"Сауда Продавец\"\n".as_bytes();
const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act id=\"42\"><sum>1000.00</sum><note>сверка</note></act>";

fn nca(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/nca")
        .join(name)
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn anchor(path: &std::path::Path, at: Timestamp) -> Validation {
    let mut v = Validation::new(at);
    v.anchors = certificates_from(&std::fs::read(path).unwrap()).unwrap();
    v
}

fn passed(v: &Verdict, what: &str) {
    assert_eq!(v.indication, Indication::TotalPassed, "{what}: {v:#?}");
    assert!(v.intact, "{what}");
    assert!(
        v.algorithm.as_deref().unwrap_or("").contains("ГОСТ"),
        "{what}: {:?}",
        v.algorithm
    );
}

fn failed(v: &Verdict, sub: SubIndication, what: &str) {
    assert_eq!(
        (v.indication, v.sub_indication),
        (Indication::TotalFailed, Some(sub)),
        "{what}: {v:#?}"
    );
    assert!(!v.intact, "{what}");
}

/// Every method for one key; `v` trusts its CA at a time its certificate is valid.
fn every_method_verifies(key: &Keystore, v: &Validation, who: &str) {
    let detached = cms::sign(key, DOC, true).unwrap();
    passed(
        &verify_detached_with(&detached, DOC, v)[0],
        &format!("{who} detached"),
    );

    let attached = cms::sign(key, DOC, false).unwrap();
    passed(
        &verify_attached_with(&attached, v)[0],
        &format!("{who} attached"),
    );

    // NCALayer's "digested": the caller hashes with the key's hash, the CMS is over that hash.
    let hash = key.algorithm().hash(DOC);
    let over_hash = cms::sign_digest(key, &hash).unwrap();
    passed(
        &verify_detached_with(&over_hash, DOC, v)[0],
        &format!("{who} hash"),
    );
    assert!(
        cms::sign_digest(key, &hash[1..]).is_err(),
        "a short hash is refused"
    );

    // Several documents in one request: each signature covers its own document only.
    let docs: Vec<Vec<u8>> = (1..=3)
        .map(|i| format!("документ {i}").into_bytes())
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        let sig = cms::sign(key, doc, true).unwrap();
        passed(
            &verify_detached_with(&sig, doc, v)[0],
            &format!("{who} doc {i}"),
        );
        let other = &docs[(i + 1) % docs.len()];
        failed(
            &verify_detached_with(&sig, other, v)[0],
            SubIndication::HashFailure,
            who,
        );
    }

    let signed_xml = xmldsig::sign_enveloped(key, XML).unwrap();
    let verdicts = verify_xml_with(signed_xml.as_bytes(), v).unwrap();
    assert_eq!(verdicts.len(), 1);
    passed(&verdicts[0], &format!("{who} xml"));
}

#[test]
fn ncanode_gost_2015_keystore_signs_every_method() {
    let key = Keystore::open(nca("individual_valid_2015.p12"), "Aa123456").unwrap();
    let v = anchor(&nca("nca_gost2015_test.cer"), ts("2022-10-01T00:00:00Z"));
    every_method_verifies(&key, &v, "NCANode 2015");
}

#[test]
fn ncanode_gost_2004_keystore_signs_cms_and_xml() {
    let key = Keystore::open(nca("ceo_sign_revoked_2004.p12"), "Qwerty12").unwrap();
    let v = anchor(&nca("nca_gost_test.crt"), ts("2022-06-01T00:00:00Z"));
    every_method_verifies(&key, &v, "NCANode 2004");
}

#[test]
fn ncanode_revoked_key_signs_but_its_crl_says_revoked() {
    let key = Keystore::open(nca("ceo_revoked_2015.p12"), "Aa123456").unwrap();
    let mut v = anchor(&nca("nca_gost2015_test.cer"), ts("2023-07-01T00:00:00Z"));
    v.crls = crls_from(&std::fs::read(nca("nca_gost2022_test.crl")).unwrap()).unwrap();
    let sig = cms::sign(&key, DOC, true).unwrap();
    let verdict = &verify_detached_with(&sig, DOC, &v)[0];
    // The signature itself is sound; the certificate is what fails.
    assert!(verdict.intact, "{verdict:#?}");
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::Revoked),
        "{verdict:#?}"
    );
}

fn own_keys() -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let m = testkeys::generate(dir.path(), testkeys::DEFAULT_PASSWORD).unwrap();
    (dir, m)
}

#[test]
fn generated_gost_test_keys_sign_every_method_under_the_gost_test_ca() {
    let (_dir, m) = own_keys();
    let v = anchor(m.gost_ca.as_ref().unwrap(), Timestamp::now());
    for role in [
        "employee_sign_gost",
        "head_sign_gost",
        "individual_sign_gost",
    ] {
        let key = Keystore::open(m.path(role), &m.password).unwrap();
        every_method_verifies(&key, &v, role);
    }
    // The RSA CA does not vouch for GOST keys.
    let rsa_only = anchor(&m.ca, Timestamp::now());
    let key = Keystore::open(m.path("employee_sign_gost"), &m.password).unwrap();
    let verdict = &verify_detached_with(&cms::sign(&key, DOC, true).unwrap(), DOC, &rsa_only)[0];
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::NoCertificateChainFound),
        "{verdict:#?}"
    );
    assert!(verdict.intact);
}

#[test]
fn tampered_gost_signatures_fail_for_the_right_reason() {
    let (_dir, m) = own_keys();
    let v = anchor(m.gost_ca.as_ref().unwrap(), Timestamp::now());
    let key = Keystore::open(m.path("employee_sign_gost"), &m.password).unwrap();

    let sig = cms::sign(&key, DOC, true).unwrap();
    // The signature value is the last field of the CMS.
    let mut flipped = sig.clone();
    *flipped.last_mut().unwrap() ^= 0x01;
    failed(
        &verify_detached_with(&flipped, DOC, &v)[0],
        SubIndication::SigCryptoFailure,
        "flipped",
    );
    let mut changed = DOC.to_vec();
    changed[0] ^= 0x01;
    failed(
        &verify_detached_with(&sig, &changed, &v)[0],
        SubIndication::HashFailure,
        "content",
    );

    // A signature over another hash does not cover this document.
    let wrong_hash = cms::sign_digest(&key, &streebog::Streebog512::digest(b"other")).unwrap();
    failed(
        &verify_detached_with(&wrong_hash, DOC, &v)[0],
        SubIndication::HashFailure,
        "hash",
    );

    let xml = xmldsig::sign_enveloped(&key, XML).unwrap();
    let edited = xml.replace("1000.00", "9000.00");
    failed(
        &verify_xml_with(edited.as_bytes(), &v).unwrap()[0],
        SubIndication::HashFailure,
        "xml",
    );
    let b64 = base64::engine::general_purpose::STANDARD;
    let start = xml.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let end = xml.find("</ds:SignatureValue>").unwrap();
    let mut value = b64.decode(&xml[start..end]).unwrap();
    value[5] ^= 0x01;
    let forged = format!("{}{}{}", &xml[..start], b64.encode(&value), &xml[end..]);
    failed(
        &verify_xml_with(forged.as_bytes(), &v).unwrap()[0],
        SubIndication::SigCryptoFailure,
        "xml signature value",
    );
}

#[test]
fn an_expired_gost_key_is_out_of_bounds() {
    let (_dir, m) = own_keys();
    let v = anchor(m.gost_ca.as_ref().unwrap(), Timestamp::now());
    let expired = Keystore::open(m.path("expired_sign_gost"), &m.password).unwrap();
    let verdict = &verify_detached_with(&cms::sign(&expired, DOC, true).unwrap(), DOC, &v)[0];
    assert_ne!(verdict.indication, Indication::TotalPassed, "{verdict:#?}");
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::OutOfBounds),
        "{verdict:#?}"
    );
    assert!(verdict.intact);
}
