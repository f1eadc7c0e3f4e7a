//! End-to-end tests of the real app binary in a real window (Xvfb + tauri-driver +
//! WebKitWebDriver), against real qoltanba-signer and qoltanba-operator processes on loopback,
//! set up exactly as `qoltanba demo` sets them up. Run by `./dev.sh test`, which installs
//! tauri-driver, WebKitWebDriver and Xvfb; each run saves screenshots of the main screens.

mod acts;
mod alerts;
mod card;
mod companies;
mod desktop;
mod fit;
mod hostile;
// Closes the window as an X window manager does (Xlib).
#[cfg(target_os = "linux")]
mod placement;
mod shared_link;
mod window;
mod xvfb;

use qoltanba_app::demo::{self, Demo};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use window::{Driver, Window, PATIENCE};

/// One window at a time: the app is single-instance and WebKitWebDriver serves one session.
static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A workspace binary, built on first use (cargo builds only this package's binaries for its tests).
fn binary(package: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_BIN_EXE_qoltanba")).with_file_name(package);
    if !p.exists() {
        let ok = Command::new(env!("CARGO"))
            .args(["build", "-p", package, "--bin", package])
            .status()
            .unwrap()
            .success();
        assert!(ok, "{package} builds");
    }
    p
}

async fn start_demo() -> Demo {
    start_demo_with(&[]).await
}

/// The demo with these switches added to qoltanba-operator's command line.
async fn start_demo_with(operator_args: &'static [&'static str]) -> Demo {
    tokio::task::spawn_blocking(move || {
        // The test binary does not sit beside the servers: name them.
        std::env::set_var("QOLTANBA_DEMO_SIGNER", binary("qoltanba-signer"));
        std::env::set_var("QOLTANBA_DEMO_OPERATOR", binary("qoltanba-operator"));
        demo::prepare_with(operator_args)
            .expect("the demo servers start and the profile is configured")
    })
    .await
    .unwrap()
}

