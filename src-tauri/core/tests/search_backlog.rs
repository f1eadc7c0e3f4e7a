//! Search text in two steps (issue #17): a document is stored with the head of its text indexed,
//! the rest waits in a backlog the indexer works through in batches. What a user could find with
//! the whole text indexed at once must stay findable: at once for the head, after the indexer for
//! the tail, with the search saying how many documents still wait; a backlog survives a restart;
//! a text that cannot be indexed is set aside with its reason and holds up nothing; each budget
//! of a batch holds.

mod operator_common;
mod support;

use qoltanba_core::app::{App, SYNC};
use qoltanba_core::model::{Attachment, AttachmentRole, DocumentFields, DocumentKind, Origin};
use qoltanba_core::search_text::{index_backlog, index_batch};
use qoltanba_core::store::search::{fts_query, Query};
use qoltanba_core::store::text_backlog::split_head;
use qoltanba_core::store::{
    sha256_hex, BacklogBudget, NewDocument, Shared, TextBacklog, DB_FILE, HEAD_CHARS,
};
use qoltanba_core::Store;
use std::time::Duration;

/// A text longer than the head: its first words, filler up to past the head, then `tail_word`.
fn long_text(i: usize, tail_word: &str) -> String {
    let mut s = format!("Акт сверки взаимных расчётов № {i} ТОО «Продавец» ");
    while s.chars().count() < HEAD_CHARS + 500 {
        s += "поставка товара по договору ";
    }
    s + tail_word + " конец"
}

fn add(store: &mut Store, i: usize, text: &str) -> i64 {
    let bytes = support::pdf(&["Документ", &format!("doc {i}")]);
    let a = Attachment {
        id: "att_1".into(),
        role: AttachmentRole::Main,
        file_name: "d.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    let mut f = DocumentFields::new(DocumentKind::Other, format!("Документ {i}"));
    f.number = Some(format!("N-{i:04}"));
    store
        .add_document(NewDocument {
            operator_id: Some(format!("doc_{i}")),
            origin: Origin::Operator,
            fields: f,
            attachments: vec![(a, bytes)],
            text: text.into(),
            text_note: None,
            sender_signatures: vec![],
        })
        .unwrap()
        .0
}

/// What a search for `text` finds (newest first), and how many documents it says still wait.
fn found(store: &Store, text: &str) -> (Vec<i64>, Option<u64>) {
    let page = store
        .list(&Query {
            text: Some(text.into()),
            limit: Some(500),
            ..Query::default()
        })
        .unwrap();
    (
        page.documents.iter().map(|d| d.id).collect(),
        page.text_waiting,
    )
}

fn everything() -> BacklogBudget {
    BacklogBudget {
        pause: Duration::ZERO,
        ..BacklogBudget::default()
    }
}

#[test]
fn a_word_only_in_the_tail_is_found_after_the_indexer_ran_and_not_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let long = add(&mut s, 1, &long_text(1, "пломбирование"));
    let short = add(&mut s, 2, "Короткий акт: пломбирование вагонов");

    // The head is found at once; the tail is not, and the search says one document waits.
    assert_eq!(found(&s, "сверки"), (vec![long], Some(1)));
    assert_eq!(found(&s, "пломбирование"), (vec![short], Some(1)));
    assert_eq!(found(&s, "сверки пломбирование"), (vec![], Some(1)));
    assert_eq!(
        s.text_backlog().unwrap(),
        TextBacklog {
            waiting: 1,
            set_aside: 0
        }
    );
    // Only a text search carries the note.
    assert_eq!(s.list(&Query::default()).unwrap().text_waiting, None);

    let r = index_backlog(&mut s, &everything(), || true).unwrap();
    assert_eq!((r.indexed, r.set_aside, r.left), (1, 0, 0));
    assert_eq!(found(&s, "пломбирование"), (vec![short, long], None));
    // Words of the head and of the tail together, and a prefix of a tail word.
    assert_eq!(found(&s, "сверки пломбирование"), (vec![long], None));
    assert_eq!(found(&s, "пломбир конец"), (vec![long], None));
    assert!(s.verify_history().unwrap().intact);
}

