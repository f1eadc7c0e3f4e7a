//! Sync: the first run lists the whole inbox; later runs follow the event feed from the stored
//! cursor, de-duplicate events by id and re-read each named document (so duplicated or reordered
//! events change nothing). The cursor is committed only after what it covers is committed; a
//! reconciliation listing catches what the feed missed.

use super::backoff::Retry;
use super::limits::DEFAULT_PARALLEL_DOWNLOADS;
use super::receive::{fetch, finish, sender_certificates, Prepared, SearchText};
use super::wire::RemoteDocument;
use super::{Failure, Operator};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Action, Document, DocumentId, Origin, Status, TimeDelta, Timestamp};
use crate::store::{Access, Settings, Store};
use crate::trust::CrlRun;
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;
use ts_rs::TS;

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
    /// Documents stored in one transaction, at most.
    pub batch: usize,
    /// The longest a downloaded document waits for its batch to fill before the batch is stored.
    pub batch_wait: std::time::Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            reconcile: false,
            reconcile_every: Some(std::time::Duration::from_secs(24 * 3600)),
            parallel: DEFAULT_PARALLEL_DOWNLOADS,
            retry: Retry::default(),
            search_text: true,
            // A transaction per document cost more than its rows; 64 at a time leave a document
            // out of sight at most 100 ms.
            batch: 64,
            batch_wait: std::time::Duration::from_millis(100),
        }
    }
}

/// Progress so far, reported after each document.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// Documents the operator named (listing or events).
    pub seen: u64,
    /// Documents downloaded with their files.
    pub downloaded: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
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
    /// Documents named by the operator that could not be taken this run, with why; each is
    /// kept and retried by the next sync, and never held back the others.
    pub set_aside: Vec<SetAsideLine>,
    /// Outbox items sent (or delivered) after the sync (`app::sync`); the sync alone sends none.
    pub sent: usize,
}

/// A document not taken by this run, and why.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideLine {
    pub operator_id: String,
    pub code: ErrorCode,
    pub reason: String,
}

/// Where documents go in one run: the account and the server it stands for.
struct Source<'a> {
    account: &'a str,
    url: Option<String>,
}

type Progress<'a> = &'a mut (dyn FnMut(&SyncProgress) + Send);

/// Brings the store up to date with the operator for `account`. The store is taken step by
/// step (see `Access`), never across a wait on the operator or a CRL server.
pub async fn sync<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    account: &str,
    opts: &SyncOptions,
    progress: Progress<'_>,
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    // One CRL lookup per distinct URL for the whole run, however many documents name it.
    let (url, mut crls, cursor, due) = store.with(|s| {
        Ok((
            s.operator_url(account)?,
            s.crl_run()?,
            s.sync_cursor(account)?.0,
            reconciliation_due(s, account, opts)?,
        ))
    })?;
    let source = Source { account, url };
    let mut after = cursor.clone().filter(|c| !c.is_empty());
    if cursor.is_none() || opts.reconcile || due {
        // On the first run, note where the feed ends before listing: anything that changes during
        // the listing is then in the feed after this point, so nothing falls between the two.
        let feed_end = match &cursor {
            None => Some(feed_end(op, &opts.retry).await?),
            Some(_) => None,
        };
        list_inbox(store, op, &source, opts, &mut crls, &mut report, progress).await?;
        if let Some(end) = feed_end {
            // "" marks "listed, feed empty so far": later runs follow the feed from its start.
            store.with(|s| s.set_sync_cursor(account, Some(end.as_deref().unwrap_or(""))))?;
            after = end;
        }
        store.with(|s| s.set_reconciled_now(account))?;
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
        take_ids(
            store,
            op,
            &source,
            &ids,
            opts,
            &mut crls,
            &mut report,
            progress,
        )
        .await?;
        match page.next {
            Some(next) => {
                store.with(|s| s.set_sync_cursor(account, Some(&next)))?;
                if after.as_deref() == Some(next.as_str()) {
                    break; // a server that does not move its cursor must not spin us
                }
                after = Some(next);
            }
            None => break,
        }
    }
    // What earlier runs set aside is asked for again (the feed will not name it twice).
    let again: Vec<String> = store
        .with(|s| s.set_aside_documents(account))?
        .into_iter()
        .map(|d| d.operator_id)
        .filter(|id| !report.set_aside.iter().any(|l| &l.operator_id == id))
        .collect();
    if !again.is_empty() {
        take_ids(
            store,
            op,
            &source,
            &again,
            opts,
            &mut crls,
            &mut report,
            progress,
        )
        .await?;
    }
    store.with(|s| s.set_sync_cursor(account, None))?;
    Ok(report)
}

