//! The services around the program: the OS keychain, NCALayer, the operator.

use super::check::after_restart;
use super::servers::{binary, ok, operator, TOKEN};
use super::{failure, run, succeeded};
use qoltanba_core::keychain::{KeySource, KeychainMode};
use qoltanba_core::model::Status;
use qoltanba_core::{OpenOptions, Store};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A D-Bus address where nothing listens: the keychain is unavailable.
const NO_KEYCHAIN: [(&str, &str); 1] = [(
    "DBUS_SESSION_BUS_ADDRESS",
    "unix:path=/nonexistent/qoltanba-faults-bus",
)];

#[test]
fn without_the_keychain_nothing_opens_nothing_is_lost_and_no_token_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let op = operator(&tmp.path().join("operator"), 3, &[]);
    let name = format!("faults-kc-{}", std::process::id());
    ok(
        &data,
        &[
            "account",
            "add",
            "--url",
            &op.url,
            "--token-stdin",
            "--name",
            &name,
        ],
        Some(TOKEN),
    );
    ok(&data, &["sync"], None);
    let store = Store::open(&data, OpenOptions::default()).unwrap();
    assert_eq!(
        store.key_source(),
        &KeySource::OsKeychain,
        "these tests need the OS keychain: run them under ./dev.sh test (gnome-keyring)"
    );
    drop(store);

    // The history key is in the keychain: without it the store does not open, and says why.
    for args in [&["list"][..], &["sync"][..], &["accept", "1"][..]] {
        let (code, message) = failure(&run(&data, args, &NO_KEYCHAIN), 1);
        assert_eq!(code, "keychain", "{args:?}");
        assert!(message.contains("хранилище ключей"), "{message}");
    }
    // A new folder falls back to a key file, but the token is never written anywhere else.
    let fresh = tmp.path().join("fresh");
    let mut c = super::servers::qoltanba(&fresh, &["--json"]);
    c.args([
        "account",
        "add",
        "--url",
        &op.url,
        "--token-stdin",
        "--name",
        "faults-kc-fresh",
    ])
    .env(NO_KEYCHAIN[0].0, NO_KEYCHAIN[0].1)
    .stdin(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"demo-token\n")
        .unwrap();
    let (code, _) = failure(&child.wait_with_output().unwrap(), 1);
    assert_eq!(code, "keychain");
    for e in std::fs::read_dir(&fresh).unwrap() {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()));
    }

    // The keychain is back: everything is there.
    let seen = after_restart(&data, KeychainMode::Os, &[Status::Received], 10, true);
    assert_eq!(seen.len(), 3);
}

