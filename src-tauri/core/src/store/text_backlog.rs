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
//! search finds what it found before, words of the head and of the tail together. A sync reads
//! only the first pages of a long PDF (reading them all cost it more than anything else): its
//! row has no tail, and the indexer reads the file's whole text again and puts it in place of
//! the head.
//!
//! The indexer (`crate::search_text`, above the store: it reads files' text) reads a batch here,
//! makes it ready without the store, then writes it here in one transaction: the writer is held
//! for the writing only.

use super::{fold, notifications, Store, StoreCtx};
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

/// Notes that only the head of a document's text was read: the indexer reads the main file's
/// text again, whole (in the transaction that stores the document).
pub(crate) fn read_later(tx: &rusqlite::Connection, id: DocumentId) -> Result<()> {
    tx.prepare_cached("INSERT INTO text_backlog (document_id, tail) VALUES (?1, NULL)")?
        .execute([id])?;
    Ok(())
}

/// How much one run of the indexer may do. Each batch is one transaction on the writer: it takes
/// at least one document (so a long text still gets through), then stops at the first budget
/// reached.
#[derive(Debug, Clone)]
pub struct BacklogBudget {
    /// Documents per batch, at most.
    pub documents: usize,
    /// Characters of text per batch, at most (beyond its first document; a file whose text is
    /// read again counts once read, and no file is read once the batch has its characters).
    pub chars: usize,
    /// Bytes of files read again per batch, at most (beyond its first document).
    pub bytes: usize,
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
            // indexer no longer than a document waits for its own batch. FTS5 indexes about
            // 0.8 µs per character here: 128 K characters fit in the 100 ms.
            documents: 64,
            chars: 128 * 1024,
            // Files read again: PDFs carry about a character of text per two bytes, so about
            // as many files as fill the characters.
            bytes: 256 << 10,
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
    /// Characters of text indexed (tails, and whole texts read again).
    pub chars: usize,
}

/// What a run of the indexer did, and what is left.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BacklogReport {
    /// Documents whose whole text is now indexed.
    pub indexed: u64,
    /// Documents whose text could not be indexed: kept aside with the reason.
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

/// Why one document's text cannot be indexed: kept aside with this reason. Anything else (the
/// disk, the database) fails the whole batch, which is rolled back and tried again later.
pub(crate) struct DocumentFault(pub(crate) String);

pub(crate) type Read<T> = std::result::Result<T, DocumentFault>;

/// A backlog row as a batch reads it: the tail, or the main file whose text is read again.
pub(crate) enum Waiting {
    Tail(Read<String>),
    File(Read<Vec<u8>>),
}

/// A row made ready without the store: the text to add, or the whole text to put in place of the
/// head (with why it is partial, when a limit stopped the reading).
pub(crate) enum Ready {
    Append(String),
    Whole(String, Option<String>),
    Fault(DocumentFault),
}

/// The tail of one backlog row as text, or why it is not text.
fn tail_text(v: ValueRef<'_>) -> Read<String> {
    match v {
        ValueRef::Text(b) => std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| DocumentFault("текст в базе повреждён (не в кодировке UTF-8)".into())),
        _ => Err(DocumentFault(
            "текст в базе повреждён (это не текст)".into(),
        )),
    }
}

