//! Desktop notifications: while the window is not in front, what the core says is due
//! (`App::take_alerts`: new documents, long waits, ERIR deadlines, errors) goes to the OS, and a
//! click brings the window forward on that document or act. While the window is in front the
//! bell is enough: nothing is taken, so it is still due when the window goes to the back.
//! What is due is the open company's (the watch follows a switch); a click on a notice of a
//! company that is no longer open opens that company first, so its document is never looked up
//! in another company's store.

use crate::state::AppState;
use qoltanba_core::alerts::{Alert, AlertTarget};
use std::time::Duration;
use tauri::{Emitter, Manager, Runtime};

/// The page opens the target of a clicked notification (payload: `AlertTarget`).
pub const OPEN_EVENT: &str = "alert_open";
/// How often the window looks for what is due (a sync looks at once when it ends).
const EVERY: Duration = Duration::from_secs(120);

/// Looks every few minutes for the whole life of the window.
pub fn watch<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(EVERY);
        look(&app);
    });
}

/// Looks right away without holding up the caller (after a sync).
pub fn look_soon<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || look(&app));
}

/// Shows what is due, unless the window is in front.
pub fn look<R: Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>();
    let company = state.desk.company().id.clone();
    let handle = app.clone();
    // The company's App is held only while its alerts are taken, never while a notification
    // waits for the desktop (a switch would wait for it).
    let take = || state.app().take_alerts();
    deliver(in_front(app), take, |alert| {
        let (handle, target, company) = (handle.clone(), alert.target.clone(), company.clone());
        show(alert, move || open(&handle, &company, &target))
    });
}

/// The window is focused and shown: the user is looking at it, and its bell says the same.
fn in_front<R: Runtime>(app: &tauri::AppHandle<R>) -> bool {
    app.get_webview_window("main")
        .is_some_and(|w| w.is_focused().unwrap_or(false) && w.is_visible().unwrap_or(false))
}

/// Hands each due notification to `show`, unless the window is `in_front`: then nothing is
/// taken, so it stays due (and under the bell) until the window goes to the back.
fn deliver(
    in_front: bool,
    take: impl FnOnce() -> qoltanba_core::error::Result<Vec<Alert>>,
    mut show: impl FnMut(&Alert) -> Result<(), String>,
) {
    if in_front {
        return;
    }
    let Ok(alerts) = take() else {
        return;
    };
    for alert in alerts {
        // A desktop without a notification service loses the notification, not the bell's.
        if let Err(e) = show(&alert) {
            eprintln!("Уведомление не показано: {e}");
        }
    }
}

