//! Sync throughput: a full first sync of N documents (default 10,000 with a 50 KB main file each,
//! `qoltanba-operator --seed N`: PDFs in several fonts and layouts, each signed with the
//! marketplace's GOST-2015-512 key, its CA in the client's trust list) from the real server in its
//! own process on loopback, then an incremental sync with nothing new. Beside it the floor (issue
//! #17), a composite of what no sync can skip, as the sum of the stages' times, each measured on
//! its own: the same HTTP transfers (plain reqwest at the same parallelism, bytes dropped), one
//! GOST verification per document with its chain (the core's verifier, on every core), and the
//! same rows inserted raw (plain rusqlite, 64 documents per transaction, the same search text).
//! The PDF text extraction is shown as a stage of its own (µs per document), outside the floor.
//! The sync indexes the head of each text and leaves the tail to the indexer (issue #17): the
//! tail indexing after the sync has a line of its own beside its raw floor, and the floor with
//! the head only (the rows the sync now writes, raw) is shown beside the floor as it was.
//! Peak memory is this process's VmHWM (the server runs apart, so it is the client's alone).
//!
//! `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer --bench operator_sync`
//! (QOLTANBA_BENCH_DOCS=N to change N,
//! QOLTANBA_BENCH_KB the main file's size; QOLTANBA_BENCH_QUICK=1 skips the run without search
//! text, for the report's growth series). The seeded server data is kept in
//! target/bench-operator-gost-N-KB so later runs skip seeding.

#[path = "../../../benches/report_line.rs"]
mod report_line;

use report_line::{Better, Figure};

use futures_util::stream::{self, StreamExt};
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::operator::{sync, HttpOperator, HttpSettings, SyncOptions, Token};
use qoltanba_core::search_text::index_backlog;
use qoltanba_core::store::text_backlog::split_head;
use qoltanba_core::store::{BacklogBudget, HEAD_CHARS};
use qoltanba_core::{OpenOptions, Store};
use rusqlite::Connection;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PARALLEL: usize = 8;

