//! Verification benchmark (issues #9, #17), one thread, everything in one run:
//! * the GOST-2015-512 signature alone (digest given; µs per verification and per second), and
//!   GOST-2004's, over 2,000 signatures by 2,000 keys;
//! * 2,000 detached CMS over 100 KB documents signed with GOST-2015-512, each check the full
//!   one (content digest, signature, the chain to a trusted CA: the signer certificate's
//!   signature by the CA, validity, key usage), with one validation for the run as the app
//!   uses it (a CA signature is checked once per run); beside the floor "Streebog-512 of the
//!   same 100 KB + CMS parse", the part no verifier can skip;
//! * the same with RSA-2048 (the earlier floor; it measures a different hash).
//!
//! `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer --bench verify`

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
use qoltanba_gost::{CurveId, GostKey};
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

/// The machine is shared (other builds run beside the benchmark), so rates are taken from the
/// time this thread spent on a CPU (Linux schedstat), i.e. per core; the wall time is printed
/// beside it. Elsewhere the wall clock stands in.
struct Clock {
    wall: Instant,
    cpu: Option<u64>,
}

fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Clock {
    fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: cpu_ns(),
        }
    }

    /// (seconds on a CPU, wall seconds)
    fn stop(&self) -> (f64, f64) {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = match (self.cpu, cpu_ns()) {
            (Some(a), Some(b)) => (b - a) as f64 / 1e9,
            _ => wall,
        };
        (cpu, wall)
    }
}

/// Verifications per second of bare signatures on `id`: one key per signature, digest given.
fn signatures_alone(id: CurveId) -> f64 {
    const N: usize = 2000;
    let cases: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = (0..N)
        .map(|i| {
            let key = GostKey::generate(id);
            let digest: Vec<u8> = (0..id.size()).map(|j| (i * 13 + j * 7) as u8).collect();
            let sig = key.sign_digest(&digest);
            (key.public_key().to_vec(), digest, sig)
        })
        .collect();
    // Warm-up (the base point's table is made once per process).
    assert!(qoltanba_gost::verify(
        id,
        &cases[0].0,
        &cases[0].1,
        &cases[0].2
    ));
    let t = Clock::start();
    for (key, digest, sig) in &cases {
        assert!(qoltanba_gost::verify(id, key, digest, sig));
    }
    let (secs, wall) = t.stop();
    let rate = N as f64 / secs;
    println!(
        "{id:?} signature alone: {N} verified in {secs:.3} s on a CPU ({wall:.3} s wall): \
         {:.1} µs each, {rate:.0}/s per core",
        secs * 1e6 / N as f64
    );
    rate
}

/// The floor of a CMS check: the content's Streebog-512 and the CMS parsed, nothing verified.
fn floor(signed: &[(Vec<u8>, Vec<u8>)]) -> f64 {
    let t = Clock::start();
    for (doc, cms) in signed {
        let digest = streebog::Streebog512::digest(doc);
        let info = ContentInfo::from_der(cms).unwrap();
        let sd: SignedData = info.content.decode_as().unwrap();
        assert_eq!(sd.signer_infos.0.len(), 1);
        std::hint::black_box(digest);
    }
    let (secs, wall) = t.stop();
    let rate = signed.len() as f64 / secs;
    println!(
        "{:<10} {} documents of {} KB: Streebog-512 + CMS parse in {secs:.2} s on a CPU \
         ({wall:.2} s wall): {rate:.0} documents/s",
        "floor",
        signed.len(),
        SIZE / 1024
    );
    rate
}

fn run(name: &str, signed: &[(Vec<u8>, Vec<u8>)], ctx: &Validation) -> f64 {
    // Warm-up and a correctness check on the first one.
    let v = verify_detached_with(&signed[0].1, &signed[0].0, ctx);
    assert_eq!(v[0].indication, Indication::TotalPassed, "{name}: {v:#?}");
    let t = Clock::start();
    for (doc, cms) in signed {
        let v = verify_detached_with(cms, doc, ctx);
        assert_eq!(v[0].indication, Indication::TotalPassed);
    }
    let (secs, wall) = t.stop();
    let rate = signed.len() as f64 / secs;
    println!(
        "{name:<10} {} documents of {} KB verified in {secs:.2} s on a CPU ({wall:.2} s wall): \
         {rate:.0} documents/s",
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

    let alone = signatures_alone(CurveId::Gost2015_512);
    let alone_2004 = signatures_alone(CurveId::Gost2004);
    let f = floor(&gost);
    let g = run("GOST-2015", &gost, &gost_ctx);
    let r = run("RSA-2048", &rsa, &rsa_ctx);
    println!(
        "ratio GOST/floor: {:.2} (aim ≥ 0.5); GOST/RSA: {:.2}",
        g / f,
        g / r
    );
    use report_line::{Better, Figure};
    for (name, rate, aim) in [
        ("GOST-2015-512", alone, Some(1000.0)),
        ("GOST-2004", alone_2004, None),
    ] {
        Figure {
            area: "verify",
            figure: &format!(
                "verify a {name} signature alone (digest given, a new key each), per core"
            ),
            documents: None,
            ours: rate,
            floor: None,
            unit: "signatures/s",
            better: Better::Higher,
            aim,
        }
        .print();
        Figure {
            area: "verify",
            figure: &format!("verify a {name} signature alone, time per signature"),
            documents: None,
            ours: 1e6 / rate,
            floor: None,
            unit: "µs",
            better: Better::Lower,
            aim: aim.map(|a| 1e6 / a),
        }
        .print();
    }
    let what = |alg: &str| {
        format!(
            "verify {DOCS} detached CMS over {} KB documents, {alg}, chain to a trusted CA, per core",
            SIZE / 1024
        )
    };
    Figure {
        area: "verify",
        figure: &what("GOST-2015-512"),
        documents: None,
        ours: g,
        floor: Some((f, "Streebog-512 of the same 100 KB + CMS parse, same run")),
        unit: "signatures/s",
        better: Better::Higher,
        aim: Some(0.5 * f),
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