#[test]
fn an_imported_file_has_its_text_split_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act><title>Акт сверки</title><number>AS-1</number><date>2026-10-31</date>\
         <body>{}</body></act>\n",
        long_text(1, "опломбирован")
    );
    let i =
        qoltanba_core::import::import_bytes(&mut s, "act.xml", xml.into_bytes(), vec![]).unwrap();
    assert_eq!(found(&s, "опломбирован"), (vec![], Some(1)));
    assert_eq!(found(&s, "расчётов"), (vec![i.id], Some(1)));
    index_backlog(&mut s, &everything(), || true).unwrap();
    assert_eq!(found(&s, "опломбирован"), (vec![i.id], None));
}

#[test]
fn a_store_closed_with_a_backlog_is_indexed_after_it_is_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<i64> = {
        let mut s = support::open(dir.path());
        (1..=3)
            .map(|i| add(&mut s, i, &long_text(i, "пломбирование")))
            .collect()
        // Closed here, nothing indexed past the heads.
    };
    let s = support::open(dir.path());
    assert_eq!(s.text_backlog().unwrap().waiting, 3);
    assert_eq!(found(&s, "пломбирование"), (vec![], Some(3)));
    // The window starts the indexer at start while the backlog is not empty (App::index_backlog).
    let app = App::new(s).unwrap();
    let r = app.index_backlog(&everything()).unwrap();
    assert_eq!((r.indexed, r.left), (3, 0));
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(
        app.read(|s| Ok(found(s, "пломбирование"))).unwrap(),
        (newest_first, None)
    );
}

#[test]
fn the_indexer_of_the_window_steps_aside_while_a_sync_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    add(&mut s, 1, &long_text(1, "пломбирование"));
    let app = App::new(s).unwrap();
    let sync = app.operations.start(SYNC).unwrap();
    let r = app.index_backlog(&everything()).unwrap();
    assert_eq!((r.indexed, r.batches, r.left), (0, 0, 1));
    drop(sync);
    let r = app.index_backlog(&everything()).unwrap();
    assert_eq!((r.indexed, r.left), (1, 0));
}

#[test]
fn a_text_that_cannot_be_indexed_is_set_aside_with_its_reason_and_holds_up_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = support::open(dir.path());
    let ids: Vec<i64> = (1..=4)
        .map(|i| add(&mut s, i, &long_text(i, &format!("хвост{i}"))))
        .collect();
    // A damaged file: one tail is not UTF-8, another document lost its search row.
    let raw = rusqlite::Connection::open(dir.path().join(DB_FILE)).unwrap();
    raw.execute(
        "UPDATE text_backlog SET tail = CAST(X'20FFFE' AS TEXT) WHERE document_id = ?1",
        [ids[0]],
    )
    .unwrap();
    raw.execute("DELETE FROM documents_fts WHERE rowid = ?1", [ids[2]])
        .unwrap();
    drop(raw);

    let r = index_backlog(&mut s, &everything(), || true).unwrap();
    assert_eq!((r.indexed, r.set_aside, r.left), (2, 2, 0));
    let aside = s.text_set_aside().unwrap();
    assert_eq!(
        aside.iter().map(|a| a.document_id).collect::<Vec<_>>(),
        vec![ids[0], ids[2]]
    );
    assert!(aside[0].reason.contains("UTF-8"), "{aside:?}");
    assert!(
        aside[1].reason.contains("нет строки документа"),
        "{aside:?}"
    );
    // The others are indexed whole, the damaged ones told to the user under the bell.
    assert_eq!(found(&s, "хвост2"), (vec![ids[1]], None));
    assert_eq!(found(&s, "хвост4"), (vec![ids[3]], None));
    let told = s.notifications(false).unwrap();
    for a in &aside {
        assert!(
            told.iter().any(|n| n.document_id == Some(a.document_id)
                && n.category == "error"
                && n.message.contains(&a.reason)),
            "{told:?}"
        );
    }
    assert_eq!(
        s.text_backlog().unwrap(),
        TextBacklog {
            waiting: 0,
            set_aside: 2
        }
    );
    // Set aside is not retried in a loop: the next run has nothing to do.
    let again = index_backlog(&mut s, &everything(), || true).unwrap();
    assert_eq!((again.indexed, again.set_aside, again.batches), (0, 0, 0));
}

