//! Verifying a CMS SignedData against the exact content bytes: messageDigest over the content,
//! then the signature over the received signedAttrs (as SET). RSA PKCS#1 v1.5 and ECDSA P-256
//! with SHA-256, and KZ GOST 34.310-2015 (512, Streebog-512) and 34.310-2004 (GOST 34.311-95) as
//! NCA's Kalkan writes them. Other GOST variants are reported as indeterminate, never as valid.

use crate::model::{Lang, Timestamp};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::OctetString;
use der::{Decode, Encode};
use sha2::Sha256;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::Certificate;

use super::chain::{self, Validation};
use super::digest;
use super::gost::Curve;
use super::identity::SignerIdentity;
use super::note::Note;
use super::oids;
use super::raw;
use super::verdict::{Indication, SubIndication, Verdict};

/// Verifies a detached CMS (or an attached one) against `content`, the exact bytes that were
/// meant to be signed, with certificate validity judged at `at`. Reports the first signer (a
/// warning says when there are more; `verify_all_detached` reports each).
pub fn verify_detached(cms_der: &[u8], content: &[u8], at: Timestamp) -> Verdict {
    first(check(cms_der, Some(content), at))
}

/// Verifies an attached CMS against the content it carries (first signer).
pub fn verify_attached(cms_der: &[u8], at: Timestamp) -> Verdict {
    first(check(cms_der, None, at))
}

/// One verdict per signer, in the order they are written (e.g. the marketplace's and the
/// seller's signatures in one CMS). A CMS that cannot be read gives one verdict saying so.
pub fn verify_all_detached(cms_der: &[u8], content: &[u8], at: Timestamp) -> Vec<Verdict> {
    check(cms_der, Some(content), at)
}

/// As `verify_all_detached`, for an attached CMS.
pub fn verify_all_attached(cms_der: &[u8], at: Timestamp) -> Vec<Verdict> {
    check(cms_der, None, at)
}

fn first(mut all: Vec<Verdict>) -> Verdict {
    let n = all.len();
    let mut v = all.swap_remove(0);
    if n > 1 {
        v.warnings.push(Note::Signers { count: n }.text(Lang::Ru));
    }
    v
}

/// The content carried inside an attached CMS, if any.
pub fn attached_content(cms_der: &[u8]) -> Option<Vec<u8>> {
    let sd = signed_data(cms_der).ok()?;
    econtent(&sd)
}

fn format(reason: &str) -> Verdict {
    Verdict::failed(
        SubIndication::FormatFailure,
        format!("Подпись повреждена или не является CMS: {reason}"),
    )
}

fn signed_data(cms_der: &[u8]) -> Result<SignedData, Box<Verdict>> {
    let ci =
        ContentInfo::from_der(cms_der).map_err(|_| Box::new(format("не удалось разобрать")))?;
    if ci.content_type != oids::SIGNED_DATA {
        return Err(Box::new(format("это не SignedData")));
    }
    ci.content
        .decode_as::<SignedData>()
        .map_err(|_| Box::new(format("не удалось разобрать SignedData")))
}

fn econtent(sd: &SignedData) -> Option<Vec<u8>> {
    let any = sd.encap_content_info.econtent.as_ref()?;
    any.decode_as::<OctetString>().ok().map(|o| o.into_bytes())
}

/// Every signer of a detached CMS over `content`, with the chain of each signer certificate
/// built to the trust anchors of `validation`, checked for validity at `validation.at`, key
/// usage and revocation (CRLs given). `intact` says whether the signature itself holds.
pub fn verify_detached_with(
    cms_der: &[u8],
    content: &[u8],
    validation: &Validation,
) -> Vec<Verdict> {
    check_with(cms_der, Some(content), validation.at, Some(validation))
}

/// As `verify_detached_with`, reporting the first signer only (as `verify_detached` does): the
/// verdict on arrival of a document with the sender's signature.
pub fn verify_detached_first_with(
    cms_der: &[u8],
    content: &[u8],
    validation: &Validation,
) -> Verdict {
    first(verify_detached_with(cms_der, content, validation))
}

/// The certificates carried in a CMS (the signer's and any CA certificates), DER; empty when
/// the CMS cannot be read. Their CRL distribution points say where revocation lists are.
pub fn cms_certificates(cms_der: &[u8]) -> Vec<Vec<u8>> {
    signed_data(cms_der)
        .map(|sd| embedded_certificates(&sd))
        .unwrap_or_default()
}

