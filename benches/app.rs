//! The desktop app's benchmark (issues #5, #18), under Xvfb, with 100,000 documents in the store:
//! - start: process start → the first inbox painted (the page reports it, `inbox_painted`),
//!   median of 5, paired run by run with the floor, the bare Tauri window of the same binary
//!   loading an empty page (QOLTANBA_BARE_WINDOW);
//! - opening a 50-page PDF (click → first page painted by pdf.js), the first time and the median
//!   of the next 5, with the page's performance marks of each stage, beside the floor: pdf.js on
//!   the same bytes in the warmed page, without IPC;
//! - the keyboard (PageDown held through 10,000 rows: frames over 50 ms) and the whole inbox
//!   scrolled four screenfuls a frame (time per screenful);
//! - memory as PSS (smaps_rollup) of the app and its WebKit processes, each in a fresh process:
//!   the bare window, the app with its first page, after the whole scroll, after 20 PDFs.
//!
//! `./dev.sh bench-app` (builds the UI, then `cargo bench --workspace --locked --features
//! qoltanba-core/test-gost-signer --bench app`, the flags every benchmark shares). The store is
//! built once into target/tmp/app-100k and reused; QOLTANBA_BENCH_DOCS changes the size.

#[path = "app_memory.rs"]
mod app_memory;
#[path = "app_scripts.rs"]
mod app_scripts;
#[path = "report_line.rs"]
mod report_line;
#[path = "../tests/e2e/window.rs"]
#[allow(dead_code)]
mod window;
#[path = "../tests/e2e/xvfb.rs"]
mod xvfb;

use app_memory::{tree_anon_kb, tree_pss_kb};
use app_scripts::{IDLE_FRAMES_JS, KEYBOARD_JS, OPEN_PDF_JS, PDF_FLOOR_JS, SCROLL_JS};
use report_line::{Better, Figure};

use qoltanba_core::keychain::KeychainMode;
use qoltanba_core::model::*;
use qoltanba_core::store::{sha256_hex, NewDocument};
use qoltanba_core::{OpenOptions, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIG_PDF_NUMBER: &str = "BIG-50";
/// How far the whole-inbox scroll moves each frame, in screenfuls.
const SCREENS_A_FRAME: u32 = 4;

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

/// The app's processes started with this data folder (the newest last).
fn app_pids(data: &Path) -> Vec<u32> {
    let want = data.to_string_lossy().into_owned();
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| {
                    let c = String::from_utf8_lossy(&c);
                    c.contains(&want) && c.split('\0').next().unwrap_or("").ends_with("qoltanba")
                })
                .unwrap_or(false)
        })
        .collect();
    pids.sort();
    pids
}

/// The app's process of the window now open.
fn app_pid(data: &Path) -> u32 {
    *app_pids(data).last().expect("the app's process")
}

/// Waits until no app of this data folder runs (the last window closed), so that the next
/// measurement is of a fresh process alone.
async fn wait_no_app(data: &Path) {
    let t = Instant::now();
    while !app_pids(data).is_empty() && t.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Memory of one fresh window after a scenario, after 10 s idle: the collector and the
/// allocator's scavenger give back freed memory on their own schedule, as they do for a user
/// who stops scrolling; what is still held then is what the window keeps.
async fn pss_now(pid: u32, what: &str) -> f64 {
    tokio::time::sleep(Duration::from_secs(10)).await;
    let (kb, each) = tree_pss_kb(pid);
    println!(
        "memory (PSS) {what}: {:.0} MB, by process (MB): {each:?}; anonymous {:.0} MB",
        kb as f64 / 1024.0,
        tree_anon_kb(pid) as f64 / 1024.0
    );
    kb as f64 / 1024.0
}

/// The bare Tauri window (an empty page) of the same binary, kept open: the memory floor.
fn bare_window_pss(display: &str, data: &Path) -> f64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .env("DISPLAY", display)
        .env("QOLTANBA_KEYCHAIN", "file")
        .env("QOLTANBA_BARE_WINDOW", "stay")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    assert!(
        line.contains("loaded"),
        "the bare window did not load: {line}"
    );
    std::thread::sleep(Duration::from_secs(3));
    let (kb, each) = tree_pss_kb(child.id());
    println!(
        "memory (PSS) of the bare window: {:.0} MB, by process (MB): {each:?}; anonymous {:.0} MB",
        kb as f64 / 1024.0,
        tree_anon_kb(child.id()) as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
    kb as f64 / 1024.0
}

/// A fresh window of the app on the store, WebDriver's script limit raised for the long runs,
/// its first inbox on screen.
async fn fresh_window(driver: &window::Driver, data: &Path) -> window::Window {
    wait_no_app(data).await;
    let args = vec![
        "--data-dir".to_string(),
        data.to_string_lossy().into_owned(),
    ];
    let win = window::Window::open(driver, &args).await;
    win.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(900)),
            None,
            None,
        ))
        .await
        .unwrap();
    win.find("//div[@role='option']//button").await;
    win
}

