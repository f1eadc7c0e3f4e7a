//! Test keys in NCA's certificate profile, made at run time (no private key is ever committed).
//!
//! `generate(dir, password)` writes a test CA (`ca.pem`), one PKCS#12 file per role and a
//! `testkeys.json` manifest. Other crates' tests call it to get signers and a trust anchor.
//! It also writes the same roles with GOST-2015-512 keys (`<role>_gost.p12`, in NCA's legacy
//! PKCS#12 format) issued by a GOST-2015 test CA (`gost_ca.pem`), listed in `gost_keys`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, RsaKeySize, SerialNumber,
    PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::gost::{pkcs8 as gost_pkcs8, CurveId, GostKey};
use crate::nca_pkcs12;
use crate::profile::{
    EKU_AUTH, EKU_EMPLOYEE, EKU_FIRST_HEAD, EKU_INDIVIDUAL, EKU_LEGAL_ENTITY, EKU_SIGNING,
};
use crate::testkeys_gost::{self, GostIssuer};

/// The seller's BIN, as in the operator API example.
pub const SELLER_BIN: &str = "123456789021";
/// The marketplace (the sender organisation).
pub const MARKETPLACE_BIN: &str = "201040012345";
/// Some other organisation: a key that must be refused as "not the seller".
pub const OTHER_BIN: &str = "990400001236";
pub const EMPLOYEE_IIN: &str = "850315300128";
pub const HEAD_IIN: &str = "771204300348";
/// A private person who is not the seller: their personal key must be refused.
pub const INDIVIDUAL_IIN: &str = "900712400233";
/// A seller who is an individual entrepreneur (ИП): the IIN is its taxpayer number, and its
/// key (`sole_sign`) is a personal certificate with this IIN and no BIN.
pub const SOLE_IIN: &str = "950620450121";
pub const OTHER_EMPLOYEE_IIN: &str = "880202500459";
pub const MARKETPLACE_IIN: &str = "921111600562";
pub const DEFAULT_PASSWORD: &str = "Qwerty12";

/// What `generate` wrote; also saved as `testkeys.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub dir: PathBuf,
    pub password: String,
    /// The test CA certificate, PEM: the trust anchor for `openssl cms -verify -CAfile`.
    pub ca: PathBuf,
    pub keys: Vec<TestKey>,
    /// The GOST-2015 test CA certificate, PEM: the trust anchor of `gost_keys`.
    #[serde(default)]
    pub gost_ca: Option<PathBuf>,
    /// The roles of `keys` (but the EC one) with GOST-2015-512 keys; roles end in `_gost`.
    #[serde(default)]
    pub gost_keys: Vec<TestKey>,
}

/// One PKCS#12 file of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TestKey {
    /// e.g. `employee_sign`; the file is `<role>.p12`.
    pub role: String,
    pub path: PathBuf,
    /// `SIGNATURE` or `AUTHENTICATION`, as NCALayer's keyType names them.
    pub key_type: String,
    pub iin: String,
    pub bin: Option<String>,
    pub organisation: Option<String>,
    pub common_name: String,
    /// `RSA-2048`, `EC-P256` or `GOST-2015-512`.
    pub algorithm: String,
    pub ext_key_usages: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
}

impl Manifest {
    /// The key of a role, e.g. `manifest.key("employee_sign")`.
    pub fn key(&self, role: &str) -> Option<&TestKey> {
        self.keys
            .iter()
            .chain(&self.gost_keys)
            .find(|k| k.role == role)
    }

    /// Path of a role's PKCS#12 file; panics on an unknown role (a test's typo).
    pub fn path(&self, role: &str) -> PathBuf {
        self.key(role)
            .unwrap_or_else(|| panic!("no test key with role {role}"))
            .path
            .clone()
    }

    /// Reads a manifest written by `generate`.
    pub fn load(dir: &Path) -> Result<Manifest> {
        let text = std::fs::read_to_string(dir.join("testkeys.json"))?;
        Ok(serde_json::from_str(&text)?)
    }
}

#[derive(Clone, Copy)]
enum Usage {
    Signing,
    Authentication,
}

struct Spec {
    role: &'static str,
    usage: Usage,
    iin: &'static str,
    surname: &'static str,
    name: &'static str,
    organisation: Option<(&'static str, &'static str)>,
    holder_eku: &'static [&'static str],
    ec: bool,
    expired: bool,
}

const SELLER: (&str, &str) = ("ТОО \"Сауда Продавец\"", SELLER_BIN);
const MARKETPLACE: (&str, &str) = ("ТОО \"Маркетплейс Казахстан\"", MARKETPLACE_BIN);
const OTHER_ORG: (&str, &str) = ("ТОО \"Другая Компания\"", OTHER_BIN);
const EMPLOYEE: &[&str] = &[EKU_LEGAL_ENTITY, EKU_EMPLOYEE];
const HEAD: &[&str] = &[EKU_LEGAL_ENTITY, EKU_FIRST_HEAD];

