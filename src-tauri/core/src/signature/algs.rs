//! One signature over raw bytes checked with an issuer's public key, by the signature algorithm
//! written next to it: what certificates and CRLs carry (RSA PKCS#1 v1.5 with SHA-256, ECDSA P-256
//! with SHA-256, KZ GOST 34.310-2015 512 with Streebog-512 and 34.310-2004 with GOST 34.311-95).
//! A signature algorithm that does not fit the key type (a GOST signature under an RSA key, a
//! 2015 signature under a 2004 key) is refused as unsupported, never tried.

use der::asn1::OctetString;
use der::Decode;
use sha2::Sha256;
use spki::SubjectPublicKeyInfoOwned;

use super::digest;
use super::gost::Curve;
use super::oids;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Check {
    Valid,
    Invalid,
    /// The algorithm, or this algorithm with this key type, is not verified here.
    Unsupported(String),
}

pub(crate) fn verify(
    key: &SubjectPublicKeyInfoOwned,
    signature_algorithm: &const_oid::ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Check {
    use p256::ecdsa::signature::Verifier as _;
    let key_bytes = key.subject_public_key.raw_bytes();
    let sig_alg = *signature_algorithm;
    let unsupported = || {
        Check::Unsupported(format!(
            "{} с ключом {}",
            oids::algorithm_name(&sig_alg),
            oids::algorithm_name(&key.algorithm.oid)
        ))
    };
    let verdict = |ok: bool| if ok { Check::Valid } else { Check::Invalid };
    match key.algorithm.oid {
        k if k == oids::RSA_ENCRYPTION => {
            if sig_alg != oids::SHA256_WITH_RSA {
                return unsupported();
            }
            use rsa::pkcs1::DecodeRsaPublicKey;
            let Ok(key) = rsa::RsaPublicKey::from_pkcs1_der(key_bytes) else {
                return Check::Invalid;
            };
            let Ok(sig) = rsa::pkcs1v15::Signature::try_from(signature) else {
                return Check::Invalid;
            };
            verdict(
                rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                    .verify(message, &sig)
                    .is_ok(),
            )
        }
        k if k == oids::EC_PUBLIC_KEY => {
            let curve = key
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
            if curve != Some(oids::P256) || sig_alg != oids::ECDSA_WITH_SHA256 {
                return unsupported();
            }
            let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes) else {
                return Check::Invalid;
            };
            let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
                return Check::Invalid;
            };
            verdict(key.verify(message, &sig).is_ok())
        }
        k if k == oids::GOST2015_KEY || k == oids::GOST2004_KEY => {
            let (curve, params, hash) =
                if k == oids::GOST2015_KEY && sig_alg == oids::GOST2015_512_SIGNATURE {
                    (
                        Curve::gost2015_512(),
                        [oids::GOST2015_512_CURVE, oids::STREEBOG_512],
                        oids::STREEBOG_512,
                    )
                } else if k == oids::GOST2004_KEY && sig_alg == oids::GOST2004_SIGNATURE {
                    (
                        Curve::gost2004(),
                        [oids::GOST2004_CURVE, oids::GOST_34_311_95_TEST_SBOX],
                        oids::GOST_34_311_95,
                    )
                } else {
                    return unsupported();
                };
            let declared = key
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<Vec<const_oid::ObjectIdentifier>>().ok());
            if declared.as_deref() != Some(&params[..]) {
                return unsupported();
            }
            let Ok(point) = OctetString::from_der(key_bytes) else {
                return Check::Invalid;
            };
            let Some(d) = digest::of(&hash, message) else {
                return unsupported();
            };
            verdict(curve.verify(point.as_bytes(), &d, signature))
        }
        _ => unsupported(),
    }
}
