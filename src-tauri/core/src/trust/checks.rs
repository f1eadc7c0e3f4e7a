//! The checks of signature chains at a time T, built from the store: the trusted certificates
//! as anchors and the CRLs named by the signatures' certificates (cached, or downloaded once per
//! run). One place for `qoltanba verify` and for the verdicts kept when a document arrives
//! (import, sync), so a sender's signature from a CA the user trusts gets a real verdict.

use std::collections::HashMap;

use crate::model::Timestamp;

use super::address::LocalCrlServers;
use super::crl::{distribution_points, CrlRun, Resolved};
use crate::error::{Error, ErrorCode, Result};
use crate::signature::{
    anchored, cms_certificates, verify_detached, verify_detached_first_with, ChainCache,
    Validation, Verdict,
};
use crate::store::{Access, Store};

/// Anchors and CRLs for the signatures of one verification run at one time.
#[derive(Debug, Clone)]
pub struct ChainChecks {
    pub at: Timestamp,
    /// The trust store's certificates (and any given for this check only).
    pub anchors: Vec<Vec<u8>>,
    crls: HashMap<String, Resolved>,
    /// Certificate and CRL signatures checked once for the whole run, shared by every
    /// document's validation (and by the clones of these checks).
    cache: ChainCache,
}

impl ChainChecks {
    /// Whether a chain can be built at all: without a trusted certificate it cannot, and a
    /// signature is then judged by its signer certificate alone (saying so).
    pub fn has_anchors(&self) -> bool {
        !self.anchors.is_empty()
    }

    /// The validation of a signature whose certificates (signer and CAs, DER) are given: the
    /// anchors, and the CRLs their distribution points name; with what the user should know of
    /// those lists (out of date, could not be fetched).
    pub fn validation(&self, certificates: &[Vec<u8>]) -> (Validation, Vec<String>) {
        let mut v = Validation::new(self.at);
        v.anchors = self.anchors.clone();
        v.cache = self.cache.clone();
        let mut warnings: Vec<String> = vec![];
        for url in urls(certificates, &self.anchors) {
            let Some(r) = self.crls.get(&url) else {
                continue;
            };
            if let Some(der) = &r.der {
                if !v.crls.iter().any(|c| c == der.as_ref()) {
                    v.crls.push(der.as_ref().clone());
                }
            }
            if let Some(w) = &r.warning {
                if !warnings.contains(w) {
                    warnings.push(w.clone());
                }
            }
        }
        (v, warnings)
    }

    /// The verdict of a sender's detached CMS over `content` as it arrives: its chain to the
    /// trust store with revocation from the CRLs, or, when nothing is trusted, the signer
    /// certificate alone (the verdict then says the chain was not checked).
    pub fn verify_detached(&self, cms: &[u8], content: &[u8]) -> Verdict {
        if !self.has_anchors() {
            return verify_detached(cms, content, self.at);
        }
        let (validation, warnings) = self.validation(&cms_certificates(cms));
        let mut verdict = verify_detached_first_with(cms, content, &validation);
        add_warnings(&mut verdict, &warnings);
        verdict
    }
}

/// Adds the CRL warnings to a verdict whose chain was checked (an altered document needs none).
pub fn add_warnings(verdict: &mut Verdict, warnings: &[String]) {
    if !verdict.intact {
        return;
    }
    for w in warnings {
        if !verdict.warnings.contains(w) {
            verdict.warnings.push(w.clone());
        }
    }
}

