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
    let in_front = app
        .get_webview_window("main")
        .is_some_and(|w| w.is_focused().unwrap_or(false) && w.is_visible().unwrap_or(false));
    if in_front {
        return;
    }
    let state = app.state::<AppState>();
    let (company, open_app) = (state.desk.company(), state.app());
    let Ok(alerts) = open_app.take_alerts() else {
        return;
    };
    drop(open_app);
    for alert in alerts {
        let handle = app.clone();
        let target = alert.target.clone();
        let company = company.id.clone();
        // A desktop without a notification service loses the notification, not the bell's.
        if let Err(e) = show(&alert, move || open(&handle, &company, &target)) {
            eprintln!("Уведомление не показано: {e}");
        }
    }
}

/// Brings the window forward and has the page open the target, in its company.
fn open<R: Runtime>(app: &tauri::AppHandle<R>, company: &str, target: &AlertTarget) {
    let state = app.state::<AppState>();
    if state.desk.company().id != company {
        match state.desk.switch(company) {
            Ok(c) => crate::state::announce(app, &c),
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
    use qoltanba_core::model::AlertKind;
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc;

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

    /// A real notification service (dunst, on its own X display, on the test's session bus:
    /// `./dev.sh test` runs the tests under dbus-run-session) receives the notification with its
    /// words, and a click on it (dunstctl's default action) runs what opens the document.
    #[test]
    fn a_notification_reaches_the_desktop_and_a_click_opens_its_document() {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "run under dbus-run-session (./dev.sh test does)"
        );
        let display = ":97";
        let _x = Kill(
            Command::new("Xvfb")
                .args([display, "-screen", "0", "800x600x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb starts"),
        );
        std::thread::sleep(Duration::from_millis(500));
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
        let _dunst = Kill(
            Command::new("dunst")
                .arg("-config")
                .arg(&config)
                .env("DISPLAY", display)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("dunst starts (./dev.sh installs it)"),
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while dunstctl(&["is-paused"]).trim().is_empty() {
            assert!(std::time::Instant::now() < deadline, "dunst answers");
            std::thread::sleep(Duration::from_millis(100));
        }

        let alert = Alert {
            kind: AlertKind::NewDocuments,
            title: "Новый документ".into(),
            body: "Отчёт о реализации товара за октябрь 2026".into(),
            target: AlertTarget::Document { id: 7 },
        };
        let (tx, rx) = mpsc::channel();
        show(&alert, move || tx.send(()).unwrap()).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while dunstctl(&["count", "displayed"]).trim() != "1" {
            assert!(
                std::time::Instant::now() < deadline,
                "the notification is shown"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !seen.exists() {
            assert!(std::time::Instant::now() < deadline, "dunst ran its script");
            std::thread::sleep(Duration::from_millis(100));
        }
        let words = std::fs::read_to_string(&seen).unwrap();
        assert_eq!(
            words.trim(),
            "Qoltanba|Новый документ|Отчёт о реализации товара за октябрь 2026"
        );
        assert!(rx.try_recv().is_err(), "nothing opens before a click");
        dunstctl(&["action", "0"]);
        rx.recv_timeout(Duration::from_secs(10))
            .expect("the click opens the document");
    }
}
