//! Verification with chains against NCA's public TEST material (tests/data/nca, from NCANode):
//! a CMS with a GOST-2015-512 signer and an RSA signer, their CAs and CRLs, and a GOST-2004
//! certificate under its CA. The certificates have expired: each check names its time.

use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{
    certificates_from, check_certificate, crls_from, verify_attached_with, verify_detached_with,
    Indication, SubIndication, Validation, Verdict,
};

mod support;

fn data(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/nca")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn cert(name: &str) -> Vec<u8> {
    certificates_from(&data(name)).unwrap().remove(0)
}

/// Both test CAs trusted, every CRL at hand.
fn nca(at: Timestamp) -> Validation {
    let mut v = Validation::new(at);
    v.anchors = [
        "nca_gost2015_test.cer",
        "nca_rsa_test.crt",
        "nca_gost_test.crt",
    ]
    .iter()
    .map(|n| cert(n))
    .collect();
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

/// GOST user certificate valid 2022-07-28..2023-07-28; the RSA one 2021-01-18..2022-01-18.
fn gost_time() -> Timestamp {
    ts("2022-10-01T00:00:00Z")
}
fn rsa_time() -> Timestamp {
    ts("2021-06-01T00:00:00Z")
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn is(v: &Verdict, ind: Indication, sub: Option<SubIndication>) {
    assert_eq!((v.indication, v.sub_indication), (ind, sub), "{v:#?}");
}

#[test]
fn attached_gost_2015_and_rsa_signers_pass_each_at_its_time() {
    let cms = data("signed_attached_gost2015_rsa.cms");
    let at_gost = verify_attached_with(&cms, &nca(gost_time()));
    assert_eq!(at_gost.len(), 2);
    is(&at_gost[0], Indication::TotalPassed, None);
    assert!(at_gost[0].intact);
    assert_eq!(at_gost[0].chain.len(), 2, "{:?}", at_gost[0].chain);
    let who = at_gost[0].signer.as_ref().unwrap();
    assert_eq!(who.iin.as_deref(), Some("123456789012"));
    assert_eq!(
        at_gost[0].algorithm.as_deref(),
        Some("ГОСТ 34.310-2015 (512), Стрибог-512")
    );
    assert!(at_gost[0].signing_time.is_some());
    // The RSA certificate had expired by then: intact, but out of bounds.
    is(
        &at_gost[1],
        Indication::Indeterminate,
        Some(SubIndication::OutOfBounds),
    );
    assert!(at_gost[1].intact);

    let at_rsa = verify_attached_with(&cms, &nca(rsa_time()));
    is(&at_rsa[1], Indication::TotalPassed, None);
    is(
        &at_rsa[0],
        Indication::Indeterminate,
        Some(SubIndication::NotYetValid),
    );
    // CRLs checked: no "no CRL" warning for the signer.
    assert!(
        !at_gost[0]
            .warnings
            .iter()
            .any(|w| w.starts_with("Отзыв не проверен")),
        "{:?}",
        at_gost[0].warnings
    );
}

#[test]
fn detached_gost_2015_passes_and_tampering_is_refused_for_the_right_reason() {
    let cms = data("signed_detached_gost2015_rsa.cms");
    let ctx = nca(gost_time());
    let ok = verify_detached_with(&cms, b"test123", &ctx);
    is(&ok[0], Indication::TotalPassed, None);

    // Changed content.
    let v = verify_detached_with(&cms, b"test124", &ctx);
    is(
        &v[0],
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
    );
    assert!(!v[0].intact);
    is(
        &v[1],
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
    );

    // Flipped byte in the GOST signature value: the last 04 81 80 (OCTET STRING of 128 bytes)
    // is the GOST SignerInfo's signature (the first one is the certificate's public key).
    let pos = rfind(&cms, &[0x04, 0x81, 0x80]).expect("GOST signature value");
    let mut bad = cms.clone();
    bad[pos + 3 + 10] ^= 0x01;
    let v = verify_detached_with(&bad, b"test123", &ctx);
    is(
        &v[0],
        Indication::TotalFailed,
        Some(SubIndication::SigCryptoFailure),
    );
    assert!(!v[0].intact);

    // Wrong digest value in the messageDigest attribute (04 40 = the 64-byte Streebog value).
    let pos = find(&cms, &[0x04, 0x40]).expect("messageDigest");
    let mut bad = cms.clone();
    bad[pos + 2] ^= 0x80;
    let v = verify_detached_with(&bad, b"test123", &ctx);
    is(
        &v[0],
        Indication::TotalFailed,
        Some(SubIndication::HashFailure),
    );
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[test]
fn without_a_trusted_ca_the_chain_is_not_found_but_the_signature_is_intact() {
    let cms = data("signed_attached_gost2015_rsa.cms");
    let v = verify_attached_with(&cms, &Validation::new(gost_time()));
    is(
        &v[0],
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
    );
    assert!(v[0].intact);
    // Only the wrong CA trusted (the 2004 one).
    let mut ctx = Validation::new(gost_time());
    ctx.anchors = vec![cert("nca_gost_test.crt")];
    let v = verify_attached_with(&cms, &ctx);
    is(
        &v[0],
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
    );
}

#[test]
fn gost_2004_certificate_chains_to_its_ca_and_crl() {
    let c = cert("ceo_valid_sign_2004_gost.cer");
    let v = check_certificate(&c, &nca(ts("2022-06-01T00:00:00Z")));
    is(&v, Indication::TotalPassed, None);
    assert_eq!(v.chain.len(), 2);
    assert_eq!(
        v.signer.as_ref().unwrap().bin.as_deref(),
        Some("123456789021")
    );
    // Expired since 2023-01-18.
    let v = check_certificate(&c, &nca(ts("2024-06-01T00:00:00Z")));
    is(
        &v,
        Indication::Indeterminate,
        Some(SubIndication::OutOfBounds),
    );
    // Before it was issued.
    let v = check_certificate(&c, &nca(ts("2021-06-01T00:00:00Z")));
    is(
        &v,
        Indication::Indeterminate,
        Some(SubIndication::NotYetValid),
    );
    // Without the CRL a warning says revocation was not checked.
    let mut ctx = nca(ts("2022-06-01T00:00:00Z"));
    ctx.crls.clear();
    let v = check_certificate(&c, &ctx);
    is(&v, Indication::TotalPassed, None);
    assert!(
        v.warnings
            .iter()
            .any(|w| w.starts_with("Отзыв не проверен")),
        "{:?}",
        v.warnings
    );
}

#[test]
fn rsa_certificate_chains_to_the_rsa_test_ca() {
    let v = check_certificate(
        &cert("individual_valid_sign_2004_rsa.cer"),
        &nca(ts("2022-06-01T00:00:00Z")),
    );
    is(&v, Indication::TotalPassed, None);
}

#[test]
fn a_certificate_whose_signature_is_tampered_finds_no_chain() {
    let mut c = cert("ceo_valid_sign_2004_gost.cer");
    let n = c.len();
    c[n - 5] ^= 0x01; // inside the signature value at the end
    let v = check_certificate(&c, &nca(ts("2022-06-01T00:00:00Z")));
    is(
        &v,
        Indication::Indeterminate,
        Some(SubIndication::NoCertificateChainFound),
    );
    assert!(v.reason.contains("не проверяется"), "{}", v.reason);
}

#[test]
fn garbage_is_not_a_certificate() {
    let v = check_certificate(b"\x30\x82\x01", &nca(gost_time()));
    is(
        &v,
        Indication::TotalFailed,
        Some(SubIndication::FormatFailure),
    );
    assert!(certificates_from(b"garbage").is_none());
    assert!(crls_from(&data("nca_gost_test.crt")).is_none());
}

mod xml {
    use super::*;
    use qoltanba_core::signature::verify_xml_with;

    #[test]
    fn two_signers_rsa_then_gost_2015_verify_last_to_first() {
        let xml = data("signed_two_signers_rsa_gost2015.xml");
        let v = verify_xml_with(&xml, &nca(gost_time())).unwrap();
        assert_eq!(v.len(), 2);
        // Both signatures hold; the RSA certificate had expired by the GOST signer's time.
        assert!(v[0].intact && v[1].intact, "{v:#?}");
        is(&v[1], Indication::TotalPassed, None);
        assert_eq!(
            v[1].algorithm.as_deref(),
            Some("ГОСТ 34.310-2015 (512), Стрибог-512")
        );
        is(
            &v[0],
            Indication::Indeterminate,
            Some(SubIndication::OutOfBounds),
        );
        let v = verify_xml_with(&xml, &nca(rsa_time())).unwrap();
        is(&v[0], Indication::TotalPassed, None);
    }

    #[test]
    fn one_signer() {
        let xml = data("signed_one.xml");
        let v = verify_xml_with(&xml, &nca(rsa_time())).unwrap();
        assert_eq!(v.len(), 1);
        is(&v[0], Indication::TotalPassed, None);
    }

    fn text() -> String {
        String::from_utf8(data("signed_two_signers_rsa_gost2015.xml")).unwrap()
    }

    #[test]
    fn a_root_with_many_thousands_of_attributes_is_checked_in_bounded_time() {
        // RUSTSEC-2026-0194/0195: quick-xml before 0.41 checked duplicate attributes in
        // quadratic time and let namespace declarations grow unbounded; the signature check and
        // C14N read every attribute of every start tag. Namespaces are fewer: our C14N copies the
        // scope into every element (cost: declarations x elements), 50,000 took ~1.5 s here.
        // The bound is on growth, not seconds: 16× the attributes may cost about 16× the time
        // (quadratic work would take 256×; the bound is half way, for a busy machine).
        let one = String::from_utf8(data("signed_one.xml")).unwrap();
        let attributes = |n: usize| -> String { (0..n).map(|i| format!(" a{i}=\"v\"")).collect() };
        let namespaces = |n: usize| -> String {
            (0..n)
                .map(|i| format!(" xmlns:p{i}=\"urn:p:{i}\""))
                .collect()
        };
        let duplicates = |n: usize| " a=\"1\"".repeat(n);
        type Extra<'a> = &'a dyn Fn(usize) -> String;
        let cases: [(&str, Extra, usize, SubIndication); 3] = [
            (
                "attributes",
                &attributes,
                50_000,
                SubIndication::HashFailure,
            ),
            (
                "namespaces",
                &namespaces,
                10_000,
                SubIndication::HashFailure,
            ),
            (
                "duplicates",
                &duplicates,
                50_000,
                SubIndication::FormatFailure,
            ),
        ];
        let with = |extra: String| one.replacen("<a>", &format!("<a{extra}>"), 1);
        for (name, extra, n, sub) in cases {
            let ratio = super::support::growth(n / 16, |k| {
                verify_xml_with(with(extra(k)).as_bytes(), &nca(rsa_time())).unwrap();
            });
            assert!(
                ratio < 128.0,
                "{name}: 16x the input took {ratio:.0}x the time"
            );
            let v = verify_xml_with(with(extra(n)).as_bytes(), &nca(rsa_time())).unwrap();
            assert_eq!(v.len(), 1, "{name}");
            is(&v[0], Indication::TotalFailed, Some(sub));
            if name == "duplicates" {
                assert!(
                    v[0].reason.contains("duplicated attribute"),
                    "{}",
                    v[0].reason
                );
            }
        }
    }

    #[test]
    fn changed_content_fails_both_with_hash_failure() {
        let xml = text().replace("<b>test</b>", "<b>tost</b>");
        let v = verify_xml_with(xml.as_bytes(), &nca(gost_time())).unwrap();
        is(
            &v[1],
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
        );
        is(
            &v[0],
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
        );
    }

    #[test]
    fn flipped_signature_value_is_a_crypto_failure() {
        // The GOST SignatureValue starts with "9KSGy33": change one base64 digit.
        let xml = text().replace("9KSGy33AXRui", "9KSGy33AXRuj");
        let v = verify_xml_with(xml.as_bytes(), &nca(gost_time())).unwrap();
        is(
            &v[1],
            Indication::TotalFailed,
            Some(SubIndication::SigCryptoFailure),
        );
        assert!(!v[1].intact);
        // The RSA one under it is still intact: it signed the document without the GOST one.
        assert!(v[0].intact);
    }

    #[test]
    fn wrong_digest_value_is_a_hash_failure() {
        let xml = text().replace("JXtgklPvmOEL", "JXtgklPvmOEM");
        let v = verify_xml_with(xml.as_bytes(), &nca(gost_time())).unwrap();
        is(
            &v[1],
            Indication::TotalFailed,
            Some(SubIndication::HashFailure),
        );
    }

    #[test]
    fn doctype_and_entity_bombs_are_refused() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><a>&lol2;<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></a>"#;
        let e = verify_xml_with(bomb.as_bytes(), &nca(gost_time())).unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{}", e.message);
        let undeclared =
            r#"<a>&lol;<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></a>"#;
        assert!(
            verify_xml_with(undeclared.as_bytes(), &nca(gost_time())).is_err()
                || verify_xml_with(undeclared.as_bytes(), &nca(gost_time())).unwrap()[0].indication
                    != Indication::TotalPassed
        );
        assert!(verify_xml_with(b"<a><b>no signature</b></a>", &nca(gost_time())).is_err());
        assert!(verify_xml_with(b"<a><b>", &nca(gost_time())).is_err());
    }
}
