//! The indexer of search text: it works through the backlog the store keeps (see
//! `store::text_backlog`), where a sync or an import left the rest of each long text. Each batch
//! is read from the store, made ready with the store let go (the text of files read again, as a
//! sync or an import reads it), and written in one transaction. The next batch is made ready on a
//! thread of its own while one is written, so reading PDFs and FTS5's indexing (one writer)
//! overlap. Above the store and the import: it needs both.

use crate::error::{Error, Result};
use crate::model::DocumentId;
use crate::store::text_backlog::{
    BacklogBudget, BacklogReport, BatchDone, DocumentFault, Ready, Waiting,
};
use crate::store::{Access, Store};
use std::time::Instant;

/// A file's whole text, read as a sync or an import reads it.
fn whole_text(bytes: &[u8]) -> Ready {
    if bytes.starts_with(b"%PDF-") {
        match crate::import::pdf_text_within(bytes, &crate::import::PdfLimits::default()) {
            Ok(t) => Ready::Whole(t.text, t.limited),
            Err(e) => Ready::Fault(DocumentFault(e.message)),
        }
    } else {
        match crate::import::xml_text(bytes) {
            Ok(x) => Ready::Whole(x.text, None),
            Err(e) => Ready::Fault(DocumentFault(e.message)),
        }
    }
}

/// Reads the files' text (no store is held), until the batch has its characters.
fn make_ready(
    rows: Vec<(DocumentId, Waiting)>,
    budget: &BacklogBudget,
) -> Vec<(DocumentId, Ready)> {
    let mut out = Vec::with_capacity(rows.len());
    let mut chars = 0usize;
    for (id, w) in rows {
        let first = out.is_empty();
        let ready = match w {
            Waiting::Tail(Ok(t)) => {
                let n = t.chars().count();
                if !first && chars + n > budget.chars {
                    break;
                }
                chars += n;
                Ready::Append(t)
            }
            Waiting::File(Ok(bytes)) => {
                if !first && chars >= budget.chars {
                    break;
                }
                let r = whole_text(&bytes);
                if let Ready::Whole(t, _) = &r {
                    chars += t.chars().count();
                }
                r
            }
            Waiting::Tail(Err(f)) | Waiting::File(Err(f)) => Ready::Fault(f),
        };
        out.push((id, ready));
    }
    out
}

/// Indexes one batch of the backlog, oldest documents first, on a store the caller holds.
pub fn index_batch(store: &mut Store, budget: &BacklogBudget) -> Result<BatchDone> {
    let rows = store.backlog_rows(budget, 0)?;
    store.write_ready(make_ready(rows, budget), budget)
}

/// The next rows after `after`; when none is after it and `again` (no batch is in flight), from
/// the start (rows a batch left for its time budget are behind `after`). None: no rows.
fn next_rows<A: Access>(
    store: &mut A,
    budget: &BacklogBudget,
    after: &mut DocumentId,
    again: bool,
) -> Result<Option<Vec<(DocumentId, Waiting)>>> {
    let mut rows = store.with(|s: &mut Store| s.backlog_rows(budget, *after))?;
    if rows.is_empty() && *after > 0 && again {
        rows = store.with(|s: &mut Store| s.backlog_rows(budget, 0))?;
    }
    Ok(rows.last().map(|(id, _)| *id).map(|last| {
        *after = last;
        rows
    }))
}

/// Indexes the backlog batch by batch until it is empty, the run's time budget is spent, or
/// `go_on` says to stop (checked between batches: the window stops it while a sync runs and
/// starts it again after). The store is taken briefly for each batch (see `Access`): to read its
/// rows, and to write them; never while a file's text is read.
pub fn index_backlog<A: Access>(
    store: &mut A,
    budget: &BacklogBudget,
    mut go_on: impl FnMut() -> bool,
) -> Result<BacklogReport> {
    let started = Instant::now();
    let mut report = BacklogReport::default();
    let over = || budget.total_time.is_some_and(|t| started.elapsed() >= t);
    std::thread::scope(|scope| -> Result<()> {
        let mut after: DocumentId = 0;
        let mut next: Option<std::thread::ScopedJoinHandle<'_, Vec<(DocumentId, Ready)>>> = None;
        loop {
            let ready = match next.take() {
                Some(h) => h
                    .join()
                    .map_err(|_| Error::storage("Чтение текста документов прервалось"))?,
                None => {
                    // The first batch goes whatever the time budget.
                    if !go_on() || (report.batches > 0 && over()) {
                        break;
                    }
                    match next_rows(store, budget, &mut after, true)? {
                        Some(rows) => make_ready(rows, budget),
                        None => break,
                    }
                }
            };
            // The next batch is read while this one is written.
            if go_on() && !over() {
                if let Some(rows) = next_rows(store, budget, &mut after, false)? {
                    next = Some(scope.spawn(move || make_ready(rows, budget)));
                }
            }
            let b = store.with(|s| s.write_ready(ready, budget))?;
            if b.indexed + b.set_aside == 0 {
                // Taken meanwhile by another indexer: nothing was done.
                if next.is_none() {
                    break;
                }
                continue;
            }
            report.batches += 1;
            report.indexed += b.indexed as u64;
            report.set_aside += b.set_aside as u64;
            report.chars += b.chars as u64;
            if !budget.pause.is_zero() {
                std::thread::sleep(budget.pause);
            }
        }
        Ok(())
    })?;
    report.left = store.with(|s| s.text_backlog())?.waiting;
    report.millis = started.elapsed().as_millis() as u64;
    Ok(report)
}