/// Narrows the inbox to two rows, the 50-page PDF and a one-line one, by a search of the
/// documents' text ("перечислению 10000" finds the documents 10000 and 100000, the big one).
async fn two_rows(win: &window::Window, n: usize) -> String {
    let search = win.find("//input[@type='search']").await;
    search
        .send_keys(&format!("перечислению {}", n / 10))
        .await
        .unwrap();
    win.containing(&format!("№ {BIG_PDF_NUMBER} ·")).await;
    let other = format!("OZ-{:07}", n / 10);
    win.containing(&format!("№ {other} ·")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    other
}

#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    details: f64,
    bytes: f64,
    parsed: f64,
    painted: f64,
}

async fn open_and_leave(win: &window::Window, other: &str, hover_ms: u64) -> Marks {
    let v = win
        .client
        .execute_async(
            OPEN_PDF_JS,
            vec![BIG_PDF_NUMBER.into(), other.into(), hover_ms.into()],
        )
        .await
        .unwrap();
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let m = Marks {
        details: f("details"),
        bytes: f("bytes"),
        parsed: f("parsed"),
        painted: f("painted"),
    };
    assert!(m.painted > 0.0, "the PDF's first page was not painted: {v}");
    m
}

fn print_marks(what: &str, m: &Marks) {
    println!(
        "  {what}: click → details {:.0} ms, → bytes {:.0} ms, → parsed {:.0} ms, → first page painted {:.0} ms",
        m.details, m.bytes, m.parsed, m.painted
    );
}

fn median_marks(v: &[Marks]) -> Marks {
    Marks {
        details: median(v.iter().map(|m| m.details).collect()),
        bytes: median(v.iter().map(|m| m.bytes).collect()),
        parsed: median(v.iter().map(|m| m.parsed).collect()),
        painted: median(v.iter().map(|m| m.painted).collect()),
    }
}

/// Prints a count of frames over 50 ms (`slow` of `all`, as the page reported them) beside its
/// floor: the idle window's share of such frames, over as many frames.
fn slow_frames(
    figure: &str,
    n: usize,
    (slow, all): (&serde_json::Value, &serde_json::Value),
    idle_share: f64,
    aim: Option<f64>,
) {
    Figure {
        area: "app",
        figure,
        documents: Some(n),
        ours: slow.as_f64().unwrap_or(f64::NAN),
        floor: Some((
            idle_share * all.as_f64().unwrap_or(f64::NAN),
            "the idle window's share of frames over 50 ms, as many frames",
        )),
        unit: "frames",
        better: Better::Lower,
        aim,
    }
    .print();
}

