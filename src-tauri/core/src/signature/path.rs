//! The search for a certification path from a certificate up to a trust anchor, with a budget.
//!
//! The certificates come from the sender (those inside a CMS), so the search must stay cheap
//! whatever they are: a CMS with fifteen certificates sharing one subject and one key would make
//! a plain depth-first search try every ordering of them (billions of signature checks). Here
//! candidates are found by issuer name through an index and dropped early when their key
//! identifier cannot match; each (certificate, issuer key) signature is checked at most once; a
//! certificate from which no path was found is not searched again with the same or less depth
//! left; and the whole search stops after `MAX_SIGNATURE_CHECKS` signature checks.

use std::collections::HashMap;

use der::{Decode, Encode};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, SubjectKeyIdentifier};
use x509_cert::Certificate;

use super::algs::{self, Check};
use super::cache::ChainCache;
use super::identity;
use super::oids;
use super::raw;

/// Signature checks one search may make. A real chain (signer, intermediate, root) takes two;
/// NCA's deepest takes three or four.
pub const MAX_SIGNATURE_CHECKS: usize = 64;
/// Untrusted certificates (those of the CMS and any given as intermediates) one search looks at;
/// further ones are ignored. A real CMS carries two or three.
pub const MAX_UNTRUSTED_CERTIFICATES: usize = 32;
/// Issuer certificates above the starting one at most (deeper paths are not real).
const MAX_PATH: usize = 9;

const SUBJECT_KEY_ID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.5.29.14");
const AUTHORITY_KEY_ID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.5.29.35");

pub(crate) struct Node {
    pub der: Vec<u8>,
    pub cert: Certificate,
    pub anchor: bool,
    subject: Vec<u8>,
    issuer: Vec<u8>,
    pub spki: Vec<u8>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
}

impl Node {
    pub fn new(der: &[u8], anchor: bool) -> Option<Node> {
        let cert = Certificate::from_der(der).ok()?;
        let tbs = &cert.tbs_certificate;
        let extension = |oid| {
            tbs.extensions
                .iter()
                .flatten()
                .find(|e| e.extn_id == oid)
                .map(|e| e.extn_value.as_bytes())
        };
        let subject_key_id = extension(SUBJECT_KEY_ID)
            .and_then(|b| SubjectKeyIdentifier::from_der(b).ok())
            .map(|k| k.0.as_bytes().to_vec());
        let authority_key_id = extension(AUTHORITY_KEY_ID)
            .and_then(|b| AuthorityKeyIdentifier::from_der(b).ok())
            .and_then(|k| k.key_identifier)
            .map(|k| k.as_bytes().to_vec());
        Some(Node {
            subject: tbs.subject.to_der().ok()?,
            issuer: tbs.issuer.to_der().ok()?,
            spki: tbs.subject_public_key_info.to_der().ok()?,
            subject_key_id,
            authority_key_id,
            der: der.to_vec(),
            cert,
            anchor,
        })
    }
}

pub(crate) fn name_of(cert: &Certificate) -> String {
    identity::attributes(&cert.tbs_certificate.subject, &oids::COMMON_NAME)
        .into_iter()
        .next()
        .unwrap_or_else(|| cert.tbs_certificate.subject.to_string())
}