/// Brings the window forward and has the page open the target, in its company.
fn open<R: Runtime>(app: &tauri::AppHandle<R>, company: &str, target: &AlertTarget) {
    let state = app.state::<AppState>();
    if state.desk.company().id != company {
        match state.desk.switch(company) {
            Ok(c) => crate::switched::announce(app, &c),
            Err(e) => {
                eprintln!("Уведомление не открыто: {}", e.message);
                return;
            }
        }
    }
    let _ = app.emit(OPEN_EVENT, target);
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Shows one notification; `on_click` runs when the user clicks it (where the desktop reports
/// clicks: the freedesktop notification service on Linux and the BSDs).
pub fn show(alert: &Alert, on_click: impl FnOnce() + Send + 'static) -> Result<(), String> {
    let (title, body) = (alert.title.clone(), alert.body.clone());
    let mut n = notify_rust::Notification::new();
    n.appname("Qoltanba").summary(&title).body(&body);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        // The D-Bus handle stays on the thread that shows it and waits for the click.
        let (shown, answer) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            n.action("default", &title);
            let handle = match n.show() {
                Ok(h) => {
                    let _ = shown.send(Ok(()));
                    h
                }
                Err(e) => {
                    let _ = shown.send(Err(e.to_string()));
                    return;
                }
            };
            let mut on_click = Some(on_click);
            handle.wait_for_action(|action| {
                if action == "default" {
                    if let Some(f) = on_click.take() {
                        f();
                    }
                }
            });
        });
        answer
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| "the notification service did not answer".to_string())?
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = on_click;
        n.show().map(|_| ()).map_err(|e| e.to_string())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use qoltanba_core::app::App;
    use qoltanba_core::model::AlertKind;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::sync::{mpsc, Mutex, MutexGuard};
    use std::time::Instant;

    /// One notification service on the session bus at a time (its name is unique there).
    static ONE_DESKTOP: Mutex<()> = Mutex::new(());

    struct Kill(Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    fn dunstctl(args: &[&str]) -> String {
        let o = Command::new("dunstctl")
            .args(args)
            .output()
            .expect("dunstctl runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !ok() {
            assert!(Instant::now() < deadline, "timed out: {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A real notification service (dunst, on its own X display, on the test's session bus:
    /// `./dev.sh test` runs the tests under dbus-run-session) that writes the words of each
    /// notification it shows to `seen`.
    struct Desktop {
        _one: MutexGuard<'static, ()>,
        _dir: tempfile::TempDir,
        _dunst: Kill,
        _x: Kill,
        seen: PathBuf,
    }

    impl Desktop {
        fn start() -> Desktop {
            assert!(
                std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
                "run under dbus-run-session (./dev.sh test does)"
            );
            let one = ONE_DESKTOP.lock().unwrap_or_else(|p| p.into_inner());
            // The first free display (Xvfb tells which): other test runs may hold one.
            let mut x = Command::new("Xvfb")
                .args([
                    "-displayfd",
                    "1",
                    "-screen",
                    "0",
                    "800x600x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts");
            let mut number = String::new();
            std::io::BufRead::read_line(
                &mut std::io::BufReader::new(x.stdout.take().unwrap()),
                &mut number,
            )
            .unwrap();
            let (x, display) = (Kill(x), format!(":{}", number.trim()));
            // dunst runs a script for each notification it shows: the words the user read.
            let dir = tempfile::tempdir().unwrap();
            let (script, seen) = (dir.path().join("seen.sh"), dir.path().join("seen.txt"));
            std::fs::write(
                &script,
                format!(
                    "#!/bin/sh\nprintf '%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" >> '{}'\n",
                    seen.display()
                ),
            )
            .unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
            let config = dir.path().join("dunstrc");
            std::fs::write(
                &config,
                format!(
                    "[seen]\n    summary = \"*\"\n    script = {}\n",
                    script.display()
                ),
            )
            .unwrap();
            let dunst = Kill(
                Command::new("dunst")
                    .arg("-config")
                    .arg(&config)
                    .env("DISPLAY", &display)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("dunst starts (./dev.sh installs it)"),
            );
            wait_for("dunst answers", || {
                !dunstctl(&["is-paused"]).trim().is_empty()
            });
            Desktop {
                _one: one,
                _dir: dir,
                _dunst: dunst,
                _x: x,
                seen,
            }
        }

        /// The words of every notification shown so far.
        fn seen(&self) -> String {
            std::fs::read_to_string(&self.seen).unwrap_or_default()
        }
    }

    #[test]
    fn a_notification_reaches_the_desktop_and_a_click_opens_its_document() {
        let desktop = Desktop::start();
        let alert = Alert {
            kind: AlertKind::NewDocuments,
            title: "Новый документ".into(),
            body: "Отчёт о реализации товара за октябрь 2026".into(),
            target: AlertTarget::Document { id: 7 },
        };
        let (tx, rx) = mpsc::channel();
        show(&alert, move || tx.send(()).unwrap()).unwrap();
        wait_for("the notification is shown", || {
            dunstctl(&["count", "displayed"]).trim() == "1"
        });
        wait_for("dunst ran its script", || !desktop.seen().is_empty());
        assert_eq!(
            desktop.seen().trim(),
            "Qoltanba|Новый документ|Отчёт о реализации товара за октябрь 2026"
        );
        assert!(rx.try_recv().is_err(), "nothing opens before a click");
        dunstctl(&["action", "0"]);
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the click opens the document");
    }

    /// While the window is in front nothing reaches the desktop and nothing due is taken (the
    /// bell keeps it); once the window goes to the back, the same notification is shown.
    #[test]
    fn nothing_reaches_the_desktop_while_the_window_is_in_front() {
        let desktop = Desktop::start();
        let dir = tempfile::tempdir().unwrap();
        let app = App::open(dir.path()).expect("the store opens");
        // The first look only notes where the store stands.
        assert_eq!(app.take_alerts().unwrap(), []);
        let error = "Реестр отклонил акт № А-17: неверный БИН заказчика";
        app.write(|s| s.notify("error", None, error)).unwrap();
        let on_desktop = |alert: &Alert| show(alert, || {});

        for _ in 0..3 {
            deliver(true, || app.take_alerts(), on_desktop);
        }
        // Long enough for dunst to have shown anything it was given.
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(dunstctl(&["count", "displayed"]).trim(), "0");
        assert_eq!(dunstctl(&["count", "history"]).trim(), "0");
        assert_eq!(desktop.seen(), "");
        let bell = app.read(|s| s.notifications(true)).unwrap();
        assert!(bell.iter().any(|n| n.message == error), "{bell:?}");

        deliver(false, || app.take_alerts(), on_desktop);
        wait_for("the notification is shown", || {
            dunstctl(&["count", "displayed"]).trim() == "1"
        });
        wait_for("dunst ran its script", || !desktop.seen().is_empty());
        assert_eq!(desktop.seen().lines().count(), 1, "{}", desktop.seen());
        assert!(
            desktop.seen().ends_with(&format!("|{error}\n")),
            "{}",
            desktop.seen()
        );
        // Shown once; the bell still has it until it is read.
        deliver(false, || app.take_alerts(), on_desktop);
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(desktop.seen().lines().count(), 1);
        let bell = app.read(|s| s.notifications(true)).unwrap();
        assert!(bell.iter().any(|n| n.message == error), "{bell:?}");
    }
}
