//! Faults from outside the program, each through the real `qoltanba` binary: a full disk while
//! importing and while syncing (a small tmpfs mounted for the test), a read-only data folder, the
//! database held by another process, the keychain unavailable, NCALayer (qoltanba-signer)
//! restarting in the middle of a batch, and a slow, failing or cut-off operator. Each must end
//! with a clear message and a stable code (`--json` prints `{code, message, retryable}`) and lose
//! nothing: the checks of tests/crash run after each one.
//!
//! Mounting needs root (or `sudo -n`); `./dev.sh test` runs as root in CI.

// Shared with tests/crash; not every helper there is used here.
#[allow(dead_code)]
#[path = "../crash/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../crash/servers.rs"]
mod servers;
mod services;
mod storage;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `qoltanba --json --data-dir DATA ARGS…` run to its end, with extra environment.
pub fn run(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = servers::qoltanba(data, &[]);
    c.arg("--json").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

/// The `{code, message}` a failed command printed, after checking it failed with `exit`.
pub fn failure(o: &Output, exit: i32) -> (String, String) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(exit),
        "stdout: {}\nstderr: {err}",
        String::from_utf8_lossy(&o.stdout)
    );
    let line = err
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON error on stderr: {err}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    // What the user saw, for the report (`--nocapture`).
    eprintln!("faults: exit {exit}: {line}");
    (
        v["code"].as_str().unwrap().to_string(),
        v["message"].as_str().unwrap().to_string(),
    )
}

pub fn succeeded(o: &Output) -> serde_json::Value {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null)
}

/// A command as root: directly when the tests run as root, else through `sudo -n`.
fn as_root(program: &str) -> Command {
    let uid = Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.args(["-n", program]);
        c
    }
}

fn root(program: &str, args: &[&str], at: &Path) {
    let o = as_root(program).args(args).arg(at).output().unwrap();
    assert!(
        o.status.success(),
        "{program} {args:?} {} (the fault tests mount file systems: run them as root or with sudo): {}",
        at.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A mount made for one test and undone when dropped.
pub struct Mount(PathBuf);

impl Mount {
    /// A tmpfs of `kib` KiB at `at`: a disk that fills up.
    pub fn tmpfs(at: &Path, kib: u64) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        root(
            "mount",
            &["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"],
            at,
        );
        Mount(at.to_path_buf())
    }

    /// `at` itself again, read-only.
    pub fn read_only(at: &Path) -> Mount {
        root("mount", &["--bind", at.to_str().unwrap()], at);
        let m = Mount(at.to_path_buf());
        root("mount", &["-o", "remount,bind,ro"], at);
        m
    }

    /// The disk gets bigger (space was freed).
    pub fn grow(&self, kib: u64) {
        root("mount", &["-o", &format!("remount,size={kib}k")], &self.0);
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = as_root("umount").arg("-l").arg(&self.0).status();
    }
}
