//! Signature checks on real CMS made here with real keys: certificates in NCA's profile (rcgen,
//! custom EKU purposes, IIN in serialNumber, BIN in OU) and CMS from the `cms` crate's builder.

use cms::builder::{create_signing_time_attribute, SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use der::{Any, Decode, Encode, Tag};
use qoltanba_core::model::Timestamp;
use qoltanba_core::signature::{
    check_own, verify_all_detached, verify_attached, verify_detached, Indication, Purpose,
    SubIndication,
};
use qoltanba_core::ErrorCode;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use time::macros::datetime;
use time::OffsetDateTime;
use x509_cert::Certificate;

const SELLER_BIN: &str = "123456789021";
const IIN: &str = "880101300123";
fn now() -> Timestamp {
    ts("2026-11-23T12:00:00Z")
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

const DOC: &[u8] = "Акт выполненных работ № 17 от 31.10.2026\n".as_bytes();

const SHA256_OID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const ID_DATA: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

#[derive(Clone, Copy, PartialEq)]
enum Alg {
    Rsa,
    P256,
}

/// Who the test certificate says its holder is.
struct Profile {
    alg: Alg,
    signing: bool,
    bin: Option<&'static str>,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            alg: Alg::P256,
            signing: true,
            bin: Some(SELLER_BIN),
            not_before: datetime!(2026-01-01 00:00 UTC),
            not_after: datetime!(2027-01-01 00:00 UTC),
        }
    }
}

/// A key and its certificate issued by a fresh test CA in NCA's profile.
struct Holder {
    key_pkcs8: Vec<u8>,
    cert: Certificate,
    alg: Alg,
}

fn holder(p: Profile) -> Holder {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (TEST)");
    let issuer = Issuer::new(ca, ca_key);

    let key = match p.alg {
        Alg::Rsa => KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap(),
        Alg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap(),
    };
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    let dn = &mut params.distinguished_name;
    dn.push(DnType::CommonName, "ТЕСТОВ ТЕСТ");
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 5]), format!("IIN{IIN}"));
    dn.push(DnType::CountryName, "KZ");
    if let Some(bin) = p.bin {
        dn.push(DnType::OrganizationName, "ТОО «Продавец»");
        dn.push(DnType::OrganizationalUnitName, format!("BIN{bin}"));
    }
    let mut eku = vec![];
    if p.signing {
        eku.push(ExtendedKeyUsagePurpose::EmailProtection);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
    } else {
        eku.push(ExtendedKeyUsagePurpose::ClientAuth);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
    }
    if p.bin.is_some() {
        eku.push(ExtendedKeyUsagePurpose::Other(vec![
            1, 2, 398, 3, 3, 4, 1, 2,
        ]));
        eku.push(ExtendedKeyUsagePurpose::Other(vec![
            1, 2, 398, 3, 3, 4, 1, 2, 1,
        ]));
    } else {
        eku.push(ExtendedKeyUsagePurpose::Other(vec![
            1, 2, 398, 3, 3, 4, 1, 1,
        ]));
    }
    params.extended_key_usages = eku;
    params.not_before = p.not_before;
    params.not_after = p.not_after;
    let cert = params.signed_by(&key, &issuer).unwrap();
    Holder {
        key_pkcs8: key.serialize_der(),
        cert: Certificate::from_der(cert.der()).unwrap(),
        alg: p.alg,
    }
}

/// CAdES-BES-like CMS: detached (or attached) content, signed attributes with signingTime.
fn sign(h: &Holder, content: &[u8], attached: bool) -> Vec<u8> {
    let digest = Sha256::digest(content).to_vec();
    sign_with(h, content, attached, SHA256_OID, &digest)
}

