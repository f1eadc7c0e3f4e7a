//! The ORD from the command line: its own account (`qoltanba acts account add|show|remove`, the
//! token from stdin into the OS keychain; run under `./dev.sh test`), `acts sync` against a real
//! `qoltanba-operator` process, CSV imports with a per-line report, and the export for upload by
//! hand that needs no account at all.

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

fn operator(data: &Path) -> Operator {
    let child = Command::new(binary("qoltanba-operator"))
        .args(["serve", "--addr", "127.0.0.1:0", "--pending-ms", "100"])
        .args(["--seed", "demo", "--data"])
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
    qoltanba_env(data, args, stdin, &[])
}

fn qoltanba_env(data: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .envs(env.iter().copied())
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

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A keychain that cannot be reached (no D-Bus session) after the ORD accepted the token: the
/// message names the ORD's token, not the document operator's, and nothing is kept.
#[test]
fn without_a_keychain_the_ord_account_names_the_ord_token_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = operator(&dir.path().join("operator"));
    let no_keychain = [(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/qoltanba-test-bus",
    )];
    let add = |lang: &str| {
        let args = [
            "--lang",
            lang,
            "acts",
            "account",
            "add",
            "--url",
            &server.1,
            "--token-stdin",
        ];
        qoltanba_env(&data, &args, "demo-token\n", &no_keychain)
    };
    let o = add("ru");
    assert_ne!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("Системное хранилище ключей недоступно")
            && text.contains("токен ОРД хранится только там"),
        "{text}"
    );
    assert!(!text.contains("оператора"), "{text}");
    let en = out(&add("en"));
    assert!(
        en.contains(
            "Error: The system keychain is not available, and the token is kept only there ("
        ) && en.contains("токен ОРД"),
        "{en}"
    );
    let o = qoltanba(&data, &["acts", "account", "show"], "");
    assert!(out(&o).contains("не добавлена"), "{}", out(&o));
}