/// As `verify_detached_with`, for an attached CMS.
pub fn verify_attached_with(cms_der: &[u8], validation: &Validation) -> Vec<Verdict> {
    check_with(cms_der, None, validation.at, Some(validation))
}

/// Never empty: a CMS that cannot be read yields one verdict saying why.
fn check(cms_der: &[u8], detached: Option<&[u8]>, at: Timestamp) -> Vec<Verdict> {
    check_with(cms_der, detached, at, None)
}

fn check_with(
    cms_der: &[u8],
    detached: Option<&[u8]>,
    at: Timestamp,
    validation: Option<&Validation>,
) -> Vec<Verdict> {
    let (mut verdicts, embedded) = match parse(cms_der, detached) {
        Err(v) => (vec![*v], vec![]),
        Ok((sd, raw, content)) => (
            raw.iter()
                .map(|signer| match check_signer(&sd, signer, &content, at) {
                    Ok(v) => v,
                    Err(v) => *v,
                })
                .collect(),
            embedded_certificates(&sd),
        ),
    };
    for v in &mut verdicts {
        match validation {
            None => v.warnings.push(Note::ChainNotChecked.text(Lang::Ru)),
            Some(validation) => apply_chain(v, &embedded, validation),
        }
    }
    verdicts
}

/// Replaces the signer-only judgement of an intact signature with the chain's.
fn apply_chain(v: &mut Verdict, embedded: &[Vec<u8>], validation: &Validation) {
    let Some(signer) = v.signer.as_ref().filter(|_| v.intact) else {
        return;
    };
    let outcome = chain::validate(&signer.certificate_der, embedded, validation);
    v.indication = outcome.indication;
    v.sub_indication = outcome.sub;
    v.reason = outcome.reason;
    v.warnings.extend(outcome.warnings);
    v.chain = outcome.chain;
}

fn embedded_certificates(sd: &SignedData) -> Vec<Vec<u8>> {
    sd.certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => c.to_der().ok(),
            _ => None,
        })
        .collect()
}

type Parsed = (SignedData, Vec<raw::RawSigner>, Vec<u8>);

fn parse(cms_der: &[u8], detached: Option<&[u8]>) -> Result<Parsed, Box<Verdict>> {
    let sd = signed_data(cms_der)?;
    let raw = raw::signers(cms_der).ok_or_else(|| format("не удалось найти SignerInfo"))?;
    if raw.is_empty() {
        return Err(Box::new(Verdict::indeterminate(
            SubIndication::NoSigner,
            "В подписи нет ни одного подписанта",
        )));
    }
    let content = match detached {
        Some(c) => c.to_vec(),
        None => econtent(&sd)
            .ok_or_else(|| format("подпись отсоединённая: для проверки нужен сам документ"))?,
    };
    Ok((sd, raw, content))
}

