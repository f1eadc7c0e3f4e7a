//! Sync: the first run lists the whole inbox; later runs follow the event feed from the stored
//! cursor, de-duplicate events by id and re-read each named document (so duplicated or reordered
//! events change nothing). The cursor is committed only after what it covers is committed; a
//! reconciliation listing catches what the feed missed.

use super::backoff::Retry;
use super::limits::DEFAULT_PARALLEL_DOWNLOADS;
use super::receive::{prepare, sender_certificates, Prepared};
use super::wire::RemoteDocument;
use super::{Failure, Operator};
use crate::error::{Error, Result};
use crate::model::{Action, DocumentId, Origin, Status};
use crate::store::{Settings, Store};
use crate::trust::CrlRun;
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// List the whole inbox as well as following the feed.
    pub reconcile: bool,
    /// List the whole inbox anyway when the last listing is older than this.
    pub reconcile_every: Option<std::time::Duration>,
    /// Documents downloaded at once.
    pub parallel: usize,
    pub retry: Retry,
    /// Extract the main file's text for full-text search (the largest CPU cost of a sync).
    pub search_text: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            reconcile: false,
            reconcile_every: Some(std::time::Duration::from_secs(24 * 3600)),
            parallel: DEFAULT_PARALLEL_DOWNLOADS,
            retry: Retry::default(),
            search_text: true,
        }
    }
}

/// Progress so far, reported after each document.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// Documents the operator named (listing or events).
    pub seen: u64,
    /// Documents downloaded with their files.
    pub downloaded: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub progress: SyncProgress,
    /// Local ids of documents added by this run.
    pub added: Vec<DocumentId>,
    pub revoked: Vec<DocumentId>,
    /// Documents decided elsewhere (e.g. on the operator's site) that this run noticed.
    pub decided_elsewhere: Vec<DocumentId>,
    pub events: u64,
    pub duplicate_events: u64,
    /// Whether the whole inbox was listed.
    pub listed: bool,
}

type Progress<'a> = &'a mut dyn FnMut(&SyncProgress);

/// Brings the store up to date with the operator for `account`.
pub async fn sync<O: Operator>(
    store: &mut Store,
    op: &O,
    account: &str,
    opts: &SyncOptions,
    progress: Progress<'_>,
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    // One CRL lookup per distinct URL for the whole run, however many documents name it.
    let mut crls = store.crl_run()?;
    let (cursor, _) = store.sync_cursor(account)?;
    let mut after = cursor.clone().filter(|c| !c.is_empty());
    if cursor.is_none() || opts.reconcile || reconciliation_due(store, account, opts)? {
        // On the first run, note where the feed ends before listing: anything that changes during
        // the listing is then in the feed after this point, so nothing falls between the two.
        let feed_end = match &cursor {
            None => Some(feed_end(op, &opts.retry).await?),
            Some(_) => None,
        };
        list_inbox(store, op, opts, &mut crls, &mut report, progress).await?;
        if let Some(end) = feed_end {
            // "" marks "listed, feed empty so far": later runs follow the feed from its start.
            store.set_sync_cursor(account, Some(end.as_deref().unwrap_or("")))?;
            after = end;
        }
        store.set_reconciled_now(account)?;
        report.listed = true;
    }
    let mut seen_events: HashSet<String> = HashSet::new();
    loop {
        let page = opts
            .retry
            .run(|| op.events(after.as_deref()))
            .await
            .map_err(Error::from)?;
        if page.events.is_empty() {
            break;
        }
        let mut ids: Vec<String> = Vec::new();
        // Whatever the event's type, the document is re-read: it says itself whether it was
        // revoked, so duplicated or reordered events cannot leave a stale state behind.
        for e in &page.events {
            report.events += 1;
            if !seen_events.insert(e.id.clone()) {
                report.duplicate_events += 1;
                continue;
            }
            if !ids.contains(&e.document_id) {
                ids.push(e.document_id.clone());
            }
        }
        take_ids(store, op, &ids, opts, &mut crls, &mut report, progress).await?;
        match page.next {
            Some(next) => {
                store.set_sync_cursor(account, Some(&next))?;
                if after.as_deref() == Some(next.as_str()) {
                    break; // a server that does not move its cursor must not spin us
                }
                after = Some(next);
            }
            None => break,
        }
    }
    store.set_sync_cursor(account, None)?;
    Ok(report)
}