/// The distinct http(s) CRL URLs of the certificates that are not anchors themselves (an
/// anchor's revocation is not checked).
fn urls(certificates: &[Vec<u8>], anchors: &[Vec<u8>]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for c in certificates.iter().filter(|c| !anchors.contains(c)) {
        for u in distribution_points(c) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

impl ChainChecks {
    /// As `Store::chain_checks` where there is no store (nothing trusted but `anchors`,
    /// nothing cached): lists are downloaded for this check only.
    pub async fn without_store(
        at: Timestamp,
        anchors: Vec<Vec<u8>>,
        signatures: &[Vec<Vec<u8>>],
        run: &mut CrlRun,
    ) -> Result<ChainChecks> {
        let now = Timestamp::now();
        build(None::<&mut Store>, at, anchors, signatures, run, now).await
    }
}

/// The distribution points worth a download: those of certificates on a path to an anchor,
/// signature by signature (`signatures`: the certificates of each). A certificate no trusted CA
/// signed names addresses its maker chose, so they are never fetched.
fn anchored_urls(signatures: &[Vec<Vec<u8>>], anchors: &[Vec<u8>]) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    // A sync's documents mostly carry the same sender certificates: search each set once.
    let mut seen = std::collections::HashSet::new();
    for certificates in signatures.iter().filter(|c| seen.insert(*c)) {
        for u in urls(&anchored(certificates, anchors), anchors) {
            if !out.contains(&u) {
                out.push(u);
            }
        }
    }
    out
}

async fn build<A: Access>(
    store: Option<&mut A>,
    at: Timestamp,
    anchors: Vec<Vec<u8>>,
    signatures: &[Vec<Vec<u8>>],
    run: &mut CrlRun,
    now: Timestamp,
) -> Result<ChainChecks> {
    let mut crls = HashMap::new();
    if !anchors.is_empty() {
        let wanted = anchored_urls(signatures, &anchors);
        run.resolve(store, &wanted, now).await?;
        for url in wanted {
            if let Some(r) = run.get(&url) {
                crls.insert(url, r.clone());
            }
        }
    }
    Ok(ChainChecks {
        at,
        anchors,
        crls,
        cache: ChainCache::default(),
    })
}

/// Runs `work` to completion from blocking code, also when that code itself runs on an async
/// runtime's thread: the downloads get a small runtime of their own on a scoped thread.
pub fn block_on<T: Send>(work: impl std::future::Future<Output = Result<T>> + Send) -> Result<T> {
    std::thread::scope(|s| {
        s.spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| {
                    Error::new(
                        ErrorCode::Io,
                        format!("Не удалось запустить загрузку списков отзыва: {e}"),
                    )
                })?
                .block_on(work)
        })
        .join()
        .unwrap_or_else(|_| {
            Err(Error::new(
                ErrorCode::Io,
                "Загрузка списков отзыва прервалась из-за внутренней ошибки",
            ))
        })
    })
}

/// The checks for signatures with these certificates (`signatures`: the signer and CA
/// certificates of each signature, DER) at time `at`: the trust store's certificates plus
/// `extra_anchors`, and the CRL of every distribution point named by a certificate on a path to
/// an anchor (see `CrlRun::resolve`: the cache while current, else a download when allowed,
/// else the stale cached list with a warning). Without any anchor nothing is downloaded: no
/// chain could use the lists. The store is taken only to read the anchors and the cache and to
/// keep what was downloaded, never during a download. Fails only when the store does.
pub async fn chain_checks<A: Access>(
    db: &mut A,
    at: Timestamp,
    extra_anchors: Vec<Vec<u8>>,
    signatures: &[Vec<Vec<u8>>],
    run: &mut CrlRun,
) -> Result<ChainChecks> {
    let (mut anchors, now) = db.with(|s| Ok((s.trust_anchors()?, s.clock.now())))?;
    for a in extra_anchors {
        if !anchors.contains(&a) {
            anchors.push(a);
        }
    }
    build(Some(db), at, anchors, signatures, run, now).await
}

/// `chain_checks` from blocking code (the CLI, import); see `block_on`.
pub fn chain_checks_blocking<A: Access + Send>(
    db: &mut A,
    at: Timestamp,
    extra_anchors: Vec<Vec<u8>>,
    signatures: &[Vec<Vec<u8>>],
    run: &mut CrlRun,
) -> Result<ChainChecks> {
    if signatures.iter().all(|s| s.is_empty()) {
        // No distribution point to look at: nothing awaits, so no runtime is needed.
        use futures_util::FutureExt as _;
        if let Some(done) =
            chain_checks(db, at, extra_anchors.clone(), signatures, run).now_or_never()
        {
            return done;
        }
    }
    block_on(chain_checks(db, at, extra_anchors, signatures, run))
}

impl Store {
    /// A CRL run for this store: downloads as the `crl_download` setting says, and the local
    /// servers a test named (`allow_local_crl_servers`).
    pub fn crl_run(&self) -> Result<CrlRun> {
        use crate::store::Settings;
        Ok(CrlRun::new(self.crl_download()?)
            .with_local_servers(LocalCrlServers(self.local_crl_servers.clone())))
    }

    /// Test-only: lets these exact local servers (IP and port) serve CRLs to this store's runs.
    /// Nothing else local is ever fetched (see `address`).
    pub fn allow_local_crl_servers(&mut self, servers: LocalCrlServers) {
        self.local_crl_servers = servers.0;
    }
}
