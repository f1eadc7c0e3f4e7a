//! The object identifiers the checks look at: standard ones, NCA's EKU "who is the holder"
//! purposes and the KZ GOST algorithms (shared/notes/gost.md).

use const_oid::ObjectIdentifier as Oid;

pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");

pub const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
pub const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
pub const P256: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");

pub const SUBJECT_SERIAL_NUMBER: Oid = Oid::new_unwrap("2.5.4.5");
pub const COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
pub const ORGANISATION: Oid = Oid::new_unwrap("2.5.4.10");
pub const ORGANISATIONAL_UNIT: Oid = Oid::new_unwrap("2.5.4.11");
pub const EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
pub const SUBJECT_KEY_IDENTIFIER: Oid = Oid::new_unwrap("2.5.29.14");

pub const GOST2015_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2");
pub const GOST2015_512_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.2.1");
pub const GOST2015_512_SIGNATURE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.2.3.2");
pub const STREEBOG_512: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.3");
pub const GOST2004_KEY: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1");
pub const GOST2004_CURVE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.1.1");
pub const GOST2004_SIGNATURE: Oid = Oid::new_unwrap("1.2.398.3.10.1.1.1.2");
pub const GOST_34_311_95: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.1");
/// Only seen as the digest parameter of a 2004 key.
pub const GOST_34_311_95_TEST_SBOX: Oid = Oid::new_unwrap("1.2.398.3.10.1.3.1.1.0");

pub const EKU_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
pub const EKU_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
pub const EKU_INDIVIDUAL: &str = "1.2.398.3.3.4.1.1";
pub const EKU_LEGAL_ENTITY: &str = "1.2.398.3.3.4.1.2";
pub const EKU_FIRST_HEAD: &str = "1.2.398.3.3.4.1.2.1";
pub const EKU_MAY_SIGN: &str = "1.2.398.3.3.4.1.2.2";
pub const EKU_FINANCIAL: &str = "1.2.398.3.3.4.1.2.3";
pub const EKU_HR: &str = "1.2.398.3.3.4.1.2.4";
pub const EKU_EMPLOYEE: &str = "1.2.398.3.3.4.1.2.5";

/// KZ GOST key, signature and digest algorithms (2004 and 2015), by prefix and exact value.
const GOST_PREFIXES: [&str; 2] = ["1.2.398.3.10.1.1.", "1.2.398.3.10.1.3."];

pub fn is_kz_gost(oid: &Oid) -> bool {
    let text = oid.to_string();
    GOST_PREFIXES.iter().any(|p| text.starts_with(p))
}

/// A stable identifier of a signature algorithm (signature or key OID, with the digest OID when
/// the first does not name one) for machine output: the same whatever the user's language.
pub fn algorithm_id(signature: &Oid, digest: &Oid) -> String {
    let with_digest = |expected: &Oid, id: &str| {
        if digest == expected {
            id.to_string()
        } else {
            format!("{id}-with-oid:{digest}")
        }
    };
    match signature.to_string().as_str() {
        "1.2.840.113549.1.1.11" => "rsa-sha256".into(),
        "1.2.840.113549.1.1.1" => with_digest(&SHA256, "rsa-sha256"),
        "1.2.840.10045.4.3.2" => "ecdsa-p256-sha256".into(),
        "1.2.840.10045.2.1" => with_digest(&SHA256, "ecdsa-p256-sha256"),
        "1.2.398.3.10.1.1.2.3.2" => "gost2015-512".into(),
        "1.2.398.3.10.1.1.2.3.1" => "gost2015-256".into(),
        "1.2.398.3.10.1.1.2.2" => with_digest(&STREEBOG_512, "gost2015-512"),
        "1.2.398.3.10.1.1.1.2" => "gost2004".into(),
        "1.2.398.3.10.1.1.1.1" => with_digest(&GOST_34_311_95, "gost2004"),
        other => format!("oid:{other}"),
    }
}

/// A name for the report: what a person would recognise.
pub fn algorithm_name(oid: &Oid) -> String {
    let name = match oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.11" => "RSA (PKCS#1 v1.5)",
        "1.2.840.10045.4.3.2" | "1.2.840.10045.2.1" => "ECDSA P-256",
        "1.2.398.3.10.1.1.2.3.2" => "ГОСТ 34.310-2015 (512)",
        "1.2.398.3.10.1.1.2.3.1" => "ГОСТ 34.310-2015 (256)",
        "1.2.398.3.10.1.1.1.2" => "ГОСТ 34.310-2004",
        "1.2.398.3.10.1.1.2.2" => "ГОСТ 34.310-2015 (ключ)",
        "1.2.398.3.10.1.1.1.1" => "ГОСТ 34.310-2004 (ключ)",
        "1.2.398.3.10.1.3.3" => "Стрибог-512",
        "1.2.398.3.10.1.3.2" => "Стрибог-256",
        "1.2.398.3.10.1.3.1" => "ГОСТ 34.311-95",
        "2.16.840.1.101.3.4.2.1" => "SHA-256",
        _ => return oid.to_string(),
    };
    name.to_string()
}
