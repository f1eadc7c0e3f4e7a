//! The operator commands end to end: real `qoltanba-operator` and `qoltanba-signer` processes on
//! loopback, the `qoltanba` binary, and the OS keychain (run under `./dev.sh test`, which starts
//! gnome-keyring in a D-Bus session). Sync the demo month, list it, accept, sign, send, delivered.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_qoltanba"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A workspace binary, built on first use (cargo builds only this package's binaries for its tests).
fn binary(package: &str) -> PathBuf {
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

struct Process {
    child: Child,
    url: String,
    pin: Option<String>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server and waits for its "listening on URL" line.
fn spawn(mut cmd: Command) -> Process {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by Process first, so a panic below still kills and reaps it.
    let mut p = Process {
        child,
        url: String::new(),
        pin: None,
    };
    let mut lines = BufReader::new(p.child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(pin) = line.strip_prefix("certificate sha256 ") {
            p.pin = Some(pin.trim().to_string());
        }
        if let Some(addr) = line.strip_prefix("listening on ") {
            p.url = addr.trim().to_string();
            return p;
        }
    }
    panic!("the server ended before saying where it listens");
}

fn operator(data: &Path) -> Process {
    let mut c = Command::new(binary("qoltanba-operator"));
    c.args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--seed",
        "demo",
        "--pending-ms",
        "100",
        "--data",
    ])
    .arg(data);
    spawn(c)
}

fn qoltanba_in(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("QOLTANBA_SIGNER_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    qoltanba_in(data, args, None)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

fn account_name() -> String {
    format!("cli-{}", std::process::id())
        + &format!("-{:?}", std::thread::current().id()).replace(['(', ')'], "")
}

/// A plain HTTP GET over a socket, to look at the operator from outside the client.
fn http_get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo-token\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn with_account(tmp: &Path) -> (Process, PathBuf, String) {
    let server = operator(&tmp.join("operator"));
    let data = tmp.join("data");
    let name = account_name();
    let o = qoltanba_in(
        &data,
        &[
            "account",
            "add",
            "--url",
            &server.url,
            "--token-stdin",
            "--name",
            &name,
        ],
        Some("demo-token\n"),
    );
    let out = ok(&o);
    assert!(
        out.contains("ТОО «Продавец»") && out.contains("123456789021"),
        "{out}"
    );
    (server, data, name)
}

#[test]
fn sync_fills_a_data_folder_that_list_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, data, _) = with_account(tmp.path());
    let show = ok(&qoltanba(&data, &["account", "show"]));
    assert!(
        show.contains(&server.url) && show.contains("ещё не было"),
        "{show}"
    );

    let out = ok(&qoltanba(&data, &["sync"]));
    assert!(out.contains("Получено новых документов: 13"), "{out}");
    let list = ok(&qoltanba(&data, &["list"]));
    assert!(list.contains("OZ-2026-10-0042"), "{list}");
    assert!(
        list.contains("Отчёт о реализации товара за октябрь 2026"),
        "{list}"
    );

    let again = ok(&qoltanba(&data, &["sync"]));
    assert!(again.contains("всё актуально"), "{again}");
    let out = ok(&qoltanba(&data, &["sync", "--reconcile"]));
    assert!(out.contains("всё актуально"), "{out}");
    assert!(!ok(&qoltanba(&data, &["account", "show"])).contains("ещё не было"));
}

#[test]
fn a_token_is_taken_only_from_stdin_and_only_if_the_operator_accepts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let server = operator(&tmp.path().join("operator"));
    let data = tmp.path().join("data");
    let o = qoltanba(&data, &["account", "add", "--url", &server.url]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("стандартный ввод"),
        "{}",
        text(&o.stderr)
    );

    let o = qoltanba_in(
        &data,
        &[
            "account",
            "add",
            "--url",
            &server.url,
            "--token-stdin",
            "--name",
            &account_name(),
        ],
        Some("not-the-token"),
    );
    assert_ne!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    assert!(
        err.contains("не принял этот токен") && !err.contains("not-the-token"),
        "{err}"
    );
    let o = qoltanba(&data, &["sync"]);
    assert!(
        text(&o.stderr).contains("account add"),
        "{}",
        text(&o.stderr)
    );

    let o = qoltanba_in(
        &data,
        &[
            "account",
            "add",
            "--url",
            "http://example.kz/api",
            "--token-stdin",
        ],
        Some("demo-token"),
    );
    assert!(text(&o.stderr).contains("https://"), "{}", text(&o.stderr));
}

