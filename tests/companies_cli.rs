//! `qoltanba company …` and `--company NAME` end to end on a temporary data folder: each
//! company's documents stay its own, an unknown name is refused with the names there are, the
//! default is remembered, and removing asks first (`--yes` for scripts).

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("QOLTANBA_COMPANY")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn act(dir: &Path, number: &str) -> String {
    let file = dir.join(format!("{number}.xml"));
    std::fs::write(
        &file,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<act><title>Акт сверки взаиморасчётов за период</title><number>{number}</number><date>2026-10-31</date>
<sender>ТОО «Маркетплейс» БИН 201040012345</sender><body>Сальдо на 31.10.2026: 0,00 тенге</body></act>"#
        ),
    )
    .unwrap();
    file.to_str().unwrap().to_string()
}

/// The numbers of the documents `list` shows.
fn numbers(data: &Path, company: Option<&str>) -> Vec<String> {
    let mut args = vec!["--json"];
    if let Some(c) = company {
        args.extend(["--company", c]);
    }
    args.push("list");
    let o = qoltanba(data, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    page["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["number"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_company_keeps_its_own_documents_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    let o = qoltanba(&data, &["import", &act(tmp.path(), "A-1")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = qoltanba(&data, &["company", "add", "ИП Иванов"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Компания «ИП Иванов» добавлена"),
        "{}",
        stdout(&o)
    );
    // The same name in another letter case is the same company.
    let o = qoltanba(&data, &["company", "add", "ип иванов"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("уже есть"), "{}", stderr(&o));

    let o = qoltanba(
        &data,
        &["--company", "ип иванов", "import", &act(tmp.path(), "B-1")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(numbers(&data, None), ["A-1"]);
    assert_eq!(numbers(&data, Some("ИП Иванов")), ["B-1"]);
    assert_eq!(numbers(&data, Some("Основная компания")), ["A-1"]);

    // An unknown company: refused like any bad input, with the names there are.
    let o = qoltanba(&data, &["--company", "ТОО Нет", "list"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("Компании «ТОО Нет» нет"), "{err}");
    assert!(err.contains("«Основная компания», «ИП Иванов»"), "{err}");
    assert_eq!(err.lines().count(), 1);

    // The list counts what waits in each.
    let o = qoltanba(&data, &["--json", "company", "list"]);
    let lines: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(lines[0]["name"], "Основная компания");
    assert_eq!(lines[0]["default"], true);
    assert_eq!(lines[0]["waiting"]["decision"], 1);
    assert_eq!(lines[1]["name"], "ИП Иванов");
    assert_eq!(lines[1]["waiting"]["decision"], 1);
    let o = qoltanba(&data, &["company", "list"]);
    assert!(
        stdout(&o).contains("* Основная компания [main]  ждут решения: 1, подписи: 0"),
        "{}",
        stdout(&o)
    );

    // The default is remembered.
    let o = qoltanba(&data, &["company", "default", "ИП ИВАНОВ"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(numbers(&data, None), ["B-1"]);

    // Removing asks; without a terminal to ask on and without --yes nothing is removed.
    let o = qoltanba(&data, &["company", "remove", "ИП Иванов"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert_eq!(numbers(&data, Some("ИП Иванов")), ["B-1"]);
    // The first company's data is the data folder itself: never removed.
    let o = qoltanba(&data, &["company", "remove", "Основная компания", "--yes"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(numbers(&data, Some("Основная компания")), ["A-1"]);

    let o = qoltanba(&data, &["company", "remove", "ИП Иванов", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Компания «ИП Иванов» удалена"),
        "{}",
        stdout(&o)
    );
    let o = qoltanba(&data, &["--company", "ИП Иванов", "list"]);
    assert_eq!(o.status.code(), Some(1));
    // The default went back to the first company, whose documents are all still there.
    assert_eq!(numbers(&data, None), ["A-1"]);
    assert!(!data.join("companies").read_dir().unwrap().any(|_| true));
}
