//! CMS SignedData in the CAdES-BES shape NCALayer makes: signed attributes contentType,
//! signingTime, messageDigest and signingCertificateV2; attached or detached; over data or over
//! a hash the caller computed. The hash is the key's: SHA-256 for RSA and EC, Streebog-512 for
//! GOST-2015, GOST 34.311-95 for GOST-2004, with NCA's OIDs (NULL parameters, as Kalkan writes).
//!
//! Built by hand from the `cms` crate's types rather than its builder: the builder cannot take a
//! precomputed digest together with our own signed attributes, and its error type is not
//! `std::error::Error`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;
use x509_cert::Certificate;

use crate::error::{Error, Result};
use crate::gost::oids as gost_oids;
use crate::keystore::{KeyAlgorithm, Keystore};

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// ESSCertIDv2 with the default hash (SHA-256), so hashAlgorithm is left out (RFC 5035).
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// The CMS digestAlgorithm and signatureAlgorithm of a key.
fn algorithms(alg: KeyAlgorithm) -> (AlgorithmIdentifierOwned, AlgorithmIdentifierOwned) {
    let id = |oid, parameters| AlgorithmIdentifierOwned { oid, parameters };
    match alg {
        KeyAlgorithm::Rsa => (id(ID_SHA256, None), id(SHA256_WITH_RSA, Some(Any::null()))),
        KeyAlgorithm::EcP256 => (id(ID_SHA256, None), id(ECDSA_WITH_SHA256, None)),
        KeyAlgorithm::Gost2015 => (
            id(gost_oids::STREEBOG_512, Some(Any::null())),
            id(gost_oids::SIGN_2015_512, Some(Any::null())),
        ),
        KeyAlgorithm::Gost2004 => (
            id(gost_oids::GOST94, Some(Any::null())),
            id(gost_oids::SIGN_2004, Some(Any::null())),
        ),
    }
}

/// Signs `data`; returns the DER of a CMS ContentInfo. `detached` leaves the data out.
pub fn sign(key: &Keystore, data: &[u8], detached: bool) -> Result<Vec<u8>> {
    sign_at(key, data, detached, SystemTime::now())
}

/// `sign` with the signingTime given (deterministic tests, a clock owned by the caller).
pub fn sign_at(key: &Keystore, data: &[u8], detached: bool, at: SystemTime) -> Result<Vec<u8>> {
    let digest = key.algorithm().hash(data);
    let content = if detached { None } else { Some(data) };
    build(key, &digest, content, at)
}

/// Signs a hash the caller computed with the key's hash (NCALayer's "digested": SHA-256 for
/// RSA/EC, Streebog-512 in the crate's byte order for GOST-2015); always detached.
pub fn sign_digest(key: &Keystore, digest: &[u8]) -> Result<Vec<u8>> {
    sign_digest_at(key, digest, SystemTime::now())
}

/// `sign_digest` with the signingTime given.
pub fn sign_digest_at(key: &Keystore, digest: &[u8], at: SystemTime) -> Result<Vec<u8>> {
    let expected = key.algorithm().hash_len();
    if digest.len() != expected {
        return Err(Error::Signing(format!(
            "a hash for a {} key has {expected} bytes, got {}",
            key.algorithm().name(),
            digest.len()
        )));
    }
    build(key, digest, None, at)
}

/// The PEM form basics.sign returns: `-----BEGIN CMS-----`, base64 in 64-column lines.
pub fn pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CMS-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str("-----END CMS-----\n");
    out
}

fn build(key: &Keystore, digest: &[u8], content: Option<&[u8]>, at: SystemTime) -> Result<Vec<u8>> {
    let cert = key.certificate();
    let (digest_alg, signature_algorithm) = algorithms(key.algorithm());
    let signed_attrs = signed_attributes(key, cert, digest, at)?;
    // The signature covers the attributes encoded as a SET OF, not as the [0] field.
    let signature = key.sign_for_cms(&signed_attrs.to_der()?)?;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm,
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };

    // The signer's certificate and any intermediates; a self-signed root is the verifier's own.
    let mut certs = Vec::new();
    for der in key.chain_der() {
        let c = Certificate::from_der(der)?;
        let self_signed = c.tbs_certificate.issuer == c.tbs_certificate.subject;
        if certs.is_empty() || !self_signed {
            certs.push(CertificateChoices::Certificate(c));
        }
    }

    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_alg])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: match content {
                Some(data) => Some(Any::encode_from(&OctetString::new(data)?)?),
                None => None,
            },
        },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info])?),
    };
    let info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data)?,
    };
    Ok(info.to_der()?)
}

fn signed_attributes(
    key: &Keystore,
    cert: &Certificate,
    digest: &[u8],
    at: SystemTime,
) -> Result<SetOfVec<Attribute>> {
    let since_epoch = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    // Whole seconds: UTCTime has no fractions.
    let signing_time = Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(
        since_epoch.as_secs(),
    ))?);
    let ess = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(key.certificate_der()).to_vec())?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cert.tbs_certificate.issuer.clone(),
                )],
                serial_number: cert.tbs_certificate.serial_number.clone(),
            },
        }],
    };
    let attribute = |oid, value: Any| -> Result<Attribute> {
        Ok(Attribute {
            oid,
            values: SetOfVec::try_from(vec![value])?,
        })
    };
    // try_from sorts the SET OF into DER order, which the signature depends on.
    Ok(SetOfVec::try_from(vec![
        attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA)?)?,
        attribute(ID_SIGNING_TIME, Any::encode_from(&signing_time)?)?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest)?)?,
        )?,
        attribute(ID_SIGNING_CERTIFICATE_V2, Any::encode_from(&ess)?)?,
    ])?)
}
