//! A private X display for the window, so the tests need no desktop and never touch the user's.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Display {
    child: Child,
    pub name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number (it tells which through -displayfd).
    pub fn start() -> Display {
        Display::start_sized(1400, 900)
    }

    /// A screen of this size: 1366×768 is the office laptop the window must fit (issue #18).
    pub fn start_sized(width: u32, height: u32) -> Display {
        let screen = format!("{width}x{height}x24");
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &screen,
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (Debian package xvfb; ./dev.sh setup installs it)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let n = line.trim();
        assert!(!n.is_empty(), "Xvfb did not say which display it took");
        Display {
            child,
            name: format!(":{n}"),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
