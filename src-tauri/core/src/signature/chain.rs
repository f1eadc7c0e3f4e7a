//! Path building and checks: from the signer certificate up to a trusted certificate (the user's
//! trust store, or CAs given for one check), with each certificate's signature checked by its
//! issuer's key, its validity at the time of the check, key usage and basic constraints, and its
//! revocation status from the CRLs at hand.

use crate::model::{Lang, Timestamp};
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::Certificate;

use super::algs::{self, Check};
use super::cache::ChainCache;
use super::identity;
use super::note::Note;
use super::oids;
use super::path::{self, name_of, Node, Search};
use super::raw;
use super::verdict::{Indication, SubIndication};

/// What a check needs beyond the signature itself: the time to judge validity at, the trusted
/// certificates, other certificates that may complete a chain, and CRLs. All DER.
#[derive(Debug, Clone)]
pub struct Validation {
    pub at: Timestamp,
    /// Trust anchors: a chain ends at one of these; their own signature is not checked.
    pub anchors: Vec<Vec<u8>>,
    /// Untrusted certificates that may be intermediates (besides those in the CMS).
    pub intermediates: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    /// What this run already checked (certificate signatures, CRLs): shared by the clones, so
    /// one `Validation` (or `ChainChecks::validation`) per run checks each once.
    pub cache: ChainCache,
}

impl Validation {
    pub fn new(at: Timestamp) -> Validation {
        Validation {
            at,
            anchors: vec![],
            intermediates: vec![],
            crls: vec![],
            cache: ChainCache::default(),
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

/// What one chain search cost: signature checks made and whether the budget ran out. For the
/// tests and the fuzz target, which hold the search to its budget whatever the certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainWork {
    pub signature_checks: usize,
    pub exhausted: bool,
    pub found: bool,
}

/// The work of building the chain of `signer_der` as `validate` builds it (no other check).
pub fn chain_work(signer_der: &[u8], embedded: &[Vec<u8>], v: &Validation) -> ChainWork {
    let (pool, _) = path::pool(&v.anchors, embedded.iter().chain(&v.intermediates));
    let mut search = Search::new(&pool);
    let found = Node::new(signer_der, v.anchors.iter().any(|a| a == signer_der))
        .is_some_and(|start| search.path_from(&start).is_some());
    ChainWork {
        signature_checks: search.checks,
        exhausted: search.exhausted,
        found,
    }
}

/// Builds and checks the chain of `signer_der`; `embedded` are the certificates of the CMS.
pub(crate) fn validate(signer_der: &[u8], embedded: &[Vec<u8>], v: &Validation) -> Outcome {
    let Some(start) = Node::new(signer_der, v.anchors.iter().any(|a| a == signer_der)) else {
        return Outcome::stop(
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
            "Сертификат подписанта не удалось разобрать".into(),
        );
    };
    let (pool, left_out) = path::pool(&v.anchors, embedded.iter().chain(&v.intermediates));
    let mut search = Search::new(&pool).with_cache(&v.cache);
    let Some(found) = search.path_from(&start) else {
        let mut reason = if v.anchors.is_empty() {
            "Цепочка не проверена: нет доверенных сертификатов (добавьте корневой сертификат НУЦ \
             РК: qoltanba trust add ФАЙЛ, или --ca ФАЙЛ)"
                .to_string()
        } else if search.exhausted {
            format!(
                "Цепочку не удалось построить: сертификаты в подписи требуют больше {} проверок \
                 подписей (в настоящей подписи НУЦ РК их две-три)",
                path::MAX_SIGNATURE_CHECKS
            )
        } else {
            "Не удалось построить цепочку от сертификата подписанта до доверенного сертификата"
                .to_string()
        };
        let mut problems = vec![];
        if left_out {
            problems.push(format!(
                "в подписи больше {} сертификатов, остальные не рассматривались",
                path::MAX_UNTRUSTED_CERTIFICATES
            ));
        }
        // A hostile pool can make hundreds of these; the first few say enough.
        problems.extend(search.problems.into_iter().take(5));
        if !problems.is_empty() {
            reason += &format!(": {}", problems.join("; "));
        }
        return Outcome::stop(
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
            reason,
        );
    };
    let chain: Vec<&Node> = std::iter::once(&start)
        .chain(found.iter().map(|&i| &pool[i]))
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
        if v.at < Timestamp::from_x509(&validity.not_before) {
            return stop(
                SubIndication::NotYetValid,
                format!("Сертификат {whose} ещё не действует"),
                warnings,
            );
        }
        if v.at > Timestamp::from_x509(&validity.not_after) {
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
        // Parsed, and its signature checked, once per run (the cache), however many documents.
        let Some(crl) = v.cache.crl(der) else {
            continue;
        };
        if crl.issuer != issuer_name {
            continue;
        }
        let valid = v.cache.crl_signature(&crl, &issuer.spki, || {
            raw::tbs(der).is_some_and(|tbs| {
                algs::verify(
                    &issuer.cert.tbs_certificate.subject_public_key_info,
                    &crl.signature_algorithm,
                    tbs,
                    &crl.signature,
                ) == Check::Valid
            })
        });
        if !valid {
            warnings.push(
                Note::CrlRejected {
                    issuer: name_of(&issuer.cert),
                }
                .text(Lang::Ru),
            );
            continue;
        }
        checked = true;
        if let Some(next) = crl.next_update {
            if v.at > next {
                warnings.push(
                    Note::CrlStale {
                        issuer: name_of(&issuer.cert),
                        next_update: next.day().to_string(),
                    }
                    .text(Lang::Ru),
                );
            }
        }
        let serial = node.cert.tbs_certificate.serial_number.as_bytes();
        for &when in crl.revoked.get(serial).into_iter().flatten() {
            if when <= v.at {
                return Some(format!(
                    "Сертификат «{}» отозван {} (CRL)",
                    name_of(&node.cert),
                    when.day()
                ));
            }
            warnings.push(
                Note::RevokedLater {
                    certificate: name_of(&node.cert),
                    day: when.day().to_string(),
                }
                .text(Lang::Ru),
            );
        }
    }
    if !checked {
        warnings.push(
            Note::NoCrl {
                certificate: name_of(&node.cert),
            }
            .text(Lang::Ru),
        );
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
    let oid = &cert.signature_algorithm.oid;
    v.algorithm_id = Some(oids::algorithm_id(oid, oid));
    v.warnings = outcome.warnings;
    v.chain = outcome.chain;
    v
}