/// As `sign`, with any digest algorithm (detached only: the builder hashes SHA-2 alone).
fn sign_with(
    h: &Holder,
    content: &[u8],
    attached: bool,
    digest_oid: const_oid::ObjectIdentifier,
    digest: &[u8],
) -> Vec<u8> {
    let encap = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: attached.then(|| Any::new(Tag::OctetString, content).unwrap()),
    };
    let external = (!attached).then_some(digest);
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: h.cert.tbs_certificate.issuer.clone(),
        serial_number: h.cert.tbs_certificate.serial_number.clone(),
    });
    let digest_alg = AlgorithmIdentifierOwned {
        oid: digest_oid,
        parameters: None,
    };
    let mut builder = SignedDataBuilder::new(&encap);
    builder
        .add_digest_algorithm(digest_alg.clone())
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(h.cert.clone()))
        .unwrap();
    match h.alg {
        Alg::Rsa => {
            use rsa::pkcs8::DecodePrivateKey;
            let key = rsa::RsaPrivateKey::from_pkcs8_der(&h.key_pkcs8).unwrap();
            let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key);
            let mut si =
                SignerInfoBuilder::new(&signer, sid, digest_alg, &encap, external).unwrap();
            si.add_signed_attribute(create_signing_time_attribute().unwrap())
                .unwrap();
            builder
                .add_signer_info::<_, rsa::pkcs1v15::Signature>(si)
                .unwrap();
        }
        Alg::P256 => {
            use p256::pkcs8::DecodePrivateKey;
            let signer = p256::ecdsa::SigningKey::from_pkcs8_der(&h.key_pkcs8).unwrap();
            let mut si =
                SignerInfoBuilder::new(&signer, sid, digest_alg, &encap, external).unwrap();
            si.add_signed_attribute(create_signing_time_attribute().unwrap())
                .unwrap();
            builder
                .add_signer_info::<_, p256::ecdsa::DerSignature>(si)
                .unwrap();
        }
    }
    builder.build().unwrap().to_der().unwrap()
}

/// Rewrites the first signer's algorithm identifiers (what a GOST signature carries).
fn with_algorithms(cms: &[u8], digest: &str, signature: &str) -> Vec<u8> {
    let ci = ContentInfo::from_der(cms).unwrap();
    let mut sd: SignedData = ci.content.decode_as().unwrap();
    let mut infos: Vec<_> = sd.signer_infos.0.into_vec();
    infos[0].digest_alg.oid = digest.parse().unwrap();
    infos[0].signature_algorithm = AlgorithmIdentifierOwned {
        oid: signature.parse().unwrap(),
        parameters: None,
    };
    sd.signer_infos = cms::signed_data::SignerInfos::try_from(infos).unwrap();
    ContentInfo {
        content_type: ci.content_type,
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn a_good_signature_passes_and_names_the_signer() {
    for alg in [Alg::P256, Alg::Rsa] {
        let h = holder(Profile {
            alg,
            ..Profile::default()
        });
        let cms = sign(&h, DOC, false);
        let v = verify_detached(&cms, DOC, now());
        assert_eq!(v.indication, Indication::TotalPassed, "{}", v.reason);
        assert_eq!(v.sub_indication, None);
        let s = v.signer.as_ref().unwrap();
        assert_eq!(s.common_name.as_deref(), Some("ТЕСТОВ ТЕСТ"));
        assert_eq!(s.iin.as_deref(), Some(IIN));
        assert_eq!(s.bin.as_deref(), Some(SELLER_BIN));
        assert_eq!(s.organisation.as_deref(), Some("ТОО «Продавец»"));
        assert!(s.purposes.contains(&Purpose::Signing));
        assert!(s.purposes.contains(&Purpose::LegalEntity));
        assert!(s.purposes.contains(&Purpose::FirstHead));
        assert_eq!(s.certificate_der, h.cert.to_der().unwrap());
        assert!(v.signing_time.is_some());
        let expected = if alg == Alg::Rsa {
            "RSA"
        } else {
            "ECDSA P-256"
        };
        assert!(v.algorithm.as_deref().unwrap().starts_with(expected));
        assert!(v.warnings.iter().any(|w| w.contains("Цепочка")));
        let who = check_own(&cms, DOC, SELLER_BIN, now()).unwrap();
        assert_eq!(who.iin.as_deref(), Some(IIN));
    }
}

#[test]
fn verdict_serialises_in_camel_case_with_dss_names() {
    let h = holder(Profile::default());
    let v = verify_detached(&sign(&h, DOC, false), b"other", now());
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["indication"], "TOTAL_FAILED");
    assert_eq!(json["subIndication"], "HASH_FAILURE");
    assert_eq!(json["signer"]["commonName"], "ТЕСТОВ ТЕСТ");
    assert!(json["signingTime"].is_string());
}

#[test]
fn tampered_content_is_a_hash_failure() {
    let h = holder(Profile::default());
    let cms = sign(&h, DOC, false);
    let mut changed = DOC.to_vec();
    changed[0] ^= 1;
    let v = verify_detached(&cms, &changed, now());
    assert_eq!(v.indication, Indication::TotalFailed);
    assert_eq!(v.sub_indication, Some(SubIndication::HashFailure));
    assert!(v.reason.contains("изменён"), "{}", v.reason);
    let err = check_own(&cms, &changed, SELLER_BIN, now()).unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureInvalid);
}