#[test]
fn without_an_ord_account_acts_are_imported_and_exported_for_upload_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = qoltanba(&data, &["acts", "account", "show"], "");
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("Учётная запись ОРД не добавлена"));
    let o = qoltanba(&data, &["acts", "sync"], "");
    assert_ne!(o.status.code(), Some(0));
    assert!(
        out(&o).contains("Учётная запись ОРД не добавлена"),
        "{}",
        out(&o)
    );

    let csv = dir.path().join("contracts.csv");
    std::fs::write(
        &csv,
        "number;date;kind;parent_id;customer_name;customer_inn;customer_role;executor_name;executor_inn;executor_role\n\
         ДР-2026/15;2026-01-15;contract;;ООО «Продавец»;7701234567;advertiser;ООО «Интернет Решения»;7704217370;ad_system_operator\n\
         ДР-2026/16;15.01.2026;contract;;ООО «Продавец»;7701234567;advertiser;ООО «Интернет Решения»;7704217370;ad_system_operator\n",
    )
    .unwrap();
    let o = qoltanba(
        &data,
        &["acts", "import-contracts", csv.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("договоров добавлено 1"), "{text}");
    assert!(
        text.contains("строка 3: date «15.01.2026» — не дата ГГГГ-ММ-ДД"),
        "{text}"
    );
    let stats = dir.path().join("stats.csv");
    std::fs::write(
        &stats,
        "id,creative_marker,platform,impressions,amount,first_impression_date,initial_contract_id\n\
         stat_x1,E-1,ozon.ru,1000,120000.00,2026-10-03,ДР-2026/15\n",
    )
    .unwrap();
    let o = qoltanba(
        &data,
        &["acts", "import-statistics", stats.to_str().unwrap()],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));

    let draft: qoltanba_core::acts::ActDraft = serde_json::from_value(serde_json::json!({
        "contract": "ДР-2026/15", "number": "A-2026-10-001", "date": "2026-10-31",
        "customerRole": "advertiser", "executorRole": "ad_system_operator",
        "periodFrom": "2026-10-01", "periodTo": "2026-10-31", "amount": "120000.00",
        "vatIncluded": true,
        "allocations": [{"initialContract": "ДР-2026/15", "amount": "120000.00", "vatIncluded": true}]
    }))
    .unwrap();
    {
        let mut store =
            qoltanba_core::Store::open(&data, qoltanba_core::OpenOptions::default()).unwrap();
        let id = store.create_act(&draft, None).unwrap().id;
        store.link_statistics("stat_x1", id, 0).unwrap();
    }
    let json_file = dir.path().join("acts.json");
    let o = qoltanba(
        &data,
        &[
            "acts",
            "export",
            "--format",
            "json",
            "--out",
            json_file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("Выгружено актов: 1"));
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    assert_eq!(exported[0]["number"], "A-2026-10-001");
    assert_eq!(exported[0]["registerStatus"], "local");
    assert_eq!(exported[0]["allocations"][0]["statistics"][0], "stat_x1");

    let csv_file = dir.path().join("acts.csv");
    let o = qoltanba(
        &data,
        &[
            "acts",
            "export",
            "--format",
            "csv",
            "--out",
            csv_file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = String::from_utf8(std::fs::read(&csv_file).unwrap()).unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("externalId;number;date;contract"));
    assert!(
        lines[1].contains(";A-2026-10-001;2026-10-31;ДР-2026/15;advertiser;ad_system_operator;"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(";1;ДР-2026/15;120000.00;true;stat_x1;E-1"),
        "{}",
        lines[1]
    );

    let o = qoltanba(
        &data,
        &[
            "acts",
            "export",
            "--format",
            "xlsx",
            "--out",
            csv_file.to_str().unwrap(),
        ],
        "",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(out(&o).contains("Формат «xlsx» не поддерживается"));
}

#[test]
fn the_ord_account_is_its_own_and_a_sync_fills_contracts_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = operator(&dir.path().join("operator"));
    let o = qoltanba(
        &data,
        &["acts", "account", "add", "--url", &server.1, "--token", "x"],
        "",
    );
    assert_ne!(o.status.code(), Some(0));
    let o = qoltanba(
        &data,
        &["acts", "account", "add", "--url", &server.1],
        "demo-token\n",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(out(&o).contains("--token-stdin"), "{}", out(&o));
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
        "wrong-token\n",
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(out(&o).contains("ОРД не принял этот токен"), "{}", out(&o));
    let o = qoltanba(&data, &["acts", "account", "show"], "");
    assert!(out(&o).contains("не добавлена"), "{}", out(&o));

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
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = qoltanba(&data, &["acts", "account", "show"], "");
    assert!(
        out(&o).contains(&format!("ОРД: {}", server.1.trim_end_matches('/'))),
        "{}",
        out(&o)
    );
    // The token is in the keychain only: no file of the data folder holds it (WAL included).
    let mut files = vec![data.clone()];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !bytes.windows(10).any(|w| w == b"demo-token"),
                "the ORD token is in {}",
                p.display()
            );
        }
    }
    assert!(!out(&o).contains("demo-token"));
    // The document operator's account is untouched: there is none.
    let o = qoltanba(&data, &["account", "show"], "");
    assert!(!out(&o).contains(&server.1), "{}", out(&o));

    let o = qoltanba(&data, &["acts", "sync"], "");
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("договоров добавлено 4, обновлено 0; статистики добавлено 5"),
        "{}",
        out(&o)
    );
    let o = qoltanba(&data, &["acts", "contracts"], "");
    assert!(out(&o).contains("ДС-1 к ДР-2026/15"), "{}", out(&o));

    let o = qoltanba(&data, &["acts", "account", "remove"], "");
    assert_eq!(o.status.code(), Some(0));
    let o = qoltanba(&data, &["acts", "sync"], "");
    assert!(
        out(&o).contains("Учётная запись ОРД не добавлена"),
        "{}",
        out(&o)
    );
}