#[test]
fn a_document_from_an_emailed_link_opens_with_its_code() {
    let tmp = tempfile::tempdir().unwrap();
    let server = operator(&tmp.path().join("operator"));
    let data = tmp.path().join("data");
    let link = format!("{}/shared/lnk_demo_services_compensation", server.url);
    // The code never goes on the command line (shell history, `ps`): refused there, read from stdin.
    let o = qoltanba(&data, &["open-link", &link, "--code", "482913"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("не передаётся в командной строке"),
        "{}",
        text(&o.stderr)
    );
    assert!(!ok(&qoltanba(&data, &["list"])).contains("компенсации по услугам"));
    let o = qoltanba_in(&data, &["open-link", &link], Some("123\n"));
    assert_ne!(o.status.code(), Some(0));
    assert!(
        text(&o.stderr).contains("Неверный код"),
        "{}",
        text(&o.stderr)
    );
    let out = ok(&qoltanba_in(&data, &["open-link", &link], Some("482913\n")));
    assert!(out.contains("Получен документ №1"), "{out}");
    assert!(ok(&qoltanba(&data, &["list"])).contains("компенсации по услугам"));
}

#[test]
fn sync_accept_sign_send_and_the_operator_records_a_verified_signature() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, data, _) = with_account(tmp.path());
    ok(&qoltanba(&data, &["sync"]));
    let list = ok(&qoltanba(
        &data,
        &["--json", "list", "--number", "OZ-2026-10-0045"],
    ));
    let docs: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = docs["documents"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{list}"))
        .to_string();
    ok(&qoltanba(&data, &["accept", &id]));

    // Sign through qoltanba-signer with the seller employee's key.
    let keys = tmp.path().join("keys");
    assert!(Command::new(binary("qoltanba-signer"))
        .args(["testkeys", "--out"])
        .arg(&keys)
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success());
    let mut c = Command::new(binary("qoltanba-signer"));
    c.args([
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--password-env",
        "TEST_PW",
        "--confirm",
        "auto",
        "--state-dir",
    ])
    .arg(keys.join("state"))
    .arg("--keystore")
    .arg(keys.join("employee_sign.p12"))
    .env("TEST_PW", "Qwerty12");
    let signer = spawn(c);
    let url = format!("{}/", signer.url.trim_end_matches('/'));
    assert!(signer.pin.is_some());
    ok(&qoltanba(
        &data,
        &["ncalayer", "trust", "--url", &url, "--yes"],
    ));
    // Kept in the outbox first, to send it by hand.
    ok(&qoltanba(&data, &["settings", "send_after_signing", "off"]));
    let signed = ok(&qoltanba(&data, &["sign", &id, "--url", &url]));
    assert!(!signed.contains("доставлено"), "{signed}");

    let waiting = ok(&qoltanba(&data, &["outbox"]));
    assert!(waiting.contains("ждёт отправки"), "{waiting}");
    let sent = ok(&qoltanba(&data, &["outbox", "--send"]));
    assert!(sent.contains("доставлено"), "{sent}");
    assert!(ok(&qoltanba(&data, &["outbox"])).contains("пуста"));
    let shown = ok(&qoltanba(&data, &["--json", "show", &id]));
    assert!(shown.contains("\"delivered\""), "{shown}");

    let reply = http_get(&server.url, "/inbox/documents?status=signed");
    assert!(reply.contains("OZ-2026-10-0045"), "{reply}");

    // With send_after_signing on (the default), `sign` sends at once and says so.
    ok(&qoltanba(&data, &["settings", "send_after_signing", "on"]));
    let list = ok(&qoltanba(
        &data,
        &["--json", "list", "--number", "OZ-2026-10-0046"],
    ));
    let docs: serde_json::Value = serde_json::from_str(&list).unwrap();
    let id = docs["documents"][0]["id"].as_i64().unwrap().to_string();
    ok(&qoltanba(&data, &["accept", &id]));
    // `--json` says what the send after signing did, beside each document's outcome.
    let signed = ok(&qoltanba(&data, &["--json", "sign", &id, "--url", &url]));
    let signed: serde_json::Value = serde_json::from_str(&signed).unwrap();
    assert_eq!(signed["outcomes"][0]["signed"], true, "{signed}");
    assert_eq!(signed["sendError"], serde_json::Value::Null, "{signed}");
    let went: Vec<String> = ["sent", "delivered"]
        .iter()
        .flat_map(|k| signed["sent"][*k].as_array().cloned().unwrap_or_default())
        .map(|l| l["documentId"].to_string())
        .collect();
    assert!(went.contains(&id), "{signed}");
    assert!(ok(&qoltanba(&data, &["outbox"])).contains("пуста"));
    let reply = http_get(&server.url, "/inbox/documents?status=signed");
    assert!(reply.contains("OZ-2026-10-0046"), "{reply}");
}

#[test]
fn sync_sets_aside_a_corrupt_document_says_which_and_takes_it_once_it_is_served_right() {
    let tmp = tempfile::tempdir().unwrap();
    let (_server, data, _) = with_account(tmp.path());
    let db = rusqlite::Connection::open(
        tmp.path()
            .join("operator")
            .join(qoltanba_operator::STORE_FILE_NAME),
    )
    .unwrap();
    db.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    let listed =
        "SELECT sha256 FROM attachments WHERE document_id = 'doc_2610_sales' AND role = 'main'";
    let good: String = db.query_row(listed, [], |r| r.get(0)).unwrap();
    let set =
        "UPDATE attachments SET sha256 = ?1 WHERE document_id = 'doc_2610_sales' AND role = 'main'";
    db.execute(set, [&"0".repeat(64)]).unwrap();

    let out = ok(&qoltanba(&data, &["sync"]));
    assert!(out.contains("Получено новых документов: 12"), "{out}");
    assert!(out.contains("Отложено"), "{out}");
    assert!(
        out.contains("  doc_2610_sales: ") && out.contains("SHA-256"),
        "{out}"
    );

    db.execute(set, [&good]).unwrap();
    let out = ok(&qoltanba(&data, &["sync"]));
    assert!(out.contains("Получено новых документов: 1"), "{out}");
    assert!(!out.contains("Отложено"), "{out}");
}
