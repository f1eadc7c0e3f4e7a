//! Checks a received detached CMS signature against the exact bytes this server served and the
//! recipient organisation. Kept behind `verify` so that it can switch to `qoltanba_core::signature`
//! once that lands without touching the handlers.
//!
//! Not checked here (and said so): the chain to a trusted NCA root and revocation; KZ GOST
//! algorithms are recognised and reported as unsupported rather than failing obscurely.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use signature::Verifier;
use spki::DecodePublicKey;
use time::OffsetDateTime;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::Certificate;

use crate::signatory::EKU_SIGNING;

const OID_SHA256: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;
const OID_RSA: ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;
const OID_EC: ObjectIdentifier = const_oid::db::rfc5912::ID_EC_PUBLIC_KEY;
const OID_OU: ObjectIdentifier = const_oid::db::rfc4519::OU;
/// KZ GOST 34.310-2004 / 34.10-2015 live under 1.2.398.3.10.1.
const KZ_GOST_ARC: &str = "1.2.398.3.10.1";

/// The outcome a receipt reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    /// Not a signature over these bytes (or not one this server can check).
    Invalid(String),
    /// A valid signature, but its certificate may not sign for the recipient.
    SignerNotAllowed(String),
}

/// Verifies `cms_der` (detached) over `content`, then that its signer holds a signing certificate
/// of the organisation with BIN `recipient_bin`, valid at `at`.
pub fn verify(cms_der: &[u8], content: &[u8], recipient_bin: &str, at: OffsetDateTime) -> Verdict {
    let certificate = match check_cryptography(cms_der, content) {
        Ok(certificate) => certificate,
        Err(why) => return Verdict::Invalid(why),
    };
    match check_signer(&certificate, recipient_bin, at) {
        Ok(()) => Verdict::Valid,
        Err(why) => Verdict::SignerNotAllowed(why),
    }
}

fn check_cryptography(cms_der: &[u8], content: &[u8]) -> Result<Certificate, String> {
    let info = ContentInfo::from_der(cms_der).map_err(|e| format!("not a CMS structure: {e}"))?;
    if info.content_type != const_oid::db::rfc5911::ID_SIGNED_DATA {
        return Err("the CMS structure is not SignedData".into());
    }
    let signed: SignedData = info
        .content
        .decode_as()
        .map_err(|e| format!("malformed SignedData: {e}"))?;
    if signed.encap_content_info.econtent.is_some() {
        return Err("the signature must be detached (no encapsulated content)".into());
    }
    let signer = signed
        .signer_infos
        .0
        .iter()
        .next()
        .cloned()
        .ok_or("the signature has no signer")?;
    if signer.digest_alg.oid.to_string().starts_with(KZ_GOST_ARC) {
        return Err("KZ GOST signatures cannot be verified by this server".into());
    }
    if signer.digest_alg.oid != OID_SHA256 {
        return Err(format!(
            "unsupported digest algorithm {}",
            signer.digest_alg.oid
        ));
    }
    let certificate = find_certificate(&signed, &signer.sid)
        .ok_or("the signer's certificate is not included in the signature")?;
    let digest = Sha256::digest(content);
    let signed_bytes = match &signer.signed_attrs {
        Some(attrs) => {
            let md = attrs
                .iter()
                .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
                .and_then(|a| a.values.iter().next())
                .ok_or("signed attributes lack messageDigest")?;
            let md = der::asn1::OctetStringRef::try_from(md)
                .map_err(|_| "messageDigest is not an OCTET STRING")?;
            if md.as_bytes() != digest.as_slice() {
                return Err("the signature was made over other bytes".into());
            }
            attrs.to_der().map_err(|e| e.to_string())?
        }
        None => content.to_vec(),
    };
    check_signature_value(&certificate, &signed_bytes, signer.signature.as_bytes())?;
    Ok(certificate)
}

fn find_certificate(signed: &SignedData, sid: &SignerIdentifier) -> Option<Certificate> {
    let certificates = signed.certificates.as_ref()?;
    certificates.0.iter().find_map(|choice| {
        let cms::cert::CertificateChoices::Certificate(cert) = choice else {
            return None;
        };
        let tbs = &cert.tbs_certificate;
        let matches = match sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                ias.issuer == tbs.issuer && ias.serial_number == tbs.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
                .extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
                .and_then(|e| der::asn1::OctetString::from_der(e.extn_value.as_bytes()).ok())
                .is_some_and(|v| v.as_bytes() == ski.0.as_bytes()),
        };
        matches.then(|| cert.clone())
    })
}

fn check_signature_value(cert: &Certificate, message: &[u8], value: &[u8]) -> Result<(), String> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let spki_der = spki.to_der().map_err(|e| e.to_string())?;
    let bad = |_| "the signature value does not match the signed data".to_string();
    match spki.algorithm.oid {
        OID_RSA => {
            let key = rsa::RsaPublicKey::from_public_key_der(&spki_der)
                .map_err(|e| format!("bad RSA key: {e}"))?;
            let sig = rsa::pkcs1v15::Signature::try_from(value).map_err(bad)?;
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(message, &sig)
                .map_err(bad)
        }
        OID_EC => {
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der)
                .map_err(|e| format!("unsupported EC key (P-256 only): {e}"))?;
            let sig = p256::ecdsa::DerSignature::try_from(value).map_err(bad)?;
            key.verify(message, &sig).map_err(bad)
        }
        oid if oid.to_string().starts_with(KZ_GOST_ARC) => {
            Err("KZ GOST signatures cannot be verified by this server".into())
        }
        oid => Err(format!("unsupported key algorithm {oid}")),
    }
}

fn check_signer(cert: &Certificate, recipient_bin: &str, at: OffsetDateTime) -> Result<(), String> {
    let tbs = &cert.tbs_certificate;
    let eku = tbs
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE)
        .and_then(|e| ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok());
    let signing = eku.is_some_and(|u| u.0.iter().any(|oid| oid.to_string() == EKU_SIGNING));
    if !signing {
        return Err("the certificate is not a signing certificate (EKU 1.3.6.1.5.5.7.3.4)".into());
    }
    let expected = format!("BIN{recipient_bin}");
    let units: Vec<String> = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter(|atv| atv.oid == OID_OU)
        .filter_map(|atv| {
            std::str::from_utf8(atv.value.value())
                .ok()
                .map(str::to_owned)
        })
        .collect();
    if !units.contains(&expected) {
        return Err(format!(
            "the certificate belongs to {} and not to the recipient BIN {recipient_bin}",
            if units.is_empty() {
                "no organisation".to_string()
            } else {
                units.join(", ")
            }
        ));
    }
    let at = at.unix_timestamp();
    let validity = &tbs.validity;
    let from = validity.not_before.to_unix_duration().as_secs() as i64;
    let until = validity.not_after.to_unix_duration().as_secs() as i64;
    if at < from || at > until {
        return Err("the certificate is not valid at the time of signing".into());
    }
    Ok(())
}