fn specs() -> Vec<Spec> {
    let base = |role, iin, surname, name, org, eku| Spec {
        role,
        usage: Usage::Signing,
        iin,
        surname,
        name,
        organisation: org,
        holder_eku: eku,
        ec: false,
        expired: false,
    };
    vec![
        base(
            "employee_sign",
            EMPLOYEE_IIN,
            "ТЕСТОВ",
            "АЙДАР",
            Some(SELLER),
            EMPLOYEE,
        ),
        base("head_sign", HEAD_IIN, "БАСШЫ", "ЕРЛАН", Some(SELLER), HEAD),
        base(
            "individual_sign",
            INDIVIDUAL_IIN,
            "ЖЕКЕ",
            "АЙГҮЛ",
            None,
            &[EKU_INDIVIDUAL],
        ),
        base(
            "sole_sign",
            SOLE_IIN,
            "КӘСІПКЕР",
            "ДАНА",
            None,
            &[EKU_INDIVIDUAL],
        ),
        Spec {
            usage: Usage::Authentication,
            ..base(
                "employee_auth",
                EMPLOYEE_IIN,
                "ТЕСТОВ",
                "АЙДАР",
                Some(SELLER),
                EMPLOYEE,
            )
        },
        Spec {
            expired: true,
            ..base(
                "expired_sign",
                EMPLOYEE_IIN,
                "ТЕСТОВ",
                "АЙДАР",
                Some(SELLER),
                EMPLOYEE,
            )
        },
        base(
            "other_org_sign",
            OTHER_EMPLOYEE_IIN,
            "БӨТЕН",
            "ДИАС",
            Some(OTHER_ORG),
            EMPLOYEE,
        ),
        Spec {
            ec: true,
            ..base(
                "employee_sign_ec",
                EMPLOYEE_IIN,
                "ТЕСТОВ",
                "АЙДАР",
                Some(SELLER),
                EMPLOYEE,
            )
        },
        base(
            "marketplace_sign",
            MARKETPLACE_IIN,
            "ЖІБЕРУШІ",
            "МАРАТ",
            Some(MARKETPLACE),
            HEAD,
        ),
    ]
}

/// Writes the test CA, every role's PKCS#12 file and `testkeys.json` into `dir`.
pub fn generate(dir: &Path, password: &str) -> Result<Manifest> {
    generate_at(dir, password, OffsetDateTime::now_utc())
}

/// Like `generate`, with validity periods counted from `now`.
pub fn generate_at(dir: &Path, password: &str, now: OffsetDateTime) -> Result<Manifest> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let dir = dir.canonicalize()?;

    let ca_key = KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)?;
    let ca = CertifiedIssuer::self_signed(ca_params("QOLTANBA TEST CA (RSA)", now)?, ca_key)?;
    let ca_path = dir.join("ca.pem");
    std::fs::write(&ca_path, ca.pem())?;
    let ca_der = ca.der().to_vec();

    let mut keys = Vec::new();
    for spec in specs() {
        let key = if spec.ec {
            KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?
        } else {
            KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048)?
        };
        let (not_before, not_after) = validity(&spec, now);
        let params = leaf_params(&spec, not_before, not_after)?;
        let cert = params.signed_by(&key, &ca)?;
        let der = cert.der().to_vec();

        let local_key_id = Sha256::digest(&der)[..20].to_vec();
        let chain = vec![
            p12_keystore::Certificate::from_der(&der)?,
            p12_keystore::Certificate::from_der(&ca_der)?,
        ];
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            spec.role,
            p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
                key.serialize_der(),
                local_key_id,
                chain,
            )),
        );
        let bytes = store.writer(password).write()?;
        let path = dir.join(format!("{}.p12", spec.role));
        std::fs::write(&path, bytes)?;

        keys.push(test_key(
            &spec,
            spec.role.to_string(),
            path,
            if spec.ec { "EC-P256" } else { "RSA-2048" },
            not_before,
            not_after,
        ));
    }

    let (gost_ca, gost_keys) = generate_gost(&dir, password, now)?;

    let manifest = Manifest {
        dir: dir.clone(),
        password: password.to_string(),
        ca: ca_path,
        keys,
        gost_ca: Some(gost_ca),
        gost_keys,
    };
    std::fs::write(
        dir.join("testkeys.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    Ok(manifest)
}

fn test_key(
    spec: &Spec,
    role: String,
    path: PathBuf,
    algorithm: &str,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> TestKey {
    TestKey {
        role,
        path,
        key_type: match spec.usage {
            Usage::Signing => "SIGNATURE",
            Usage::Authentication => "AUTHENTICATION",
        }
        .to_string(),
        iin: spec.iin.to_string(),
        bin: spec.organisation.map(|(_, bin)| bin.to_string()),
        organisation: spec.organisation.map(|(name, _)| name.to_string()),
        common_name: format!("{} {}", spec.surname, spec.name),
        algorithm: algorithm.to_string(),
        ext_key_usages: ekus(spec).iter().map(|s| s.to_string()).collect(),
        not_before: truncate(not_before),
        not_after: truncate(not_after),
    }
}

fn validity(spec: &Spec, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    if spec.expired {
        (now - Duration::days(400), now - Duration::days(35))
    } else {
        (now - Duration::days(1), now + Duration::days(365))
    }
}

fn ca_params(common_name: &str, now: OffsetDateTime) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("KZ".try_into()?),
    );
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = now - Duration::days(800);
    params.not_after = now + Duration::days(3650);
    params.serial_number = Some(random_serial());
    Ok(params)
}

