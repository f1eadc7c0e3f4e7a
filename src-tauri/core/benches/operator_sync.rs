//! Sync throughput: a full first sync of N documents (default 10,000 with a 50 KB main file each,
//! `qoltanba-operator --seed N`) from the real server in its own process on loopback, then an
//! incremental sync with nothing new; beside it the floor: the same listing and the same files
//! fetched with plain reqwest at the same parallelism, nothing checked or stored. Peak memory is
//! this process's VmHWM (the server runs apart, so it is the client's alone).
//!
//! `cargo bench -p qoltanba-core --bench operator_sync` (QOLTANBA_BENCH_DOCS=N to change N,
//! QOLTANBA_BENCH_KB the main file's size; QOLTANBA_BENCH_QUICK=1 skips the run without search
//! text, for the report's growth series). The seeded server data is kept in
//! target/bench-operator-N-KB so later runs skip seeding.

#[path = "../../../benches/report_line.rs"]
mod report_line;

use report_line::{Better, Figure};

use futures_util::stream::{self, StreamExt};
use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::operator::{sync, HttpOperator, HttpSettings, SyncOptions, Token};
use qoltanba_core::{OpenOptions, Store};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const PARALLEL: usize = 8;

struct Server(Child, String);

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
    let ok = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "-p",
            "qoltanba-operator",
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
        .join(format!("bench-operator-{n}-{kb}"));
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
    let mut s = Server(child, String::new());
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let t = Instant::now();
    let (files, raw_bytes) = rt.block_on(raw(&url));
    let raw_s = t.elapsed().as_secs_f64();

    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
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

    let t = Instant::now();
    let again = rt
        .block_on(sync(&mut store, &op, "bench", &opts, &mut |_| {}))
        .unwrap();
    let incr_s = t.elapsed().as_secs_f64();
    assert!(again.added.is_empty());

    // The same full sync without search text, to show what extracting it costs.
    let plain_s = (!quick).then(|| {
        let plain_dir = tempfile::tempdir().unwrap();
        let mut plain_store = open(plain_dir.path());
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

    let mb = report.progress.bytes as f64 / 1_048_576.0;
    let raw_mb = raw_bytes as f64 / 1_048_576.0;
    println!("operator sync, {n} documents ({files} files), parallelism {PARALLEL}, loopback");
    println!(
        "  full sync:        {full_s:8.2} s  {:8.0} documents/s  {:7.1} MB/s  ({mb:.0} MB)",
        n as f64 / full_s,
        mb / full_s
    );
    println!(
        "  raw floor:        {raw_s:8.2} s  {:8.0} documents/s  {:7.1} MB/s  (reqwest: list + GET, nothing checked or stored)",
        n as f64 / raw_s,
        raw_mb / raw_s
    );
    if let Some(plain_s) = plain_s {
        println!(
            "  without text:     {plain_s:8.2} s  {:8.0} documents/s  (no PDF text extraction for search)",
            n as f64 / plain_s
        );
        println!("  without text/raw: {:8.2}x", plain_s / raw_s);
    }
    println!("  ratio full/raw:   {:8.2}x", full_s / raw_s);
    println!(
        "  incremental sync: {:8.1} ms to \"up to date\" (nothing new)",
        incr_s * 1000.0
    );
    println!(
        "  peak memory:      {:8.1} MB VmHWM (before the sync {:.1} MB)",
        hwm_after as f64 / 1024.0,
        hwm_before as f64 / 1024.0
    );
    let db = std::fs::metadata(dir.path().join(qoltanba_core::store::DB_FILE))
        .map(|m| m.len())
        .unwrap_or(0);
    println!("  store size:       {:8.1} MB", db as f64 / 1_048_576.0);

    let full = format!("full first sync, {kb} KB per document");
    let floor = "plain reqwest: list + GET the same bytes, nothing checked or stored";
    let docs_s = |s: f64| n as f64 / s;
    let mut figures = vec![
        Figure {
            area: "sync",
            figure: &full,
            documents: Some(n),
            ours: docs_s(full_s),
            floor: Some((docs_s(raw_s), floor)),
            unit: "documents/s",
            better: Better::Higher,
            aim: Some(500.0),
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
    let plain = format!("full first sync without search text, {kb} KB per document");
    if let Some(plain_s) = plain_s {
        figures.push(Figure {
            area: "sync",
            figure: &plain,
            documents: Some(n),
            ours: docs_s(plain_s),
            floor: Some((docs_s(raw_s), floor)),
            unit: "documents/s",
            better: Better::Higher,
            aim: None,
        });
    }
    for f in &figures {
        f.print();
    }
}