#[test]
fn a_flipped_signature_byte_is_a_crypto_failure() {
    for alg in [Alg::Rsa, Alg::P256] {
        let h = holder(Profile {
            alg,
            ..Profile::default()
        });
        let cms = sign(&h, DOC, false);
        let ci = ContentInfo::from_der(&cms).unwrap();
        let sd: SignedData = ci.content.decode_as().unwrap();
        let sig = sd
            .signer_infos
            .0
            .get(0)
            .unwrap()
            .signature
            .as_bytes()
            .to_vec();
        // The signature value is the last octets of the signer info: flip one inside it.
        let at = cms.windows(sig.len()).position(|w| w == sig).unwrap() + sig.len() - 3;
        let mut bad = cms.clone();
        bad[at] ^= 0x01;
        let v = verify_detached(&bad, DOC, now());
        assert_eq!(v.indication, Indication::TotalFailed);
        assert_eq!(v.sub_indication, Some(SubIndication::SigCryptoFailure));
        let err = check_own(&bad, DOC, SELLER_BIN, now()).unwrap_err();
        assert_eq!(err.code, ErrorCode::SignatureInvalid);
    }
}

#[test]
fn expired_and_not_yet_valid_certificates_are_refused_for_our_own_signature() {
    let h = holder(Profile::default());
    let cms = sign(&h, DOC, false);
    let v = verify_detached(&cms, DOC, ts("2027-06-01T00:00:00Z"));
    assert_eq!(v.indication, Indication::Indeterminate);
    assert_eq!(v.sub_indication, Some(SubIndication::OutOfBounds));
    assert!(v.reason.contains("истёк"));
    let err = check_own(&cms, DOC, SELLER_BIN, ts("2027-06-01T00:00:00Z")).unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureInvalid);
    assert!(err.message.contains("истёк"));

    let v = verify_detached(&cms, DOC, ts("2025-06-01T00:00:00Z"));
    assert_eq!(v.sub_indication, Some(SubIndication::NotYetValid));
    let err = check_own(&cms, DOC, SELLER_BIN, ts("2025-06-01T00:00:00Z")).unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureInvalid);
}

#[test]
fn an_authentication_key_is_the_wrong_signer() {
    let h = holder(Profile {
        signing: false,
        ..Profile::default()
    });
    let cms = sign(&h, DOC, false);
    let v = verify_detached(&cms, DOC, now());
    assert_eq!(v.indication, Indication::TotalPassed);
    assert!(v.signer.as_ref().unwrap().is_authentication_key());
    let err = check_own(&cms, DOC, SELLER_BIN, now()).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongSigner);
    assert!(err.message.contains("аутентификации"), "{}", err.message);
}

#[test]
fn another_organisations_bin_or_no_bin_is_the_wrong_signer() {
    let other = holder(Profile {
        bin: Some("987654321098"),
        ..Profile::default()
    });
    let err = check_own(&sign(&other, DOC, false), DOC, SELLER_BIN, now()).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongSigner);
    assert!(err.message.contains("987654321098"), "{}", err.message);

    let person = holder(Profile {
        bin: None,
        ..Profile::default()
    });
    let cms = sign(&person, DOC, false);
    let v = verify_detached(&cms, DOC, now());
    assert!(v
        .signer
        .as_ref()
        .unwrap()
        .purposes
        .contains(&Purpose::Individual));
    assert_eq!(
        check_own(&cms, DOC, SELLER_BIN, now()).unwrap_err().code,
        ErrorCode::WrongSigner
    );
}

