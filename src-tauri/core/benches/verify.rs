//! Verification benchmark (issue #9): 2,000 detached CMS over 100 KB documents signed with
//! GOST-2015-512 keys, and the same with RSA-2048, in one run; documents per second for each and
//! the ratio. Each check is the full one: content digest, signature, and the chain to a trusted
//! CA (the signer certificate's signature by the CA, validity, key usage, a CRL).
//! `cargo bench -p qoltanba-core --bench verify --features test-gost-signer`
//! (one thread; the GOST keys come from a test-only signer).

#[path = "../../../benches/report_line.rs"]
mod report_line;

use cms::builder::{create_content_type_attribute, create_message_digest_attribute};
use cms::builder::{create_signing_time_attribute, SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier as Oid;
use der::asn1::{BitString, OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use qoltanba_core::signature::gost_test_signer::{public_2015, sign_2015};
use qoltanba_core::signature::{verify_detached_with, Indication, Validation};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::time::Instant;
use time::macros::datetime;
use x509_cert::Certificate;

const DOCS: usize = 2000;
const SIZE: usize = 100 * 1024;
const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
const GOST_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2");
const GOST_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2.1");
const GOST_SIG: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.3.2");
const STREEBOG: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.3");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const CA_SEED: u64 = 1;
const USER_SEED: u64 = 2;

fn params(ca: bool, cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.not_before = datetime!(2026-01-01 00:00 UTC);
    p.not_after = datetime!(2028-01-01 00:00 UTC);
    if ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.distinguished_name
            .push(DnType::CustomDnType(vec![2, 5, 4, 5]), "IIN880101300123");
        p.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
    }
    p
}

/// An rcgen certificate turned into a GOST-2015 one: the GOST public key `seed`, re-signed by
/// the GOST key `signer_seed` (NCA's byte orders).
fn gost_certificate(der: &[u8], seed: u64, signer_seed: u64) -> Certificate {
    let mut cert = Certificate::from_der(der).unwrap();
    let gost_sig = AlgorithmIdentifierOwned {
        oid: GOST_SIG,
        parameters: None,
    };
    let tbs = &mut cert.tbs_certificate;
    tbs.subject_public_key_info = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: GOST_KEY,
            parameters: Some(Any::encode_from(&vec![GOST_CURVE, STREEBOG]).unwrap()),
        },
        subject_public_key: BitString::from_bytes(
            &OctetString::new(public_2015(seed))
                .unwrap()
                .to_der()
                .unwrap(),
        )
        .unwrap(),
    };
    tbs.signature = gost_sig.clone();
    let signature = sign_2015(signer_seed, &tbs.to_der().unwrap());
    cert.signature_algorithm = gost_sig;
    cert.signature = BitString::from_bytes(&signature).unwrap();
    cert
}

fn gost_cms(cert: &Certificate, content: &[u8]) -> Vec<u8> {
    let attrs = SignedAttributes::try_from(vec![
        create_content_type_attribute(ID_DATA).unwrap(),
        create_message_digest_attribute(&streebog::Streebog512::digest(content)).unwrap(),
        create_signing_time_attribute().unwrap(),
    ])
    .unwrap();
    let signature = sign_2015(USER_SEED, &attrs.to_der().unwrap());
    let digest_alg = AlgorithmIdentifierOwned {
        oid: STREEBOG,
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
            oid: GOST_SIG,
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
            CertificateSet::try_from(vec![CertificateChoices::Certificate(cert.clone())]).unwrap(),
        ),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer]).unwrap(),
    };
    ContentInfo {
        content_type: Oid::new_unwrap("1.2.840.113549.1.7.2"),
        content: Any::encode_from(&sd).unwrap(),
    }
    .to_der()
    .unwrap()
}

fn rsa_cms(cert: &Certificate, key_pkcs8: &[u8], content: &[u8]) -> Vec<u8> {
    use rsa::pkcs8::DecodePrivateKey;
    let encap = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let digest = Sha256::digest(content).to_vec();
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cert.tbs_certificate.issuer.clone(),
        serial_number: cert.tbs_certificate.serial_number.clone(),
    });
    let digest_alg = AlgorithmIdentifierOwned {
        oid: SHA256,
        parameters: None,
    };
    let mut builder = SignedDataBuilder::new(&encap);
    builder
        .add_digest_algorithm(digest_alg.clone())
        .unwrap()
        .add_certificate(CertificateChoices::Certificate(cert.clone()))
        .unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_der(key_pkcs8).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key);
    let mut si = SignerInfoBuilder::new(&signer, sid, digest_alg, &encap, Some(&digest)).unwrap();
    si.add_signed_attribute(create_signing_time_attribute().unwrap())
        .unwrap();
    builder
        .add_signer_info::<_, rsa::pkcs1v15::Signature>(si)
        .unwrap();
    builder.build().unwrap().to_der().unwrap()
}