/// The anchors and the distinct, readable untrusted certificates (at most
/// `MAX_UNTRUSTED_CERTIFICATES`), anchors first; and whether some untrusted ones were left out.
pub(crate) fn pool<'a>(
    anchors: impl IntoIterator<Item = &'a Vec<u8>>,
    untrusted: impl IntoIterator<Item = &'a Vec<u8>>,
) -> (Vec<Node>, bool) {
    let mut seen = std::collections::HashSet::new();
    let mut nodes = vec![];
    for der in anchors {
        if seen.insert(der.as_slice()) {
            nodes.extend(Node::new(der, true));
        }
    }
    let mut taken = 0;
    let mut left_out = false;
    for der in untrusted {
        if !seen.insert(der.as_slice()) {
            continue;
        }
        if taken == MAX_UNTRUSTED_CERTIFICATES {
            left_out = true;
            break;
        }
        if let Some(n) = Node::new(der, false) {
            nodes.push(n);
            taken += 1;
        }
    }
    (nodes, left_out)
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

/// One path search (or several over the same pool, sharing what was learnt and the budget).
pub(crate) struct Search<'a> {
    pool: &'a [Node],
    by_subject: HashMap<&'a [u8], Vec<usize>>,
    /// (certificate DER, issuer key) → whether the signature holds.
    verified: HashMap<(Vec<u8>, &'a [u8]), bool>,
    /// Pool node → the most path length left with which no path from it was found.
    dead: HashMap<usize, usize>,
    pub checks: usize,
    /// The run's results from earlier searches (other documents): a hit costs no check.
    cache: Option<&'a ChainCache>,
    /// The budget ran out: the answer "no path" is then not a judgement on the certificates.
    pub exhausted: bool,
    pub problems: Vec<String>,
}

impl<'a> Search<'a> {
    pub fn new(pool: &'a [Node]) -> Search<'a> {
        let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
        for (i, n) in pool.iter().enumerate() {
            by_subject.entry(n.subject.as_slice()).or_default().push(i);
        }
        Search {
            pool,
            by_subject,
            verified: HashMap::new(),
            dead: HashMap::new(),
            checks: 0,
            cache: None,
            exhausted: false,
            problems: vec![],
        }
    }

    /// Takes and keeps certificate-signature results in the run's cache.
    pub fn with_cache(mut self, cache: &'a ChainCache) -> Search<'a> {
        self.cache = Some(cache);
        self
    }

    /// Indices into the pool from the issuer of `start` up to an anchor, if a path is found.
    pub fn path_from(&mut self, start: &Node) -> Option<Vec<usize>> {
        let mut path = vec![];
        self.extend(start, None, &mut path, MAX_PATH)
            .then_some(path)
    }

    /// The pool's issuers of `current` worth a signature check: same name, and a subject key
    /// identifier that matches the authority key identifier when both are given (matches first).
    fn candidates(&self, current: &Node) -> Vec<usize> {
        let Some(same_name) = self.by_subject.get(current.issuer.as_slice()) else {
            return vec![];
        };
        let mut out: Vec<(bool, usize)> = same_name
            .iter()
            .filter_map(|&i| {
                let c = &self.pool[i];
                match (&current.authority_key_id, &c.subject_key_id) {
                    (Some(a), Some(s)) if a != s => None,
                    (Some(_), Some(_)) => Some((false, i)),
                    _ => Some((true, i)),
                }
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, i)| i).collect()
    }

    fn extend(
        &mut self,
        current: &Node,
        id: Option<usize>,
        path: &mut Vec<usize>,
        left: usize,
    ) -> bool {
        if current.anchor {
            return true;
        }
        if left == 0 {
            return false;
        }
        if id.is_some_and(|i| self.dead.get(&i).is_some_and(|&l| l >= left)) {
            return false;
        }
        let pool = self.pool;
        for i in self.candidates(current) {
            let candidate = &pool[i];
            if path.contains(&i) || candidate.der == current.der {
                continue;
            }
            if !self.signed(current, candidate) {
                if self.exhausted {
                    return false;
                }
                continue;
            }
            path.push(i);
            if self.extend(candidate, Some(i), path, left - 1) {
                return true;
            }
            path.pop();
            if self.exhausted {
                return false;
            }
        }
        if let Some(i) = id {
            let l = self.dead.entry(i).or_insert(0);
            *l = (*l).max(left);
        }
        false
    }

    /// Whether `issuer`'s key made `child`'s signature: each pair is checked once, and none
    /// after the budget is spent.
    fn signed(&mut self, child: &Node, issuer: &'a Node) -> bool {
        let key = (child.der.clone(), issuer.spki.as_slice());
        if let Some(&known) = self.verified.get(&key) {
            return known;
        }
        let cached = self
            .cache
            .and_then(|c| c.known_signature(&child.der, &issuer.spki));
        let check = match cached {
            Some(check) => check,
            None => {
                if self.checks >= MAX_SIGNATURE_CHECKS {
                    self.exhausted = true;
                    return false;
                }
                self.checks += 1;
                let check = signed_by(&child.der, &child.cert, &issuer.cert);
                if let Some(c) = self.cache {
                    c.remember_signature(&child.der, &issuer.spki, check.clone());
                }
                check
            }
        };
        match &check {
            Check::Valid => {}
            Check::Invalid => self.problems.push(format!(
                "подпись сертификата «{}» не проверяется ключом «{}»",
                name_of(&child.cert),
                name_of(&issuer.cert)
            )),
            Check::Unsupported(what) => self.problems.push(format!(
                "подпись сертификата «{}» сделана алгоритмом {what}, который здесь не проверяется",
                name_of(&child.cert)
            )),
        }
        let ok = check == Check::Valid;
        self.verified.insert(key, ok);
        ok
    }
}

/// Of `certificates` (those of one signature), the ones that are not anchors and lie on a path
/// from one of them up to an anchor, checked by signatures alone: only what a trusted CA vouches
/// for (e.g. the CRL addresses it wrote) may be acted on before the signature is judged.
pub(crate) fn anchored(certificates: &[Vec<u8>], anchors: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let (pool, _) = pool(anchors, certificates);
    let mut search = Search::new(&pool);
    let mut out: Vec<Vec<u8>> = vec![];
    for der in certificates.iter().take(MAX_UNTRUSTED_CERTIFICATES) {
        if anchors.contains(der) || out.contains(der) {
            continue;
        }
        let Some(start) = Node::new(der, false) else {
            continue;
        };
        if let Some(path) = search.path_from(&start) {
            out.push(start.der);
            for i in path.into_iter().filter(|&i| !pool[i].anchor) {
                if !out.contains(&pool[i].der) {
                    out.push(pool[i].der.clone());
                }
            }
        }
        if search.exhausted {
            break;
        }
    }
    out
}