#[test]
fn gost_oids_with_a_non_gost_key_are_indeterminate_but_the_content_digest_is_checked() {
    // GOST algorithm identifiers over a P-256 certificate: a combination NCA never writes, so it
    // cannot be verified (real GOST CMS are verified: see the core's signature::gost_cms_tests).
    use sha2::Digest as _;
    let h = holder(Profile::default());
    let streebog512 = streebog::Streebog512::digest(DOC).to_vec();
    let streebog256 = streebog::Streebog256::digest(DOC).to_vec();
    let gost94 = gost94::Gost94Test::digest(DOC).to_vec();
    for (digest_oid, digest, sig) in [
        ("1.2.398.3.10.1.3.3", streebog512, "1.2.398.3.10.1.1.2.3.2"),
        ("1.2.398.3.10.1.3.2", streebog256, "1.2.398.3.10.1.1.2.3.1"),
        ("1.2.398.3.10.1.3.1", gost94, "1.2.398.3.10.1.1.1.2"),
    ] {
        let cms = sign_with(&h, DOC, false, digest_oid.parse().unwrap(), &digest);
        let gost = with_algorithms(&cms, digest_oid, sig);
        let v = verify_detached(&gost, DOC, now());
        assert_eq!(v.indication, Indication::Indeterminate, "{sig}");
        assert_eq!(v.sub_indication, Some(SubIndication::AlgorithmNotSupported));
        assert!(v.reason.contains("NCALayer/NCANode"), "{}", v.reason);
        assert!(v.reason.contains("совпадает"), "{}", v.reason);
        assert!(v.algorithm.as_deref().unwrap().contains("ГОСТ"));
        assert_eq!(v.signer.as_ref().unwrap().bin.as_deref(), Some(SELLER_BIN));
        // Not verifiable, so not kept as our own signature.
        assert_eq!(
            check_own(&gost, DOC, SELLER_BIN, now()).unwrap_err().code,
            ErrorCode::SignatureInvalid
        );

        // Other bytes than the ones signed: a failure even though GOST is not verified.
        let v = verify_detached(&gost, b"another document", now());
        assert_eq!(v.indication, Indication::TotalFailed, "{sig}");
        assert_eq!(v.sub_indication, Some(SubIndication::HashFailure));
        assert_eq!(
            check_own(&gost, b"another document", SELLER_BIN, now())
                .unwrap_err()
                .code,
            ErrorCode::SignatureInvalid
        );
    }
}

#[test]
fn attached_cms_verifies_against_its_own_content() {
    let h = holder(Profile {
        alg: Alg::Rsa,
        ..Profile::default()
    });
    let cms = sign(&h, DOC, true);
    assert_eq!(
        verify_attached(&cms, now()).indication,
        Indication::TotalPassed
    );
    assert_eq!(
        qoltanba_core::signature::attached_content(&cms).as_deref(),
        Some(DOC)
    );
    // The same attached CMS also verifies as "detached" against the right bytes only.
    assert!(verify_detached(&cms, DOC, now()).passed());
    assert!(!verify_detached(&cms, b"x", now()).passed());
    // A detached CMS checked as attached has nothing to check against.
    let detached = sign(&h, DOC, false);
    let v = verify_attached(&detached, now());
    assert_eq!(v.sub_indication, Some(SubIndication::FormatFailure));
}

#[test]
fn garbage_never_panics() {
    let h = holder(Profile::default());
    let cms = sign(&h, DOC, false);
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x30],
        b"-----BEGIN CMS-----".to_vec(),
        vec![0xff; 10_000],
        vec![0x30; 20 * 1024 * 1024],
    ];
    for cut in [1, 10, cms.len() / 2, cms.len() - 1] {
        inputs.push(cms[..cut].to_vec());
    }
    for input in &inputs {
        let v = verify_detached(input, DOC, now());
        assert_eq!(v.indication, Indication::TotalFailed);
        assert_eq!(v.sub_indication, Some(SubIndication::FormatFailure));
        assert_eq!(
            check_own(input, DOC, SELLER_BIN, now()).unwrap_err().code,
            ErrorCode::SignatureInvalid
        );
    }
    // Corruption anywhere yields a verdict, never a panic. (Some bytes, such as the CA's
    // signature on the certificate, are not covered until chain building lands.)
    for i in 0..cms.len() {
        let mut bad = cms.clone();
        bad[i] ^= 0x5a;
        let v = verify_detached(&bad, DOC, now());
        assert!(!v.reason.is_empty());
    }
}

#[test]
fn a_cms_without_signer_is_no_signer() {
    let encap = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let cms = SignedDataBuilder::new(&encap)
        .build()
        .unwrap()
        .to_der()
        .unwrap();
    let v = verify_detached(&cms, DOC, now());
    assert_eq!(v.indication, Indication::Indeterminate);
    assert_eq!(v.sub_indication, Some(SubIndication::NoSigner));
}

/// DER TLV with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

