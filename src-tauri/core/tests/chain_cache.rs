//! One validation run checks each CA signature and each CRL once, however many documents share
//! them (issue #17): NCANode's real GOST-2015 material, several documents, the run's
//! `Validation` reused; and the cached answers are the same answers (a revoked certificate
//! stays revoked, a tampered certificate is not let through by an earlier good one).

use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{
    certificates_from, crls_from, verify_detached_with, CacheWork, Indication, SubIndication,
    Validation,
};
use qoltanba_signer::cms;
use qoltanba_signer::keystore::Keystore;

fn data(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/nca")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn gost2015(at: &str) -> Validation {
    let mut v = Validation::new(Timestamp::parse(at).unwrap());
    v.anchors = certificates_from(&data("nca_gost2015_test.cer")).unwrap();
    v.crls = [
        "nca_gost2022_test.crl",
        "nca_rsa_test.crl",
        "nca_gost_test.crl",
    ]
    .iter()
    .flat_map(|n| crls_from(&data(n)).unwrap())
    .collect();
    v
}

#[test]
fn a_run_checks_each_ca_signature_and_crl_once_for_many_documents() {
    let key = Keystore::open(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/nca/individual_valid_2015.p12"),
        "Aa123456",
    )
    .unwrap();
    let v = gost2015("2022-10-01T00:00:00Z");
    let docs: Vec<Vec<u8>> = (0..6).map(|i| format!("Акт № {i}").into_bytes()).collect();
    let signed: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| cms::sign(&key, d, true).unwrap())
        .collect();

    let first = &verify_detached_with(&signed[0], &docs[0], &v)[0];
    assert_eq!(first.indication, Indication::TotalPassed, "{first:#?}");
    let after_one = v.cache.work();
    assert_eq!(
        after_one,
        CacheWork {
            certificate_signatures: 1,
            crls_parsed: 3,
            crl_signatures: 1
        },
        "the user certificate under the CA; the three lists read, the CA's one checked"
    );
    for (doc, cms) in docs.iter().zip(&signed).skip(1) {
        let verdict = &verify_detached_with(cms, doc, &v)[0];
        assert_eq!(verdict.indication, Indication::TotalPassed, "{verdict:#?}");
        assert!(!verdict
            .warnings
            .iter()
            .any(|w| w.starts_with("Отзыв не проверен")));
    }
    assert_eq!(
        v.cache.work(),
        after_one,
        "five more documents, no more work"
    );

    // A clone of the run's validation (as each document of a sync gets) shares what was learnt.
    let clone = v.clone();
    verify_detached_with(&signed[1], &docs[1], &clone);
    assert_eq!(v.cache.work(), after_one);
    // A fresh validation starts from nothing.
    let fresh = gost2015("2022-10-01T00:00:00Z");
    verify_detached_with(&signed[1], &docs[1], &fresh);
    assert_eq!(fresh.cache.work(), after_one);
}

#[test]
fn a_revoked_certificate_stays_revoked_when_the_crl_comes_from_the_cache() {
    let key = Keystore::open(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/nca/ceo_revoked_2015.p12"),
        "Aa123456",
    )
    .unwrap();
    let v = gost2015("2023-07-01T00:00:00Z");
    for i in 0..3 {
        let doc = format!("Счёт № {i}").into_bytes();
        let sig = cms::sign(&key, &doc, true).unwrap();
        let verdict = &verify_detached_with(&sig, &doc, &v)[0];
        assert!(verdict.intact, "{verdict:#?}");
        assert_eq!(verdict.sub_indication, Some(SubIndication::Revoked), "{i}");
    }
    assert_eq!(v.cache.work().crl_signatures, 1);
}

#[test]
fn a_tampered_ca_signature_is_not_let_through_by_an_earlier_good_one() {
    // The same user certificate with one byte of its signature changed is different bytes, so
    // the run checks it afresh and finds no chain, after the good one was cached.
    let v = gost2015("2022-10-01T00:00:00Z");
    let cms = data("signed_detached_gost2015_rsa.cms");
    let good = &verify_detached_with(&cms, b"test123", &v)[0];
    assert_eq!(good.indication, Indication::TotalPassed, "{good:#?}");
    // The certificate's GOST signature: the last BIT STRING of 129 bytes (03 81 81 00) before
    // the signer infos; flip a byte inside it.
    let pos = cms
        .windows(4)
        .position(|w| w == [0x03, 0x81, 0x81, 0x00])
        .expect("the certificate's GOST signature");
    let mut bad = cms.clone();
    bad[pos + 4 + 7] ^= 0x01;
    let verdict = &verify_detached_with(&bad, b"test123", &v)[0];
    assert_eq!(
        (verdict.indication, verdict.sub_indication),
        (
            Indication::Indeterminate,
            Some(SubIndication::NoCertificateChainFound)
        ),
        "{verdict:#?}"
    );
}