fn check_signer(
    sd: &SignedData,
    received: &raw::RawSigner,
    content: &[u8],
    at: Timestamp,
) -> Result<Verdict, Box<Verdict>> {
    let si = SignerInfo::from_der(&received.der).map_err(|_| format("SignerInfo повреждён"))?;
    let cert = signer_certificate(sd, &si).ok_or_else(|| {
        Verdict::indeterminate(
            SubIndication::NoSigningCertificateFound,
            "В подписи нет сертификата подписанта",
        )
    })?;
    let signer = SignerIdentity::from_certificate(cert);
    let key_alg = &cert.tbs_certificate.subject_public_key_info.algorithm.oid;
    let algorithm = format!(
        "{}, {}",
        oids::algorithm_name(&si.signature_algorithm.oid),
        oids::algorithm_name(&si.digest_alg.oid)
    );
    let signing_time = signing_time(&si);
    let algorithm_id = oids::algorithm_id(&si.signature_algorithm.oid, &si.digest_alg.oid);
    let with = |mut v: Verdict| {
        v.signer = Some(signer.clone());
        v.algorithm = Some(algorithm.clone());
        v.algorithm_id = Some(algorithm_id.clone());
        v.signing_time = signing_time;
        v
    };

    // KZ GOST: verified where NCA's combination is known (see gost_check); otherwise the content
    // digest is still checked and the verdict stays indeterminate.
    let gost = [&si.digest_alg.oid, &si.signature_algorithm.oid, key_alg]
        .into_iter()
        .any(oids::is_kz_gost);
    let gost_unverified = |hash_checked: bool| {
        let reason = if hash_checked {
            "Подпись по ГОСТ: документ совпадает с подписанным, но подпись этого вида ГОСТ \
             Qoltanba проверить не может — проверьте в NCALayer/NCANode"
        } else {
            "Подпись по ГОСТ этого вида Qoltanba проверить не может — проверьте в NCALayer/NCANode"
        };
        with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            reason,
        ))
    };
    let Some(digest) = digest::of(&si.digest_alg.oid, content) else {
        if gost {
            return stop(gost_unverified(false));
        }
        return stop(with(Verdict::indeterminate(
            SubIndication::AlgorithmNotSupported,
            format!(
                "Алгоритм хеширования {} не поддерживается",
                oids::algorithm_name(&si.digest_alg.oid)
            ),
        )));
    };
    let signed_bytes = match (&si.signed_attrs, &received.signed_attrs_as_set) {
        (Some(attrs), Some(raw_attrs)) => {
            let md = attrs
                .iter()
                .find(|a| a.oid == oids::MESSAGE_DIGEST)
                .and_then(|a| a.values.get(0))
                .and_then(|v| v.decode_as::<OctetString>().ok())
                .ok_or_else(|| with(format("нет атрибута messageDigest")))?;
            if let Some(ct) = attrs.iter().find(|a| a.oid == oids::CONTENT_TYPE) {
                let declared = ct
                    .values
                    .get(0)
                    .and_then(|v| v.decode_as::<const_oid::ObjectIdentifier>().ok());
                if declared != Some(sd.encap_content_info.econtent_type) {
                    return stop(with(format("contentType не совпадает")));
                }
            }
            if md.as_bytes() != digest {
                return stop(with(Verdict::failed(
                    SubIndication::HashFailure,
                    "Подпись недействительна: документ изменён после подписания",
                )));
            }
            raw_attrs.clone()
        }
        (None, None) if gost => return stop(gost_unverified(false)),
        (None, None) => content.to_vec(),
        _ => return stop(with(format("signedAttrs повреждены"))),
    };
    let crypto = crypto_check(cert, &si, &signed_bytes);
    let intact = matches!(crypto, Crypto::Valid);
    let with = |v: Verdict| {
        let mut v = with(v);
        v.intact = intact;
        v
    };
    match crypto {
        Crypto::Valid => {}
        Crypto::Unsupported(_) if gost => return stop(gost_unverified(true)),
        Crypto::Invalid => {
            return stop(with(Verdict::failed(
                SubIndication::SigCryptoFailure,
                "Подпись недействительна: значение подписи не соответствует ключу сертификата",
            )))
        }
        Crypto::Unsupported(what) => {
            return stop(with(Verdict::indeterminate(
                SubIndication::AlgorithmNotSupported,
                format!("Алгоритм подписи {what} не поддерживается"),
            )))
        }
    }
    if at < signer.not_before {
        return stop(with(Verdict::indeterminate(
            SubIndication::NotYetValid,
            "Сертификат подписанта ещё не действует",
        )));
    }
    if at > signer.not_after {
        return stop(with(Verdict::indeterminate(
            SubIndication::OutOfBounds,
            "Срок действия сертификата истёк",
        )));
    }
    Ok(with(Verdict::new(
        Indication::TotalPassed,
        None,
        "Подпись действительна: документ не изменён, подпись соответствует сертификату",
    )))
}

/// Ends the check early with this verdict (boxed: verdicts are large).
fn stop(v: Verdict) -> Result<Verdict, Box<Verdict>> {
    Err(Box::new(v))
}