/// Whether a failure belongs to one document (set it aside and go on) rather than to the server,
/// the connection or the token (stop, keeping the cursor where it was).
fn document_fault(f: &Failure) -> bool {
    !f.retryable()
        && !matches!(f.status, Some(401) | Some(403))
        && f.code() != ErrorCode::Unauthorized
        && f.code() != ErrorCode::Storage
}

/// Sets a document aside (kept with its reason for the next sync) and notes it in the report.
fn set_aside<A: Access>(
    store: &mut A,
    source: &Source<'_>,
    operator_id: &str,
    f: &Failure,
    report: &mut SyncReport,
) -> Result<()> {
    store.with(|s| s.set_aside(source.account, operator_id, f.code(), &f.error.message))?;
    report.set_aside.push(SetAsideLine {
        operator_id: operator_id.to_string(),
        code: f.code(),
        reason: f.error.message.clone(),
    });
    Ok(())
}

/// A document this store already holds under the same id from another server (a shared link's):
/// taking it would mix two documents, so it is refused with the reason.
fn clash(store: &Store, source: &Source<'_>, local: &Document) -> Result<Option<Failure>> {
    if local.origin != Origin::SharedLink {
        return Ok(None);
    }
    let link_url = super::shared_link::server_of(store, local)?;
    if link_url.is_some()
        && super::shared_link::same_server(link_url.as_deref(), source.url.as_deref())
    {
        return Ok(None);
    }
    Ok(Some(Failure::protocol(format!(
        "под номером {} уже хранится документ, открытый по ссылке с другого сервера ({}); документ оператора не принят, чтобы решения не ушли не тому серверу",
        local.operator_id.as_deref().unwrap_or_default(),
        link_url.unwrap_or_default()
    ))))
}

