//! Whole CMS signatures with KZ GOST keys made here (no GOST signer exists in Rust): a certificate
//! in NCA's profile carrying a GOST public key, signed attributes, and a GOST signature computed
//! with the test-only signer, verified through the public API exactly as a Kalkan CMS would be.

use crate::model::Timestamp;
use cms::builder::{
    create_content_type_attribute, create_message_digest_attribute, create_signing_time_attribute,
};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier as Oid;
use der::asn1::{BitString, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;

use super::gost::testing::{keypair, sign};
use super::gost::Curve;
use super::{check_own, digest, oids, verify_detached, Indication, SubIndication};

const DOC: &[u8] = "Акт о премии за расчёты баллами № 5\n".as_bytes();
const BIN: &str = "123456789021";
const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");

struct Variant {
    curve: Curve,
    key_oid: Oid,
    key_params: [Oid; 2],
    signature_oid: Oid,
    digest_oid: Oid,
}

fn gost2015() -> Variant {
    Variant {
        curve: Curve::gost2015_512(),
        key_oid: oids::GOST2015_KEY,
        key_params: [oids::GOST2015_512_CURVE, oids::STREEBOG_512],
        signature_oid: oids::GOST2015_512_SIGNATURE,
        digest_oid: oids::STREEBOG_512,
    }
}

fn gost2004() -> Variant {
    Variant {
        curve: Curve::gost2004(),
        key_oid: oids::GOST2004_KEY,
        key_params: [oids::GOST2004_CURVE, oids::GOST_34_311_95_TEST_SBOX],
        signature_oid: oids::GOST2004_SIGNATURE,
        digest_oid: oids::GOST_34_311_95,
    }
}

/// A certificate in NCA's profile whose public key is the given GOST key (the CA's signature on
/// it is not GOST, which does not matter: chains are not checked yet).
fn certificate(v: &Variant, public: &[u8]) -> Certificate {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    let dn = &mut params.distinguished_name;
    dn.push(DnType::CommonName, "ГОСТОВ ГОСТ");
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 5]), "IIN880101300123");
    dn.push(DnType::OrganizationName, "ТОО «Продавец»");
    dn.push(DnType::OrganizationalUnitName, format!("BIN{BIN}"));
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::EmailProtection,
        ExtendedKeyUsagePurpose::Other(vec![1, 2, 398, 3, 3, 4, 1, 2]),
    ];
    params.not_before = time::macros::datetime!(2026-01-01 00:00 UTC);
    params.not_after = time::macros::datetime!(2027-01-01 00:00 UTC);
    let rc = params.self_signed(&KeyPair::generate().unwrap()).unwrap();
    let mut cert = Certificate::from_der(rc.der()).unwrap();
    cert.tbs_certificate.subject_public_key_info = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: v.key_oid,
            parameters: Some(Any::encode_from(&v.key_params.to_vec()).unwrap()),
        },
        subject_public_key: BitString::from_bytes(
            &OctetString::new(public).unwrap().to_der().unwrap(),
        )
        .unwrap(),
    };
    cert
}

/// A detached CMS over `content` signed with a GOST key, as Kalkan writes it.
fn gost_cms(v: &Variant, content: &[u8]) -> Vec<u8> {
    let (d, public) = keypair(&v.curve, 7);
    let cert = certificate(v, &public);
    let attrs = SignedAttributes::try_from(vec![
        create_content_type_attribute(ID_DATA).unwrap(),
        create_message_digest_attribute(&digest::of(&v.digest_oid, content).unwrap()).unwrap(),
        create_signing_time_attribute().unwrap(),
    ])
    .unwrap();
    let signed = attrs.to_der().unwrap(); // SET OF: what the signature covers
    let signature = sign(&v.curve, &d, &digest::of(&v.digest_oid, &signed).unwrap());
    let digest_alg = AlgorithmIdentifierOwned {
        oid: v.digest_oid,
        parameters: None,
    };
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs: Some(attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: v.signature_oid,
            parameters: None,
        },
        signature: OctetString::new(signature).unwrap(),
        unsigned_attrs: None,
    };
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_alg]).unwrap(),
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(
            CertificateSet::try_from(vec![CertificateChoices::Certificate(cert)]).unwrap(),
        ),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer]).unwrap(),
    };
    ContentInfo {
        content_type: oids::SIGNED_DATA,
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn now() -> Timestamp {
    Timestamp::parse("2026-11-23T12:00:00Z").unwrap()
}

#[test]
fn gost_2015_and_2004_signatures_verify_and_pass_our_own_checks() {
    for v in [gost2015(), gost2004()] {
        let cms = gost_cms(&v, DOC);
        let verdict = verify_detached(&cms, DOC, now());
        assert_eq!(
            verdict.indication,
            Indication::TotalPassed,
            "{}",
            verdict.reason
        );
        let expected = if v.curve.n == 64 {
            "ГОСТ 34.310-2015 (512), Стрибог-512"
        } else {
            "ГОСТ 34.310-2004, ГОСТ 34.311-95"
        };
        assert_eq!(verdict.algorithm.as_deref(), Some(expected));
        let who = check_own(&cms, DOC, BIN, now()).unwrap();
        assert_eq!(who.common_name.as_deref(), Some("ГОСТОВ ГОСТ"));
    }
}

#[test]
fn gost_tampering_is_caught() {
    for v in [gost2015(), gost2004()] {
        let cms = gost_cms(&v, DOC);
        let other = verify_detached(&cms, b"another document", now());
        assert_eq!(other.sub_indication, Some(SubIndication::HashFailure));

        // The signature value is the last OCTET STRING of the CMS: flip a byte of it.
        let mut bad = cms.clone();
        let at = bad.len() - 5;
        bad[at] ^= 0x01;
        let v = verify_detached(&bad, DOC, now());
        assert_eq!(v.indication, Indication::TotalFailed);
        assert_eq!(v.sub_indication, Some(SubIndication::SigCryptoFailure));
        assert!(check_own(&bad, DOC, BIN, now()).is_err());
    }
}

#[test]
fn a_gost_combination_we_have_not_checked_stays_indeterminate() {
    // A 2015 key announced with the 2004 signature algorithm: never seen, not guessed at.
    let mut v = gost2015();
    v.signature_oid = oids::GOST2004_SIGNATURE;
    let verdict = verify_detached(&gost_cms(&v, DOC), DOC, now());
    assert_eq!(verdict.indication, Indication::Indeterminate);
    assert_eq!(
        verdict.sub_indication,
        Some(SubIndication::AlgorithmNotSupported)
    );
    assert!(verdict.reason.contains("NCALayer/NCANode"));
}
