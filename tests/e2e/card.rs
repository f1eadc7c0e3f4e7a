//! Issue #19, the card: a document synced from the operator, opened on the document screen and
//! saved with «Сохранить карточку (PDF)» through the system's own save dialog (GTK's, driven with
//! xdotool as a person would type a name and press Enter); the PDF on disk reads back with
//! pdftotext as the card of that document, and the window says where it is.

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
    // The dialog is the system's window, not the page's: find it by its title, give it the
    // keyboard (there is no window manager under Xvfb), type the path over the proposed name.
    let title = "Сохранить карточку документа";
    wait_until("the save dialog opens", || {
        xdotool(&display.name, &["search", "--name", title])
    })
    .await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(xdotool(
        &display.name,
        &["search", "--name", title, "windowfocus", "--sync"]
    ));
    xdotool(&display.name, &["key", "--clearmodifiers", "ctrl+a"]);
    xdotool(
        &display.name,
        &["type", "--delay", "15", target.to_str().unwrap()],
    );
    xdotool(&display.name, &["key", "Return"]);

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
    win.close().await;
}