/// Five documents waiting, each tail of `tail` characters.
fn five_waiting(dir: &std::path::Path) -> (Store, usize) {
    let mut s = support::open(dir);
    for i in 1..=5 {
        add(&mut s, i, &long_text(i, "пломбирование"));
    }
    let text = long_text(1, "пломбирование");
    let tail = split_head(&text, HEAD_CHARS).1.chars().count();
    (s, tail)
}

#[test]
fn a_batch_takes_no_more_documents_than_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = five_waiting(dir.path());
    let two = BacklogBudget {
        documents: 2,
        ..everything()
    };
    let b = index_batch(&mut s, &two).unwrap();
    assert_eq!((b.indexed, b.set_aside), (2, 0));
    assert_eq!(s.text_backlog().unwrap().waiting, 3);
    let r = index_backlog(&mut s, &two, || true).unwrap();
    assert_eq!((r.indexed, r.batches, r.left), (3, 2, 0));
}

#[test]
fn a_batch_takes_no_more_characters_than_its_budget_and_always_its_first_document() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, tail) = five_waiting(dir.path());
    // Room for one and a half tails: one document per batch.
    let b = index_batch(
        &mut s,
        &BacklogBudget {
            chars: tail + tail / 2,
            ..everything()
        },
    )
    .unwrap();
    assert_eq!((b.indexed, b.chars), (1, tail));
    // Room for two tails exactly: two.
    let b = index_batch(
        &mut s,
        &BacklogBudget {
            chars: 2 * tail,
            ..everything()
        },
    )
    .unwrap();
    assert_eq!((b.indexed, b.chars), (2, 2 * tail));
    // No room even for one: the first goes through alone, so a long text is never stuck.
    let b = index_batch(
        &mut s,
        &BacklogBudget {
            chars: 1,
            ..everything()
        },
    )
    .unwrap();
    assert_eq!(b.indexed, 1);
    assert_eq!(s.text_backlog().unwrap().waiting, 1);
}

#[test]
fn a_batch_starts_no_document_after_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = five_waiting(dir.path());
    let no_time = BacklogBudget {
        batch_time: Duration::ZERO,
        ..everything()
    };
    let b = index_batch(&mut s, &no_time).unwrap();
    assert_eq!(b.indexed, 1, "its first document, then the time is up");
    let r = index_backlog(&mut s, &no_time, || true).unwrap();
    assert_eq!((r.indexed, r.batches, r.left), (4, 4, 0));
}

#[test]
fn a_run_starts_no_batch_after_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = five_waiting(dir.path());
    let r = index_backlog(
        &mut s,
        &BacklogBudget {
            documents: 2,
            total_time: Some(Duration::ZERO),
            ..everything()
        },
        || true,
    )
    .unwrap();
    assert_eq!((r.indexed, r.batches, r.left), (2, 1, 3));
    // The search says what is left.
    assert_eq!(found(&s, "пломбирование").1, Some(3));
}

#[test]
fn the_indexer_lets_go_of_the_store_between_batches() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = five_waiting(dir.path());
    let shared = Shared::new(s);
    let mut indexer = shared.clone();
    let run = std::thread::spawn(move || {
        index_backlog(
            &mut indexer,
            &BacklogBudget {
                documents: 1,
                pause: Duration::from_millis(30),
                ..BacklogBudget::default()
            },
            || true,
        )
        .unwrap()
    });
    // Another writer (a sync's batch) takes the store while the indexer runs, and sees the
    // backlog shrink one batch at a time: the store is not held across the run.
    let mut seen = Vec::new();
    loop {
        let waiting = shared.lock().text_backlog().unwrap().waiting;
        if seen.last() != Some(&waiting) {
            seen.push(waiting);
        }
        if waiting == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let r = run.join().unwrap();
    assert_eq!((r.indexed, r.batches), (5, 5));
    assert!(
        seen.len() >= 4,
        "the waiting count seen between batches: {seen:?}"
    );
}

/// ё as е, as the store folds what it indexes and what is searched.
fn fold(s: &str) -> String {
    s.replace('ё', "е").replace('Ё', "Е")
}