/// GET on the operator's API with the demo token, as a second client would see it.
fn operator_get(demo: &Demo, path: &str) -> String {
    let addr = demo
        .operator
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo-token\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

async fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn data_dir_args(demo: &Demo) -> Vec<String> {
    vec![
        "--data-dir".into(),
        demo.data_dir().to_string_lossy().into_owned(),
    ]
}

async fn accept(win: &Window, number: &str) {
    win.open_row(number).await;
    win.button("Принять").await;
    win.text("Принять документ").await;
    win.button("Принять").await;
    wait_gone(win, "//*[normalize-space(text())='Принять документ']").await;
}

async fn wait_gone(win: &Window, xpath: &str) {
    let deadline = Instant::now() + PATIENCE;
    while win.is_shown(xpath).await {
        assert!(Instant::now() < deadline, "{xpath} did not go away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The XPath of the tab NAME showing exactly COUNT (not 13 for 3).
fn tab_count(name: &str, count: &str) -> String {
    format!(
        "//button[@role='tab'][starts-with(normalize-space(.), {})]/span[@class='count'][normalize-space(.)={}]",
        window::literal(name),
        window::literal(count)
    )
}

async fn tab(win: &Window, name: &str) {
    win.click(&format!(
        "//button[@role='tab'][starts-with(normalize-space(.), {})]",
        window::literal(name)
    ))
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_open_reject_sign_a_batch_and_the_operator_verifies() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;

    // The window syncs the account's inbox by itself when it opens.
    win.containing("№ OZ-2026-10-0042 ·").await;
    win.find(&tab_count("Требуют действия", "13")).await;
    win.screenshot("inbox").await;

    // Open a PDF: the first page is painted by pdf.js.
    win.open_row("OZ-2026-10-0042").await;
    win.find("//canvas[@data-testid='pdf-page'][@data-painted='1']")
        .await;
    win.containing("Отчёт о реализации").await;
    win.screenshot("document").await;

    // Reject one with a reason.
    win.open_row("OZ-2026-10-0043").await;
    win.button("Отклонить").await;
    win.text("Отклонить документ").await;
    let reason = "Неверная сумма: в строке 3 указано 120 000 ₸ вместо 102 000 ₸";
    win.find("//textarea")
        .await
        .send_keys(reason)
        .await
        .unwrap();
    win.screenshot("reject").await;
    win.button("Отклонить").await;
    wait_gone(&win, "//*[normalize-space(text())='Отклонить документ']").await;

    // Accept three and sign them in one batch.
    for n in ["OZ-2026-10-0044", "OZ-2026-10-0045", "OZ-2026-10-0046"] {
        accept(&win, n).await;
    }
    tab(&win, "Принятые").await;
    win.find(&tab_count("Принятые", "3")).await;
    win.button("Выбрать все").await;
    win.button("Подписать выбранные").await;
    win.text("Подписание").await;
    // The dialog names the signing service and says it answers, before anything is signed.
    win.containing("сертификат службы закреплён").await;
    for n in ["OZ-2026-10-0044", "OZ-2026-10-0045", "OZ-2026-10-0046"] {
        win.containing(n).await;
    }
    win.button("Подписать").await;
    win.containing("Готово: подписано 3 документа").await;
    win.screenshot("sign-batch").await;
    win.button("Готово").await;

    // The rejection is signed too; both went right after signing (send_after_signing is on
    // by default), and Sync now finds nothing left to send.
    tab(&win, "Отклонённые").await;
    win.open_row("OZ-2026-10-0043").await;
    win.containing(reason).await;
    win.button("Подписать").await;
    win.text("Подписание").await;
    win.button("Подписать").await;
    win.containing("Готово: подписан 1 документ").await;
    win.button("Готово").await;
    // Signed and delivered, it stays findable as a rejection: still in «Отклонённые», labelled so.
    win.find("//*[contains(@class, 'status')][normalize-space(text())='Доставлен (отказ)']")
        .await;
    win.button("Синхронизировать").await;

    // History shows Signed with an intact chain.
    tab(&win, "Все").await;
    win.open_row("OZ-2026-10-0045").await;
    win.containing("Цепочка истории цела").await;
    win.scroll_to("//ol[@class='timeline']//*[normalize-space(text())='Подписан']")
        .await;
    win.screenshot("history").await;

    // The operator verified the three signatures and the signed rejection.
    wait_until("the operator verifies the signatures", || {
        let signed = operator_get(&demo, "/inbox/documents?status=signed");
        ["OZ-2026-10-0044", "OZ-2026-10-0045", "OZ-2026-10-0046"]
            .iter()
            .all(|n| signed.contains(n))
    })
    .await;
    wait_until("the operator records the rejection", || {
        operator_get(&demo, "/inbox/documents?status=rejected").contains("OZ-2026-10-0043")
    })
    .await;
    win.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_ncalayer_stopped_the_user_is_told_what_to_do_and_nothing_changes() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let mut demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing("№ OZ-2026-10-0047 ·").await;
    accept(&win, "OZ-2026-10-0047").await;

    demo.signer.stop();
    tab(&win, "Принятые").await;
    win.open_row("OZ-2026-10-0047").await;
    win.button("Подписать").await;
    win.text("Подписание").await;
    win.button("Подписать").await;
    win.containing("NCALayer не запущен").await;
    win.screenshot("ncalayer-stopped").await;
    assert!(
        !win.is_shown("//*[contains(., 'Готово: подписан')]").await,
        "nothing was signed"
    );
    win.button("Закрыть").await;
    // Still accepted, not signed, nothing queued for the operator.
    win.find(&tab_count("Подписанные", "0")).await;
    win.find("//section[contains(@class,'inbox-document')]//*[normalize-space(text())='Принят']")
        .await;
    win.close().await;
    let outbox = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(demo.data_dir())
        .arg("outbox")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&outbox.stdout).contains("пуста"),
        "{}",
        String::from_utf8_lossy(&outbox.stdout)
    );
}