fn run(name: &str, signed: &[(Vec<u8>, Vec<u8>)], ctx: &Validation) -> f64 {
    // Warm-up and a correctness check on the first one.
    let v = verify_detached_with(&signed[0].1, &signed[0].0, ctx);
    assert_eq!(v[0].indication, Indication::TotalPassed, "{name}: {v:#?}");
    let t = Instant::now();
    for (doc, cms) in signed {
        let v = verify_detached_with(cms, doc, ctx);
        assert_eq!(v[0].indication, Indication::TotalPassed);
    }
    let secs = t.elapsed().as_secs_f64();
    let rate = signed.len() as f64 / secs;
    println!(
        "{name:<10} {} documents of {} KB verified in {secs:.2} s: {rate:.0} documents/s",
        signed.len(),
        SIZE / 1024
    );
    rate
}

fn main() {
    let docs: Vec<Vec<u8>> = (0..DOCS)
        .map(|i| (0..SIZE).map(|j| ((i * 31 + j * 7) % 251) as u8).collect())
        .collect();
    let at = qoltanba_core::model::Timestamp::parse("2026-11-23T12:00:00Z").unwrap();

    // GOST: a GOST-2015 CA (self-signed) and a user certificate it signed.
    let throwaway = KeyPair::generate().unwrap();
    let gost_ca_rc = params(true, "GOST TEST CA")
        .self_signed(&throwaway)
        .unwrap();
    let gost_ca = gost_certificate(gost_ca_rc.der(), CA_SEED, CA_SEED);
    let issuer = Issuer::new(params(true, "GOST TEST CA"), KeyPair::generate().unwrap());
    let user_rc = params(false, "ГОСТОВ ГОСТ")
        .signed_by(&KeyPair::generate().unwrap(), &issuer)
        .unwrap();
    let gost_user = gost_certificate(user_rc.der(), USER_SEED, CA_SEED);
    let mut gost_ctx = Validation::new(at);
    gost_ctx.anchors = vec![gost_ca.to_der().unwrap()];

    // RSA-2048: CA and user.
    let rsa_ca_key = KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let rsa_ca = params(true, "RSA TEST CA")
        .self_signed(&rsa_ca_key)
        .unwrap();
    let rsa_issuer = Issuer::new(params(true, "RSA TEST CA"), rsa_ca_key);
    let rsa_user_key = KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let rsa_user_rc = params(false, "РСАЕВ РСА")
        .signed_by(&rsa_user_key, &rsa_issuer)
        .unwrap();
    let rsa_user = Certificate::from_der(rsa_user_rc.der()).unwrap();
    let mut rsa_ctx = Validation::new(at);
    rsa_ctx.anchors = vec![rsa_ca.der().to_vec()];

    let t = Instant::now();
    let gost: Vec<(Vec<u8>, Vec<u8>)> = docs
        .iter()
        .map(|d| (d.clone(), gost_cms(&gost_user, d)))
        .collect();
    let rsa_key = rsa_user_key.serialize_der();
    let rsa: Vec<(Vec<u8>, Vec<u8>)> = docs
        .iter()
        .map(|d| (d.clone(), rsa_cms(&rsa_user, &rsa_key, d)))
        .collect();
    println!(
        "prepared {} GOST and {} RSA signatures in {:.1} s",
        gost.len(),
        rsa.len(),
        t.elapsed().as_secs_f64()
    );

    let g = run("GOST-2015", &gost, &gost_ctx);
    let r = run("RSA-2048", &rsa, &rsa_ctx);
    println!(
        "ratio GOST/RSA: {:.2} (GOST documents/s per RSA document/s)",
        g / r
    );
    use report_line::{Better, Figure};
    let what = |alg: &str| {
        format!(
            "verify {DOCS} detached CMS over {} KB documents, {alg}, chain to a trusted CA, one thread",
            SIZE / 1024
        )
    };
    Figure {
        area: "verify",
        figure: &what("GOST-2015-512"),
        documents: None,
        ours: g,
        floor: Some((r, "the same with RSA-2048, same run")),
        unit: "signatures/s",
        better: Better::Higher,
        aim: Some(500.0),
    }
    .print();
    Figure {
        area: "verify",
        figure: &what("RSA-2048"),
        documents: None,
        ours: r,
        floor: None,
        unit: "signatures/s",
        better: Better::Higher,
        aim: None,
    }
    .print();
}