fn signer_certificate<'a>(sd: &'a SignedData, si: &SignerInfo) -> Option<&'a Certificate> {
    let certs = sd.certificates.as_ref()?;
    certs.0.iter().find_map(|choice| {
        let CertificateChoices::Certificate(cert) = choice else {
            return None;
        };
        let tbs = &cert.tbs_certificate;
        let matches = match &si.sid {
            SignerIdentifier::IssuerAndSerialNumber(isn) => {
                tbs.issuer == isn.issuer && tbs.serial_number == isn.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => tbs
                .extensions
                .iter()
                .flatten()
                .filter(|e| e.extn_id == oids::SUBJECT_KEY_IDENTIFIER)
                .filter_map(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
                .any(|k| k == *ski),
        };
        matches.then_some(cert)
    })
}

fn signing_time(si: &SignerInfo) -> Option<Timestamp> {
    let attr = si
        .signed_attrs
        .as_ref()?
        .iter()
        .find(|a| a.oid == oids::SIGNING_TIME)?;
    // Time is a CHOICE (UTCTime | GeneralizedTime): decode it from the value's full TLV.
    let tlv = attr.values.get(0)?.to_der().ok()?;
    let t = x509_cert::time::Time::from_der(&tlv).ok()?;
    Some(Timestamp::from_x509(&t))
}

enum Crypto {
    Valid,
    Invalid,
    Unsupported(String),
}

fn crypto_check(cert: &Certificate, si: &SignerInfo, signed: &[u8]) -> Crypto {
    use p256::ecdsa::signature::Verifier as _;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key_bytes = spki.subject_public_key.raw_bytes();
    let sig_alg = &si.signature_algorithm.oid;
    let sig = si.signature.as_bytes();
    if oids::is_kz_gost(&spki.algorithm.oid) {
        return gost_check(cert, si, signed);
    }
    if spki.algorithm.oid == oids::RSA_ENCRYPTION {
        if *sig_alg != oids::RSA_ENCRYPTION && *sig_alg != oids::SHA256_WITH_RSA {
            return Crypto::Unsupported(oids::algorithm_name(sig_alg));
        }
        use rsa::pkcs1::DecodeRsaPublicKey;
        let Ok(key) = rsa::RsaPublicKey::from_pkcs1_der(key_bytes) else {
            return Crypto::Invalid;
        };
        let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
        let Ok(sig) = rsa::pkcs1v15::Signature::try_from(sig) else {
            return Crypto::Invalid;
        };
        return if verifier.verify(signed, &sig).is_ok() {
            Crypto::Valid
        } else {
            Crypto::Invalid
        };
    }
    if spki.algorithm.oid == oids::EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
        if curve != Some(oids::P256) || *sig_alg != oids::ECDSA_WITH_SHA256 {
            return Crypto::Unsupported(oids::algorithm_name(sig_alg));
        }
        let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes) else {
            return Crypto::Invalid;
        };
        let Ok(sig) = p256::ecdsa::Signature::from_der(sig) else {
            return Crypto::Invalid;
        };
        return if key.verify(signed, &sig).is_ok() {
            Crypto::Valid
        } else {
            Crypto::Invalid
        };
    }
    Crypto::Unsupported(oids::algorithm_name(&spki.algorithm.oid))
}

/// KZ GOST: only the combinations NCA's real signatures were checked with (gost.md) are
/// verified; anything else (e.g. GOST-2015 256-bit) stays unsupported, i.e. indeterminate.
fn gost_check(cert: &Certificate, si: &SignerInfo, signed: &[u8]) -> Crypto {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let sig_alg = &si.signature_algorithm.oid;
    // (curve, key parameters SEQUENCE { curve OID, digest OID }, CMS digest algorithm)
    let (curve, key_params, cms_digest) = match (spki.algorithm.oid, *sig_alg) {
        (k, s) if k == oids::GOST2015_KEY && s == oids::GOST2015_512_SIGNATURE => (
            Curve::gost2015_512(),
            [oids::GOST2015_512_CURVE, oids::STREEBOG_512],
            oids::STREEBOG_512,
        ),
        (k, s) if k == oids::GOST2004_KEY && s == oids::GOST2004_SIGNATURE => (
            Curve::gost2004(),
            [oids::GOST2004_CURVE, oids::GOST_34_311_95_TEST_SBOX],
            oids::GOST_34_311_95,
        ),
        _ => return Crypto::Unsupported(oids::algorithm_name(sig_alg)),
    };
    let params = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<Vec<const_oid::ObjectIdentifier>>().ok());
    if params.as_deref() != Some(&key_params[..]) || si.digest_alg.oid != cms_digest {
        return Crypto::Unsupported(oids::algorithm_name(sig_alg));
    }
    let Ok(key) = OctetString::from_der(spki.subject_public_key.raw_bytes()) else {
        return Crypto::Invalid;
    };
    let Some(digest) = digest::of(&si.digest_alg.oid, signed) else {
        return Crypto::Unsupported(oids::algorithm_name(&si.digest_alg.oid));
    };
    if curve.verify(key.as_bytes(), &digest, si.signature.as_bytes()) {
        Crypto::Valid
    } else {
        Crypto::Invalid
    }
}