/// The main file of a row whose text is read again.
fn file_bytes(v: ValueRef<'_>) -> Read<Vec<u8>> {
    match v {
        ValueRef::Blob(b) => Ok(b.to_vec()),
        _ => Err(DocumentFault(
            "основной файл документа не найден в базе".into(),
        )),
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

/// Writes one row's text into the document's full-text row (FTS5 re-indexes the row as a whole).
fn index_one(
    tx: &rusqlite::Connection,
    id: DocumentId,
    sql: &str,
    text: &str,
) -> std::result::Result<(), Fault> {
    match tx.prepare_cached(sql)?.execute(params![id, fold(text)]) {
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

fn title(tx: &rusqlite::Connection, id: DocumentId) -> Result<String> {
    Ok(tx
        .query_row("SELECT title FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default())
}

/// Keeps a text aside with its reason, and tells the user (the document itself is stored and
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
    let told = format!(
        "Текст документа «{}» дальше первых {HEAD_CHARS} символов не добавлен в поиск: {reason}. \
         Документ находится по названию, номеру, контрагенту и началу текста; его можно открыть, принять или отклонить и подписать как обычно",
        title(tx, id)?
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

    /// The documents whose text could not be indexed, with why.
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

    /// The next rows of the backlog, within the batch's documents, tail characters and file
    /// bytes (its first row whatever its size).
    pub(crate) fn backlog_rows(
        &self,
        budget: &BacklogBudget,
        after: DocumentId,
    ) -> Result<Vec<(DocumentId, Waiting)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT t.document_id, t.tail, CASE WHEN t.tail IS NULL THEN
                 (SELECT b.bytes FROM documents d JOIN blobs b ON b.sha256 = d.content_sha256 WHERE d.id = t.document_id)
             END
             FROM text_backlog t WHERE t.reason IS NULL AND t.document_id > ?2 ORDER BY t.document_id LIMIT ?1",
        )?;
        let mut rows = st.query(params![budget.documents.max(1) as i64, after])?;
        let (mut out, mut chars, mut bytes) = (Vec::new(), 0usize, 0usize);
        while let Some(r) = rows.next()? {
            let w = match r.get_ref(1)? {
                ValueRef::Null => Waiting::File(file_bytes(r.get_ref(2)?)),
                v => Waiting::Tail(tail_text(v)),
            };
            let (c, b) = match &w {
                Waiting::Tail(Ok(t)) => (t.chars().count(), 0),
                Waiting::File(Ok(f)) => (0, f.len()),
                _ => (0, 0),
            };
            if !out.is_empty() && (chars + c > budget.chars || bytes + b > budget.bytes) {
                break;
            }
            chars += c;
            bytes += b;
            out.push((r.get(0)?, w));
        }
        Ok(out)
    }

    /// Writes a batch made ready in one transaction, each document through its own savepoint:
    /// one whose text cannot be indexed is kept aside with its reason and the others go on. No
    /// document is started once the batch's time is up (what is left stays in the backlog).
    pub(crate) fn write_ready(
        &mut self,
        ready: Vec<(DocumentId, Ready)>,
        budget: &BacklogBudget,
    ) -> Result<BatchDone> {
        let started = Instant::now();
        self.write(|tx, ctx| {
            let mut done = BatchDone::default();
            for (id, r) in ready {
                if done.indexed + done.set_aside > 0 && started.elapsed() >= budget.batch_time {
                    break;
                }
                tx.prepare_cached("SAVEPOINT one_text")?.execute([])?;
                // Gone meanwhile (another indexer took it): nothing to do.
                let taken = tx
                    .prepare_cached(
                        "DELETE FROM text_backlog WHERE document_id = ?1 AND reason IS NULL",
                    )?
                    .execute([id])?;
                let n = match &r {
                    Ready::Append(t) | Ready::Whole(t, _) => t.chars().count(),
                    Ready::Fault(_) => 0,
                };
                let outcome = match r {
                    _ if taken == 0 => Ok(()),
                    Ready::Append(t) => index_one(
                        tx,
                        id,
                        "UPDATE documents_fts SET body = body || ?2 WHERE rowid = ?1",
                        &t,
                    ),
                    Ready::Whole(t, note) => index_one(
                        tx,
                        id,
                        "UPDATE documents_fts SET body = ?2 WHERE rowid = ?1",
                        &t,
                    )
                    .and_then(|()| match note {
                        Some(note) => limited(tx, ctx, id, &note).map_err(Fault::Store),
                        None => Ok(()),
                    }),
                    Ready::Fault(f) => Err(Fault::Document(f)),
                };
                match outcome {
                    Ok(()) => {
                        tx.prepare_cached("RELEASE one_text")?.execute([])?;
                        if taken > 0 {
                            done.indexed += 1;
                            done.chars += n;
                        }
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

/// A file whose whole text stopped at a limit when it was read again: told the user as a store
/// or an import tells it (the document itself is kept and found by what was read).
fn limited(
    tx: &rusqlite::Connection,
    ctx: &StoreCtx<'_>,
    id: DocumentId,
    note: &str,
) -> Result<()> {
    let told = format!(
        "Документ «{}» сохранён без полного текста для поиска: {note}. Его можно открыть, принять или отклонить и подписать как обычно",
        title(tx, id)?
    );
    notifications::insert(tx, "error", Some(id), &told, &ctx.at)?;
    Ok(())
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
