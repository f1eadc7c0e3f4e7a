//! Search text in two steps. A document is stored with the head of its text indexed (the first
//! [`HEAD_CHARS`] characters, cut at a word boundary: numbers, parties and amounts are on the
//! first pages), in the same transaction, so it is found at once; the rest of its text (the tail)
//! waits in `text_backlog` and the indexer adds it to the document's search row later, in
//! batches, off the sync's path. Indexing the whole text of a large PDF cost ten times its head
//! (35 ms against 3.5 ms for 45,000 characters, issue #17), which held every sync at a fraction
//! of its floor.
//!
//! The tail goes into the same full-text row as the head (`body = body || tail`), so once the
//! backlog is empty the index holds exactly what indexing the whole text at once held, and a
//! search finds what it found before, words of the head and of the tail together.

use super::{fold, notifications, Access, Store, StoreCtx};
use crate::error::{Error, Result};
use crate::model::DocumentId;
use rusqlite::types::ValueRef;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// Characters of a document's text indexed with the document itself.
pub const HEAD_CHARS: usize = 4096;

/// `text` cut into the head indexed at once and the tail indexed later: at most `max_chars`
/// characters in the head, cut before a white space so that no word is split between the two
/// (a word cut in two would be found by neither half until the tail is indexed). A head of one
/// word longer than `max_chars` is cut at `max_chars`.
pub fn split_head(text: &str, max_chars: usize) -> (&str, &str) {
    let Some((limit, next)) = text.char_indices().nth(max_chars) else {
        return (text, "");
    };
    if next.is_whitespace() {
        return text.split_at(limit);
    }
    match text[..limit].rfind(char::is_whitespace) {
        Some(cut) if cut > 0 => text.split_at(cut),
        _ => text.split_at(limit),
    }
}

/// Keeps a document's tail for the indexer, in the transaction that stores the document.
pub(crate) fn keep_tail(tx: &rusqlite::Connection, id: DocumentId, tail: &str) -> Result<()> {
    if tail.is_empty() {
        return Ok(());
    }
    tx.prepare_cached("INSERT INTO text_backlog (document_id, tail) VALUES (?1, ?2)")?
        .execute(params![id, tail])?;
    Ok(())
}

/// How much one run of the indexer may do. Each batch is one transaction on the writer: it takes
/// at least one document (so a long text still gets through), then stops at the first budget
/// reached.
#[derive(Debug, Clone)]
pub struct BacklogBudget {
    /// Documents per batch, at most.
    pub documents: usize,
    /// Characters of tail per batch, at most (beyond its first document).
    pub chars: usize,
    /// How long one batch may hold the writer: no document is started after it.
    pub batch_time: Duration,
    /// How long the whole run may take: no batch is started after it (None: until the backlog
    /// is empty).
    pub total_time: Option<Duration>,
    /// Rest between batches, so that a writer waiting for the store (a sync's batch, an import)
    /// takes it before the next batch does.
    pub pause: Duration,
}

impl Default for BacklogBudget {
    fn default() -> Self {
        BacklogBudget {
            // 64 documents or 100 ms, as a sync's batch: a sync waits for a batch of the
            // indexer no longer than a document waits for its own batch.
            documents: 64,
            chars: 512 * 1024,
            batch_time: Duration::from_millis(100),
            total_time: None,
            pause: Duration::from_millis(2),
        }
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchDone {
    pub indexed: usize,
    pub set_aside: usize,
    /// Characters of tail indexed.
    pub chars: usize,
}

/// What a run of the indexer did, and what is left.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogReport {
    /// Documents whose whole text is now indexed.
    pub indexed: u64,
    /// Documents whose tail could not be indexed: kept aside with the reason.
    pub set_aside: u64,
    pub batches: u64,
    /// Characters of text indexed.
    pub chars: u64,
    /// Documents still waiting (the run stopped at its time budget or for a sync).
    pub left: u64,
    #[ts(type = "number")]
    pub millis: u64,
}

/// The backlog as the search reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextBacklog {
    /// Documents whose tail waits to be indexed.
    pub waiting: u64,
    /// Documents whose tail could not be indexed.
    pub set_aside: u64,
}