struct Server(Child, String, PathBuf);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn target_dir() -> PathBuf {
    // target/release/deps/operator_sync-… → target/release
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

fn server(n: usize, kb: usize) -> Server {
    // --workspace: the features unify as in the benchmark's own build, so nothing is built twice.
    let ok = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "--workspace",
            "--bin",
            "qoltanba-operator",
        ])
        .status()
        .unwrap()
        .success();
    assert!(ok, "qoltanba-operator builds");
    let data = target_dir()
        .parent()
        .unwrap()
        .join(format!("bench-operator-gost-{n}-{kb}"));
    let t = Instant::now();
    let child = Command::new(target_dir().join("qoltanba-operator"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--seed",
            &n.to_string(),
            "--attachment-kb",
            &kb.to_string(),
            "--data",
        ])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut s = Server(child, String::new(), data);
    let mut lines = BufReader::new(s.0.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(url) = line.strip_prefix("listening on ") {
            s.1 = url.trim().to_string();
            eprintln!(
                "server ready in {:.1} s (seeding if it was the first run)",
                t.elapsed().as_secs_f64()
            );
            return s;
        }
    }
    panic!("qoltanba-operator did not start");
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The floor: list every page, then GET every attachment at the same parallelism, bytes
/// read and dropped.
async fn raw(url: &str) -> (usize, u64) {
    let client = reqwest::Client::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut u = format!("{url}/inbox/documents?limit=500");
        if let Some(a) = &after {
            u += &format!("&after={a}");
        }
        let page: serde_json::Value = client
            .get(&u)
            .bearer_auth("demo-token")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for d in page["documents"].as_array().unwrap() {
            for a in d["attachments"].as_array().unwrap() {
                files.push((
                    d["id"].as_str().unwrap().into(),
                    a["id"].as_str().unwrap().into(),
                ));
            }
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    let docs = files.len();
    let bytes: u64 = stream::iter(files)
        .map(|(d, a)| {
            let client = client.clone();
            async move {
                client
                    .get(format!("{url}/documents/{d}/attachments/{a}"))
                    .bearer_auth("demo-token")
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap()
                    .len() as u64
            }
        })
        .buffer_unordered(PARALLEL)
        .fold(0, |acc, n| async move { acc + n })
        .await;
    (docs, bytes)
}

fn open(dir: &Path) -> Store {
    Store::open(
        dir,
        OpenOptions {
            keychain: KeychainMode::File,
            ..OpenOptions::default()
        },
    )
    .unwrap()
}

/// One synced document as the floor's stages need it, read back from our store (not timed).
struct Row {
    bytes: Vec<u8>,
    sha256: String,
    cms: Vec<u8>,
    text: String,
    operator_id: String,
}

/// The synced documents in order, `CHUNK` at a time.
const CHUNK: i64 = 256;

fn rows_after(c: &Connection, after: i64) -> Vec<(i64, Row)> {
    let mut st = c
        .prepare_cached(
            "SELECT d.id, b.bytes, d.content_sha256, s.cms, f.body, d.operator_id
             FROM documents d JOIN blobs b ON b.sha256 = d.content_sha256
             JOIN signatures s ON s.document_id = d.id AND s.party = 'sender'
             JOIN documents_fts f ON f.rowid = d.id
             WHERE d.id > ?1 ORDER BY d.id LIMIT ?2",
        )
        .unwrap();
    st.query_map([after, CHUNK], |r| {
        Ok((
            r.get(0)?,
            Row {
                bytes: r.get(1)?,
                sha256: r.get(2)?,
                cms: r.get(3)?,
                text: r.get(4)?,
                operator_id: r.get(5)?,
            },
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Runs `f` over `rows` on every core; the wall time.
fn on_every_core(rows: &[(i64, Row)], f: impl Fn(&Row) + Sync) -> Duration {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    std::thread::scope(|scope| {
        for part in rows.chunks(rows.len().div_ceil(threads).max(1)) {
            let f = &f;
            scope.spawn(move || part.iter().for_each(|(_, r)| f(r)));
        }
    });
    t.elapsed()
}

/// The floor's stages beside the HTTP transfers: one GOST verification per document with its
/// chain on every core, the same rows inserted raw; and the PDF text extraction alone. Beside
/// them, the search text in two steps as the sync now writes it (issue #17), raw: the rows with
/// the head of the text indexed and the tail kept; the tails appended to the same full-text rows
/// (the indexer's floor); and the tails in a second full-text table (the alternative design).
struct Stages {
    verify: Duration,
    extract: Duration,
    /// The extraction stopped after the head (the first pages).
    extract_head: Duration,
    inserts: Duration,
    head_inserts: Duration,
    tail_append: Duration,
    tail_second_table: Duration,
    /// The tails appended to the head's rows, no file read (the design chosen, FTS5 alone).
    tail_same_row: Duration,
    /// Documents whose text is longer than the head.
    tails: usize,
    documents: usize,
    /// Verdicts that passed (all of them: the seed's chain is trusted).
    passed: usize,
}

fn stages(synced: &mut Store, synced_dir: &Path) -> Stages {
    let read = Connection::open(synced_dir.join(qoltanba_core::store::DB_FILE)).unwrap();
    let first = rows_after(&read, 0);
    let now = qoltanba_core::clock::Clock::now(&qoltanba_core::clock::SystemClock);
    let mut run = synced.crl_run().unwrap();
    let certificates = vec![qoltanba_core::signature::cms_certificates(&first[0].1.cms)];
    let checks =
        qoltanba_core::trust::chain_checks_blocking(synced, now, vec![], &certificates, &mut run)
            .unwrap();
    let raw_dir = tempfile::tempdir().unwrap();
    drop(open(raw_dir.path()));
    let mut raw = Connection::open(raw_dir.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    raw.pragma_update(None, "journal_mode", "WAL").unwrap();
    raw.pragma_update(None, "synchronous", "NORMAL").unwrap();
    let split_dir = tempfile::tempdir().unwrap();
    drop(open(split_dir.path()));
    let mut split = Connection::open(split_dir.path().join(qoltanba_core::store::DB_FILE)).unwrap();
    split.pragma_update(None, "journal_mode", "WAL").unwrap();
    split.pragma_update(None, "synchronous", "NORMAL").unwrap();
    split
        .execute_batch(
            "CREATE VIRTUAL TABLE tail_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');
             CREATE VIRTUAL TABLE same_row_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');",
        )
        .unwrap();
    let mut s = Stages {
        verify: Duration::ZERO,
        extract: Duration::ZERO,
        extract_head: Duration::ZERO,
        inserts: Duration::ZERO,
        head_inserts: Duration::ZERO,
        tail_append: Duration::ZERO,
        tail_second_table: Duration::ZERO,
        tail_same_row: Duration::ZERO,
        tails: 0,
        documents: 0,
        passed: 0,
    };
    let s_passed = std::sync::atomic::AtomicUsize::new(0);
    let mut after = 0;
    loop {
        let rows = rows_after(&read, after);
        let Some((last, _)) = rows.last() else {
            break;
        };
        after = *last;
        s.documents += rows.len();
        s.verify += on_every_core(&rows, |r| {
            if checks.verify_detached(&r.cms, &r.bytes).passed() {
                s_passed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        s.extract += on_every_core(&rows, |r| {
            std::hint::black_box(qoltanba_core::import::pdf_text(&r.bytes).unwrap());
        });
        let head_only = qoltanba_core::import::PdfLimits {
            text_chars: HEAD_CHARS + 1,
            ..Default::default()
        };
        s.extract_head += on_every_core(&rows, |r| {
            std::hint::black_box(
                qoltanba_core::import::pdf_text_within(&r.bytes, &head_only).unwrap(),
            );
        });
        let t = Instant::now();
        for batch in rows.chunks(64) {
            let tx = raw.transaction().unwrap();
            for (i, r) in batch {
                tx.prepare_cached("INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)")
                    .unwrap()
                    .execute(rusqlite::params![r.sha256, r.bytes.len() as i64, r.bytes])
                    .unwrap();
                tx.prepare_cached("INSERT INTO documents (operator_id, origin, kind, number, title, status, content_sha256, received_at, received_ms, updated_at) VALUES (?1, 'operator', 'sales_report', ?1, 'Нагрузочный документ', 'received', ?2, 'now', ?3, 'now')").unwrap()
                    .execute(rusqlite::params![r.operator_id, r.sha256, i]).unwrap();
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO attachments (document_id, attachment_id, role, file_name, mime_type, size, sha256) VALUES (?1, 'main', 'main', 'load.pdf', 'application/pdf', ?2, ?3)").unwrap()
                    .execute(rusqlite::params![id, r.bytes.len() as i64, r.sha256]).unwrap();
                tx.prepare_cached("INSERT INTO signatures (document_id, party, attachment_id, signed_sha256, cms, created_at) VALUES (?1, 'sender', 'main', ?2, ?3, 'now')").unwrap()
                    .execute(rusqlite::params![id, r.sha256, r.cms]).unwrap();
                tx.prepare_cached("INSERT INTO documents_fts (rowid, title, number, counterparty, body) VALUES (?1, 'Нагрузочный документ', ?2, '', ?3)").unwrap()
                    .execute(rusqlite::params![id, r.operator_id, r.text]).unwrap();
                tx.prepare_cached("INSERT INTO history (seq, subject, at, actor, action, detail, prev_mac, mac) VALUES (?1, ?2, 'now', 'operator', 'received', '{}', 'x', 'y')").unwrap()
                    .execute(rusqlite::params![id, format!("document:{id}")]).unwrap();
            }
            tx.commit().unwrap();
        }
        s.inserts += t.elapsed();
        let (head, tail) = split_rows(&mut split, &rows);
        s.head_inserts += head;
        s.tail_append += tail;
        let (same_row, second) = tail_designs(&mut split, &rows);
        s.tail_same_row += same_row;
        s.tail_second_table += second;
        s.tails += rows
            .iter()
            .filter(|(_, r)| !split_head(&r.text, HEAD_CHARS).1.is_empty())
            .count();
    }
    s.passed = s_passed.into_inner();
    s
}

/// The same rows as the floor's raw inserts with the search text in two steps, as the sync and
/// the indexer write it: the head in the full-text row and a backlog row for a longer text (64
/// documents per transaction); then each longer file's text read again (our extractor, one
/// thread, as the indexer reads it) and put in place of the head, its backlog row deleted (64
/// per transaction). The two times.
fn split_rows(c: &mut Connection, rows: &[(i64, Row)]) -> (Duration, Duration) {
    let t = Instant::now();
    for batch in rows.chunks(64) {
        let tx = c.transaction().unwrap();
        for (i, r) in batch {
            let (head, tail) = split_head(&r.text, HEAD_CHARS);
            tx.prepare_cached("INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)")
                .unwrap()
                .execute(rusqlite::params![r.sha256, r.bytes.len() as i64, r.bytes])
                .unwrap();
            tx.prepare_cached("INSERT INTO documents (operator_id, origin, kind, number, title, status, content_sha256, received_at, received_ms, updated_at) VALUES (?1, 'operator', 'sales_report', ?1, 'Нагрузочный документ', 'received', ?2, 'now', ?3, 'now')").unwrap()
                .execute(rusqlite::params![r.operator_id, r.sha256, i]).unwrap();
            let id = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO attachments (document_id, attachment_id, role, file_name, mime_type, size, sha256) VALUES (?1, 'main', 'main', 'load.pdf', 'application/pdf', ?2, ?3)").unwrap()
                .execute(rusqlite::params![id, r.bytes.len() as i64, r.sha256]).unwrap();
            tx.prepare_cached("INSERT INTO signatures (document_id, party, attachment_id, signed_sha256, cms, created_at) VALUES (?1, 'sender', 'main', ?2, ?3, 'now')").unwrap()
                .execute(rusqlite::params![id, r.sha256, r.cms]).unwrap();
            tx.prepare_cached("INSERT INTO documents_fts (rowid, title, number, counterparty, body) VALUES (?1, 'Нагрузочный документ', ?2, '', ?3)").unwrap()
                .execute(rusqlite::params![id, r.operator_id, head]).unwrap();
            if !tail.is_empty() {
                tx.prepare_cached("INSERT INTO text_backlog (document_id, tail) VALUES (?1, NULL)")
                    .unwrap()
                    .execute([id])
                    .unwrap();
            }
            tx.prepare_cached("INSERT INTO history (seq, subject, at, actor, action, detail, prev_mac, mac) VALUES (?1, ?2, 'now', 'operator', 'received', '{}', 'x', 'y')").unwrap()
                .execute(rusqlite::params![id, format!("document:{id}")]).unwrap();
        }
        tx.commit().unwrap();
    }
    let head = t.elapsed();
    let t = Instant::now();
    let first = c
        .query_row("SELECT MIN(document_id) FROM text_backlog", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .unwrap()
        .unwrap_or(0);
    // The backlog's rows are the documents just inserted, in the same order as `rows`.
    let waiting: Vec<(i64, &Row)> = {
        let ids: Vec<i64> = c
            .prepare(
                "SELECT document_id FROM text_backlog WHERE document_id >= ?1 ORDER BY document_id",
            )
            .unwrap()
            .query_map([first], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let long: Vec<&Row> = rows
            .iter()
            .map(|(_, r)| r)
            .filter(|r| !split_head(&r.text, HEAD_CHARS).1.is_empty())
            .collect();
        ids.into_iter().zip(long).collect()
    };
    for batch in waiting.chunks(64) {
        let texts: Vec<String> = batch
            .iter()
            .map(|(_, r)| {
                qoltanba_core::import::pdf_text(&r.bytes)
                    .unwrap()
                    .replace('ё', "е")
                    .replace('Ё', "Е")
            })
            .collect();
        let tx = c.transaction().unwrap();
        for ((id, _), text) in batch.iter().zip(texts) {
            tx.prepare_cached("UPDATE documents_fts SET body = ?2 WHERE rowid = ?1")
                .unwrap()
                .execute(rusqlite::params![id, text])
                .unwrap();
            tx.prepare_cached("DELETE FROM text_backlog WHERE document_id = ?1")
                .unwrap()
                .execute([id])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    (head, t.elapsed())
}

/// The two designs for the tails, FTS5 alone (no file read), each 64 per transaction: appended
/// to the head's full-text row (chosen: a search stays one MATCH on one table, so a word of the
/// head and one of the tail find their document together), and rows of a second full-text table
/// (cheaper to write: the head is not indexed again, but a search would join the two tables word
/// by word). The two times.
fn tail_designs(c: &mut Connection, rows: &[(i64, Row)]) -> (Duration, Duration) {
    let heads: Vec<(i64, &str, &str)> = rows
        .iter()
        .map(|(i, r)| {
            let (head, tail) = split_head(&r.text, HEAD_CHARS);
            (*i, head, tail)
        })
        .filter(|(_, _, tail)| !tail.is_empty())
        .collect();
    let tx = c.transaction().unwrap();
    for (i, head, _) in &heads {
        tx.prepare_cached("INSERT INTO same_row_fts (rowid, body) VALUES (?1, ?2)")
            .unwrap()
            .execute(rusqlite::params![i, head])
            .unwrap();
    }
    tx.commit().unwrap();
    let t = Instant::now();
    for batch in heads.chunks(64) {
        let tx = c.transaction().unwrap();
        for (i, _, tail) in batch {
            tx.prepare_cached("UPDATE same_row_fts SET body = body || ?2 WHERE rowid = ?1")
                .unwrap()
                .execute(rusqlite::params![i, tail])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let same_row = t.elapsed();
    let t = Instant::now();
    for batch in heads.chunks(64) {
        let tx = c.transaction().unwrap();
        for (i, _, tail) in batch {
            tx.prepare_cached("INSERT INTO tail_fts (rowid, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(rusqlite::params![i, tail])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    (same_row, t.elapsed())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list
    }
    let n: usize = std::env::var("QOLTANBA_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let kb: usize = std::env::var("QOLTANBA_BENCH_KB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let quick = std::env::var("QOLTANBA_BENCH_QUICK").is_ok_and(|v| v == "1");
    let srv = server(n, kb);
    let url = srv.1.clone();
    let ca = std::fs::read(srv.2.join("testkeys").join("gost_ca.pem")).expect("the seed's GOST CA");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let t = Instant::now();
    let (files, raw_bytes) = rt.block_on(raw(&url));
    let raw_s = t.elapsed().as_secs_f64();

    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // The marketplace's CA trusted, as NCA's roots are: each signature's chain is checked to it.
    store.trust_add(&ca).unwrap();
    let op = HttpOperator::new(
        &url,
        Some(Token::new("demo-token").unwrap()),
        HttpSettings::default(),
    )
    .unwrap();
    let opts = SyncOptions {
        parallel: PARALLEL,
        ..SyncOptions::default()
    };
    let hwm_before = vm_hwm_kb();
    let t = Instant::now();
    let report = rt
        .block_on(sync(&mut store, &op, "bench", &opts, &mut |_| {}))
        .unwrap();
    let full_s = t.elapsed().as_secs_f64();
    let hwm_after = vm_hwm_kb();
    assert_eq!(report.added.len(), n);
    let waiting = store.text_backlog().unwrap().waiting;
    let t = Instant::now();
    let again = rt
        .block_on(sync(&mut store, &op, "bench", &opts, &mut |_| {}))
        .unwrap();
    let incr_s = t.elapsed().as_secs_f64();
    assert!(again.added.is_empty());

    // The tails, as the window's background indexer works through them after a sync (its
    // default budget: 64 documents, 512 K characters or 100 ms per batch, 2 ms between).
    let t = Instant::now();
    let tail = index_backlog(&mut store, &BacklogBudget::default(), || true).unwrap();
    let tail_s = t.elapsed().as_secs_f64();
    let hwm_tail = vm_hwm_kb();
    assert_eq!((tail.indexed, tail.set_aside, tail.left), (waiting, 0, 0));

    // The same full sync without search text, to show what extracting and indexing it costs.
    let plain_s = (!quick).then(|| {
        let plain_dir = tempfile::tempdir().unwrap();
        let mut plain_store = open(plain_dir.path());
        plain_store.trust_add(&ca).unwrap();
        let plain_opts = SyncOptions {
            search_text: false,
            ..opts.clone()
        };
        let t = Instant::now();
        rt.block_on(sync(
            &mut plain_store,
            &op,
            "bench",
            &plain_opts,
            &mut |_| {},
        ))
        .unwrap();
        t.elapsed().as_secs_f64()
    });

    // The floor's other stages, after the memory figure (they hold a chunk of documents).
    let st = stages(&mut store, dir.path());
    assert_eq!(st.documents, n);
    let floor_s = raw_s + st.verify.as_secs_f64() + st.inserts.as_secs_f64();
    let us = |s: f64| s * 1e6 / n as f64;

    let mb = report.progress.bytes as f64 / 1_048_576.0;
    let raw_mb = raw_bytes as f64 / 1_048_576.0;
    println!("operator sync, {n} documents ({files} files), parallelism {PARALLEL}, loopback, GOST-2015-512 sender signatures with their chain");
    println!(
        "  full sync:        {full_s:8.2} s  {:8.0} documents/s  {:7.1} MB/s  ({mb:.0} MB)  {:7.0} µs per document",
        n as f64 / full_s,
        mb / full_s,
        us(full_s)
    );
    println!(
        "  floor:            {floor_s:8.2} s  {:8.0} documents/s  {:7.0} µs per document (the sum of the three stages below)",
        n as f64 / floor_s,
        us(floor_s)
    );
    println!(
        "    HTTP transfers:   {raw_s:8.2} s  {:7.0} µs per document  {:7.1} MB/s  (reqwest: list + GET, nothing checked or stored)",
        us(raw_s),
        raw_mb / raw_s
    );
    println!(
        "    GOST verification:{:8.2} s  {:7.0} µs per document  (with its chain, on every core; {} of {n} passed)",
        st.verify.as_secs_f64(),
        us(st.verify.as_secs_f64()),
        st.passed
    );
    println!(
        "    raw inserts:      {:8.2} s  {:7.0} µs per document  (the same rows and search text, plain rusqlite, 64 per transaction)",
        st.inserts.as_secs_f64(),
        us(st.inserts.as_secs_f64())
    );
    println!(
        "  not in the floor: PDF text extraction {:.2} s, {:.0} µs per document (on every core)",
        st.extract.as_secs_f64(),
        us(st.extract.as_secs_f64())
    );
    println!(
        "    of the head only: {:.2} s, {:.0} µs per document (the extraction stopped after {} characters)",
        st.extract_head.as_secs_f64(),
        us(st.extract_head.as_secs_f64()),
        HEAD_CHARS + 1
    );
    println!("  ratio ours/floor (rate): {:.2}", floor_s / full_s);
    let head_floor_s = raw_s + st.verify.as_secs_f64() + st.head_inserts.as_secs_f64();
    println!(
        "  floor, head only:  {head_floor_s:8.2} s  {:8.0} documents/s  (the same stages, the raw inserts with the head of the text indexed and a backlog row for a longer text, {:.0} µs per document: what the sync now writes); ratio {:.2}",
        n as f64 / head_floor_s,
        us(st.head_inserts.as_secs_f64()),
        head_floor_s / full_s
    );
    if tail.indexed == 0 {
        println!("  tail indexing:    none (no text is longer than its head)");
    } else {
        println!(
            "  tail indexing:    {tail_s:8.2} s  {:8.0} documents/s  {:7.0} µs per document  ({} of {n} documents had a tail, {:.1} M characters, {} batches; after the sync, off its path)",
            tail.indexed as f64 / tail_s,
            tail_s * 1e6 / tail.indexed.max(1) as f64,
            tail.indexed,
            tail.chars as f64 / 1e6,
            tail.batches
        );
        println!(
            "    raw floor:        {:8.2} s  {:8.0} documents/s  {:7.0} µs per document  (the same files' text read again on one thread and put in the same rows, plain rusqlite, 64 per transaction); ratio {:.2}",
            st.tail_append.as_secs_f64(),
            st.tails as f64 / st.tail_append.as_secs_f64(),
            st.tail_append.as_secs_f64() * 1e6 / st.tails.max(1) as f64,
            st.tail_append.as_secs_f64() / tail_s
        );
        println!(
            "    FTS5 alone, raw:  {:7.0} µs per document with the tail appended to the head's row (chosen) against {:.0} µs in a second full-text table (a search would join the two word by word)",
            st.tail_same_row.as_secs_f64() * 1e6 / st.tails.max(1) as f64,
            st.tail_second_table.as_secs_f64() * 1e6 / st.tails.max(1) as f64
        );
    }
    println!(
        "  sync + tail:      {:8.2} s  {:8.0} documents/s  (everything searchable)",
        full_s + tail_s,
        n as f64 / (full_s + tail_s)
    );
    if let Some(plain_s) = plain_s {
        println!(
            "  without text:     {plain_s:8.2} s  {:8.0} documents/s  {:7.0} µs per document (no PDF text extraction for search)",
            n as f64 / plain_s,
            us(plain_s)
        );
    }
    println!(
        "  incremental sync: {:8.1} ms to \"up to date\" (nothing new)",
        incr_s * 1000.0
    );
    println!(
        "  peak memory:      {:8.1} MB VmHWM (before the sync {:.1} MB; after the tail indexing {:.1} MB)",
        hwm_after as f64 / 1024.0,
        hwm_before as f64 / 1024.0,
        hwm_tail as f64 / 1024.0
    );
    let db = std::fs::metadata(dir.path().join(qoltanba_core::store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("  store size:       {:8.1} MB", db as f64 / 1_048_576.0);

    let full = format!(
        "full first sync, {kb} KB per document, GOST-signed (the head of each text indexed)"
    );
    let tail_figure = format!("tail indexing after the sync, {kb} KB per document");
    let whole = format!("sync + tail indexing, {kb} KB per document (all text searchable)");
    let floor = "HTTP transfers + one GOST verification per document + the same rows inserted raw (sum of the stages)";
    let docs_s = |s: f64| n as f64 / s;
    let mut figures = vec![
        Figure {
            area: "sync",
            figure: &full,
            documents: Some(n),
            ours: docs_s(full_s),
            floor: Some((docs_s(floor_s), floor)),
            unit: "documents/s",
            better: Better::Higher,
            aim: Some(600.0),
        },
        Figure {
            area: "sync",
            figure: "incremental sync, nothing new",
            documents: Some(n),
            ours: incr_s * 1000.0,
            floor: None,
            unit: "ms",
            better: Better::Lower,
            aim: Some(100.0),
        },
        Figure {
            area: "sync",
            figure: "peak memory of the syncing process (VmHWM)",
            documents: Some(n),
            ours: hwm_after as f64 / 1024.0,
            floor: Some((
                hwm_before as f64 / 1024.0,
                "the same process before the sync",
            )),
            unit: "MB",
            better: Better::Lower,
            aim: None,
        },
    ];
    if tail.indexed > 0 {
        figures.push(Figure {
            area: "sync",
            figure: &tail_figure,
            documents: Some(tail.indexed as usize),
            ours: tail.indexed as f64 / tail_s,
            floor: Some((
                st.tails as f64 / st.tail_append.as_secs_f64(),
                "the same files' text read again (one thread) and put in the same full-text rows, plain rusqlite",
            )),
            unit: "documents/s",
            better: Better::Higher,
            aim: None,
        });
    }
    figures.push(Figure {
        area: "sync",
        figure: &whole,
        documents: Some(n),
        ours: docs_s(full_s + tail_s),
        floor: Some((docs_s(floor_s), floor)),
        unit: "documents/s",
        better: Better::Higher,
        aim: None,
    });
    let plain = format!("full first sync without search text, {kb} KB per document, GOST-signed");
    if let Some(plain_s) = plain_s {
        figures.push(Figure {
            area: "sync",
            figure: &plain,
            documents: Some(n),
            ours: docs_s(plain_s),
            floor: Some((docs_s(floor_s), floor)),
            unit: "documents/s",
            better: Better::Higher,
            aim: None,
        });
    }
    for f in &figures {
        f.print();
    }
}
