//! Store benchmark (issue #2): import rate, the inbox's first page with a status filter, a
//! full-text search, and verify-history over 1,000,000 entries, each beside the raw SQLite floor:
//! the same queries through rusqlite with nothing of ours around them, in the same run. The
//! import's floor (issue #17) is that plus the PDFs' text extraction alone, which no import can
//! skip; the PDFs vary in fonts and layout so that no cache serves them all.
//!
//! `cargo bench --workspace --locked --features qoltanba-core/test-gost-signer --bench store`
//! (release; the flags `./dev.sh benchmarks` uses). The 100,000-document store is built once
//! into target/bench-store and reused; delete it to rebuild. QOLTANBA_BENCH_DOCS changes the
//! size.

#[path = "../../../benches/report_line.rs"]
mod report_line;
#[path = "../tests/support/mod.rs"]
mod support;

use report_line::{Better, Figure};

use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::*;
use qoltanba_core::store::search::{Query, Tab};
use qoltanba_core::store::{sha256_hex, NewDocument, NewSignature, DB_FILE};
use qoltanba_core::{OpenOptions, Store};
use rusqlite::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

fn opts() -> OpenOptions {
    OpenOptions {
        keychain: KeychainMode::File,
        ..OpenOptions::default()
    }
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)]),
    )
}

fn time_n(n: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f();
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect()
}

const KINDS: [DocumentKind; 8] = [
    DocumentKind::SalesReport,
    DocumentKind::PlacementServicesAct,
    DocumentKind::OtherServicesAct,
    DocumentKind::PointsBonusAct,
    DocumentKind::GoodsCompensationAct,
    DocumentKind::ServicesCompensationAct,
    DocumentKind::GoodsDecompensationAct,
    DocumentKind::ReconciliationAct,
];