/// A document whose tail could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextSetAside {
    pub document_id: DocumentId,
    pub reason: String,
    pub failed_at: String,
}

/// Why one document's tail cannot be indexed: kept aside with this reason. Anything else (the
/// disk, the database) fails the whole batch, which is rolled back and tried again later.
struct DocumentFault(String);

/// The tail of one backlog row as text, or why it is not text.
fn tail_text(v: ValueRef<'_>) -> std::result::Result<String, DocumentFault> {
    match v {
        ValueRef::Text(b) => std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| DocumentFault("текст в базе повреждён (не в кодировке UTF-8)".into())),
        _ => Err(DocumentFault(
            "текст в базе повреждён (это не текст)".into(),
        )),
    }
}

/// Adds the tail to the document's full-text row (FTS5 re-indexes the row as a whole).
fn append_tail(
    tx: &rusqlite::Connection,
    id: DocumentId,
    tail: &str,
) -> std::result::Result<(), Fault> {
    let changed = tx
        .prepare_cached("UPDATE documents_fts SET body = body || ?2 WHERE rowid = ?1")?
        .execute(params![id, fold(tail)]);
    match changed {
        Ok(0) => Err(Fault::Document(DocumentFault(
            "в поисковом индексе нет строки документа".into(),
        ))),
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::TooBig => Err(
            Fault::Document(DocumentFault("текст слишком велик для индекса".into())),
        ),
        Err(e) => Err(Fault::Store(e.into())),
    }
}

enum Fault {
    Document(DocumentFault),
    Store(Error),
}

impl From<rusqlite::Error> for Fault {
    fn from(e: rusqlite::Error) -> Self {
        Fault::Store(e.into())
    }
}

/// Keeps a tail aside with its reason, and tells the user (the document itself is stored and
/// found by its head, title, number and parties).
fn set_aside(
    tx: &rusqlite::Connection,
    ctx: &StoreCtx<'_>,
    id: DocumentId,
    reason: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE text_backlog SET reason = ?2, failed_at = ?3 WHERE document_id = ?1",
    )?
    .execute(params![id, reason, ctx.at])?;
    let title: String = tx
        .query_row("SELECT title FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default();
    let told = format!(
        "Текст документа «{title}» дальше первых {HEAD_CHARS} символов не добавлен в поиск: {reason}. \
         Документ находится по названию, номеру, контрагенту и началу текста; его можно открыть, принять или отклонить и подписать как обычно"
    );
    notifications::insert(tx, "error", Some(id), &told, &ctx.at)?;
    Ok(())
}

