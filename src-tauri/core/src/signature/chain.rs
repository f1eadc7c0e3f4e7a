//! Path building and checks: from the signer certificate up to a trusted certificate (the user's
//! trust store, or CAs given for one check), with each certificate's signature checked by its
//! issuer's key, its validity at the time of the check, key usage and basic constraints, and its
//! revocation status from the CRLs at hand.

use std::collections::HashSet;

use der::{Decode, Encode};
use time::OffsetDateTime;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::Certificate;

use super::algs::{self, Check};
use super::identity;
use super::oids;
use super::raw;
use super::verdict::{Indication, SubIndication};

/// What a check needs beyond the signature itself: the time to judge validity at, the trusted
/// certificates, other certificates that may complete a chain, and CRLs. All DER.
#[derive(Debug, Clone)]
pub struct Validation {
    pub at: OffsetDateTime,
    /// Trust anchors: a chain ends at one of these; their own signature is not checked.
    pub anchors: Vec<Vec<u8>>,
    /// Untrusted certificates that may be intermediates (besides those in the CMS).
    pub intermediates: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
}

impl Validation {
    pub fn new(at: OffsetDateTime) -> Validation {
        Validation {
            at,
            anchors: vec![],
            intermediates: vec![],
            crls: vec![],
        }
    }
}

/// The chain's part of a verdict.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub indication: Indication,
    pub sub: Option<SubIndication>,
    pub reason: String,
    pub warnings: Vec<String>,
    pub chain: Vec<String>,
}

impl Outcome {
    fn stop(indication: Indication, sub: SubIndication, reason: String) -> Outcome {
        Outcome {
            indication,
            sub: Some(sub),
            reason,
            warnings: vec![],
            chain: vec![],
        }
    }
}

struct Node {
    der: Vec<u8>,
    cert: Certificate,
    anchor: bool,
}

fn name_of(cert: &Certificate) -> String {
    identity::attributes(&cert.tbs_certificate.subject, &oids::COMMON_NAME)
        .into_iter()
        .next()
        .unwrap_or_else(|| cert.tbs_certificate.subject.to_string())
}

/// Checks one certificate's signature with its issuer's key, over the raw tbsCertificate.
pub(crate) fn signed_by(child_der: &[u8], child: &Certificate, issuer: &Certificate) -> Check {
    let Some(tbs) = raw::tbs(child_der) else {
        return Check::Invalid;
    };
    algs::verify(
        &issuer.tbs_certificate.subject_public_key_info,
        &child.signature_algorithm.oid,
        tbs,
        child.signature.raw_bytes(),
    )
}

struct Builder<'a> {
    pool: &'a [Node],
    problems: Vec<String>,
}

impl Builder<'_> {
    /// Indices into the pool from the issuer of `current` up to an anchor.
    fn extend(&mut self, current: &Node, path: &mut Vec<usize>) -> bool {
        if current.anchor {
            return true;
        }
        if path.len() > 8 {
            return false;
        }
        let issuer_name = current.cert.tbs_certificate.issuer.to_der().ok();
        for (i, candidate) in self.pool.iter().enumerate() {
            if path.contains(&i) || candidate.der == current.der {
                continue;
            }
            if candidate.cert.tbs_certificate.subject.to_der().ok() != issuer_name {
                continue;
            }
            match signed_by(&current.der, &current.cert, &candidate.cert) {
                Check::Valid => {
                    path.push(i);
                    if self.extend(candidate, path) {
                        return true;
                    }
                    path.pop();
                }
                Check::Invalid => self.problems.push(format!(
                    "подпись сертификата «{}» не проверяется ключом «{}»",
                    name_of(&current.cert),
                    name_of(&candidate.cert)
                )),
                Check::Unsupported(what) => self.problems.push(format!(
                    "подпись сертификата «{}» сделана алгоритмом {what}, который здесь не проверяется",
                    name_of(&current.cert)
                )),
            }
        }
        false
    }
}