fn new_doc(i: usize) -> NewDocument {
    let kind = KINDS[i % KINDS.len()];
    let number = format!("OZ-{:07}", i);
    let bytes = format!("%PDF-1.4 generated {i}\n%%EOF\n").into_bytes();
    let mut f = DocumentFields::new(kind, format!("{} № {number}", kind.name(Lang::Ru)));
    f.number = Some(number);
    f.date = Some(format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
    f.amount = Some(Money((i as i64 * 7919) % 100_000_000));
    f.sender = Some(Party {
        bin: "201040012345".into(),
        name: "ТОО «Маркетплейс»".into(),
    });
    f.recipient = Some(Party {
        bin: "123456789021".into(),
        name: "ТОО «Продавец»".into(),
    });
    let a = Attachment {
        id: "att_1".into(),
        role: AttachmentRole::Main,
        file_name: "doc.pdf".into(),
        mime_type: "application/pdf".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(&bytes),
    };
    NewDocument {
        operator_id: Some(format!("doc_{i}")),
        origin: Origin::Operator,
        fields: f,
        attachments: vec![(a, bytes)],
        text: format!(
            "Итого к перечислению {i} тенге. Комиссия маркетплейса. Реализация товара партия {}",
            i % 977
        ),
        text_note: None,
        sender_signatures: vec![],
    }
}

/// Walks a document through thirteen history entries: received … delivered after two failed sends.
fn lifecycle(s: &mut Store, id: DocumentId) {
    s.apply(id, Action::View, None).unwrap();
    s.apply(id, Action::Accept, None).unwrap();
    let d = s.document(id).unwrap();
    let sig = NewSignature {
        attachment_id: Some("att_1".into()),
        signed_sha256: d.content_sha256,
        cms: vec![0x30, 0],
        signer: None,
        verdict: None,
    };
    s.record_own_signature(id, sig, serde_json::json!({}))
        .unwrap();
    for a in [
        Action::MarkSent,
        Action::MarkFailed,
        Action::Retry,
        Action::MarkSent,
        Action::MarkFailed,
        Action::Retry,
        Action::MarkSent,
        Action::MarkDelivered,
    ] {
        s.apply(id, a, None).unwrap();
    }
}

fn build(dir: &Path, n: usize) {
    let t = Instant::now();
    let mut s = Store::open(dir, opts()).unwrap();
    for i in 0..n {
        let (id, _) = s.add_document(new_doc(i)).unwrap();
        // 90% of a year's documents are done; the rest wait in the inbox.
        if i % 10 != 0 {
            lifecycle(&mut s, id);
        }
        if i % 10_000 == 0 {
            eprintln!(
                "  built {i}/{n} documents ({:.0} s)",
                t.elapsed().as_secs_f64()
            );
        }
    }
}

/// A folder of `n` small PDFs imported as a user would (`import_paths`), beside the floor: the
/// same rows (with the same text) written by plain rusqlite in the same transaction pattern (one
/// per 64 files), plus the text extraction alone on as many threads as the import uses. The
/// PDFs differ in fonts, encodings, CMaps and layout (tests/support/varied_pdf.rs), so no cache
/// of a font's decoding can serve them all.
fn import_rate(n: usize) -> Import {
    let src = tempfile::tempdir().unwrap();
    let pdfs: Vec<Vec<u8>> = (0..n)
        .map(|i| support::varied_pdf::varied_pdf(i, &format!("IMP-{i}")))
        .collect();
    for (i, p) in pdfs.iter().enumerate() {
        std::fs::write(src.path().join(format!("report-{i:05}.pdf")), p).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path(), opts()).unwrap();
    let t = Instant::now();
    let out = qoltanba_core::import::import_paths(&mut s, &[src.path().to_path_buf()]).unwrap();
    let ours = t.elapsed();
    assert!(out
        .iter()
        .all(|o| o.imported.as_ref().is_some_and(|i| i.new)));

    // Extraction alone: every file read and its text extracted, on the import's threads.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let t = Instant::now();
    let texts: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let src = src.path();
                scope.spawn(move || {
                    (k..n)
                        .step_by(threads)
                        .map(|i| {
                            let bytes =
                                std::fs::read(src.join(format!("report-{i:05}.pdf"))).unwrap();
                            (i, qoltanba_core::import::pdf_text(&bytes).unwrap())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, String)> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, t)| t).collect()
    });
    let extraction = t.elapsed();

    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path(), opts()).unwrap());
    let mut c = Connection::open(dir.path().join(DB_FILE)).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "NORMAL").unwrap();
    let t = Instant::now();
    for (b, batch) in pdfs.chunks(64).enumerate() {
        let tx = c.transaction().unwrap();
        for (j, p) in batch.iter().enumerate() {
            let i = b * 64 + j;
            let p = std::fs::read(src.path().join(format!("report-{i:05}.pdf")))
                .unwrap_or_else(|_| p.clone());
            let h = sha256_hex(&p);
            tx.execute(
                "INSERT INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)",
                rusqlite::params![h, p.len() as i64, p],
            )
            .unwrap();
            tx.execute("INSERT INTO documents (origin, kind, number, title, status, content_sha256, received_at, received_ms, updated_at) VALUES ('import', 'sales_report', ?1, 'Отчёт', 'received', ?2, 'now', ?3, 'now')", rusqlite::params![format!("IMP-{i}"), h, i as i64]).unwrap();
            let id = tx.last_insert_rowid();
            tx.execute("INSERT INTO attachments (document_id, attachment_id, role, file_name, mime_type, size, sha256) VALUES (?1, 'main', 'main', 'report.pdf', 'application/pdf', ?2, ?3)", rusqlite::params![id, p.len() as i64, h]).unwrap();
            tx.execute("INSERT INTO documents_fts (rowid, title, number, counterparty, body) VALUES (?1, 'Отчёт', ?2, '', ?3)", rusqlite::params![id, format!("IMP-{i}"), texts[i]]).unwrap();
            tx.execute("INSERT INTO history (seq, subject, at, actor, action, detail, prev_mac, mac) VALUES (?1, ?2, 'now', 'user', 'received', '{}', 'x', 'y')", rusqlite::params![id, format!("document:{id}")]).unwrap();
        }
        tx.commit().unwrap();
    }
    let inserts = t.elapsed();
    Import {
        n,
        ours,
        extraction,
        inserts,
        threads,
    }
}

/// The import's times: ours, and the floor's two parts.
struct Import {
    n: usize,
    ours: Duration,
    extraction: Duration,
    inserts: Duration,
    threads: usize,
}