/// The GOST-2015 test CA (`gost_ca.pem`) and every non-EC role as `<role>_gost.p12` in NCA's
/// PKCS#12 format. Certificates are rcgen's profile re-issued with GOST keys (testkeys_gost).
fn generate_gost(
    dir: &Path,
    password: &str,
    now: OffsetDateTime,
) -> Result<(PathBuf, Vec<TestKey>)> {
    let ca_key = GostKey::generate(CurveId::Gost2015_512);
    // The throwaway P-256 keys only carry rcgen's profile; their signatures are replaced.
    let template_ca = CertifiedIssuer::self_signed(
        ca_params("QOLTANBA TEST CA (GOST-2015)", now)?,
        KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?,
    )?;
    let issuer = GostIssuer {
        key: &ca_key,
        name: testkeys_gost::subject_of(template_ca.der())?,
        key_id: testkeys_gost::key_id(ca_key.public_key()),
    };
    let ca_der = testkeys_gost::reissue(template_ca.der(), ca_key.public_key(), &issuer)?;
    let ca_path = dir.join("gost_ca.pem");
    std::fs::write(
        &ca_path,
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, &ca_der)
            .map_err(|e| anyhow::anyhow!("PEM: {e}"))?,
    )?;

    let mut keys = Vec::new();
    for spec in specs().into_iter().filter(|s| !s.ec) {
        let key = GostKey::generate(CurveId::Gost2015_512);
        let (not_before, not_after) = validity(&spec, now);
        let template = leaf_params(&spec, not_before, not_after)?.signed_by(
            &KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?,
            &template_ca,
        )?;
        let der = testkeys_gost::reissue(template.der(), key.public_key(), &issuer)?;
        let role = format!("{}_gost", spec.role);
        let mut pkcs8 = gost_pkcs8::pkcs8_2015(&key);
        let mut store = p12_keystore::KeyStore::new();
        store.add_entry(
            &role,
            p12_keystore::KeyStoreEntry::PrivateKeyChain(p12_keystore::PrivateKeyChain::new(
                pkcs8.clone(),
                testkeys_gost::key_id(key.public_key()),
                vec![
                    p12_keystore::Certificate::from_der(&der)?,
                    p12_keystore::Certificate::from_der(&ca_der)?,
                ],
            )),
        );
        zeroize::Zeroize::zeroize(&mut pkcs8);
        let path = dir.join(format!("{role}.p12"));
        std::fs::write(&path, nca_pkcs12::write(&store, password)?)?;
        keys.push(test_key(
            &spec,
            role,
            path,
            "GOST-2015-512",
            not_before,
            not_after,
        ));
    }
    Ok((ca_path, keys))
}

fn ekus(spec: &Spec) -> Vec<&'static str> {
    let mut out = vec![match spec.usage {
        Usage::Signing => EKU_SIGNING,
        Usage::Authentication => EKU_AUTH,
    }];
    out.extend_from_slice(spec.holder_eku);
    out
}

fn leaf_params(
    spec: &Spec,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<CertificateParams> {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CommonName,
        format!("{} {}", spec.surname, spec.name),
    );
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 4]), spec.surname);
    dn.push(
        DnType::CustomDnType(vec![2, 5, 4, 5]),
        DnValue::PrintableString(format!("IIN{}", spec.iin).try_into()?),
    );
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("KZ".try_into()?),
    );
    if let Some((name, bin)) = spec.organisation {
        dn.push(DnType::OrganizationName, name);
        dn.push(
            DnType::OrganizationalUnitName,
            DnValue::PrintableString(format!("BIN{bin}").try_into()?),
        );
    }
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 42]), "ТЕСТОВИЧ");
    params.distinguished_name = dn;
    params.key_usages = match spec.usage {
        Usage::Signing => vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::ContentCommitment,
        ],
        Usage::Authentication => vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ],
    };
    params.extended_key_usages = ekus(spec)
        .iter()
        .map(|oid| ExtendedKeyUsagePurpose::Other(arcs(oid)))
        .collect();
    params.use_authority_key_identifier_extension = true;
    params.not_before = not_before;
    params.not_after = not_after;
    params.serial_number = Some(random_serial());
    Ok(params)
}

fn arcs(oid: &str) -> Vec<u64> {
    oid.split('.')
        .map(|a| a.parse().expect("static OID"))
        .collect()
}

fn random_serial() -> SerialNumber {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).expect("system random");
    bytes[0] &= 0x7f; // keep it positive
    bytes[0] |= 0x10; // and without a leading zero byte
    SerialNumber::from_slice(&bytes)
}

/// Certificates carry whole seconds; the manifest says what the certificate says.
fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}
