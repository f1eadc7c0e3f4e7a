//! A folder import as a pipeline (issue #17): files are read and parsed on worker threads while
//! the store writes the ones before them, in the user's order, 64 to a transaction.
//!
//! Before, every file was parsed first and held in memory (bytes and text, then a copy of both
//! for the store) before the first one was stored. Now parsed files travel through a bounded
//! channel, and a worker does not start a file more than `WINDOW` files ahead of the last one
//! stored, so what is held at once stays bounded whatever the folder's size; a document goes to
//! the store by move, not copied.

use super::{imported, outcome, About, ImportOutcome, Prepared, BATCH};
use crate::error::{Error, ErrorCode, Result};
use crate::store::{Access, NewDocument};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Files parsed ahead of the last one stored, at most.
const WINDOW: usize = 2 * BATCH;

/// How far the store has got, for workers waiting to start a file further on.
struct Progress {
    /// Files handed to the store so far, or None once the import has stopped.
    stored: Mutex<Option<usize>>,
    moved: Condvar,
}

impl Progress {
    /// Waits until file `i` may be started; false when the import stopped.
    fn wait_for(&self, i: usize) -> bool {
        let mut stored = self.stored.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match *stored {
                None => return false,
                Some(n) if i < n + WINDOW => return true,
                Some(_) => stored = self.moved.wait(stored).unwrap_or_else(|e| e.into_inner()),
            }
        }
    }

    fn set(&self, v: Option<usize>) {
        *self.stored.lock().unwrap_or_else(|e| e.into_inner()) = v;
        self.moved.notify_all();
    }
}

/// Parses `planned` files with `prepare` on every core and stores them in order; each file's
/// outcome in the same order. A store failure stops the import (and the workers) with it.
pub(super) fn run<A: Access>(
    store: &mut A,
    planned: &[(PathBuf, Option<Error>)],
    prepare: impl Fn(&Path) -> Result<Prepared> + Sync,
) -> Result<Vec<ImportOutcome>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let next = AtomicUsize::new(0);
    let progress = Progress {
        stored: Mutex::new(Some(0)),
        moved: Condvar::new(),
    };
    let (tx, rx) = mpsc::sync_channel::<(usize, Result<Prepared>)>(BATCH);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, progress, prepare) = (&next, &progress, &prepare);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= planned.len() || !progress.wait_for(i) {
                    return;
                }
                let (path, err) = &planned[i];
                let r = match err {
                    Some(e) => Err(e.clone()),
                    // A parser that panics fails its file with a message; it never loses it.
                    None => {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(path)))
                            .unwrap_or_else(|_| {
                                Err(Error::new(
                                    ErrorCode::UnsupportedFile,
                                    "Файл не удалось разобрать",
                                ))
                            })
                    }
                };
                if tx.send((i, r)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let r = store_in_order(store, planned, &rx, &progress);
        // Whatever happened, no worker waits for a store that is done.
        progress.set(None);
        drop(rx);
        r
    })
}

fn store_in_order<A: Access>(
    store: &mut A,
    planned: &[(PathBuf, Option<Error>)],
    rx: &mpsc::Receiver<(usize, Result<Prepared>)>,
    progress: &Progress,
) -> Result<Vec<ImportOutcome>> {
    let mut outcomes = Vec::with_capacity(planned.len());
    let mut early: BTreeMap<usize, Result<Prepared>> = BTreeMap::new();
    let mut batch: Vec<(usize, Result<Prepared>)> = Vec::with_capacity(BATCH);
    let mut expected = 0;
    while expected < planned.len() {
        let Ok((i, r)) = rx.recv() else {
            break;
        };
        early.insert(i, r);
        while let Some(r) = early.remove(&expected) {
            batch.push((expected, r));
            expected += 1;
            if batch.len() == BATCH {
                flush(store, planned, &mut batch, &mut outcomes)?;
                progress.set(Some(expected));
            }
        }
    }
    flush(store, planned, &mut batch, &mut outcomes)?;
    Ok(outcomes)
}

/// Stores a batch's parsed files in one transaction and records every file's outcome. The
/// store is taken for this step only: never while files are parsed.
fn flush<A: Access>(
    store: &mut A,
    planned: &[(PathBuf, Option<Error>)],
    batch: &mut Vec<(usize, Result<Prepared>)>,
    outcomes: &mut Vec<ImportOutcome>,
) -> Result<()> {
    let mut docs: Vec<NewDocument> = Vec::new();
    let mut results: Vec<(usize, Result<About>)> = Vec::with_capacity(batch.len());
    for (i, r) in batch.drain(..) {
        results.push((
            i,
            r.map(|p| {
                docs.push(p.new);
                p.about
            }),
        ));
    }
    store.with(|s| {
        let mut stored = s.add_documents(&docs)?.into_iter();
        drop(docs);
        for (i, r) in results {
            let r = r.and_then(|about| {
                let (id, new) = stored.next().expect("one result per parsed file")?;
                imported(s, id, new, about)
            });
            outcomes.push(outcome(&planned[i].0, r));
        }
        Ok(())
    })
}
