//! The real processes the scenarios talk to: qoltanba-operator and qoltanba-signer on loopback,
//! and the `qoltanba` binary itself.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const TOKEN: &str = "demo-token";

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_qoltanba"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A workspace binary, built on first use (cargo builds only this package's binaries for its tests).
pub fn binary(package: &str) -> PathBuf {
    let p = bin_dir().join(package);
    if !p.exists() {
        let ok = Command::new(env!("CARGO"))
            .args(["build", "-p", package, "--bin", package])
            .status()
            .unwrap()
            .success();
        assert!(ok, "{package} builds");
    }
    p
}

/// `qoltanba --data-dir DATA ARGS…`, not yet started.
pub fn qoltanba(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qoltanba"));
    c.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("QOLTANBA_SIGNER_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs `qoltanba` to its end and insists on exit 0.
pub fn ok(data: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut c = qoltanba(data, args);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    let o: Output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(0),
        "qoltanba {args:?}\nstdout: {text}\nstderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    text
}

/// A server process, killed and reaped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn spawn(mut cmd: Command) -> Server {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut s = Server {
        child,
        url: String::new(),
    };
    let mut lines = BufReader::new(s.child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(addr) = line.strip_prefix("listening on ") {
            s.url = addr.trim().trim_end_matches('/').to_string();
            return s;
        }
    }
    panic!("the server ended before saying where it listens");
}

/// qoltanba-operator over `data` (seeded with `documents` load-test documents when empty).
pub fn operator(data: &Path, documents: usize, extra: &[&str]) -> Server {
    operator_kb(data, documents, 4, extra)
}

/// The same with main files of about `kb` KB (50: PDFs of 9,000 to 47,000 characters of text).
pub fn operator_kb(data: &Path, documents: usize, kb: usize, extra: &[&str]) -> Server {
    let mut c = Command::new(binary("qoltanba-operator"));
    c.args(["serve", "--addr", "127.0.0.1:0", "--pending-ms", "50"])
        .args([
            "--seed",
            &documents.to_string(),
            "--attachment-kb",
            &kb.to_string(),
        ])
        .args(extra)
        .arg("--data")
        .arg(data);
    spawn(c)
}

/// qoltanba-signer with the seller employee's signing key from the operator's test PKI,
/// confirming every request itself.
pub fn signer(operator_data: &Path, state: &Path) -> Server {
    let mut c = Command::new(binary("qoltanba-signer"));
    c.args(["serve", "--addr", "127.0.0.1:0", "--confirm", "auto"])
        .args(["--password-env", "CRASH_TEST_PW", "--state-dir"])
        .arg(state)
        .arg("--keystore")
        .arg(operator_data.join("testkeys/employee_sign.p12"))
        .env("CRASH_TEST_PW", "Qwerty12");
    let mut s = spawn(c);
    s.url.push('/');
    s
}

/// Copies a folder (a stopped store or operator) file by file.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
