//! Certificate revocation lists from the certificates' CRL distribution points: the http(s)
//! URLs named in a certificate, a cache of the latest list fetched from each (table `crls`,
//! migration 005) for offline checks, and the downloads themselves. A list is only checked to
//! be a CRL here; its signature is checked by the chain checks against its issuer each time it
//! is used, so a list from a hostile server can never revoke or clear anything by itself.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use der::Decode;
use futures_util::stream::{self, StreamExt};
use rusqlite::{params, OptionalExtension};
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::CrlDistributionPoints;
use x509_cert::Certificate;

use super::address::{self, LocalCrlServers, PublicResolver};
use crate::error::Result;
use crate::model::{Lang, Timestamp};
use crate::signature::{crls_from, CrlProblem, Note};
use crate::store::{Access, Store};

/// id-ce-cRLDistributionPoints.
const CRL_DISTRIBUTION_POINTS: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("2.5.29.31");

/// A download gives up after this long (connection and body together).
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A larger answer is not a CRL we keep (NCA's largest lists are a few MiB); checked while
/// reading, so a huge body is never held in memory.
pub const MAX_CRL_BYTES: u64 = 20 * 1024 * 1024;
/// Lists downloaded at once.
const PARALLEL_DOWNLOADS: usize = 4;
/// Distinct URLs downloaded in one run at most; the rest are checked with cached lists only. A
/// real run names up to six (NCA's RSA and GOST lists, each with its delta list).
pub const MAX_URLS_PER_RUN: usize = 12;
/// All downloads of one `resolve` together end by then (the window's store waits meanwhile).
pub const RESOLVE_TIMEOUT: Duration = Duration::from_secs(25);

/// The http(s) URIs of the fullName of each CRL distribution point of a certificate (DER), in
/// the order written; other schemes (ldap:, file:) are skipped. Empty for anything unreadable.
pub fn distribution_points(cert_der: &[u8]) -> Vec<String> {
    let Ok(cert) = Certificate::from_der(cert_der) else {
        return vec![];
    };
    let Some(ext) = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == CRL_DISTRIBUTION_POINTS)
    else {
        return vec![];
    };
    let Ok(points) = CrlDistributionPoints::from_der(ext.extn_value.as_bytes()) else {
        return vec![];
    };
    let mut out = vec![];
    for point in points.0 {
        let Some(DistributionPointName::FullName(names)) = point.distribution_point else {
            continue;
        };
        for name in names {
            if let GeneralName::UniformResourceIdentifier(uri) = name {
                let uri = uri.as_str().trim().to_string();
                if is_http(&uri) && !out.contains(&uri) {
                    out.push(uri);
                }
            }
        }
    }
    out
}

fn is_http(url: &str) -> bool {
    reqwest::Url::parse(url)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// One cached list, as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedCrl {
    pub url: String,
    pub der: Vec<u8>,
    /// The issuer's distinguished name as the list states it.
    pub issuer: String,
    pub this_update: Timestamp,
    /// None when the list does not say when the next one comes (then it is never "fresh").
    pub next_update: Option<Timestamp>,
    /// When it was downloaded.
    pub fetched_at: Timestamp,
}

impl CachedCrl {
    /// Whether the list is still current at `now` (its nextUpdate lies ahead).
    pub fn fresh(&self, now: Timestamp) -> bool {
        self.next_update.is_some_and(|n| n > now)
    }
}

/// What a downloaded body holds when it is a CRL (DER, or PEM with an X509 CRL block).
fn parse_crl(body: &[u8]) -> Option<(Vec<u8>, CertificateList)> {
    let der = crls_from(body)?.into_iter().next()?;
    let crl = CertificateList::from_der(&der).ok()?;
    Some((der, crl))
}

impl Store {
    /// The cached list of `url`, if one was ever downloaded.
    pub fn cached_crl(&self, url: &str) -> Result<Option<CachedCrl>> {
        let row = self
            .conn
            .query_row(
                "SELECT url, der, issuer, this_update, next_update, fetched_at FROM crls
                 WHERE url = ?1",
                [url],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map(
            |(url, der, issuer, this_update, next_update, fetched_at)| CachedCrl {
                url,
                der,
                issuer,
                this_update: Timestamp::parse(&this_update).unwrap_or(Timestamp::UNIX_EPOCH),
                next_update: next_update
                    .as_deref()
                    .and_then(|t| Timestamp::parse(t).ok()),
                fetched_at: Timestamp::parse(&fetched_at).unwrap_or(Timestamp::UNIX_EPOCH),
            },
        ))
    }

