//! The test display's own desktop, outside the webview: its windows (xdotool), a picture of it
//! (ImageMagick's import), and a real notification service (dunst) that records what it shows.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs xdotool on the test's own display.
pub fn xdotool(display: &str, args: &[&str]) -> bool {
    Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .status()
        .expect("xdotool runs (Debian package xdotool)")
        .success()
}

/// The X window id of the first window on screen titled `title` (xdotool matches names without
/// regard to case: GTK's hidden leader window "qoltanba" is passed over as not on screen).
pub fn window_id(display: &str, title: &str) -> Option<String> {
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
        .env("DISPLAY", display)
        .output()
        .ok()?;
    let ids = String::from_utf8_lossy(&out.stdout).to_string();
    ids.split_whitespace().next().map(String::from)
}

/// The window's part of the test's display as PNG, with the system's dialogs over it (they are
/// not in the webview's own screenshot).
pub fn desktop_shot(display: &str, path: &Path) {
    let ok = Command::new("import")
        .args(["-window", "root", "-crop", "1280x800+0+0", "+repage"])
        .arg(path)
        .env("DISPLAY", display)
        .status()
        .expect("import (ImageMagick) runs")
        .success();
    assert!(ok, "the desktop is captured");
}

/// dunst on the test's display and session bus (the tests run under dbus-run-session), writing
/// "app|title|body" of each notification it shows to a file.
pub struct Dunst {
    child: Child,
    _dir: tempfile::TempDir,
    seen: PathBuf,
}

impl Dunst {
    pub fn start(display: &str) -> Dunst {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "run under dbus-run-session (./dev.sh test does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let (script, seen) = (dir.path().join("seen.sh"), dir.path().join("seen.txt"));
        let line = format!(
            "#!/bin/sh\nprintf '%s|%s|%s\\n' \"$1\" \"$2\" \"$3\" >> '{}'\n",
            seen.display()
        );
        std::fs::write(&script, line).unwrap();
        // dunst runs it as a program (the end-to-end tests run on Linux only: Xvfb, WebKitGTK).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let config = dir.path().join("dunstrc");
        let rule = format!(
            "[seen]\n    summary = \"*\"\n    script = {}\n",
            script.display()
        );
        std::fs::write(&config, rule).unwrap();
        let child = Command::new("dunst")
            .arg("-config")
            .arg(&config)
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst runs (Debian package dunst)");
        let dunst = Dunst {
            child,
            _dir: dir,
            seen,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while dunstctl(&["is-paused"]).trim().is_empty() {
            assert!(
                Instant::now() < deadline,
                "dunst answers on the session bus"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        dunst
    }

    /// "app|title|body" of every notification shown so far, one a line.
    pub fn seen(&self) -> String {
        std::fs::read_to_string(&self.seen).unwrap_or_default()
    }

    /// How many notifications dunst has shown or keeps (displayed and in its history).
    pub fn count(&self) -> usize {
        ["displayed", "history"]
            .iter()
            .map(|k| dunstctl(&["count", k]).trim().parse::<usize>().unwrap_or(0))
            .sum()
    }
}

impl Drop for Dunst {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dunstctl(args: &[&str]) -> String {
    let o = Command::new("dunstctl")
        .args(args)
        .output()
        .expect("dunstctl runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}
