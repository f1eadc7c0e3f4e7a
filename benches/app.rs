//! The desktop app's benchmark (issue #5), under Xvfb, with 100,000 documents in the store:
//! - start: process start → the first inbox painted (the page reports it, `inbox_painted`),
//!   median of 5, paired run by run with the floor, the bare Tauri window of the same binary
//!   loading an empty page (QOLTANBA_BARE_WINDOW);
//! - opening a 50-page PDF (click → first page painted by pdf.js), in the page's own clock;
//! - scrolling the whole inbox to its 100,000th row (pages of 200 fetched as the list nears its end);
//! - resident memory of the app and its WebKit processes after that.
//!
//! `./dev.sh bench-app` (builds the UI, then `cargo bench --bench app`). The store is built once
//! into target/tmp/app-100k and reused; QOLTANBA_BENCH_DOCS changes the size.

#[path = "report_line.rs"]
mod report_line;
#[path = "../tests/e2e/window.rs"]
#[allow(dead_code)]
mod window;
#[path = "../tests/e2e/xvfb.rs"]
mod xvfb;

use report_line::{Better, Figure};

use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::*;
use qoltanba_core::store::{sha256_hex, NewDocument};
use qoltanba_core::{OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIG_PDF_NUMBER: &str = "BIG-50";

fn docs_wanted() -> usize {
    std::env::var("QOLTANBA_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

fn party(bin: &str, name: &str) -> Party {
    Party {
        bin: bin.into(),
        name: name.into(),
    }
}

fn new_doc(i: usize, number: String, bytes: Vec<u8>) -> NewDocument {
    const KINDS: [DocumentKind; 4] = [
        DocumentKind::SalesReport,
        DocumentKind::PlacementServicesAct,
        DocumentKind::OtherServicesAct,
        DocumentKind::ReconciliationAct,
    ];
    let kind = KINDS[i % KINDS.len()];
    let mut f = DocumentFields::new(kind, format!("{} № {number}", kind.name(Lang::Ru)));
    f.number = Some(number);
    f.date = Some(format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
    f.amount = Some(Money((i as i64 * 7919) % 100_000_000));
    f.sender = Some(party("201040012345", "ТОО «Маркетплейс»"));
    f.recipient = Some(party("123456789021", "ТОО «Продавец»"));
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
        text: format!("Итого к перечислению {i} тенге"),
        text_note: None,
        sender_signatures: vec![],
    }
}

/// A 50-page report in the operator's printed form (embedded Cyrillic font).
fn fifty_page_pdf() -> Vec<u8> {
    use qoltanba_operator::seed::pdf;
    let font = pdf::load_font().expect("a Cyrillic font (fonts-dejavu-core)");
    let lines = (1..=48 * 50)
        .map(|i| {
            format!(
                "{i}. Товар артикул {i:06}: продано 3 шт. по 4 500,00 ₸, комиссия 12% — 1 620,00 ₸"
            )
        })
        .collect();
    let sheet = pdf::Sheet {
        title: format!("Отчёт о реализации товара № {BIG_PDF_NUMBER}"),
        lines,
    };
    pdf::render(&sheet, &font, BIG_PDF_NUMBER)
}

/// The 100,000-document store (all waiting for action), built once and reused.
fn store(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("app-{n}"));
    let done = dir.join("built");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let opts = OpenOptions {
        keychain: KeychainMode::File,
        ..OpenOptions::default()
    };
    let mut s = Store::open(&dir, opts).unwrap();
    s.add_document(new_doc(n, BIG_PDF_NUMBER.into(), fifty_page_pdf()))
        .unwrap();
    for chunk in (0..n - 1).collect::<Vec<_>>().chunks(1000) {
        let docs: Vec<NewDocument> = chunk
            .iter()
            .map(|&i| {
                let bytes = format!("%PDF-1.4 generated {i}\n%%EOF\n").into_bytes();
                new_doc(i, format!("OZ-{i:07}"), bytes)
            })
            .collect();
        for r in s.add_documents(&docs).unwrap() {
            r.unwrap();
        }
    }
    std::fs::write(&done, b"").unwrap();
    eprintln!(
        "built a store of {n} documents in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    dir
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// One start of the program until it exits by itself; wall milliseconds.
fn timed_start(display: &str, env: (&str, &str), data: &Path) -> f64 {
    let t = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .env("DISPLAY", display)
        .env("QOLTANBA_KEYCHAIN", "file")
        .env(env.0, env.1)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && (said.contains("painted") || said.contains("loaded")),
        "the start did not finish: {said}"
    );
    ms
}

/// Resident memory (kB) of a process and all its descendants (WebKit's web and network processes),
/// with each process's own share by name.
fn tree_rss_kb(root: u32) -> (u64, Vec<(String, u64)>) {
    let mut total = 0;
    let mut each = Vec::new();
    let mut stack = vec![root];
    let procs: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let after = &stat[stat.rfind(')')? + 2..];
            let ppid = after.split(' ').nth(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    while let Some(pid) = stack.pop() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            let kb = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
            let name = status
                .lines()
                .find_map(|l| l.strip_prefix("Name:"))
                .unwrap_or("?")
                .trim()
                .to_string();
            total += kb;
            each.push((name, kb / 1024));
        }
        stack.extend(procs.iter().filter(|(_, pp)| *pp == pid).map(|(p, _)| *p));
    }
    (total, each)
}

/// The app's process: the qoltanba started with this data folder.
fn app_pid(data: &Path) -> u32 {
    let want = data.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| {
                    let c = String::from_utf8_lossy(&c);
                    c.contains(&want) && c.split('\0').next().unwrap_or("").ends_with("qoltanba")
                })
                .unwrap_or(false)
        })
        .expect("the app's process")
}