/// Builds and checks the chain of `signer_der`; `embedded` are the certificates of the CMS.
pub(crate) fn validate(signer_der: &[u8], embedded: &[Vec<u8>], v: &Validation) -> Outcome {
    let Ok(signer) = Certificate::from_der(signer_der) else {
        return Outcome::stop(
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
            "Сертификат подписанта не удалось разобрать".into(),
        );
    };
    let mut seen = HashSet::new();
    let mut pool = Vec::new();
    let tagged = v
        .anchors
        .iter()
        .map(|d| (d, true))
        .chain(embedded.iter().chain(&v.intermediates).map(|d| (d, false)));
    for (der, anchor) in tagged {
        if !seen.insert(der.clone()) {
            continue;
        }
        if let Ok(cert) = Certificate::from_der(der) {
            pool.push(Node {
                der: der.clone(),
                cert,
                anchor,
            });
        }
    }
    let start = Node {
        der: signer_der.to_vec(),
        anchor: v.anchors.iter().any(|a| a == signer_der),
        cert: signer,
    };
    let mut builder = Builder {
        pool: &pool,
        problems: vec![],
    };
    let mut path = vec![];
    if !builder.extend(&start, &mut path) {
        let mut reason = if v.anchors.is_empty() {
            "Цепочка не проверена: нет доверенных сертификатов (добавьте корневой сертификат НУЦ \
             РК: qoltanba trust add ФАЙЛ, или --ca ФАЙЛ)"
                .to_string()
        } else {
            "Не удалось построить цепочку от сертификата подписанта до доверенного сертификата"
                .to_string()
        };
        if !builder.problems.is_empty() {
            reason += &format!(": {}", builder.problems.join("; "));
        }
        return Outcome::stop(
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
            reason,
        );
    }
    let chain: Vec<&Node> = std::iter::once(&start)
        .chain(path.iter().map(|&i| &pool[i]))
        .collect();
    let mut out = check_chain(&chain, v);
    out.chain = chain.iter().map(|n| name_of(&n.cert)).collect();
    out
}

