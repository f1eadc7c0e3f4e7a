//! GOST-2015-512 test certificates in NCA's profile, issued by a GOST-2015 test CA.
//!
//! rcgen cannot sign with GOST, but it already writes our NCA profile (names, key usages, EKUs,
//! validity, serial). So each certificate is first made by rcgen with a throwaway P-256 key, then
//! re-issued here: the GOST public key, NCA's GOST algorithm identifiers, the key identifiers of
//! the GOST keys, and a GOST signature over the new tbsCertificate.

use anyhow::{Context, Result};
use const_oid::ObjectIdentifier;
use der::asn1::{BitString, OctetString};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::Certificate;

use crate::gost::{oids, pkcs8, GostKey};

const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// Who signs a re-issued certificate.
pub struct GostIssuer<'a> {
    pub key: &'a GostKey,
    pub name: Name,
    pub key_id: Vec<u8>,
}

/// The key identifier NCA-style certificates carry for a GOST public key (any stable hash
/// works for chain building; SHA-256 truncated to 20 bytes like rcgen's).
pub fn key_id(public_key: &[u8]) -> Vec<u8> {
    Sha256::digest(public_key)[..20].to_vec()
}

/// The SubjectPublicKeyInfo of a GOST-2015-512 key: a BIT STRING around a DER OCTET STRING of
/// X‖Y little-endian (gost.md).
pub fn spki_2015(public_key: &[u8]) -> Result<SubjectPublicKeyInfoOwned> {
    let inner = OctetString::new(public_key)?.to_der()?;
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: pkcs8::key_algorithm_2015(),
        subject_public_key: BitString::from_bytes(&inner)?,
    })
}

/// Re-issues `template` (DER, from rcgen) for the GOST key `subject` (public key X‖Y LE),
/// signed by `issuer`; a self-signed CA passes its own key and name.
pub fn reissue(template: &[u8], subject: &[u8], issuer: &GostIssuer) -> Result<Vec<u8>> {
    let cert = Certificate::from_der(template).context("rcgen template")?;
    let mut tbs = cert.tbs_certificate;
    let algorithm = AlgorithmIdentifierOwned {
        oid: oids::SIGN_2015_512,
        parameters: Some(Any::null()),
    };
    tbs.signature = algorithm.clone();
    tbs.issuer = issuer.name.clone();
    tbs.subject_public_key_info = spki_2015(subject)?;
    let mut extensions = tbs.extensions.take().unwrap_or_default();
    extensions.retain(|e| e.extn_id != SUBJECT_KEY_ID && e.extn_id != AUTHORITY_KEY_ID);
    extensions.push(Extension {
        extn_id: SUBJECT_KEY_ID,
        critical: false,
        extn_value: OctetString::new(
            SubjectKeyIdentifier(OctetString::new(key_id(subject))?).to_der()?,
        )?,
    });
    extensions.push(Extension {
        extn_id: AUTHORITY_KEY_ID,
        critical: false,
        extn_value: OctetString::new(
            AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(issuer.key_id.clone())?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            }
            .to_der()?,
        )?,
    });
    tbs.extensions = Some(extensions);
    let digest = streebog::Streebog512::digest(tbs.to_der()?);
    let signature = issuer.key.sign_digest(&digest);
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature)?,
    };
    Ok(cert.to_der()?)
}

/// The subject name of a DER certificate (the issuer name of what it signs).
pub fn subject_of(der: &[u8]) -> Result<Name> {
    Ok(Certificate::from_der(der)?.tbs_certificate.subject)
}