/// The words a person might look for in each text: some from its start, its middle and its end,
/// a prefix, and pairs of a word from the start with one from the end.
fn queries(texts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in texts {
        let words: Vec<&str> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 2)
            .collect();
        let n = words.len();
        if n < 8 {
            continue;
        }
        for k in [0, 1, n / 8, n / 4, n / 2, 3 * n / 4, n - 2, n - 1] {
            out.push(words[k].to_string());
        }
        out.push(words[n - 1].chars().take(4).collect());
        out.push(format!("{} {}", words[1], words[n - 2]));
        out.push(format!("{} {}", words[n / 2], words[n - 1]));
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_and_the_indexer_give_the_search_results_of_indexing_the_whole_text_at_once() {
    use operator_common::{Client, Server};
    // The benchmark's documents: PDFs of about 50 KB in twelve fonts and layouts, with 9,000 to
    // 47,000 characters of text each.
    let server = Server::start(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(24));
        s.load_attachment_bytes = 50 * 1024;
    })
    .await;
    let mut c = Client::new();
    let report = c.sync(&server.client()).await.unwrap();
    assert_eq!(report.added.len(), 24);
    let waiting = c.store.text_backlog().unwrap().waiting;
    assert_eq!(waiting, 24, "every text is longer than its head");
    // The sync read the first pages only: each file's text is to be read again, whole.
    let ours = rusqlite::Connection::open(c.path().join(DB_FILE)).unwrap();
    let read_later: i64 = ours
        .query_row(
            "SELECT COUNT(*) FROM text_backlog WHERE tail IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(read_later, 24);

    // The reference: the index as it was, each document's whole text in its row at once.
    let reference = rusqlite::Connection::open_in_memory().unwrap();
    reference
        .execute_batch(
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, number, counterparty, body, tokenize = 'unicode61 remove_diacritics 0')",
        )
        .unwrap();
    let mut texts = Vec::new();
    let rows: Vec<(i64, String, String, String, Vec<u8>)> = ours
        .prepare(
            "SELECT f.rowid, f.title, f.number, f.counterparty, b.bytes FROM documents_fts f
             JOIN documents d ON d.id = f.rowid JOIN blobs b ON b.sha256 = d.content_sha256 ORDER BY f.rowid",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, title, number, counterparty, bytes) in rows {
        let text = qoltanba_core::import::pdf_text_within(
            &bytes,
            &qoltanba_core::import::PdfLimits::default(),
        )
        .unwrap()
        .text;
        assert!(text.chars().count() > 9_000, "{}", text.chars().count());
        // What the sync read is the head of the whole text, cut where the whole text is cut.
        let limits = qoltanba_core::import::PdfLimits::default();
        let (head, more) =
            qoltanba_core::import::pdf_text_head(&bytes, &limits, HEAD_CHARS + 1).unwrap();
        assert!(more && head.limited.is_none());
        assert_eq!(head.text.chars().count(), HEAD_CHARS + 1);
        assert!(text.starts_with(&head.text));
        assert_eq!(
            split_head(&head.text, HEAD_CHARS).0,
            split_head(&text, HEAD_CHARS).0
        );
        reference
            .execute(
                "INSERT INTO documents_fts (rowid, title, number, counterparty, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![id, title, number, counterparty, fold(&text)],
            )
            .unwrap();
        texts.push(text);
    }
    let qs = queries(&texts);
    assert!(qs.len() > 30, "{qs:?}");
    let expected = |q: &str| -> Vec<i64> {
        let m = fts_query(q).unwrap();
        reference
            .prepare(
                "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?1 ORDER BY rowid DESC",
            )
            .unwrap()
            .query_map([m], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };

    // Before the indexer: words past the head are missed, and the search says so; the first
    // words are found at once.
    let missed = qs
        .iter()
        .filter(|q| found(&c.store, q).0 != expected(q))
        .count();
    assert!(missed > 0, "some words are only in the tails");
    for t in &texts {
        let first = t
            .split_whitespace()
            .find(|w| w.chars().count() > 3)
            .unwrap();
        assert_eq!(found(&c.store, first).0, expected(first), "{first}");
    }
    assert_eq!(found(&c.store, &qs[0]).1, Some(24));

    let r = index_backlog(&mut c.store, &everything(), || true).unwrap();
    assert_eq!((r.indexed, r.set_aside, r.left), (24, 0, 0));
    for q in &qs {
        assert_eq!(found(&c.store, q), (expected(q), None), "{q}");
    }
    // And the rows hold what they held before: the whole text, folded.
    let bodies: Vec<String> = ours
        .prepare("SELECT body FROM documents_fts ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(bodies.len(), texts.len());
    for (body, text) in bodies.iter().zip(&texts) {
        assert!(*body == fold(text), "a body differs from its whole text");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_whose_text_cannot_be_read_again_is_set_aside_and_the_others_are_indexed() {
    use operator_common::{Client, Server};
    let server = Server::start(|s| {
        s.seed = Some(qoltanba_operator::Seed::Load(3));
        s.load_attachment_bytes = 50 * 1024;
    })
    .await;
    let mut c = Client::new();
    c.sync(&server.client()).await.unwrap();
    let ids: Vec<i64> = ["doc_load_000001", "doc_load_000002", "doc_load_000003"]
        .iter()
        .map(|op| c.id(op))
        .collect();
    // A damaged file: the second document's PDF lost its end after it was stored.
    let raw = rusqlite::Connection::open(c.path().join(DB_FILE)).unwrap();
    raw.execute(
        "UPDATE blobs SET bytes = substr(bytes, 1, 2000) WHERE sha256 = (SELECT content_sha256 FROM documents WHERE id = ?1)",
        [ids[1]],
    )
    .unwrap();
    // One file per batch: the byte budget.
    let r = index_backlog(
        &mut c.store,
        &BacklogBudget {
            bytes: 1,
            ..everything()
        },
        || true,
    )
    .unwrap();
    assert_eq!((r.indexed, r.set_aside, r.left, r.batches), (2, 1, 0, 3));
    let aside = c.store.text_set_aside().unwrap();
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0].document_id, ids[1]);
    assert!(aside[0].reason.contains("PDF повреждён"), "{aside:?}");
    let body = |id: i64| -> String {
        raw.query_row(
            "SELECT body FROM documents_fts WHERE rowid = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    // The damaged one keeps its head, the others have their whole text.
    assert!(body(ids[1]).chars().count() <= HEAD_CHARS);
    assert!(body(ids[0]).chars().count() > 9_000);
    assert!(body(ids[2]).chars().count() > 9_000);
}

#[test]
fn a_short_pdf_is_read_whole_and_nothing_waits() {
    let bytes = support::pdf(&["Акт сверки", "Итого 0,00"]);
    let limits = qoltanba_core::import::PdfLimits::default();
    let whole = qoltanba_core::import::pdf_text_within(&bytes, &limits).unwrap();
    let (head, more) =
        qoltanba_core::import::pdf_text_head(&bytes, &limits, HEAD_CHARS + 1).unwrap();
    assert_eq!((head, more), (whole, false));
}

/// What a sync reads of a PDF is the start of the PDF's whole text, in every encoding and layout
/// of the varied corpus (one to three pages each), and it says whether there is more.
#[test]
fn the_head_of_a_pdf_is_the_start_of_its_whole_text_in_every_encoding_and_layout() {
    use qoltanba_core::import::{pdf_text_head, pdf_text_within, PdfLimits};
    let limits = PdfLimits::default();
    for i in 0..48 {
        let bytes = support::varied_pdf::varied_pdf(i, &format!("GEN-{i:04}"));
        let whole = pdf_text_within(&bytes, &limits).unwrap().text;
        let n = whole.chars().count();
        assert!(n > 20, "{i}: {whole:?}");
        for k in [1, 7, n / 2, n - 1, n, n + 1, 10 * n] {
            let (head, more) = pdf_text_head(&bytes, &limits, k).unwrap();
            let start: String = whole.chars().take(k).collect();
            assert_eq!(head.text, start, "{i}, {k} characters");
            assert_eq!(head.limited, None, "{i}, {k}");
            assert_eq!(more, k < n, "{i}, {k} of {n}");
        }
    }
}
