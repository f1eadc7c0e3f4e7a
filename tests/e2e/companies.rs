//! Issue #19, several companies: the demo's company (its account synced by the window) and a
//! second one added with the CLI, with a document of its own. The header names the open company
//! and one click lists both with what waits in each; a click opens the other, whose inbox has
//! only its own document; back again, the first company's documents are all there. The switcher
//! open is saved as companies.png.

use crate::window::{literal, Driver, Window};
use crate::{data_dir_args, start_demo, tab_count, wait_gone, xvfb, ONE_WINDOW};
use std::path::Path;
use std::process::{Command, Output};

const SECOND: &str = "ИП Иванов А. А.";
const SECOND_NUMBER: &str = "IP-2026-11-0007";

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "qoltanba {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// The document row of this number in the inbox.
fn row(number: &str) -> String {
    format!(
        "//div[@class='document-row'][.//*[contains(., {})]]",
        literal(&format!("№ {number} ·"))
    )
}

/// The header's switcher naming `name` as the open company.
fn open_company(name: &str) -> String {
    format!(
        "//button[@data-testid='company-switcher'][starts-with(@aria-label, {})]",
        literal(&format!("Компания: {name}"))
    )
}

/// The switcher's line of the company `name` with what waits in it.
fn line(name: &str, waiting: &str) -> String {
    format!(
        "//button[contains(@class,'company-pick')][.//span[@class='name'][normalize-space(.)={}]]//span[@class='counts'][contains(normalize-space(.), {})]",
        literal(name),
        literal(waiting)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn two_companies_switch_in_one_click_and_never_show_each_other_s_documents() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    let data = demo.data_dir();

    // The second company and its own document, from the command line.
    qoltanba(&data, &["company", "add", SECOND]);
    let dir = tempfile::tempdir().unwrap();
    let act = dir.path().join("act.xml");
    std::fs::write(
        &act,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<act><title>Акт сверки взаиморасчётов за период</title><number>{SECOND_NUMBER}</number><date>2026-11-30</date>
<sender>ТОО «Маркетплейс» БИН 201040012345</sender><body>Сальдо на 30.11.2026: 0,00 тенге</body></act>"#
        ),
    )
    .unwrap();
    qoltanba(
        &data,
        &["--company", SECOND, "import", act.to_str().unwrap()],
    );
    let first = String::from_utf8(qoltanba(&data, &["--json", "company", "list"]).stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(&first).unwrap();
    let first = first[0]["name"].as_str().unwrap().to_string();

    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    // The demo's company is open and synced by the window.
    win.containing("№ OZ-2026-10-0042 ·").await;
    win.find(&tab_count("Требуют действия", "13")).await;
    win.find(&open_company(&first)).await;
    // What waits in the other company shows on the header.
    win.find(
        "//button[@data-testid='company-switcher']//span[@class='badge'][normalize-space(.)='1']",
    )
    .await;

    // One click: both companies, with what waits in each.
    win.click("//button[@data-testid='company-switcher']").await;
    win.find(&line(&first, "открыта · ждут решения: 13")).await;
    win.find(&line(SECOND, "ждут решения: 1 · подписи: 0"))
        .await;
    win.screenshot("companies").await;

    // The other company opens in one click: only its document, none of the first's.
    win.click(&format!(
        "//button[contains(@class,'company-pick')][.//span[@class='name'][normalize-space(.)={}]]",
        literal(SECOND)
    ))
    .await;
    win.find(&open_company(SECOND)).await;
    win.find(&row(SECOND_NUMBER)).await;
    win.find(&tab_count("Требуют действия", "1")).await;
    assert!(!win.is_shown(&row("OZ-2026-10-0042")).await);
    win.open_row(SECOND_NUMBER).await;
    win.containing("Акт сверки взаиморасчётов").await;

    // And back: the first company's documents, and not the second's.
    win.click("//button[@data-testid='company-switcher']").await;
    win.click(&format!(
        "//button[contains(@class,'company-pick')][.//span[@class='name'][normalize-space(.)={}]]",
        literal(&first)
    ))
    .await;
    win.find(&open_company(&first)).await;
    win.find(&row("OZ-2026-10-0042")).await;
    win.find(&tab_count("Требуют действия", "13")).await;
    wait_gone(&win, &row(SECOND_NUMBER)).await;
    win.close().await;

    // The window opened the first company last: it is the default, and the second is removed
    // (its folder and keychain entries) with the window closed.
    let list = String::from_utf8(qoltanba(&data, &["company", "list"]).stdout).unwrap();
    assert!(list.contains(&format!("* {first} [main]")), "{list}");
    qoltanba(&data, &["company", "remove", SECOND, "--yes"]);
    assert!(!data.join("companies").read_dir().unwrap().any(|_| true));

    // The demo ends: the keychain entries of its company (account token, history key) go too.
    let entries = qoltanba_core::company::keychain_entries(&data).unwrap();
    let held = |e: &String| qoltanba_core::keychain::entry_exists(e).unwrap();
    assert!(entries.iter().any(held), "{entries:?}");
    drop(demo);
    assert!(!entries.iter().any(held), "{entries:?}");
}