/// qoltanba-signer on a given address and state folder (the same certificate across restarts).
/// With `confirm` "tty" it approves a request for each line "y" written to its stdin.
fn signer_at(keys: &Path, addr: &str, confirm: &str) -> Child {
    let mut child = Command::new(binary("qoltanba-signer"))
        .args(["serve", "--addr", addr, "--confirm", confirm])
        .stdin(Stdio::piped())
        .args(["--password-env", "FAULTS_PW", "--state-dir"])
        .arg(keys.join("state"))
        .arg("--keystore")
        .arg(keys.join("employee_sign.p12"))
        .env("FAULTS_PW", "Qwerty12")
        .stdout(Stdio::piped())
        // A terminal prompt is written to stderr: the test reads it to know a request waits.
        .stderr(if confirm == "tty" {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(Ok(l)) = lines.next() {
        if l.starts_with("listening on ") {
            return child;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the signer did not start on {addr}");
}

fn own_signatures(data: &Path) -> usize {
    let o = Command::new("sqlite3")
        .arg("-readonly")
        .arg(data.join("qoltanba.db"))
        .arg("SELECT COUNT(*) FROM signatures WHERE party = 'own'")
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

#[test]
fn ncalayer_restarting_mid_batch_keeps_no_half_batch_and_the_batch_signs_after() {
    const N: i64 = 300;
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    assert!(Command::new(binary("qoltanba-signer"))
        .args(["testkeys", "--out"])
        .arg(&keys)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success());
    let files = tmp.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    for i in 0..N {
        std::fs::write(
            files.join(format!("act{i:03}.xml")),
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><act><title>Акт выполненных работ (прочие услуги)</title><number>PR-{i}</number><date>2026-10-31</date></act>"#),
        )
        .unwrap();
    }
    let data = tmp.path().join("data");
    let file_key = [("QOLTANBA_KEYCHAIN", "file")];
    succeeded(&run(&data, &["import", files.to_str().unwrap()], &file_key));
    succeeded(&run(
        &data,
        &["settings", "seller_bin", "123456789021"],
        &file_key,
    ));
    succeeded(&run(
        &data,
        &["settings", "sign_chunk_size", "10"],
        &file_key,
    ));
    {
        let opts = OpenOptions {
            keychain: KeychainMode::File,
            ..OpenOptions::default()
        };
        let mut store = Store::open(&data, opts).unwrap();
        for id in 1..=N {
            store.accept(id).unwrap();
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let url = format!("wss://{addr}/");
    // The user approves each request in NCALayer: five chunks of the batch go through, then
    // NCALayer is closed while the sixth waits for the user, and started again.
    let mut signer = signer_at(&keys, &addr, "tty");
    succeeded(&run(
        &data,
        &["ncalayer", "trust", "--url", &url, "--yes"],
        &file_key,
    ));
    let mut sign =
        super::servers::qoltanba(&data, &["--json", "sign", "--all-pending", "--url", &url]);
    sign.env("QOLTANBA_KEYCHAIN", "file").stderr(Stdio::piped());
    let batch = sign.spawn().unwrap();
    {
        // Each chunk is one prompt "… [y/N] " on the signer's stderr. Approve five, one at a
        // time as each is asked; the sixth prompt shows those five were answered and the sixth
        // chunk now waits for the user: only then is NCALayer closed.
        use std::io::{Read, Write};
        let mut prompts = signer.stderr.take().unwrap();
        let (asked, asks) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            let mut counted = 0;
            while let Ok(n) = prompts.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                let total = seen.windows(6).filter(|w| w == b"[y/N] ").count();
                for _ in counted..total {
                    let _ = asked.send(());
                }
                counted = total;
            }
        });
        let mut approve = signer.stdin.take().unwrap();
        for chunk in 1..=6 {
            asks.recv_timeout(Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("the signer never asked about chunk {chunk}"));
            if chunk <= 5 {
                approve.write_all(b"y\n").unwrap();
                approve.flush().unwrap();
            }
        }
        signer.kill().unwrap();
        signer.wait().unwrap();
    }
    let o = batch.wait_with_output().unwrap();
    let mut signer = signer_at(&keys, &addr, "auto");
    // The batch stops with a retryable NCALayer code; a batch is kept whole or not at all, so
    // nothing of it is kept, and nothing signed earlier is touched.
    let (code, message) = failure(&o, o.status.code().unwrap_or(-1));
    assert!(
        matches!(o.status.code(), Some(4) | Some(5)),
        "exit {:?}: {code} {message}",
        o.status.code()
    );
    assert!(
        ["signer_unavailable", "signer_protocol", "timeout"].contains(&code.as_str()),
        "{code}: {message}"
    );
    eprintln!(
        "faults/ncalayer restart: exit {:?}, {code}: {message}",
        o.status.code()
    );
    let legal = [Status::Accepted, Status::Queued];
    let seen = after_restart(&data, KeychainMode::File, &legal, N + 5, false);
    assert_eq!(own_signatures(&data), 0, "{code}: {message}");

    // The same command again signs the rest; what was signed stays, once each.
    succeeded(&run(
        &data,
        &["sign", "--all-pending", "--url", &url],
        &file_key,
    ));
    let end = after_restart(&data, KeychainMode::File, &legal, N + 5, false);
    super::check::no_signature_lost(&seen, &end);
    assert_eq!(
        end.values().filter(|d| d.status == Status::Queued).count() as i64,
        N
    );
    signer.kill().unwrap();
    signer.wait().unwrap();
}

#[test]
fn a_slow_failing_or_cut_off_operator_loses_nothing_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let name = format!("faults-op-{}", std::process::id());
    let add = |data: &Path, url: &str| {
        ok(
            data,
            &[
                "account",
                "add",
                "--url",
                url,
                "--token-stdin",
                "--name",
                &name,
            ],
            Some(TOKEN),
        );
    };

    // Slow and failing a third of the time: retried until everything is in.
    let flaky = operator(
        &tmp.path().join("flaky"),
        40,
        &["--fail-rate", "0.3", "--latency", "40", "--fault-seed", "7"],
    );
    let data = tmp.path().join("data-flaky");
    // Adding the account is one request, not retried: a failure says to try again.
    for attempt in 1.. {
        let mut c = super::servers::qoltanba(&data, &["--json"]);
        c.args([
            "account",
            "add",
            "--url",
            &flaky.url,
            "--token-stdin",
            "--name",
            &name,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(TOKEN.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        if o.status.success() {
            break;
        }
        let (code, message) = failure(&o, 1);
        assert_eq!(code, "operator_unreachable", "{message}");
        assert!(attempt < 6, "account add failed {attempt} times");
    }
    let mut runs = 0;
    loop {
        runs += 1;
        let o = run(&data, &["sync"], &[]);
        if o.status.success() {
            break;
        }
        let (code, _) = failure(&o, 1);
        assert_eq!(code, "operator_unreachable");
        assert!(runs < 5, "sync did not get through in {runs} runs");
        after_restart(&data, KeychainMode::Os, &[Status::Received], 50, true);
    }
    let seen = after_restart(&data, KeychainMode::Os, &[Status::Received], 50, true);
    assert_eq!(seen.len(), 40);

    // Every file cut off midway: a clear, retryable code, and no part of a document stored.
    let cut = operator(&tmp.path().join("cut"), 5, &["--drop-after", "20000"]);
    let data = tmp.path().join("data-cut");
    add(&data, &cut.url);
    let o = run(&data, &["sync"], &[]);
    let (code, message) = failure(&o, 1);
    assert_eq!(code, "operator_unreachable", "{message}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("\"retryable\":true"), "{err}");
    let seen = after_restart(&data, KeychainMode::Os, &[Status::Received], 10, true);
    assert!(seen.is_empty(), "{seen:?}");
}
