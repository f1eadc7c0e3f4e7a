//! Who may use the signer: web pages only from allowed origins (the Qoltanba window's own, or
//! ones named with --allow-origin), programs without an Origin; automatic approval only with test
//! keys; one request no larger than the cap; and a prompt that names the caller, each item's
//! SHA-256 and the key.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use common::client::Client;
use common::{keystore, manifest, PASSWORD};
use qoltanba_signer::confirm::Confirm;
use qoltanba_signer::keystore::Keystore;
use qoltanba_signer::server::Server;
use serde_json::json;
use sha2::{Digest, Sha256};

const BIN: &str = env!("CARGO_BIN_EXE_qoltanba-signer");

/// A key NCA issued (its published test key), i.e. not one `testkeys` made.
fn nca_key() -> (PathBuf, &'static str) {
    (
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data/nca/individual_valid_2015.p12"),
        "Aa123456",
    )
}

#[tokio::test]
async fn a_web_page_of_another_origin_is_refused_and_the_app_and_programs_are_let_in() {
    let s = Server::new(vec![keystore("employee_sign")])
        .spawn()
        .await
        .unwrap();
    for evil in ["https://evil.example", "null", "http://localhost:8080"] {
        let e = Client::plain_with_origin(s.addr(), evil)
            .await
            .err()
            .unwrap_or_else(|| panic!("{evil} was let in"));
        assert!(e.contains("403"), "{evil}: {e}");
    }
    for app in ["tauri://localhost", "http://tauri.localhost"] {
        let mut c = Client::plain_with_origin(s.addr(), app).await.unwrap();
        assert!(c.next_text().await.unwrap().contains("version"), "{app}");
    }
    // The core's client and the CLI send no Origin.
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text("--heartbeat--").await;
    assert_eq!(c.next_text().await.unwrap(), "--heartbeat--");
    s.shutdown().await;

    let s = Server::new(vec![keystore("employee_sign")])
        .allow_origin("https://edo.example.kz")
        .spawn()
        .await
        .unwrap();
    assert!(
        Client::plain_with_origin(s.addr(), "https://edo.example.kz")
            .await
            .is_ok()
    );
    assert!(Client::plain_with_origin(s.addr(), "https://evil.example")
        .await
        .is_err());
    s.shutdown().await;
}

#[tokio::test]
async fn automatic_approval_serves_test_keys_only() {
    let (path, password) = nca_key();
    let real = || Keystore::open(&path, password).unwrap();
    let e = Server::new(vec![keystore("employee_sign"), real()])
        .confirm(Confirm::Auto)
        .spawn()
        .await
        .err()
        .expect("auto with a key not made by testkeys is refused");
    assert!(e.to_string().contains("not a test key"), "{e}");
    // The same key with a person approving is fine.
    let s = Server::new(vec![real()])
        .confirm(Confirm::Tty)
        .spawn()
        .await
        .unwrap();
    s.shutdown().await;

    let out = Command::new(BIN)
        .args([
            "serve",
            "--plain",
            "--addr",
            "127.0.0.1:0",
            "--confirm",
            "auto",
        ])
        .arg("--keystore")
        .arg(&path)
        .env("QOLTANBA_SIGNER_PASSWORD", password)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing --confirm auto"), "{err}");
}

#[tokio::test]
async fn a_request_over_the_cap_closes_the_connection() {
    let s = Server::new(vec![keystore("employee_sign")])
        .max_message_bytes(1 << 20)
        .spawn()
        .await
        .unwrap();
    let sign = |doc: &[u8]| {
        json!({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {
            "format": "cms", "data": B64.encode(doc),
            "signingParams": {"decode": true, "encapsulate": false}}})
        .to_string()
    };
    let mut c = Client::connect_plain(s.addr()).await;
    c.send_text(&sign(&vec![7u8; 512 << 10])).await;
    assert!(c.next_text().await.unwrap().contains("\"status\":true"));
    // Over the cap: the server closes (while the message is still arriving, or after it).
    let sent = c.try_send_text(&sign(&vec![7u8; 1 << 20])).await;
    assert!(
        !sent || c.next_text().await.is_none(),
        "over the cap: closed, nothing signed"
    );
    s.shutdown().await;

    // The default is far below the old 512 MiB.
    let s = Server::new(vec![keystore("employee_sign")])
        .spawn()
        .await
        .unwrap();
    let mut c = Client::connect_plain(s.addr()).await;
    let sent = c.try_send_text(&"x".repeat(65 << 20)).await;
    assert!(!sent || c.next_text().await.is_none());
    s.shutdown().await;
}

/// The terminal prompt, read from the real binary's stderr.
#[tokio::test]
async fn the_prompt_names_the_caller_each_document_and_the_key() {
    let key = manifest().path("employee_sign");
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--plain",
            "--addr",
            "127.0.0.1:0",
            "--confirm",
            "tty",
        ])
        .arg("--keystore")
        .arg(&key)
        .env("QOLTANBA_SIGNER_PASSWORD", PASSWORD)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let err = Arc::new(Mutex::new(String::new()));
    let seen = err.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut out = String::new();
    let mut buf = [0u8; 256];
    while !out.contains('\n') || !out.contains("listening on") {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "no 'listening on' line");
        out.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let addr = out
        .lines()
        .find_map(|l| l.strip_prefix("listening on ws://"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    let mut c = Client::plain_with_origin(addr, "tauri://localhost")
        .await
        .unwrap();
    c.next_text().await.unwrap();
    let docs: [&[u8]; 2] = [b"act 1", b"act 2"];
    let data: Vec<String> = docs.iter().map(|d| B64.encode(d)).collect();
    c.send_text(
        &json!({"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {
            "format": "cms", "data": data,
            "signingParams": {"decode": true, "encapsulate": false}}})
        .to_string(),
    )
    .await;
    let started = Instant::now();
    while !err.lock().unwrap().contains("[y/N]") {
        assert!(started.elapsed() < Duration::from_secs(30), "no prompt");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"n\n").unwrap();
    stdin.flush().unwrap();
    let reply = c.next_text().await.unwrap();
    // NCALayer's answer to a cancel: success with an empty body, no signatures.
    assert!(!reply.contains("result"), "{reply}");
    let prompt = err.lock().unwrap().clone();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        prompt.contains("the web page tauri://localhost"),
        "{prompt}"
    );
    assert!(prompt.contains("2 item(s)"), "{prompt}");
    for d in docs {
        let hash = hex::encode(Sha256::digest(d));
        assert!(prompt.contains(&hash), "{hash} missing: {prompt}");
    }
    assert!(prompt.contains("with the key of"), "{prompt}");
}
