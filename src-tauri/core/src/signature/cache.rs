//! What one validation run (a sync, an import, one `qoltanba verify`) learns once and reuses for
//! every signature it checks: whether a certificate's signature holds under an issuer's key,
//! and each CRL parsed, its signature checked under an issuer's key, its revoked serials in a
//! map. A sync's documents mostly share one sender chain and one CRL, so without this each
//! document re-checked the same CA signature and re-parsed and re-verified the same (large)
//! list. Every `Validation` cloned from the run shares the cache; results are keyed by the
//! SHA-256 of exactly the bytes they were computed from, so a changed certificate or list is a
//! new entry, never a stale answer. Bounded: when a table is full it starts over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::model::Timestamp;
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::crl::CertificateList;

use super::algs::Check;

/// Certificate-signature results kept at most (a real run meets a handful of CA pairs).
pub const MAX_CACHED_SIGNATURES: usize = 4096;
/// Parsed CRLs kept at most (NCA publishes a few lists; each may be megabytes).
pub const MAX_CACHED_CRLS: usize = 16;

type Fingerprint = [u8; 32];

fn fingerprint(der: &[u8]) -> Fingerprint {
    Sha256::digest(der).into()
}

/// Shared by the clones of one run's `Validation`; a fresh `Validation` starts an empty one.
#[derive(Clone, Default)]
pub struct ChainCache(Arc<Mutex<Tables>>);

impl std::fmt::Debug for ChainCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ChainCache").field(&self.work()).finish()
    }
}

#[derive(Default)]
struct Tables {
    signatures: HashMap<(Fingerprint, Fingerprint), Check>,
    crls: HashMap<Fingerprint, Option<Arc<CrlFacts>>>,
    crl_signatures: HashMap<(Fingerprint, Fingerprint), bool>,
    work: CacheWork,
}

/// What the cache computed (each a miss): for tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheWork {
    pub certificate_signatures: usize,
    pub crls_parsed: usize,
    pub crl_signatures: usize,
}

/// A CRL as the revocation check needs it.
pub(crate) struct CrlFacts {
    fingerprint: Fingerprint,
    /// DER of the issuer name.
    pub issuer: Vec<u8>,
    pub next_update: Option<Timestamp>,
    /// Serial (DER content bytes) → revocation dates (a list may name a serial twice).
    pub revoked: HashMap<Vec<u8>, Vec<Timestamp>>,
    pub signature_algorithm: const_oid::ObjectIdentifier,
    pub signature: Vec<u8>,
}

fn insert_bounded<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, max: usize, k: K, v: V) {
    if map.len() >= max {
        map.clear();
    }
    map.insert(k, v);
}

impl ChainCache {
    fn tables(&self) -> std::sync::MutexGuard<'_, Tables> {
        // A panic elsewhere leaves only complete entries behind: keep using them.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn work(&self) -> CacheWork {
        self.tables().work
    }

    /// Whether `issuer_spki` (DER) made `child_der`'s signature, if this run checked it.
    pub(crate) fn known_signature(&self, child_der: &[u8], issuer_spki: &[u8]) -> Option<Check> {
        let key = (fingerprint(child_der), fingerprint(issuer_spki));
        self.tables().signatures.get(&key).cloned()
    }

    /// Keeps a certificate-signature result (checked outside the lock, so other threads' checks
    /// go on meanwhile).
    pub(crate) fn remember_signature(&self, child_der: &[u8], issuer_spki: &[u8], check: Check) {
        let key = (fingerprint(child_der), fingerprint(issuer_spki));
        let mut t = self.tables();
        t.work.certificate_signatures += 1;
        insert_bounded(&mut t.signatures, MAX_CACHED_SIGNATURES, key, check);
    }

    /// The CRL `der` parsed (once per run); `None` when it is not a CRL.
    pub(crate) fn crl(&self, der: &[u8]) -> Option<Arc<CrlFacts>> {
        let key = fingerprint(der);
        if let Some(known) = self.tables().crls.get(&key) {
            return known.clone();
        }
        let facts = parse(der, key).map(Arc::new);
        let mut t = self.tables();
        t.work.crls_parsed += 1;
        insert_bounded(&mut t.crls, MAX_CACHED_CRLS, key, facts.clone());
        facts
    }

    /// Whether the CRL's signature holds under `issuer_spki` (DER); `check` runs on a miss.
    pub(crate) fn crl_signature(
        &self,
        crl: &CrlFacts,
        issuer_spki: &[u8],
        check: impl FnOnce() -> bool,
    ) -> bool {
        let key = (crl.fingerprint, fingerprint(issuer_spki));
        if let Some(&known) = self.tables().crl_signatures.get(&key) {
            return known;
        }
        let result = check();
        let mut t = self.tables();
        t.work.crl_signatures += 1;
        insert_bounded(&mut t.crl_signatures, MAX_CACHED_SIGNATURES, key, result);
        result
    }
}

fn parse(der: &[u8], fingerprint: Fingerprint) -> Option<CrlFacts> {
    let list = CertificateList::from_der(der).ok()?;
    let tbs = &list.tbs_cert_list;
    let mut revoked: HashMap<Vec<u8>, Vec<Timestamp>> = HashMap::new();
    for entry in tbs.revoked_certificates.iter().flatten() {
        revoked
            .entry(entry.serial_number.as_bytes().to_vec())
            .or_default()
            .push(Timestamp::from_x509(&entry.revocation_date));
    }
    Some(CrlFacts {
        fingerprint,
        issuer: tbs.issuer.to_der().ok()?,
        next_update: tbs.next_update.as_ref().map(Timestamp::from_x509),
        revoked,
        signature_algorithm: list.signature_algorithm.oid,
        signature: list.signature.raw_bytes().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_stay_within_their_budgets() {
        let cache = ChainCache::default();
        for i in 0..MAX_CACHED_SIGNATURES + 10 {
            let child = format!("certificate {i}");
            cache.remember_signature(child.as_bytes(), b"issuer key", Check::Valid);
            assert!(cache.tables().signatures.len() <= MAX_CACHED_SIGNATURES);
        }
        // The newest answer survives a start-over.
        let last = format!("certificate {}", MAX_CACHED_SIGNATURES + 9);
        assert_eq!(
            cache.known_signature(last.as_bytes(), b"issuer key"),
            Some(Check::Valid)
        );
        assert_eq!(cache.known_signature(b"never seen", b"issuer key"), None);
        for i in 0..MAX_CACHED_CRLS + 5 {
            // Not CRLs: remembered as such, within the same budget.
            assert!(cache.crl(format!("list {i}").as_bytes()).is_none());
            assert!(cache.tables().crls.len() <= MAX_CACHED_CRLS);
        }
        assert_eq!(cache.work().crls_parsed, MAX_CACHED_CRLS + 5);
    }
}