fn extension<'a, T: Decode<'a>>(
    cert: &'a Certificate,
    oid: &const_oid::ObjectIdentifier,
) -> Option<T> {
    cert.tbs_certificate
        .extensions
        .as_ref()?
        .iter()
        .find(|e| e.extn_id == *oid)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

const KEY_USAGE: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("2.5.29.15");
const BASIC_CONSTRAINTS: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.5.29.19");

fn instant(t: &x509_cert::time::Time) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn check_chain(chain: &[&Node], v: &Validation) -> Outcome {
    let mut warnings = vec![];
    // Revocation first: a revoked certificate fails the signature whatever else holds.
    for (i, node) in chain.iter().enumerate() {
        if node.anchor {
            break;
        }
        let issuer = chain[i + 1];
        match revocation(node, issuer, v, &mut warnings) {
            Some(reason) => {
                return Outcome {
                    warnings,
                    ..Outcome::stop(Indication::TotalFailed, SubIndication::Revoked, reason)
                }
            }
            None => continue,
        }
    }
    let stop = |sub, reason: String, warnings: Vec<String>| Outcome {
        warnings,
        ..Outcome::stop(Indication::Indeterminate, sub, reason)
    };
    for (i, node) in chain.iter().enumerate() {
        let validity = &node.cert.tbs_certificate.validity;
        let whose = if i == 0 {
            "подписанта".to_string()
        } else {
            format!("УЦ «{}»", name_of(&node.cert))
        };
        if v.at < instant(&validity.not_before) {
            return stop(
                SubIndication::NotYetValid,
                format!("Сертификат {whose} ещё не действует"),
                warnings,
            );
        }
        if v.at > instant(&validity.not_after) {
            return stop(
                SubIndication::OutOfBounds,
                format!("Срок действия сертификата {whose} истёк"),
                warnings,
            );
        }
    }
    if let Some(ku) = extension::<KeyUsage>(&chain[0].cert, &KEY_USAGE) {
        if !chain[0].anchor && !ku.digital_signature() && !ku.non_repudiation() {
            return stop(
                SubIndication::SigConstraintsFailure,
                "Ключ сертификата подписанта не предназначен для подписи (keyUsage)".into(),
                warnings,
            );
        }
    }
    for node in &chain[1..] {
        let not_ca = extension::<BasicConstraints>(&node.cert, &BASIC_CONSTRAINTS)
            .is_some_and(|bc| !bc.ca)
            || extension::<KeyUsage>(&node.cert, &KEY_USAGE).is_some_and(|ku| !ku.key_cert_sign());
        if not_ca {
            return stop(
                SubIndication::ChainConstraintsFailure,
                format!(
                    "Сертификат «{}» не является сертификатом УЦ, а выпустил сертификат цепочки",
                    name_of(&node.cert)
                ),
                warnings,
            );
        }
    }
    Outcome {
        indication: Indication::TotalPassed,
        sub: None,
        reason: "Подпись действительна: документ не изменён, подпись соответствует сертификату, \
                 цепочка до доверенного сертификата проверена"
            .into(),
        warnings,
        chain: vec![],
    }
}

/// The reason when `node` was revoked by the time of the check; warnings when unknown.
fn revocation(
    node: &Node,
    issuer: &Node,
    v: &Validation,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let issuer_name = node.cert.tbs_certificate.issuer.to_der().ok()?;
    let mut checked = false;
    for der in &v.crls {
        let Ok(crl) = CertificateList::from_der(der) else {
            continue;
        };
        if crl.tbs_cert_list.issuer.to_der().ok().as_ref() != Some(&issuer_name) {
            continue;
        }
        let Some(tbs) = raw::tbs(der) else { continue };
        let check = algs::verify(
            &issuer.cert.tbs_certificate.subject_public_key_info,
            &crl.signature_algorithm.oid,
            tbs,
            crl.signature.raw_bytes(),
        );
        if check != Check::Valid {
            warnings.push(format!(
                "CRL издателя «{}» не принят: его подпись не проверяется",
                name_of(&issuer.cert)
            ));
            continue;
        }
        checked = true;
        if let Some(next) = &crl.tbs_cert_list.next_update {
            if v.at > instant(next) {
                warnings.push(format!(
                    "CRL издателя «{}» устарел (следующее обновление {}); свежий отзыв мог не попасть в него",
                    name_of(&issuer.cert),
                    instant(next).date()
                ));
            }
        }
        let serial = &node.cert.tbs_certificate.serial_number;
        for entry in crl.tbs_cert_list.revoked_certificates.iter().flatten() {
            if entry.serial_number != *serial {
                continue;
            }
            let when = instant(&entry.revocation_date);
            if when <= v.at {
                return Some(format!(
                    "Сертификат «{}» отозван {} (CRL)",
                    name_of(&node.cert),
                    when.date()
                ));
            }
            warnings.push(format!(
                "Сертификат «{}» отозван {}, после времени проверки",
                name_of(&node.cert),
                when.date()
            ));
        }
    }
    if !checked {
        warnings.push(format!(
            "Отзыв не проверен: нет CRL для сертификата «{}»",
            name_of(&node.cert)
        ));
    }
    None
}

/// Certificates from a file: DER, or PEM with one or more CERTIFICATE blocks.
pub fn certificates_from(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    from_pem_or_der(bytes, "CERTIFICATE", |d| Certificate::from_der(d).is_ok())
}

/// CRLs from a file: DER, or PEM with X509 CRL blocks.
pub fn crls_from(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    from_pem_or_der(bytes, "X509 CRL", |d| CertificateList::from_der(d).is_ok())
}

fn from_pem_or_der(bytes: &[u8], label: &str, ok: impl Fn(&[u8]) -> bool) -> Option<Vec<Vec<u8>>> {
    use base64::Engine as _;
    if ok(bytes) {
        return Some(vec![bytes.to_vec()]);
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = vec![];
    let mut rest = text;
    while let Some(b) = rest.find(&begin) {
        let after = &rest[b + begin.len()..];
        let e = after.find(&end)?;
        let b64: String = after[..e].chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
        if !ok(&der) {
            return None;
        }
        out.push(der);
        rest = &after[e + end.len()..];
    }
    (!out.is_empty()).then_some(out)
}

/// Checks one certificate on its own (e.g. before it is trusted, or a certificate file given to
/// `verify`): the chain to the anchors, validity at `validation.at`, constraints and CRLs. The
/// verdict is never `intact` (there is no signed content).
pub fn check_certificate(der: &[u8], validation: &Validation) -> super::Verdict {
    let Ok(cert) = Certificate::from_der(der) else {
        return super::Verdict::failed(
            SubIndication::FormatFailure,
            "Файл не является сертификатом X.509 (DER или PEM)",
        );
    };
    let outcome = validate(der, &[], validation);
    let mut v = super::Verdict::new(outcome.indication, outcome.sub, outcome.reason);
    if v.indication == Indication::TotalPassed {
        v.reason = "Сертификат действителен: цепочка до доверенного сертификата проверена".into();
    }
    v.signer = Some(identity::SignerIdentity::from_certificate(&cert));
    v.algorithm = Some(oids::algorithm_name(&cert.signature_algorithm.oid));
    v.warnings = outcome.warnings;
    v.chain = outcome.chain;
    v
}
