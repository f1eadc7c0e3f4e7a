//! Issue #19, desktop notifications never while the window is in front: the real window, a real
//! notification service (dunst) on the test's display, and the window's own sense of being in
//! front (GTK's focus of its toplevel, as xdotool gives it or takes it away as a person clicking
//! another program would). What is due while the window is in front stays under the bell; when
//! another program is in front, the same is shown on the desktop.

use crate::desktop::{window_id, xdotool, Dunst};
use crate::window::{Driver, Window};
use crate::{data_dir_args, start_demo, wait_until, xvfb, ONE_WINDOW};
use std::process::{Child, Command};
use std::time::Duration;

/// A sync as «Синхронизировать» asks for it (the same command for the open company, awaited),
/// which looks for what is due right after.
async fn sync(win: &Window) {
    let script = "const done = arguments[arguments.length - 1];
        const invoke = window.__TAURI_INTERNALS__.invoke;
        invoke('company_open')
            .then((c) => invoke('sync_now', { company: c.id }))
            .then(() => done('ok'), (e) => done(JSON.stringify(e)));";
    let answer = win.client.execute_async(script, vec![]).await.unwrap();
    assert_eq!(answer, "ok", "the sync runs");
}

struct Other(Child);
impl Drop for Other {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_desktop_notification_while_the_window_is_in_front() {
    let _one = ONE_WINDOW.lock().await;
    let display = xvfb::Display::start();
    let dunst = Dunst::start(&display.name);
    let demo = start_demo().await;
    let driver = Driver::start(&display);
    let win = Window::open(&driver, &data_dir_args(&demo)).await;
    win.containing("№ OZ-2026-10-0042 ·").await;
    // Whatever the first look at start found is not this test's business.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = dunst.count();

    // From now on every document waits longer than the reminder setting: each is due once.
    let set = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(demo.data_dir())
        .args(["settings", "reminder_days", "0"])
        .status()
        .unwrap();
    assert!(set.success());

    // In front (the keyboard focus on the window, as after a click on it): a sync looks, and the
    // desktop shows nothing.
    let qoltanba = window_id(&display.name, "Qoltanba").expect("the window is on the display");
    assert!(xdotool(
        &display.name,
        &["windowfocus", "--sync", &qoltanba]
    ));
    sync(&win).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        dunst.count(),
        before,
        "shown while in front: {}",
        dunst.seen()
    );

    // Another program in front: the next look shows what waited, in the window's language.
    let other = Other(
        Command::new("xmessage")
            .args(["-geometry", "+300+300", "Другая программа"])
            .env("DISPLAY", &display.name)
            .spawn()
            .expect("xmessage runs (Debian package x11-utils)"),
    );
    wait_until("the other program's window is up", || {
        window_id(&display.name, "xmessage").is_some()
    })
    .await;
    let id = window_id(&display.name, "xmessage").unwrap();
    assert!(xdotool(&display.name, &["windowfocus", "--sync", &id]));
    sync(&win).await;
    wait_until("the waiting documents are shown on the desktop", || {
        dunst.count() > before
    })
    .await;
    let seen = dunst.seen();
    assert!(
        seen.lines()
            .any(|l| l.starts_with("Qoltanba|") && l.contains("|Ждёт решения ")),
        "{seen}"
    );
    drop(other);
    win.close().await;
}