/// The whole inbox a screenful at a time, then the keyboard from the top, in a fresh window;
/// first the same window's frames while idle (the floor of both). Answers the memory after.
async fn frames(driver: &window::Driver, data: &Path, n: usize) -> f64 {
    let win = fresh_window(driver, data).await;
    let idle = win
        .client
        .execute_async(IDLE_FRAMES_JS, vec![300.into()])
        .await
        .unwrap();
    let idle_share = idle[1].as_f64().unwrap_or(f64::NAN) / idle[0].as_f64().unwrap_or(f64::NAN);
    let idle_frame = idle[2].as_f64().unwrap_or(f64::NAN);
    println!(
        "the same window idle: {} frames, {} over 50 ms, median frame {idle_frame:.0} ms",
        idle[0], idle[1]
    );
    let scrolled = win
        .client
        .execute_async(SCROLL_JS, vec![n.into(), SCREENS_A_FRAME.into()])
        .await
        .unwrap();
    let scroll_ms = scrolled[0].as_f64().unwrap_or(f64::NAN);
    let screens = scrolled[1].as_f64().unwrap_or(f64::NAN);
    println!(
    "scroll the whole inbox, {SCREENS_A_FRAME} screenfuls a frame, to row {n}: {:.1} s, {} screenfuls ({:.1} ms each), {} frames, {} over 50 ms, longest {:.0} ms, {} frames waiting for rows",
    scroll_ms / 1000.0,
    scrolled[1],
    scroll_ms / screens,
    scrolled[2],
    scrolled[3],
    scrolled[4].as_f64().unwrap_or(-1.0),
    scrolled[5]
);
    Figure {
        area: "app",
        figure: "scroll the whole inbox: time per screenful",
        documents: Some(n),
        ours: scroll_ms / screens,
        floor: Some((
            idle_frame / SCREENS_A_FRAME as f64,
            "the idle window's median frame, per screenful",
        )),
        unit: "ms",
        better: Better::Lower,
        aim: None,
    }
    .print();
    slow_frames(
        "scroll the whole inbox: frames over 50 ms",
        n,
        (&scrolled[3], &scrolled[2]),
        idle_share,
        None,
    );
    let keys = win
        .client
        .execute_async(KEYBOARD_JS, vec![1000.into()])
        .await
        .unwrap();
    println!(
    "hold PageDown for 1,000 presses (10,000 rows, 50 page boundaries): {:.1} s, {} frames, {} over 50 ms, longest {:.0} ms, ends on {}",
    keys[0].as_f64().unwrap_or(-1.0) / 1000.0,
    keys[1],
    keys[2],
    keys[3].as_f64().unwrap_or(-1.0),
    keys[4]
);
    slow_frames(
        "frames over 50 ms while holding PageDown through 10,000 rows",
        n,
        (&keys[2], &keys[1]),
        idle_share,
        Some(0.0),
    );
    let scroll_mb = pss_now(app_pid(data), "after scrolling all the rows").await;
    win.close().await;
    scroll_mb
}