impl Store {
    /// How many documents wait for the rest of their text to be indexed, and how many could not
    /// be indexed.
    pub fn text_backlog(&self) -> Result<TextBacklog> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok(TextBacklog {
            waiting: count("SELECT COUNT(*) FROM text_backlog WHERE reason IS NULL")?,
            set_aside: count("SELECT COUNT(*) FROM text_backlog WHERE reason IS NOT NULL")?,
        })
    }

    /// The documents whose tail could not be indexed, with why.
    pub fn text_set_aside(&self) -> Result<Vec<TextSetAside>> {
        let mut st = self.conn.prepare_cached(
            "SELECT document_id, reason, failed_at FROM text_backlog WHERE reason IS NOT NULL ORDER BY document_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(TextSetAside {
                document_id: r.get(0)?,
                reason: r.get(1)?,
                failed_at: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Indexes one batch of the backlog, oldest documents first, in one transaction: each
    /// document through its own savepoint, so one whose text cannot be indexed is kept aside
    /// with its reason and the others go on.
    pub fn index_text_batch(&mut self, budget: &BacklogBudget) -> Result<BatchDone> {
        let started = Instant::now();
        self.write(|tx, ctx| {
            // Read before anything is written: the rows are changed below, and a statement
            // walking a table that changes under it may skip or repeat rows.
            let mut taken: Vec<(DocumentId, std::result::Result<String, DocumentFault>)> =
                Vec::new();
            let mut chars = 0usize;
            {
                let mut st = tx.prepare_cached(
                    "SELECT document_id, tail FROM text_backlog WHERE reason IS NULL ORDER BY document_id LIMIT ?1",
                )?;
                let mut rows = st.query([budget.documents.max(1) as i64])?;
                while let Some(r) = rows.next()? {
                    let tail = tail_text(r.get_ref(1)?);
                    let n = tail.as_ref().map_or(0, |t| t.chars().count());
                    if !taken.is_empty() && chars + n > budget.chars {
                        break;
                    }
                    chars += n;
                    taken.push((r.get(0)?, tail));
                }
            }
            let mut done = BatchDone::default();
            for (id, tail) in taken {
                if done.indexed + done.set_aside > 0 && started.elapsed() >= budget.batch_time {
                    break;
                }
                tx.prepare_cached("SAVEPOINT one_text")?.execute([])?;
                let n = tail.as_ref().map_or(0, |t| t.chars().count());
                let r = match tail {
                    Ok(t) => append_tail(tx, id, &t).and_then(|()| {
                        tx.prepare_cached("DELETE FROM text_backlog WHERE document_id = ?1")?
                            .execute([id])?;
                        Ok(())
                    }),
                    Err(f) => Err(Fault::Document(f)),
                };
                match r {
                    Ok(()) => {
                        tx.prepare_cached("RELEASE one_text")?.execute([])?;
                        done.indexed += 1;
                        done.chars += n;
                    }
                    Err(Fault::Document(DocumentFault(reason))) => {
                        tx.execute_batch("ROLLBACK TO one_text; RELEASE one_text")?;
                        set_aside(tx, ctx, id, &reason)?;
                        done.set_aside += 1;
                    }
                    Err(Fault::Store(e)) => return Err(e),
                }
            }
            Ok(done)
        })
    }
}

/// Indexes the backlog batch by batch, taking the store for each batch only (see `Access`), until
/// it is empty, the run's time budget is spent, or `go_on` says to stop (checked between
/// batches: the window stops it while a sync runs and starts it again after).
pub fn index_backlog<A: Access>(
    store: &mut A,
    budget: &BacklogBudget,
    mut go_on: impl FnMut() -> bool,
) -> Result<BacklogReport> {
    let started = Instant::now();
    let mut report = BacklogReport::default();
    loop {
        if !go_on() {
            break;
        }
        let b = store.with(|s| s.index_text_batch(budget))?;
        if b.indexed + b.set_aside == 0 {
            break;
        }
        report.batches += 1;
        report.indexed += b.indexed as u64;
        report.set_aside += b.set_aside as u64;
        report.chars += b.chars as u64;
        if budget.total_time.is_some_and(|t| started.elapsed() >= t) {
            break;
        }
        if !budget.pause.is_zero() {
            std::thread::sleep(budget.pause);
        }
    }
    report.left = store.with(|s| s.text_backlog())?.waiting;
    report.millis = started.elapsed().as_millis() as u64;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::split_head;

    #[test]
    fn the_head_is_cut_before_a_white_space_and_head_and_tail_make_the_text() {
        let text = "Акт сверки 2026 партия пломбы";
        for max in 0..=text.chars().count() + 1 {
            let (head, tail) = split_head(text, max);
            assert_eq!(format!("{head}{tail}"), text, "{max}");
            assert!(head.chars().count() <= max, "{max}");
            // No word is split: the tail starts with a space, or the head is the whole text.
            assert!(
                tail.is_empty() || tail.starts_with(' ') || head.chars().count() == max,
                "{max}: {head:?} {tail:?}"
            );
        }
        assert_eq!(split_head(text, 12), ("Акт сверки", " 2026 партия пломбы"));
        assert_eq!(split_head(text, 10), ("Акт сверки", " 2026 партия пломбы"));
        assert_eq!(split_head(text, 100), (text, ""));
        // One word longer than the head: cut where the head ends.
        assert_eq!(split_head("абвгдеж з", 3), ("абв", "гдеж з"));
    }
}
