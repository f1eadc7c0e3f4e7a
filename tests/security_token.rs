//! The operator's token lives only in the OS keychain: after adding an account, syncing, deciding,
//! sending and exporting, a known token is found in none of the data folder's files (the SQLite file
//! and its WAL), none of the program's output (the CLI writes no log file: stdout and stderr are its
//! log), the diagnostics report for support, nor an export. Needs the OS keychain (`./dev.sh test`).

#[allow(dead_code)]
#[path = "crash/servers.rs"]
mod servers;

use std::path::Path;
use std::process::{Command, Stdio};

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn a_known_token_is_nowhere_but_the_keychain() {
    let token = format!("qoltanba-leak-check-{}-7f3a9c5e", std::process::id());
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut op = Command::new(servers::binary("qoltanba-operator"));
    op.args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--seed",
        "demo",
        "--pending-ms",
        "50",
    ])
    .args(["--token", &token, "--data"])
    .arg(tmp.path().join("operator"))
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let server = servers::spawn(op);
    let url = server.url.clone();
    let name = format!("leak-{}", std::process::id());

    let mut output = Vec::new();
    let mut cli = |args: &[&str], stdin: Option<&str>| {
        let mut c = servers::qoltanba(&data, args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut p = c.spawn().unwrap();
        let mut input = p.stdin.take().unwrap();
        if let Some(s) = stdin {
            use std::io::Write;
            input.write_all(s.as_bytes()).unwrap();
        }
        drop(input);
        let o = p.wait_with_output().unwrap();
        output.extend_from_slice(&o.stdout);
        output.extend_from_slice(&o.stderr);
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let add = [
        "account",
        "add",
        "--url",
        &url,
        "--token-stdin",
        "--name",
        &name,
    ];
    // A mistyped token first (it must not be echoed either), then the right one.
    assert_eq!(cli(&add, Some(&format!("{token}x"))).0, Some(1));
    assert_eq!(cli(&add, Some(&token)).0, Some(0));
    // Signing goes through qoltanba-signer with the seller employee's key of the operator's PKI.
    let signer = servers::signer(&tmp.path().join("operator"), &tmp.path().join("signer"));
    // Every step must do its work (exit 0): a step that failed early would have had no chance to
    // leak the token.
    for args in [
        &["account", "show"][..],
        &["--json", "account", "show"],
        &["sync"],
        &["--json", "sync", "--reconcile"],
        &["list"],
        &["--json", "show", "1"],
        &["accept", "1"],
        &["reject", "2", "--reason", "Сумма не совпадает"],
        &["ncalayer", "trust", "--url", &signer.url, "--yes"],
        &["sign", "--all-pending", "--url", &signer.url],
        &["outbox"],
        &["outbox", "--send"],
        &["--json", "outbox"],
        &["history", "1"],
        &["verify-history"],
        &["settings"],
    ] {
        let (code, stderr) = cli(args, None);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
    }
    let shown = {
        let mut c = servers::qoltanba(&data, &["--json", "show", "1"]);
        c.stdout(Stdio::piped());
        c.output().unwrap()
    };
    assert!(
        String::from_utf8_lossy(&shown.stdout).contains("\"delivered\""),
        "the signed decision was sent and delivered with the token: {}",
        String::from_utf8_lossy(&shown.stdout)
    );
    let export = tmp.path().join("export");
    assert_eq!(
        cli(&["export", "1", "--out", export.to_str().unwrap()], None).0,
        Some(0)
    );

    // The diagnostics report a user saves for support (the window's "Диагностика").
    let state = qoltanba_core::app::App::open(&data).unwrap();
    let report =
        tauri::async_runtime::block_on(qoltanba_core::app::diagnostics::report(&state, None))
            .unwrap();
    let report = report.to_string();
    assert!(
        report.contains(&url),
        "the report does name the account: {report}"
    );
    drop(state);

    assert!(!contains(&output, &token), "the token was printed");
    assert!(
        !contains(report.as_bytes(), &token),
        "the token is in the report"
    );
    let mut all = Vec::new();
    files(&data, &mut all);
    files(&export, &mut all);
    assert!(all.iter().any(|p| p.ends_with("qoltanba.db")));
    for f in &all {
        let bytes = std::fs::read(f).unwrap();
        assert!(!contains(&bytes, &token), "the token is in {}", f.display());
    }
    // …and it is in the keychain, where sync found it.
    assert!(String::from_utf8_lossy(&output).contains("Получено новых документов"));
    drop(signer);
    drop(server);
}