    /// The URLs of every cached list, sorted.
    pub fn cached_crl_urls(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("SELECT url FROM crls ORDER BY url")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps `der` (a CRL) as the list of `url`, unless the cached one is newer. Only a short
    /// write transaction: never called while a download is under way inside one.
    fn keep_crl(&mut self, url: &str, der: &[u8], crl: &CertificateList) -> Result<()> {
        let tbs = &crl.tbs_cert_list;
        let this_update = Timestamp::from_x509(&tbs.this_update).to_string();
        let next_update = tbs
            .next_update
            .as_ref()
            .map(|t| Timestamp::from_x509(t).to_string());
        let issuer = tbs.issuer.to_string();
        let (url, der) = (url.to_string(), der.to_vec());
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO crls (url, der, issuer, this_update, next_update, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(url) DO UPDATE SET der = excluded.der, issuer = excluded.issuer,
                   this_update = excluded.this_update, next_update = excluded.next_update,
                   fetched_at = excluded.fetched_at
                 WHERE excluded.this_update >= crls.this_update",
                params![url, der, issuer, this_update, next_update, ctx.at],
            )?;
            Ok(())
        })
    }
}

/// What became of one URL in a run: the list to check with (if any) and what the user should
/// know about it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    pub der: Option<Arc<Vec<u8>>>,
    pub warning: Option<String>,
}

/// The CRLs of one verification run (a sync, an import, one `qoltanba verify`): each distinct
/// URL is looked up and, when needed, downloaded at most once per run, however many documents
/// name it.
#[derive(Debug, Default)]
pub struct CrlRun {
    download: bool,
    /// Test-only: local servers that may serve lists (see `address`).
    local: LocalCrlServers,
    client: Option<reqwest::Client>,
    resolved: HashMap<String, Resolved>,
    /// Distinct URLs a download was attempted for in this run (at most `MAX_URLS_PER_RUN`).
    attempted: usize,
    /// How long one `resolve` may download; `RESOLVE_TIMEOUT` unless a test says otherwise.
    time_limit: Option<Duration>,
}

impl CrlRun {
    /// `download` false: only cached lists are used (setting `crl_download` = off, `--offline`).
    pub fn new(download: bool) -> CrlRun {
        CrlRun {
            download,
            ..CrlRun::default()
        }
    }

    /// Test-only: lets these exact local servers (IP and port) serve lists in this run. Public
    /// addresses need nothing; everything else local stays refused.
    pub fn with_local_servers(mut self, local: LocalCrlServers) -> CrlRun {
        self.local = local;
        self
    }

    /// Another limit than `RESOLVE_TIMEOUT` for the downloads of one `resolve` (tests).
    pub fn with_time_limit(mut self, limit: Duration) -> CrlRun {
        self.time_limit = Some(limit);
        self
    }

    pub(crate) fn get(&self, url: &str) -> Option<&Resolved> {
        self.resolved.get(url)
    }