/// Whether the periodic full listing is due (the feed may have lost an event).
fn reconciliation_due(store: &Store, account: &str, opts: &SyncOptions) -> Result<bool> {
    let Some(every) = opts.reconcile_every else {
        return Ok(false);
    };
    let last = store
        .reconciled_at(account)?
        .and_then(|t| Timestamp::parse(&t).ok());
    Ok(match last {
        Some(t) => store.clock.now() - t > TimeDelta::from_std(every).unwrap_or(TimeDelta::MAX),
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

async fn list_inbox<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    source: &Source<'_>,
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let mut after: Option<String> = None;
    loop {
        let page = opts.retry.run(|| op.inbox(after.as_deref())).await?;
        take_documents(
            store,
            op,
            source,
            page.documents,
            opts,
            crls,
            report,
            progress,
        )
        .await?;
        match page.next {
            Some(n) if after.as_deref() != Some(n.as_str()) => after = Some(n),
            _ => return Ok(()),
        }
    }
}

/// Re-reads each named document and takes it; one that cannot be read is set aside.
#[allow(clippy::too_many_arguments)]
async fn take_ids<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    source: &Source<'_>,
    ids: &[String],
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let retry = opts.retry;
    // Owned ids: a closure over borrowed ones would make the future not `Send` (rustc cannot
    // prove it for every lifetime).
    let read: Vec<(String, Result<RemoteDocument, Failure>)> = stream::iter(ids.to_vec())
        .map(|id: String| async move {
            let r = retry.run(|| op.document(&id)).await;
            (id, r)
        })
        .buffered(opts.parallel.max(1))
        .collect()
        .await;
    let mut docs = Vec::with_capacity(read.len());
    for (id, r) in read {
        let id = &id;
        match r {
            Ok(d) if &d.id == id => docs.push(d),
            Ok(d) => set_aside(
                store,
                source,
                id,
                &Failure::protocol(format!(
                    "на запрос документа {id} оператор прислал документ {}",
                    d.id
                )),
                report,
            )?,
            Err(f) if document_fault(&f) => set_aside(store, source, id, &f, report)?,
            Err(f) => return Err(f.into()),
        }
    }
    take_documents(store, op, source, docs, opts, crls, report, progress).await
}

/// Stores new documents (downloading them in parallel) and reflects changes of known ones.
/// A document that cannot be taken is set aside with its reason and the rest go on; a failure of
/// the server, the connection or the store stops before the caller commits its cursor (what was
/// stored stays stored).
#[allow(clippy::too_many_arguments)]
async fn take_documents<A: Access, O: Operator>(
    store: &mut A,
    op: &O,
    source: &Source<'_>,
    docs: Vec<RemoteDocument>,
    opts: &SyncOptions,
    crls: &mut CrlRun,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    let mut new = Vec::new();
    for d in docs {
        report.progress.seen += 1;
        match store.with(|s| s.document_by_operator_id(&d.id))? {
            // The same id from another server's link is not this document: set aside.
            Some(local) => match store.with(|s| clash(s, source, &local))? {
                Some(f) => set_aside(store, source, &d.id, &f, report)?,
                None => store.with(|s| {
                    reflect(
                        s,
                        local.id,
                        local.status,
                        &local.fields.title,
                        &d.status,
                        report,
                    )
                })?,
            },
            // A document withdrawn before we ever saw it is not worth downloading.
            None if d.status == "revoked" => {}
            None => new.push(d),
        }
    }
    progress(&report.progress);
    let retry = opts.retry;
    let now = store.with(|s| Ok(s.clock.now()))?;
    // The first pages only: the indexer reads the rest of a long text later, off this path.
    let search = if opts.search_text {
        SearchText::Head
    } else {
        SearchText::None
    };
    // The sender signatures' CRLs, before any file is downloaded and outside any transaction
    // (a list that cannot be fetched is a warning in the verdict, never a failed sync).
    let certificates: Vec<Vec<Vec<u8>>> = new.iter().flat_map(sender_certificates).collect();
    let checks =
        Arc::new(crate::trust::chain_checks(store, now, vec![], &certificates, crls).await?);
    let limits = store.with(|s| s.attachment_limits())?;
    let size = opts.batch.max(1);
    let mut fetched = stream::iter(new)
        .map(|d| {
            let id = d.id.clone();
            let limits = &limits;
            async move { (id, fetch(op, d, limits, &retry).await) }
        })
        .buffered(opts.parallel.max(1))
        // Text and verification start on the blocking pool as each download ends, up to two
        // batches ahead of the store: they go on while a batch is committed (the commit holds
        // this task, and with it the downloads), so every core stays busy.
        .map(|(id, f)| {
            let work = f.map(|f| finish(f, Origin::Operator, checks.clone(), search));
            async move {
                let p = match work {
                    Ok(handle) => handle.await.unwrap_or_else(|e| {
                        Err(Failure::new(
                            ErrorCode::Storage,
                            format!("Внутренняя ошибка: {e}"),
                        ))
                    }),
                    Err(f) => Err(f),
                };
                (id, p)
            }
        })
        .buffered(2 * size);
    // Documents go to the store in batches, one transaction each (a transaction per document cost
    // more than its rows); the caller commits its cursor only after the last batch, so a crash
    // in the middle loses the batch's documents to the next run's download, never skips them.
    let mut batch: Vec<(String, Prepared)> = Vec::with_capacity(size);
    let mut deadline = tokio::time::Instant::now();
    loop {
        let next = if batch.is_empty() {
            fetched.next().await
        } else {
            match tokio::time::timeout_at(deadline, fetched.next()).await {
                Ok(next) => next,
                Err(_) => {
                    // The batch waited long enough: its documents appear now.
                    commit_batch(store, source, &mut batch, report, progress)?;
                    continue;
                }
            }
        };
        let Some((remote_id, p)) = next else {
            break;
        };
        let p: Prepared = match p {
            Ok(p) => p,
            Err(f) if document_fault(&f) => {
                set_aside(store, source, &remote_id, &f, report)?;
                progress(&report.progress);
                continue;
            }
            Err(f) => {
                // What was downloaded before the failure is kept; the cursor is not moved.
                commit_batch(store, source, &mut batch, report, progress)?;
                return Err(f.into());
            }
        };
        if batch.is_empty() {
            deadline = tokio::time::Instant::now() + opts.batch_wait;
        }
        batch.push((remote_id, p));
        if batch.len() >= size {
            commit_batch(store, source, &mut batch, report, progress)?;
        }
    }
    commit_batch(store, source, &mut batch, report, progress)
}

/// Stores a batch of received documents in one transaction (each through its own savepoint: one
/// refused by the store is set aside, the others stay) and takes each back from the documents
/// set aside earlier.
fn commit_batch<A: Access>(
    store: &mut A,
    source: &Source<'_>,
    batch: &mut Vec<(String, Prepared)>,
    report: &mut SyncReport,
    progress: Progress<'_>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut rest = Vec::with_capacity(batch.len());
    let mut docs = Vec::with_capacity(batch.len());
    let mut later = Vec::with_capacity(batch.len());
    for (remote_id, p) in batch.drain(..) {
        report.progress.downloaded += 1;
        report.progress.bytes += p.bytes;
        docs.push(p.new);
        later.push(p.text_later);
        rest.push((remote_id, p.status, p.title));
    }
    let stored = store.with(|s| s.add_received(source.account, &docs, &later))?;
    drop(docs);
    for ((remote_id, status, title), r) in rest.into_iter().zip(stored) {
        let (id, added) = match r {
            Ok(r) => r,
            Err(e) if document_fault(&Failure::from(e.clone())) => {
                set_aside(store, source, &remote_id, &Failure::from(e), report)?;
                continue;
            }
            Err(e) => return Err(e),
        };
        if status != "awaiting_signature" {
            store.with(|s| reflect(s, id, Status::Received, &title, &status, report))?;
        }
        if added {
            report.added.push(id);
        }
    }
    progress(&report.progress);
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
