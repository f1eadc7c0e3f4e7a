//! NCA's GOST private keys inside PKCS#8 and their public keys inside certificates.
//!
//! The two key generations encode the scalar differently (gost.md, checked by d·G against the
//! certificate): 2015 wraps an OCTET STRING of 64 little-endian bytes, 2004 a DER INTEGER
//! (big-endian). Which one is read from the tag, and the result is always checked against the
//! certificate's public key, so a misread key can never sign.

use const_oid::ObjectIdentifier;
use der::asn1::{Any, OctetString, UintRef};
use der::{Decode, Encode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use zeroize::Zeroize;

use super::oids;
use super::{CurveId, GostKey};

/// SEQUENCE { curve OID, digest OID }: the parameters of a GOST key algorithm.
#[derive(Sequence)]
struct KeyParameters {
    curve: ObjectIdentifier,
    digest: ObjectIdentifier,
}

/// Why a GOST key could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A KZ GOST OID or parameter set we do not sign with (e.g. 2015-256).
    Unsupported(String),
    /// The bytes are not what NCA writes.
    Malformed(String),
    /// The private key does not belong to the certificate.
    Mismatch,
}

/// The curve of a certificate's public key, if it is a GOST key we sign with.
pub fn curve_of(spki: &SubjectPublicKeyInfoOwned) -> Result<CurveId, Problem> {
    let oid = spki.algorithm.oid;
    let params = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<KeyParameters>().ok());
    match (oid, params.map(|p| p.curve)) {
        (oids::KEY_2015, Some(oids::CURVE_2015_512)) => Ok(CurveId::Gost2015_512),
        (oids::KEY_2004, Some(oids::CURVE_2004)) => Ok(CurveId::Gost2004),
        (oid, curve) => Err(Problem::Unsupported(format!(
            "GOST key {oid} with parameter set {}",
            curve.map_or("(none)".to_string(), |c| c.to_string())
        ))),
    }
}

/// X‖Y (little-endian) from the certificate: the BIT STRING holds a DER OCTET STRING.
pub fn public_key_of(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>, Problem> {
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Problem::Malformed("public key BIT STRING with unused bits".into()))?;
    OctetString::from_der(bits)
        .map(OctetString::into_bytes)
        .map_err(|e| Problem::Malformed(format!("GOST public key: {e}")))
}

/// Reads the private key of a PKCS#8 PrivateKeyInfo and checks it against the certificate.
pub fn key_from_pkcs8(pkcs8: &[u8], spki: &SubjectPublicKeyInfoOwned) -> Result<GostKey, Problem> {
    let curve = curve_of(spki)?;
    let info = pkcs8::PrivateKeyInfo::try_from(pkcs8)
        .map_err(|e| Problem::Malformed(format!("PKCS#8: {e}")))?;
    if info.algorithm.oid != spki.algorithm.oid {
        return Err(Problem::Mismatch);
    }
    let inner = info.private_key;
    let key = match inner.first() {
        Some(0x04) => {
            let mut d = OctetString::from_der(inner)
                .map_err(|e| Problem::Malformed(format!("GOST private key: {e}")))?
                .into_bytes();
            let key = GostKey::from_le(curve, &d);
            d.zeroize();
            key
        }
        Some(0x02) => {
            let d = UintRef::from_der(inner)
                .map_err(|e| Problem::Malformed(format!("GOST private key: {e}")))?;
            GostKey::from_be(curve, d.as_bytes())
        }
        _ => {
            return Err(Problem::Malformed(
                "GOST private key: neither OCTET STRING nor INTEGER".into(),
            ))
        }
    }
    .map_err(|_| Problem::Mismatch)?;
    key.check_public(&public_key_of(spki)?)
        .map_err(|_| Problem::Mismatch)?;
    Ok(key)
}

/// The algorithm identifier of a GOST-2015-512 public key, as NCA's certificates carry it.
pub fn key_algorithm_2015() -> AlgorithmIdentifierOwned {
    let params = KeyParameters {
        curve: oids::CURVE_2015_512,
        digest: oids::STREEBOG_512,
    };
    AlgorithmIdentifierOwned {
        oid: oids::KEY_2015,
        parameters: Some(Any::encode_from(&params).expect("static parameters")),
    }
}

/// PKCS#8 of a GOST-2015-512 key in NCA's encoding (test keys). The result holds the secret:
/// the caller zeroises it.
pub fn pkcs8_2015(key: &GostKey) -> Vec<u8> {
    let mut d = key.to_le();
    let mut inner = OctetString::new(d.clone())
        .and_then(|o| o.to_der())
        .expect("64 bytes encode");
    d.zeroize();
    let algorithm = key_algorithm_2015();
    let params = algorithm
        .parameters
        .as_ref()
        .map(|p| p.to_der().expect("encoded"));
    let info = pkcs8::PrivateKeyInfo {
        algorithm: spki::AlgorithmIdentifierRef {
            oid: algorithm.oid,
            parameters: params
                .as_deref()
                .map(|p| der::AnyRef::from_der(p).expect("encoded")),
        },
        private_key: &inner,
        public_key: None,
    };
    let der = info.to_der().expect("PKCS#8 encodes");
    inner.zeroize();
    der
}