    /// Makes sure each URL has been looked at in this run: a cached list while its nextUpdate
    /// lies ahead of `now`; else a fresh download (when allowed), stored in the cache; else the
    /// stale cached list with a warning. Downloads run outside any transaction, several at once.
    /// Without a store (`qoltanba verify` where Qoltanba never ran) nothing is cached. Only the
    /// store can fail this; a list that cannot be fetched is a warning.
    pub(crate) async fn resolve<A: Access>(
        &mut self,
        mut store: Option<&mut A>,
        urls: &[String],
        now: Timestamp,
    ) -> Result<()> {
        let mut wanted: Vec<(String, Option<CachedCrl>)> = vec![];
        for url in urls {
            if self.resolved.contains_key(url) || wanted.iter().any(|(u, _)| u == url) {
                continue;
            }
            let cached = match store.as_deref_mut() {
                Some(s) => s.with(|s| s.cached_crl(url))?,
                None => None,
            };
            match cached {
                Some(c) if c.fresh(now) => {
                    let r = Resolved {
                        der: Some(Arc::new(c.der)),
                        warning: None,
                    };
                    self.resolved.insert(url.clone(), r);
                }
                cached if self.download && self.attempted < MAX_URLS_PER_RUN => {
                    self.attempted += 1;
                    wanted.push((url.clone(), cached));
                }
                cached if self.download => {
                    let why = CrlProblem::TooManyLists {
                        max: MAX_URLS_PER_RUN,
                    }
                    .text(Lang::Ru);
                    self.resolved
                        .insert(url.clone(), fallback(url, cached.as_ref(), &why));
                }
                cached => {
                    let why = CrlProblem::DownloadOff.text(Lang::Ru);
                    self.resolved
                        .insert(url.clone(), fallback(url, cached.as_ref(), &why));
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        let client = match &self.client {
            Some(c) => c.clone(),
            None => match client(&self.local) {
                Ok(c) => {
                    self.client = Some(c.clone());
                    c
                }
                Err(why) => {
                    for (url, cached) in wanted {
                        let r = fallback(&url, cached.as_ref(), &why);
                        self.resolved.insert(url, r);
                    }
                    return Ok(());
                }
            },
        };
        let local = self.local.clone();
        let mut fetched = vec![];
        let mut downloads = stream::iter(wanted.clone())
            .map(|(url, cached)| {
                let (client, local) = (client.clone(), local.clone());
                async move {
                    let got = download(&client, &url, &local).await;
                    (url, cached, got)
                }
            })
            .buffer_unordered(PARALLEL_DOWNLOADS);
        // However many lists and however slow their servers, the run goes on after
        // RESOLVE_TIMEOUT; the lists not in by then are reported as not fetched.
        let limit = self.time_limit.unwrap_or(RESOLVE_TIMEOUT);
        let deadline = tokio::time::sleep(limit);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                next = downloads.next() => match next {
                    Some(done) => fetched.push(done),
                    None => break,
                },
                _ = &mut deadline => break,
            }
        }
        drop(downloads);
        for (url, cached) in wanted {
            if !fetched.iter().any(|(u, _, _)| *u == url) {
                let why = CrlProblem::RunTimeout {
                    seconds: limit.as_secs(),
                }
                .text(Lang::Ru);
                fetched.push((url, cached, Err(why)));
            }
        }
        for (url, cached, got) in fetched {
            let r = match got {
                Ok((der, crl)) => {
                    if let Some(s) = store.as_deref_mut() {
                        s.with(|s| s.keep_crl(&url, &der, &crl))?;
                    }
                    Resolved {
                        der: Some(Arc::new(der)),
                        warning: None,
                    }
                }
                Err(why) => fallback(&url, cached.as_ref(), &why),
            };
            self.resolved.insert(url, r);
        }
        Ok(())
    }
}

/// The stale cached list (if any) of a URL whose fresh list could not be had, and why.
fn fallback(url: &str, cached: Option<&CachedCrl>, why: &str) -> Resolved {
    let why = CrlProblem::read(why);
    match cached {
        Some(c) => Resolved {
            der: Some(Arc::new(c.der.clone())),
            warning: Some(
                Note::CrlSaved {
                    url: url.into(),
                    stale_since: c.next_update.map(|n| n.day().to_string()),
                    why,
                    this_update: c.this_update.day().to_string(),
                }
                .text(Lang::Ru),
            ),
        },
        None => Resolved {
            der: None,
            warning: Some(
                Note::CrlUnavailable {
                    url: url.into(),
                    why,
                }
                .text(Lang::Ru),
            ),
        },
    }
}

fn client(local: &LocalCrlServers) -> std::result::Result<reqwest::Client, String> {
    let local = local.clone();
    reqwest::Client::builder()
        .timeout(DOWNLOAD_TIMEOUT)
        .connect_timeout(DOWNLOAD_TIMEOUT)
        .user_agent(concat!("qoltanba/", env!("CARGO_PKG_VERSION")))
        // Names resolve to public addresses only (an IP in a URL is checked by `refused`).
        .dns_resolver(std::sync::Arc::new(PublicResolver))
        // Redirects only to what the first request could have asked for, and few of them.
        .redirect(reqwest::redirect::Policy::custom(move |a| {
            if a.previous().len() >= 3 {
                return a.stop();
            }
            match address::refused(a.url(), &local) {
                Some(why) => a.error(address::Refused(format!("переадресация отклонена: {why}"))),
                None => a.follow(),
            }
        }))
        .build()
        .map_err(|e| format!("не удалось подготовить HTTP-клиент: {e}"))
}

fn network(e: &reqwest::Error) -> String {
    if let Some(why) = address::refusal(e) {
        why
    } else if e.is_timeout() {
        CrlProblem::Timeout {
            seconds: DOWNLOAD_TIMEOUT.as_secs(),
        }
        .text(Lang::Ru)
    } else if e.is_connect() {
        CrlProblem::NoConnection.text(Lang::Ru)
    } else if e.is_body() || e.is_decode() {
        CrlProblem::CutShort.text(Lang::Ru)
    } else {
        CrlProblem::NetworkError.text(Lang::Ru)
    }
}

/// Downloads one list: http(s) only, at most `MAX_CRL_BYTES`, and it must parse as a CRL.
async fn download(
    client: &reqwest::Client,
    url: &str,
    local: &LocalCrlServers,
) -> std::result::Result<(Vec<u8>, CertificateList), String> {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Err(CrlProblem::NotHttp.text(Lang::Ru));
    };
    if let Some(why) = address::refused(&parsed, local) {
        return Err(why);
    }
    let mut r = client.get(url).send().await.map_err(|e| network(&e))?;
    if !r.status().is_success() {
        return Err(CrlProblem::HttpStatus {
            status: r.status().as_u16(),
        }
        .text(Lang::Ru));
    }
    let too_large = || {
        CrlProblem::TooLarge {
            mib: MAX_CRL_BYTES / (1024 * 1024),
        }
        .text(Lang::Ru)
    };
    if r.content_length().is_some_and(|n| n > MAX_CRL_BYTES) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(r.content_length().unwrap_or(0).min(MAX_CRL_BYTES) as usize);
    while let Some(chunk) = r.chunk().await.map_err(|e| network(&e))? {
        if body.len() as u64 + chunk.len() as u64 > MAX_CRL_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    parse_crl(&body).ok_or_else(|| CrlProblem::NotACrl.text(Lang::Ru))
}
