//! Issue #19, the card: a document synced from the operator, opened on the document screen and
//! saved with «Сохранить карточку (PDF)» through the system's own save dialog (GTK's, driven with
//! xdotool as a person would type a name and press Enter); the PDF on disk reads back with
//! pdftotext as the card of that document, and the window says where it is. Then «Экспорт»
//! writes the inbox's register as XLSX through the same kind of dialog, and «Печать карточки»
//! prints the card through the system's print dialog.

use crate::desktop::{desktop_shot, window_id, xdotool};
use crate::window::{Driver, Window};
use crate::{data_dir_args, start_demo, wait_until, xvfb, ONE_WINDOW};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const NUMBER: &str = "OZ-2026-10-0042";

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
    // The saved card's page as the README shows it (its upper part, where the card is).
    if let Some(dir) = std::env::var_os("QOLTANBA_SCREENSHOTS") {
        let prefix = Path::new(&dir).join("card");
        let args = [
            "-png",
            "-r",
            "100",
            "-singlefile",
            "-x",
            "0",
            "-y",
            "0",
            "-W",
            "827",
        ];
        let prefix = prefix.to_str().unwrap();
        poppler(
            "pdftoppm",
            &[&args[..], &["-H", "470", target.to_str().unwrap(), prefix]].concat(),
        );
    }

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

/// A poppler tool's output (poppler-utils).
fn poppler(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The share of dark pixels of a binary PGM ("P5", 8-bit gray) in the box given in fractions of
/// the page (left, top, right, bottom).
fn dark_share(pgm: &[u8], (l, t, r, b): (f64, f64, f64, f64)) -> f64 {
    let text = String::from_utf8_lossy(&pgm[..pgm.len().min(64)]).to_string();
    let mut fields = text.split_ascii_whitespace();
    assert_eq!(fields.next(), Some("P5"));
    let w: usize = fields.next().unwrap().parse().unwrap();
    let h: usize = fields.next().unwrap().parse().unwrap();
    let pixels = &pgm[pgm.len() - w * h..];
    let (x0, x1) = ((l * w as f64) as usize, (r * w as f64) as usize);
    let (y0, y1) = ((t * h as f64) as usize, (b * h as f64) as usize);
    let mut dark = 0;
    for y in y0..y1 {
        dark += pixels[y * w + x0..y * w + x1]
            .iter()
            .filter(|&&p| p < 128)
            .count();
    }
    dark as f64 / ((x1 - x0) * (y1 - y0)) as f64
}

/// «Печать карточки» opens the system's print dialog (GTK's, over the window); printed with
/// "Print to File" as a person would choose it, the page on paper is the card alone: one A4
/// page, the card's QR code at its top right and its lines at the left, and nothing of the
/// window (whose text would be text in the PDF; the card is a picture of its page).
#[tokio::test(flavor = "multi_thread")]
async fn the_card_is_printed_through_the_system_print_dialog() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let demo = start_demo().await;
    // GTK's "Print to File" writes output.pdf where the app works.
    let work = tempfile::tempdir().unwrap();
    let driver = Driver::start_in(&display, work.path());
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing(&format!("№ {NUMBER} ·")).await;
    win.open_row(NUMBER).await;
    win.containing("Отчёт о реализации").await;

    win.button("Печать карточки").await;
    wait_until("the print dialog opens", || {
        window_id(&display.name, "Print").is_some()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    if let Some(dir) = std::env::var_os("QOLTANBA_SCREENSHOTS") {
        desktop_shot(&display.name, &Path::new(&dir).join("card-print.png"));
    }
    // The one printer here, "Print to File", picked with the mouse (its row in the dialog's
    // list), then Enter prints, as a person would do it.
    let dialog = window_id(&display.name, "Print").unwrap();
    assert!(xdotool(&display.name, &["windowfocus", "--sync", &dialog]));
    let row = ["mousemove", "--window", &dialog, "80", "86", "click", "1"];
    assert!(xdotool(&display.name, &row));
    tokio::time::sleep(Duration::from_millis(500)).await;
    xdotool(&display.name, &["key", "Return"]);

    let printed = work.path().join("output.pdf");
    wait_until("the card is printed", || {
        Command::new("pdfinfo")
            .arg(&printed)
            .output()
            .is_ok_and(|o| o.status.success())
            && window_id(&display.name, "Print").is_none()
    })
    .await;
    let file = printed.to_str().unwrap();
    let info = String::from_utf8(poppler("pdfinfo", &[file])).unwrap();
    assert!(info.contains("Pages:           1\n"), "{info}");
    assert!(info.contains("595 x 842 pts (A4)"), "{info}");
    let text = String::from_utf8(poppler("pdftotext", &[file, "-"])).unwrap();
    assert!(
        text.trim().is_empty(),
        "the window's text was printed: {text}"
    );
    let pgm = poppler("pdftoppm", &["-gray", "-r", "60", "-singlefile", file]);
    // The QR code (half its modules dark); the lines of the card at the left; blank below them.
    let qr = dark_share(&pgm, (0.75, 0.05, 0.86, 0.12));
    let lines = dark_share(&pgm, (0.12, 0.05, 0.55, 0.35));
    let bottom = dark_share(&pgm, (0.1, 0.8, 0.9, 0.95));
    eprintln!("dark: QR {qr:.3}, lines {lines:.3}, below {bottom:.4}");
    assert!(qr > 0.3, "QR code: {qr}");
    assert!(lines > 0.005 && lines < 0.3, "the card's lines: {lines}");
    assert!(bottom < 0.001, "below the card: {bottom}");
    win.close().await;
}
