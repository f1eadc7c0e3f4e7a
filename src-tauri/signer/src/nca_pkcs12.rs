//! PKCS#12 files the way NCA issues them.
//!
//! Reading: Kalkan writes the authenticated safe in BER, which p12-keystore's DER parser refuses;
//! [`der_without_mac`] checks the file's MAC on the bytes as written, rewrites the inside as DER
//! ([`crate::ber`]) and hands back a PFX that p12-keystore decrypts as usual.
//!
//! Writing ([`write`]): the key bag shrouded with
//! pbeWithSHAAnd3-KeyTripleDES-CBC, the certificates encrypted with pbeWithSHAAnd40BitRC2-CBC,
//! a SHA-1 MAC, 1024 iterations, the key safe first (as in NCANode's published test keys).
//!
//! p12-keystore writes one encryption scheme for both safes, so the file is written twice (once
//! per scheme) and the two safes NCA uses are taken from each and sealed with a fresh MAC. All
//! the cryptography stays in p12-keystore and the `pkcs12` KDF; only the assembly is ours.

use cms::content_info::ContentInfo;
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Any, Decode, Encode};
use hmac::{Hmac, Mac};
use p12_keystore::{EncryptionAlgorithm, KeyStore, MacAlgorithm};
use pkcs12::digest_info::DigestInfo;
use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};
use pkcs12::mac_data::MacData;
use pkcs12::pfx::Pfx;
use sha1::Sha1;
use spki::AlgorithmIdentifierOwned;

use crate::error::{Error, Result};

const ITERATIONS: u64 = 1024;
const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const ID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

fn failed(what: &str) -> impl Fn(String) -> Error + '_ {
    move |e| Error::Keystore(format!("writing an NCA-style PKCS#12 ({what}): {e}"))
}

/// The PKCS#12 bytes of `store`, in NCA's legacy format.
pub fn write(store: &KeyStore, password: &str) -> Result<Vec<u8>> {
    let with = |scheme| {
        store
            .writer(password)
            .encryption_algorithm(scheme)
            .encryption_iterations(ITERATIONS)
            .mac_algorithm(MacAlgorithm::HmacSha1)
            .mac_iterations(ITERATIONS)
            .write()
            .map_err(|e| failed("p12-keystore")(e.to_string()))
    };
    // The enum variant named "Rc4" is the RC2-40 OID (1.2.840.113549.1.12.1.6).
    let rc2 = safes(&with(EncryptionAlgorithm::PbeWithShaAnd40BitRc4Cbc)?)?;
    let tdes = safes(&with(EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc)?)?;
    let key_safe = tdes
        .into_iter()
        .find(|s| s.content_type == ID_DATA)
        .ok_or_else(|| failed("key safe")("missing".into()))?;
    let cert_safe = rc2
        .into_iter()
        .find(|s| s.content_type == ID_ENCRYPTED_DATA)
        .ok_or_else(|| failed("certificate safe")("missing".into()))?;
    let auth_safe = vec![key_safe, cert_safe]
        .to_der()
        .map_err(|e| failed("auth safe")(e.to_string()))?;

    let mut salt = [0u8; 20];
    aws_lc_rs::rand::fill(&mut salt).map_err(|_| failed("salt")("no randomness".into()))?;
    let mac_key =
        derive_key_utf8::<Sha1>(password, &salt, Pkcs12KeyType::Mac, ITERATIONS as i32, 20)
            .map_err(|e| failed("MAC key")(e.to_string()))?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&mac_key).expect("HMAC takes any key length");
    mac.update(&auth_safe);
    let digest = mac.finalize().into_bytes().to_vec();

    let der_err = |e: der::Error| failed("DER")(e.to_string());
    let pfx = Pfx {
        version: pkcs12::pfx::Version::V3,
        auth_safe: ContentInfo {
            content_type: ID_DATA,
            content: Any::encode_from(&OctetString::new(auth_safe).map_err(der_err)?)
                .map_err(der_err)?,
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierOwned {
                    oid: ID_SHA1,
                    parameters: Some(Any::null()),
                },
                digest: OctetString::new(digest).map_err(der_err)?,
            },
            mac_salt: OctetString::new(salt.to_vec()).map_err(der_err)?,
            iterations: ITERATIONS as i32,
        }),
    };
    pfx.to_der().map_err(der_err)
}

/// For a PFX whose authenticated safe is BER (Kalkan's files): the same PFX with that safe in
/// DER and without its MAC, after checking the MAC over the bytes as written. `Ok(None)` when
/// the file is not such a PFX (the caller keeps its own error).
pub(crate) fn der_without_mac(bytes: &[u8], password: &str) -> Result<Option<Vec<u8>>> {
    let Ok(pfx) = Pfx::from_der(bytes) else {
        return Ok(None);
    };
    let Ok(content) = pfx
        .auth_safe
        .content
        .to_der()
        .and_then(|d| OctetString::from_der(&d))
    else {
        return Ok(None);
    };
    let Ok(der) = crate::ber::to_der(content.as_bytes()) else {
        return Ok(None);
    };
    if der == content.as_bytes() {
        return Ok(None);
    }
    let mac_data = pfx
        .mac_data
        .as_ref()
        .ok_or_else(|| Error::Keystore("a BER PKCS#12 without a MAC is not accepted".into()))?;
    check_mac(mac_data, password, content.as_bytes())?;
    let der_err = |e: der::Error| failed("rewriting as DER")(e.to_string());
    let rewritten = Pfx {
        version: pfx.version,
        auth_safe: ContentInfo {
            content_type: ID_DATA,
            content: Any::encode_from(&OctetString::new(der).map_err(der_err)?).map_err(der_err)?,
        },
        mac_data: None,
    };
    rewritten.to_der().map(Some).map_err(der_err)
}

/// The PKCS#12 MAC (HMAC keyed by the password through the PKCS#12 KDF), compared in constant
/// time by the hmac crate. A mismatch means a wrong password.
fn check_mac(mac_data: &MacData, password: &str, data: &[u8]) -> Result<()> {
    let salt = mac_data.mac_salt.as_bytes();
    let rounds = mac_data.iterations;
    let expected = mac_data.mac.digest.as_bytes();
    let kdf_err = |e: der::Error| Error::Keystore(format!("PKCS#12 MAC key: {e}"));
    let ok = match mac_data.mac.algorithm.oid {
        ID_SHA1 => {
            let key = derive_key_utf8::<Sha1>(password, salt, Pkcs12KeyType::Mac, rounds, 20)
                .map_err(kdf_err)?;
            let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("any key length");
            mac.update(data);
            mac.verify_slice(expected).is_ok()
        }
        ID_SHA256 => {
            let key =
                derive_key_utf8::<sha2::Sha256>(password, salt, Pkcs12KeyType::Mac, rounds, 32)
                    .map_err(kdf_err)?;
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("any key length");
            mac.update(data);
            mac.verify_slice(expected).is_ok()
        }
        other => {
            return Err(Error::Keystore(format!(
                "PKCS#12 MAC algorithm {other} is not supported"
            )))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Error::WrongPassword)
    }
}

/// The ContentInfos of a PFX's authenticated safe.
fn safes(pfx_der: &[u8]) -> Result<Vec<ContentInfo>> {
    let der_err = |e: der::Error| failed("reading back")(e.to_string());
    let pfx = Pfx::from_der(pfx_der).map_err(der_err)?;
    let data = OctetString::from_der(&pfx.auth_safe.content.to_der().map_err(der_err)?)
        .map_err(der_err)?;
    Vec::<ContentInfo>::from_der(data.as_bytes()).map_err(der_err)
}
