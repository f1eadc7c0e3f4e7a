//! The real `qoltanba-signer` binary: testkeys, serve over TLS with a stable pin, plain ws://,
//! the tty confirmation and the loopback-only refusal.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::client::Client;
use common::{manifest, PASSWORD};
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_qoltanba-signer");

/// A running `serve`; killed when dropped.
struct Serve {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Kept open so the reader thread (and the child's stdout) stay alive.
    lines: mpsc::Receiver<String>,
    pin: Option<String>,
    addr: SocketAddr,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(extra: &[&str]) -> Serve {
    let key = manifest().path("employee_sign");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--keystore",
            key.to_str().unwrap(),
        ])
        .args(extra)
        .env("QOLTANBA_SIGNER_PASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start qoltanba-signer");
    let stdin = child.stdin.take();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Owned by the guard from here on, so a panic below still kills the child.
    let mut serve = Serve {
        child,
        stdin,
        lines,
        pin: None,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
    };
    loop {
        let line = serve
            .lines
            .recv_timeout(Duration::from_secs(30))
            .expect("qoltanba-signer printed no 'listening on' line");
        if let Some(p) = line.strip_prefix("certificate sha256 ") {
            serve.pin = Some(p.to_string());
        }
        if let Some(url) = line.strip_prefix("listening on ") {
            serve.addr = url.split("://").nth(1).unwrap().parse().unwrap();
            return serve;
        }
    }
}

#[tokio::test]
async fn tls_pin_printed_is_the_served_certificate_and_survives_restart() {
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().to_str().unwrap();
    let first = serve(&["--confirm", "auto", "--state-dir", dir]);
    let pin = first.pin.clone().expect("pin printed");
    assert_eq!(pin.len(), 64);
    let file = std::fs::read_to_string(state.path().join("server-cert.sha256")).unwrap();
    assert_eq!(file.trim(), pin);
    assert!(state.path().join("server-cert.pem").exists());

    let (mut client, seen) = Client::tls(first.addr, &pin)
        .await
        .expect("TLS with the right pin");
    assert_eq!(seen, pin, "the certificate served is the one printed");
    assert_eq!(
        client.next_text().await.unwrap(),
        r#"{"result":{"version":"1.4"}}"#
    );
    let reply = client
        .request(json!({"module": "kz.gov.pki.knca.commonUtils", "method": "getActiveTokens", "args": []}))
        .await;
    assert_eq!(reply["code"], "200");

    let wrong = "0".repeat(64);
    assert!(
        Client::tls(first.addr, &wrong).await.is_err(),
        "a wrong pin must be refused"
    );
    drop(first);

    let second = serve(&["--confirm", "auto", "--state-dir", dir]);
    assert_eq!(
        second.pin.as_deref(),
        Some(pin.as_str()),
        "restart keeps the pin"
    );
}

#[tokio::test]
async fn plain_mode_prints_ws_and_serves() {
    let s = serve(&["--plain", "--confirm", "auto"]);
    assert!(s.pin.is_none());
    let mut c = Client::connect_plain(s.addr).await;
    c.send_text("--heartbeat--").await;
    assert_eq!(c.next_text().await.unwrap(), "--heartbeat--");
}

#[tokio::test]
async fn tty_confirmation_reads_the_answer_from_the_terminal() {
    let mut s = serve(&["--plain", "--confirm", "tty"]);
    let mut c = Client::connect_plain(s.addr).await;
    let request = json!({"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64",
                         "args": ["PKCS12", "SIGNATURE", "aGk=", false]});
    let stdin = s.stdin.as_mut().unwrap();
    stdin.write_all(b"y\n").unwrap();
    stdin.flush().unwrap();
    assert_eq!(c.request(request.clone()).await["code"], "200");
    let stdin = s.stdin.as_mut().unwrap();
    stdin.write_all(b"n\n").unwrap();
    stdin.flush().unwrap();
    assert_eq!(
        c.request(request).await,
        json!({"code": "500", "message": "action.canceled"})
    );
}

#[test]
fn non_loopback_address_is_refused() {
    let key = manifest().path("employee_sign");
    let out = Command::new(BIN)
        .args([
            "serve",
            "--plain",
            "--addr",
            "0.0.0.0:0",
            "--keystore",
            key.to_str().unwrap(),
        ])
        .env("QOLTANBA_SIGNER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only loopback"), "{err}");
}

#[test]
fn wrong_password_is_a_clear_error() {
    let key = manifest().path("employee_sign");
    let out = Command::new(BIN)
        .args(["serve", "--plain", "--keystore", key.to_str().unwrap()])
        .env("QOLTANBA_SIGNER_PASSWORD", "not-the-password")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrong password"), "{err}");
}

#[test]
fn testkeys_command_writes_keys_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "testkeys",
            "--out",
            dir.path().to_str().unwrap(),
            "--password",
            "Secret1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = qoltanba_signer::testkeys::Manifest::load(dir.path()).unwrap();
    assert_eq!(m.password, "Secret1");
    for role in [
        "employee_sign",
        "head_sign",
        "individual_sign",
        "sole_sign",
        "employee_auth",
        "expired_sign",
        "other_org_sign",
        "employee_sign_ec",
        "marketplace_sign",
    ] {
        assert!(dir.path().join(format!("{role}.p12")).exists(), "{role}");
        qoltanba_signer::keystore::Keystore::open(m.path(role), "Secret1").unwrap();
    }
    assert!(dir.path().join("ca.pem").exists());
}

#[tokio::test]
async fn fault_flag_reaches_the_server() {
    let s = serve(&["--plain", "--confirm", "auto", "--fault", "wrong-greeting"]);
    let mut c = Client::plain(s.addr).await;
    let greeting = c.next_text().await.unwrap();
    assert_ne!(greeting, r#"{"result":{"version":"1.4"}}"#);

    let out = Command::new(BIN)
        .args([
            "serve",
            "--plain",
            "--fault",
            "explode",
            "--keystore",
            "x.p12",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault explode"));
}