impl Import {
    fn rate(&self, d: Duration) -> f64 {
        self.n as f64 / d.as_secs_f64()
    }

    fn per_doc_us(&self, d: Duration) -> f64 {
        d.as_secs_f64() * 1e6 / self.n as f64
    }
}

fn main() {
    let n: usize = std::env::var("QOLTANBA_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-store")
        .join(n.to_string());
    if !dir.join(DB_FILE).exists() || !dir.join("complete").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "Building a store of {n} documents in {} (once)…",
            dir.display()
        );
        build(&dir, n);
        std::fs::write(dir.join("complete"), b"").unwrap();
    }
    let s = Store::open(&dir, opts()).unwrap();
    let raw = Connection::open(dir.join(DB_FILE)).unwrap();
    let docs: i64 = raw
        .query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    let entries: i64 = raw
        .query_row("SELECT COUNT(*) FROM history", [], |r| r.get(0))
        .unwrap();
    println!("store: {docs} documents, {entries} history entries");

    let imp = import_rate(2_000);
    let floor_time = imp.extraction + imp.inserts;
    let (ours, floor) = (imp.rate(imp.ours), imp.rate(floor_time));
    println!(
        "import (2,000 varied small PDFs, parsed and indexed): {ours:.0} documents/s ({:.0} µs each); floor {floor:.0}/s ({:.0} µs each = text extraction alone {:.0} µs on {} threads + raw SQLite inserts {:.0} µs); ours/floor rate = {:.2}",
        imp.per_doc_us(imp.ours),
        imp.per_doc_us(floor_time),
        imp.per_doc_us(imp.extraction),
        imp.threads,
        imp.per_doc_us(imp.inserts),
        ours / floor
    );
    Figure {
        area: "store",
        figure: "import of 2,000 small PDFs (parse, recognise, index, history)",
        documents: None,
        ours,
        floor: Some((
            floor,
            "text extraction alone plus raw SQLite inserts of the same rows",
        )),
        unit: "documents/s",
        better: Better::Higher,
        aim: Some(2500.0),
    }
    .print();

    let inbox = Query {
        statuses: Tab::NeedsAction.statuses(),
        limit: Some(50),
        ..Default::default()
    };
    let ours = time_n(200, || {
        assert_eq!(s.list(&inbox).unwrap().documents.len(), 50);
    });
    let floor_sql = "SELECT * FROM documents WHERE status IN ('received','viewed','send_failed') ORDER BY id DESC LIMIT 51";
    let floor = time_n(200, || {
        let mut st = raw.prepare_cached(floor_sql).unwrap();
        let n = st.query_map([], |r| r.get::<_, i64>(0)).unwrap().count();
        assert_eq!(n, 51);
    });
    report(
        n,
        "inbox first page (status filter, 50 rows)",
        ours,
        floor,
        5.0,
    );

    let search = Query {
        text: Some("реализац партия".into()),
        limit: Some(50),
        ..Default::default()
    };
    let ours = time_n(100, || {
        assert!(!s.list(&search).unwrap().documents.is_empty());
    });
    let floor_sql = "SELECT d.* FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH '\"реализац\"* AND \"партия\"*' ORDER BY documents_fts.rowid DESC LIMIT 51";
    let floor = time_n(100, || {
        let mut st = raw.prepare_cached(floor_sql).unwrap();
        assert!(st.query_map([], |r| r.get::<_, i64>(0)).unwrap().count() > 0);
    });
    report(
        n,
        "full-text search («реализац партия», 50 rows)",
        ours,
        floor,
        20.0,
    );

    let ours = time_n(3, || {
        assert!(s.verify_history().unwrap().intact);
    });
    // The floor: the same rows read and the same HMACs computed and compared, nothing of ours
    // around them; on one thread, and on every core (a range of seq per thread, each on its own
    // connection).
    let key = history_key(&dir);
    let floor = time_n(3, || assert_eq!(raw_chain(&dir, &key, 1), entries));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let floor_all = time_n(3, || assert_eq!(raw_chain(&dir, &key, threads), entries));
    let (fm_all, _) = stats(floor_all);
    println!(
        "verify-history floor on {threads} threads (the same raw loop, a range of seq per thread): median {fm_all:.3} ms"
    );
    // The entries' count is on the "store:" line above; the figure's name stays the same at
    // every size so the report can line the sizes up.
    report_with(
        n,
        "verify-history (the whole chain)",
        ours.clone(),
        floor,
        2000.0,
        "reading the same rows and computing the same HMACs with plain rusqlite and hmac, one thread",
    );
    let (om, _) = stats(ours);
    Figure {
        area: "store",
        figure: "verify-history (the whole chain) beside the all-cores raw loop, median",
        documents: Some(n),
        ours: om,
        floor: Some((
            fm_all,
            "the same raw loop on every core, a range of seq per thread",
        )),
        unit: "ms",
        better: Better::Lower,
        aim: None,
    }
    .print();
}

