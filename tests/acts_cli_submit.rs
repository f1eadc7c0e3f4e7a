//! `qoltanba acts submit` end to end: a real `qoltanba-operator` process told to reject acts
//! (`--register-reject`), the account's token in the OS keychain (run under `./dev.sh test`), and
//! the register's field errors printed next to their fields with exit code 1.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn binary(package: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_BIN_EXE_qoltanba"))
        .parent()
        .unwrap()
        .join(package);
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

/// The operator process, killed and reaped when dropped (also when the test panics).
struct Operator(Child, String);

impl Drop for Operator {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn operator(data: &Path, reject: &str) -> Operator {
    let child = Command::new(binary("qoltanba-operator"))
        .args(["serve", "--addr", "127.0.0.1:0", "--pending-ms", "100"])
        .args(["--register-reject", reject, "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut op = Operator(child, String::new());
    let mut lines = BufReader::new(op.0.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(url) = line.strip_prefix("listening on ") {
            op.1 = url.trim().to_string();
            return op;
        }
    }
    panic!("the operator ended before saying where it listens");
}

fn qoltanba(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_rejected_submission_prints_the_registers_errors_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = operator(
        &dir.path().join("operator"),
        "allocations[0].amount:сумма не сходится со статистикой",
    );
    let account = format!("acts-cli-{}", std::process::id());
    let o = qoltanba(
        &data,
        &[
            "account",
            "add",
            "--url",
            &server.1,
            "--token-stdin",
            "--name",
            &account,
        ],
        "demo-token\n",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // The ORD is an account of its own (the reference server serves both APIs).
    let o = qoltanba(
        &data,
        &[
            "acts",
            "account",
            "add",
            "--url",
            &server.1,
            "--token-stdin",
        ],
        "demo-token\n",
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let draft: qoltanba_core::acts::ActDraft = serde_json::from_value(serde_json::json!({
        "contract": "ДР-2026/15", "number": "A-2026-10-001", "date": "2026-10-31",
        "customerRole": "advertiser", "executorRole": "ad_system_operator",
        "periodFrom": "2026-10-01", "periodTo": "2026-10-31", "amount": "120000.00",
        "vatIncluded": true,
        "allocations": [{"initialContract": "ДР-2026/15", "amount": "120000.00", "vatIncluded": true}]
    }))
    .unwrap();
    let id = {
        let mut store =
            qoltanba_core::Store::open(&data, qoltanba_core::OpenOptions::default()).unwrap();
        store.create_act(&draft, None).unwrap().id
    };
    let o = qoltanba(
        &data,
        &["acts", "submit", &id.to_string(), "--wait", "10"],
        "",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("rejected"), "{out}");
    assert!(
        out.contains("allocations[0].amount: сумма не сходится со статистикой"),
        "{out}"
    );
    // Acts are never deleted through the API: the request is an e-mail to the ORD's support,
    // printed with its mailto link and recorded in the act's history; the act stays.
    let o = qoltanba(
        &data,
        &[
            "acts",
            "request-deletion",
            &id.to_string(),
            "--reason",
            "Загружен по ошибке",
        ],
        "",
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("Кому: info@ord.ozon.ru"), "{out}");
    assert!(out.contains("mailto:info@ord.ozon.ru?subject="), "{out}");
    let o = qoltanba(&data, &["acts", "history", &id.to_string()], "");
    let history = String::from_utf8_lossy(&o.stdout);
    assert!(
        history.contains("deletion_requested — Загружен по ошибке"),
        "{history}"
    );
    assert!(!history.contains("deletion_request_sent"), "{history}");
    if let Ok(store) = qoltanba_core::Store::open(&data, qoltanba_core::OpenOptions::default()) {
        let _ = qoltanba_core::operator::Tokens::of(&store).map(|t| t.delete(&account));
    }
    let o = qoltanba(&data, &["acts", "account", "remove"], "");
    assert_eq!(o.status.code(), Some(0));
}