#[test]
fn signed_attributes_in_received_order_are_what_is_verified() {
    // Some signers write signedAttrs unsorted (not DER SET OF order); the der crate sorts them on
    // decoding, so only the received bytes verify. Build such a CMS by hand.
    use p256::ecdsa::signature::Signer;
    use p256::pkcs8::DecodePrivateKey;
    let h = holder(Profile::default());
    let cms = sign(&h, DOC, false);
    let sd: SignedData = ContentInfo::from_der(&cms)
        .unwrap()
        .content
        .decode_as()
        .unwrap();
    let si = sd.signer_infos.0.get(0).unwrap().clone();
    let mut attrs: Vec<Vec<u8>> = si
        .signed_attrs
        .as_ref()
        .unwrap()
        .iter()
        .map(|a| a.to_der().unwrap())
        .collect();
    attrs.sort();
    let sorted = attrs.concat();
    attrs.reverse(); // deliberately not in DER order
    let attrs_content = attrs.concat();
    assert_ne!(attrs_content, sorted);
    let key = p256::ecdsa::SigningKey::from_pkcs8_der(&h.key_pkcs8).unwrap();
    let sig: p256::ecdsa::DerSignature = key.sign(&tlv(0x31, &attrs_content));
    let signer_info = tlv(
        0x30,
        &[
            si.version.to_der().unwrap(),
            si.sid.to_der().unwrap(),
            si.digest_alg.to_der().unwrap(),
            tlv(0xA0, &attrs_content),
            si.signature_algorithm.to_der().unwrap(),
            tlv(0x04, sig.as_bytes()),
        ]
        .concat(),
    );
    let mut certs = sd.certificates.as_ref().unwrap().to_der().unwrap();
    certs[0] = 0xA0; // [0] IMPLICIT SET OF CertificateChoices
    let signed_data = tlv(
        0x30,
        &[
            sd.version.to_der().unwrap(),
            sd.digest_algorithms.to_der().unwrap(),
            sd.encap_content_info.to_der().unwrap(),
            certs,
            tlv(0x31, &signer_info),
        ]
        .concat(),
    );
    let oid = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
    let unsorted = tlv(
        0x30,
        &[oid.to_der().unwrap(), tlv(0xA0, &signed_data)].concat(),
    );
    let v = verify_detached(&unsorted, DOC, now());
    assert_eq!(v.indication, Indication::TotalPassed, "{}", v.reason);
    assert!(!verify_detached(&unsorted, b"other", now()).passed());
}

/// Both signers' SignerInfos and certificates in one CMS (as a counter-signed document arrives).
fn merge(a: &[u8], b: &[u8]) -> Vec<u8> {
    let decode = |cms: &[u8]| -> SignedData {
        ContentInfo::from_der(cms)
            .unwrap()
            .content
            .decode_as()
            .unwrap()
    };
    let (mut sa, sb) = (decode(a), decode(b));
    let mut infos = sa.signer_infos.0.into_vec();
    infos.extend(sb.signer_infos.0.into_vec());
    sa.signer_infos = cms::signed_data::SignerInfos::try_from(infos).unwrap();
    let mut certs = sa.certificates.unwrap().0.into_vec();
    certs.extend(sb.certificates.unwrap().0.into_vec());
    sa.certificates = Some(cms::signed_data::CertificateSet::try_from(certs).unwrap());
    ContentInfo {
        content_type: const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2"),
        content: Any::encode_from(&sa).unwrap(),
    }
    .to_der()
    .unwrap()
}

#[test]
fn every_signer_of_a_multi_signer_cms_gets_its_own_verdict() {
    let seller = holder(Profile {
        alg: Alg::Rsa,
        ..Profile::default()
    });
    let marketplace = holder(Profile {
        bin: Some("201040012345"),
        ..Profile::default()
    });
    let both = merge(&sign(&seller, DOC, false), &sign(&marketplace, DOC, false));
    let all = verify_all_detached(&both, DOC, now());
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|v| v.passed()), "{all:?}");
    let mut bins: Vec<_> = all
        .iter()
        .map(|v| v.signer.as_ref().unwrap().bin.clone().unwrap())
        .collect();
    bins.sort();
    assert_eq!(bins, vec!["123456789021", "201040012345"]);
    let one = verify_detached(&both, DOC, now());
    assert!(one.warnings.iter().any(|w| w.contains("Подписантов: 2")));
    // Tampered content fails for each signer.
    assert!(verify_all_detached(&both, b"x", now())
        .iter()
        .all(|v| v.sub_indication == Some(SubIndication::HashFailure)));
}