/// The installation's history key (the benchmark's store keeps it in history.key, as hex).
fn history_key(dir: &Path) -> Vec<u8> {
    let hexed = std::fs::read_to_string(dir.join("history.key")).expect("history.key");
    hex::decode(hexed.trim()).expect("hex key")
}

/// Reads every history row and checks its HMAC (the chain's own format: a domain, the seq, then
/// each field length-prefixed, absent ones as u64::MAX) on `threads` threads; the entries read.
fn raw_chain(dir: &Path, key: &[u8], threads: usize) -> i64 {
    use hmac::{Hmac, Mac};
    type H = Hmac<sha2::Sha256>;
    let path = dir.join(DB_FILE);
    let last: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT MAX(seq) FROM history", [], |r| r.get(0))
        .unwrap();
    let per = last / threads as i64 + 1;
    std::thread::scope(|scope| {
        let parts: Vec<_> = (0..threads as i64)
            .map(|t| {
                let path = &path;
                scope.spawn(move || {
                    let c = Connection::open_with_flags(
                        path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                    )
                    .unwrap();
                    let keyed = H::new_from_slice(key).unwrap();
                    let mut st = c.prepare("SELECT seq, subject, at, actor, action, from_status, to_status, reason, detail, prev_mac, mac FROM history WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq").unwrap();
                    let mut rows = st.query([t * per + 1, (t + 1) * per]).unwrap();
                    let mut n = 0i64;
                    let mut hexed = [0u8; 64];
                    while let Some(r) = rows.next().unwrap() {
                        let mut m = keyed.clone();
                        m.update(b"qoltanba-history-v1");
                        m.update(&r.get::<_, i64>(0).unwrap().to_be_bytes());
                        for i in 1..10 {
                            match r.get_ref(i).unwrap().as_str_or_null().unwrap() {
                                Some(v) => {
                                    m.update(&(v.len() as u64).to_be_bytes());
                                    m.update(v.as_bytes());
                                }
                                None => m.update(&u64::MAX.to_be_bytes()),
                            }
                        }
                        hex::encode_to_slice(m.finalize().into_bytes(), &mut hexed).unwrap();
                        assert_eq!(&hexed[..], r.get_ref(10).unwrap().as_bytes().unwrap());
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        parts.into_iter().map(|p| p.join().unwrap()).sum()
    })
}

/// Prints the medians and p95s of ours and the floor, and the figure's report line (medians).
fn report(n: usize, what: &str, ours: Vec<Duration>, floor: Vec<Duration>, aim_ms: f64) {
    report_with(
        n,
        what,
        ours,
        floor,
        aim_ms,
        "the same SQL through rusqlite, nothing of ours",
    )
}

fn report_with(
    n: usize,
    what: &str,
    ours: Vec<Duration>,
    floor: Vec<Duration>,
    aim_ms: f64,
    floor_is: &str,
) {
    let (om, op) = stats(ours);
    let (fm, fp) = stats(floor);
    println!("{what}: ours median {om:.3} ms, p95 {op:.3} ms; raw SQLite floor median {fm:.3} ms, p95 {fp:.3} ms; ours/floor = {:.2}", om / fm);
    Figure {
        area: "store",
        figure: &format!("{what}, median"),
        documents: Some(n),
        ours: om,
        floor: Some((fm, floor_is)),
        unit: "ms",
        better: Better::Lower,
        aim: Some(aim_ms),
    }
    .print();
}