/// Whether the periodic full listing is due (the feed may have lost an event).
fn reconciliation_due(store: &Store, account: &str, opts: &SyncOptions) -> Result<bool> {
    let Some(every) = opts.reconcile_every else {
        return Ok(false);
    };
    let last = store
        .reconciled_at(account)?
        .and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok());
    Ok(match last {
        Some(t) => store.clock.now() - t > every,
        None => true,
    })
}

/// The cursor after the last event now in the feed (None when the feed is empty).
async fn feed_end<O: Operator>(op: &O, retry: &Retry) -> Result<Option<String>> {
    let mut after: Option<String> = None;
    loop {
        let page = retry.run(|| op.events(after.as_deref())).await?;
        match page.next {
            Some(n) if !page.events.is_empty() && after.as_deref() != Some(n.as_str()) => {
                after = Some(n)
            }
            _ => return Ok(after),
        }
    }
}

async fn list_inbox<O: Operator>(
    store: &mut Store,
    op: &O,
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let mut after: Option<String> = None;
    loop {
        let page = opts.retry.run(|| op.inbox(after.as_deref())).await?;
        take_documents(store, op, page.documents, opts, crls, report, progress).await?;
        match page.next {
            Some(n) if after.as_deref() != Some(n.as_str()) => after = Some(n),
            _ => return Ok(()),
        }
    }
}

/// Re-reads each named document and takes it.
async fn take_ids<O: Operator>(
    store: &mut Store,
    op: &O,
    ids: &[String],
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let retry = opts.retry;
    let docs: Vec<RemoteDocument> = stream::iter(ids)
        .map(|id| async move { retry.run(|| op.document(id)).await })
        .buffered(opts.parallel.max(1))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, Failure>>()?;
    take_documents(store, op, docs, opts, crls, report, progress).await
}

/// Stores new documents (downloading them in parallel) and reflects changes of known ones.
/// Any failure stops before the caller commits its cursor; what was stored stays stored.
async fn take_documents<O: Operator>(
    store: &mut Store,
    op: &O,
    docs: Vec<RemoteDocument>,
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let max_file = store.max_file_size()?;
    let mut new = Vec::new();
    for d in docs {
        report.progress.seen += 1;
        match store.document_by_operator_id(&d.id)? {
            Some(local) => reflect(
                store,
                local.id,
                local.status,
                &local.fields.title,
                &d.status,
                report,
            )?,
            // A document withdrawn before we ever saw it is not worth downloading.
            None if d.status == "revoked" => {}
            None => new.push(d),
        }
    }
    progress(&report.progress);
    let retry = opts.retry;
    let now = store.clock.now();
    let search = opts.search_text;
    // The sender signatures' CRLs, before any file is downloaded and outside any transaction
    // (a list that cannot be fetched is a warning in the verdict, never a failed sync).
    let certificates: Vec<Vec<Vec<u8>>> = new.iter().flat_map(sender_certificates).collect();
    let checks = Arc::new(store.chain_checks(now, vec![], &certificates, crls).await?);
    let mut fetched = stream::iter(new)
        .map(|d| {
            let checks = checks.clone();
            prepare(op, d, max_file, &retry, Origin::Operator, checks, search)
        })
        .buffered(opts.parallel.max(1));
    while let Some(p) = fetched.next().await {
        let p: Prepared = p?;
        report.progress.downloaded += 1;
        report.progress.bytes += p.bytes;
        let (id, added) = store.add_document(p.new)?;
        if added {
            report.added.push(id);
        }
        if p.status != "awaiting_signature" {
            reflect(store, id, Status::Received, &p.title, &p.status, report)?;
        }
        progress(&report.progress);
    }
    Ok(())
}

/// Applies what the operator says of a document we already hold.
pub(crate) fn reflect(
    store: &mut Store,
    id: DocumentId,
    local: Status,
    title: &str,
    remote: &str,
    report: &mut SyncReport,
) -> Result<()> {
    match remote {
        "revoked" if local.apply(Action::Revoke).is_ok() => {
            store.apply(id, Action::Revoke, Some("Отправитель отозвал документ"))?;
            report.revoked.push(id);
        }
        "signed" | "rejected" | "completed"
            if matches!(
                local,
                Status::Received
                    | Status::Viewed
                    | Status::Accepted
                    | Status::Rejected
                    | Status::Signed
            ) =>
        {
            let what = match remote {
                "signed" => "уже подписан",
                "rejected" => "уже отклонён",
                _ => "уже завершён",
            };
            store.note_operator_status(
                id,
                remote,
                &format!(
                    "Документ «{title}» {what} у оператора (например, на его сайте): здесь его подписывать не нужно"
                ),
            )?;
            report.decided_elsewhere.push(id);
        }
        _ => {}
    }
    Ok(())
}