#[tokio::main]
async fn main() {
    let n = docs_wanted();
    let data = store(n);
    let display = xvfb::Display::start();
    println!(
        "qoltanba app benchmark: {n} documents, Xvfb {}",
        display.name
    );
    // QOLTANBA_BENCH_ONLY=frames: only the scroll and the keyboard, to try a change to the
    // list's frames in a few minutes instead of the whole run's.
    if std::env::var("QOLTANBA_BENCH_ONLY").as_deref() == Ok("frames") {
        std::env::set_var("QOLTANBA_KEYCHAIN", "file");
        let driver = window::Driver::start(&display);
        frames(&driver, &data, n).await;
        return;
    }

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

    // Memory, each in a fresh process: the bare window (floor), the app with its first page,
    // after scrolling all the rows, after opening and leaving 20 PDFs.
    let bare_mb = bare_window_pss(&display.name, &data);
    std::env::set_var("QOLTANBA_KEYCHAIN", "file");
    let driver = window::Driver::start(&display);

    // 1. The first page; then, in the same window, the PDF opens and their floor.
    let win = fresh_window(&driver, &data).await;
    let first_mb = pss_now(app_pid(&data), "of the app with its first page").await;
    let other = two_rows(&win, n).await;
    // A person's pointer is over the list for a moment before it clicks (pdf.js starts loading
    // then); 300 ms is a quick click.
    let first = open_and_leave(&win, &other, 300).await;
    let mut next = Vec::new();
    for _ in 0..5 {
        next.push(open_and_leave(&win, &other, 0).await);
    }
    let floor_runs = win
        .client
        .execute_async(PDF_FLOOR_JS, vec![BIG_PDF_NUMBER.into()])
        .await
        .unwrap();
    let floor_runs: Vec<f64> = floor_runs
        .as_array()
        .unwrap_or_else(|| panic!("the floor did not run: {floor_runs}"))
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    let floor_first = floor_runs[0];
    let floor_next = median(floor_runs[1..].to_vec());
    win.close().await;
    let next_m = median_marks(&next);
    println!(
        "open the 50-page PDF (click → first page painted): first {:.0} ms, median of the next 5 {:.0} ms (runs {:?}); floor, pdf.js on the same bytes in the warmed page without IPC: first {:.0} ms, median of the next 5 {:.0} ms",
        first.painted,
        next_m.painted,
        next.iter().map(|m| m.painted.round() as u64).collect::<Vec<_>>(),
        floor_first,
        floor_next
    );
    print_marks("first open", &first);
    print_marks("next 5, median of each stage", &next_m);
    for (figure, ours, floor) in [
        (
            "open a 50-page PDF, the first time (click → first page painted)",
            first.painted,
            floor_first,
        ),
        (
            "open a 50-page PDF, median of the next 5 (click → first page painted)",
            next_m.painted,
            floor_next,
        ),
    ] {
        Figure {
            area: "app",
            figure,
            documents: Some(n),
            ours,
            floor: Some((floor, "pdf.js on the same bytes in the warmed page, no IPC")),
            unit: "ms",
            better: Better::Lower,
            aim: Some(400.0),
        }
        .print();
    }
    for (stage, first_v, next_v) in [
        ("details", first.details, next_m.details),
        ("bytes", first.bytes, next_m.bytes),
        ("parsed", first.parsed, next_m.parsed),
    ] {
        for (which, v) in [("first", first_v), ("next 5 median", next_v)] {
            Figure {
                area: "app",
                figure: &format!("open a 50-page PDF, {which}: click → {stage}"),
                documents: Some(n),
                ours: v,
                floor: None,
                unit: "ms",
                better: Better::Lower,
                aim: None,
            }
            .print();
        }
    }

    // 2. The whole inbox and the keyboard.
    let scroll_mb = frames(&driver, &data, n).await;

    // 3. Twenty PDFs opened and left.
    let win = fresh_window(&driver, &data).await;
    let other = two_rows(&win, n).await;
    for i in 0..20 {
        open_and_leave(&win, &other, if i == 0 { 300 } else { 0 }).await;
    }
    let pdfs_mb = pss_now(app_pid(&data), "after opening and leaving 20 PDFs").await;
    win.close().await;

    let aim = (1.2 * first_mb).min(300.0);
    println!(
        "memory (PSS, app + WebKit processes): bare window {bare_mb:.0} MB, app with its first page {first_mb:.0} MB, after the scroll {scroll_mb:.0} MB ({:.2}×), after 20 PDFs {pdfs_mb:.0} MB ({:.2}×); aim ≤ 1.2 × the first page and < 300 MB: ≤ {aim:.0} MB",
        scroll_mb / first_mb,
        pdfs_mb / first_mb
    );
    Figure {
        area: "app",
        figure: "memory (PSS) of the app with its first page",
        documents: Some(n),
        ours: first_mb,
        floor: Some((bare_mb, "the bare Tauri window, an empty page")),
        unit: "MB",
        better: Better::Lower,
        aim: Some(300.0),
    }
    .print();
    for (figure, ours) in [
        ("memory (PSS) after scrolling all the rows", scroll_mb),
        ("memory (PSS) after opening and leaving 20 PDFs", pdfs_mb),
    ] {
        Figure {
            area: "app",
            figure,
            documents: Some(n),
            ours,
            floor: Some((first_mb, "the app with its first page, a fresh process")),
            unit: "MB",
            better: Better::Lower,
            aim: Some(aim),
        }
        .print();
    }
}