const OPEN_PDF_JS: &str = r#"
const done = arguments[arguments.length - 1];
const row = [...document.querySelectorAll('.document-row-main')].find((b) => b.textContent.includes(arguments[0]));
if (!row) { done(-1); return; }
const t0 = performance.now();
row.click();
(function check() {
  if (document.querySelector("canvas[data-painted='1']")) done(performance.now() - t0);
  else requestAnimationFrame(check);
})();
"#;

const SCROLL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const want = arguments[0], rowHeight = arguments[1];
const list = document.querySelector('.virtual-list');
const t0 = performance.now();
let frames = 0;
(function step() {
  list.scrollTop = list.scrollHeight;
  frames++;
  const rows = Math.round(list.scrollHeight / rowHeight);
  if (rows >= want && list.scrollTop + list.clientHeight >= list.scrollHeight - 2) done([performance.now() - t0, rows, frames]);
  else if (performance.now() - t0 > 600000) done([-1, rows, frames]);
  else requestAnimationFrame(step);
})();
"#;

#[tokio::main]
async fn main() {
    let n = docs_wanted();
    let data = store(n);
    let display = xvfb::Display::start();
    println!(
        "qoltanba app benchmark: {n} documents, Xvfb {}",
        display.name
    );

    // Start: A = the app to its first inbox, B = the bare window; alternated, one warm-up each.
    timed_start(&display.name, ("QOLTANBA_EXIT_WHEN_PAINTED", "1"), &data);
    timed_start(&display.name, ("QOLTANBA_BARE_WINDOW", "1"), &data);
    let (mut app, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        app.push(timed_start(
            &display.name,
            ("QOLTANBA_EXIT_WHEN_PAINTED", "1"),
            &data,
        ));
        bare.push(timed_start(
            &display.name,
            ("QOLTANBA_BARE_WINDOW", "1"),
            &data,
        ));
    }
    let ratios: Vec<f64> = app.iter().zip(&bare).map(|(a, b)| a / b).collect();
    Figure {
        area: "app",
        figure: "cold start to the inbox painted, median of 5 (Xvfb)",
        documents: Some(n),
        ours: median(app.clone()),
        floor: Some((
            median(bare.clone()),
            "the bare Tauri window of the same binary, an empty page",
        )),
        unit: "ms",
        better: Better::Lower,
        aim: Some(1500.0),
    }
    .print();
    println!(
        "start to inbox painted: median {:.0} ms (runs {:?}); bare Tauri window: median {:.0} ms; ratio app/bare median {:.2}",
        median(app.clone()),
        app.iter().map(|v| v.round() as u64).collect::<Vec<_>>(),
        median(bare.clone()),
        median(ratios)
    );

    // The window under WebDriver for the PDF, the scroll and the memory.
    std::env::set_var("QOLTANBA_KEYCHAIN", "file");
    let driver = window::Driver::start(&display);
    let args = vec![
        "--data-dir".to_string(),
        data.to_string_lossy().into_owned(),
    ];
    let win = window::Window::open(&driver, &args).await;
    // Scrolling 100,000 rows takes longer than WebDriver's default 30 s script limit.
    win.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(900)),
            None,
            None,
        ))
        .await
        .unwrap();
    win.find("//div[@role='option']").await;
    let search = win.find("//input[@type='search']").await;
    search.send_keys(BIG_PDF_NUMBER).await.unwrap();
    win.containing(&format!("№ {BIG_PDF_NUMBER} ·")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let open_ms = win
        .client
        .execute_async(OPEN_PDF_JS, vec![BIG_PDF_NUMBER.into()])
        .await
        .unwrap();
    win.containing("из 50").await;
    println!(
        "open a 50-page PDF (click → first page painted): {:.0} ms",
        open_ms.as_f64().unwrap_or(-1.0)
    );
    Figure {
        area: "app",
        figure: "open a 50-page PDF (click → first page painted)",
        documents: Some(n),
        ours: open_ms.as_f64().unwrap_or(f64::NAN),
        floor: None,
        unit: "ms",
        better: Better::Lower,
        aim: Some(500.0),
    }
    .print();

    // Back to the whole inbox, then to its last row.
    win.client.refresh().await.unwrap();
    win.find("//div[@role='option']").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let scrolled = win
        .client
        .execute_async(SCROLL_JS, vec![n.into(), 56.into()])
        .await
        .unwrap();
    println!(
        "scroll the whole inbox to row {}: {:.1} s ({} frames)",
        scrolled[1],
        scrolled[0].as_f64().unwrap_or(-1.0) / 1000.0,
        scrolled[2]
    );
    Figure {
        area: "app",
        figure: "scroll the whole inbox to its last row",
        documents: Some(n),
        ours: scrolled[0].as_f64().unwrap_or(f64::NAN) / 1000.0,
        floor: None,
        unit: "s",
        better: Better::Lower,
        aim: None,
    }
    .print();
    let pid = app_pid(&data);
    let (rss, each) = tree_rss_kb(pid);
    println!(
        "resident memory after that (app + WebKit processes): {:.0} MB, by process (MB): {each:?}",
        rss as f64 / 1024.0
    );
    // The same right after start, for the share the 100,000 loaded rows take.
    win.client.refresh().await.unwrap();
    win.find("//div[@role='option']").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (fresh, each) = tree_rss_kb(pid);
    println!(
        "resident memory with the first page shown (after a reload): {:.0} MB, by process (MB): {each:?}",
        fresh as f64 / 1024.0
    );
    Figure {
        area: "app",
        figure: "resident memory of the app and its WebKit processes after the scroll",
        documents: Some(n),
        ours: rss as f64 / 1024.0,
        floor: Some((
            fresh as f64 / 1024.0,
            "the same window reloaded, first page shown",
        )),
        unit: "MB",
        better: Better::Lower,
        aim: Some(250.0),
    }
    .print();
    win.close().await;
}
