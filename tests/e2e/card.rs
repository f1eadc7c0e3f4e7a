//! Issue #19, the card: a document synced from the operator, opened on the document screen and
//! saved with «Сохранить карточку (PDF)» through the system's own save dialog (GTK's, driven with
//! xdotool as a person would type a name and press Enter); the PDF on disk reads back with
//! pdftotext as the card of that document, and the window says where it is. Then «Экспорт»
//! writes the inbox's register as XLSX through the same kind of dialog.

use crate::window::{Driver, Window};
use crate::{data_dir_args, start_demo, wait_until, xvfb, ONE_WINDOW};
use std::process::Command;
use std::time::Duration;

const NUMBER: &str = "OZ-2026-10-0042";

/// Runs xdotool on the test's own display.
fn xdotool(display: &str, args: &[&str]) -> bool {
    Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .status()
        .expect("xdotool runs (Debian package xdotool)")
        .success()
}

/// Types `path` into the system's save dialog titled `title` and presses Enter.
async fn save_as(display: &str, title: &str, path: &std::path::Path) {
    wait_until("the save dialog opens", || {
        xdotool(display, &["search", "--name", title])
    })
    .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    // There is no window manager under Xvfb: the dialog gets the keyboard from xdotool.
    assert!(xdotool(
        display,
        &["search", "--name", title, "windowfocus", "--sync"]
    ));
    xdotool(display, &["key", "--clearmodifiers", "ctrl+a"]);
    xdotool(display, &["type", "--delay", "15", path.to_str().unwrap()]);
    xdotool(display, &["key", "Return"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_card_is_saved_from_the_document_screen_through_the_save_dialog() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing(&format!("№ {NUMBER} ·")).await;
    win.open_row(NUMBER).await;
    win.containing("Отчёт о реализации").await;

    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("card.pdf");
    win.button("Сохранить карточку (PDF)").await;
    save_as(&display.name, "Сохранить карточку документа", &target).await;

    let saved = format!("Карточка сохранена: {}", target.display());
    win.containing(&saved).await;
    let text = Command::new("pdftotext")
        .arg(&target)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Карточка электронного документа"), "{text}");
    assert!(text.contains(&format!("Номер: {NUMBER}")), "{text}");
    assert!(text.contains("Подпись 1 (отправителя):"), "{text}");
    assert!(text.contains("SHA-256: "), "{text}");
    win.screenshot("card-saved").await;

    // The accountant's register of the inbox as it is filtered (the «Требуют действия» tab).
    win.button("Экспорт").await;
    win.containing("Реестр в Excel (XLSX)").await;
    win.screenshot("export").await;
    win.button("Реестр в Excel (XLSX)").await;
    let xlsx = out.path().join("register.xlsx");
    save_as(&display.name, "Экспорт реестра", &xlsx).await;
    win.containing(&format!("Реестр сохранён: {} (строк: 13)", xlsx.display()))
        .await;
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"));
    win.close().await;
}
