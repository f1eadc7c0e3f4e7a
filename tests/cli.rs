//! The `qoltanba` binary end to end on a temporary data folder: what a user types, what they see,
//! and the exit codes scripts rely on (0 done, 1 refused, 2 bad usage).

use std::path::Path;
use std::process::{Command, Output};

fn qoltanba(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const ACT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<act><title>Акт сверки взаиморасчётов за период</title><number>AS-2026-10</number><date>2026-10-31</date>
<sender>ТОО «Маркетплейс» БИН 201040012345</sender><body>Сальдо на 31.10.2026: 0,00 тенге</body></act>"#;

#[test]
fn import_list_decide_history_verify_and_export_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("act.xml");
    std::fs::write(&file, ACT_XML).unwrap();
    let f = file.to_str().unwrap();

    let o = qoltanba(&data, &["import", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("добавлен документ №1"),
        "{}",
        stdout(&o)
    );
    let o = qoltanba(&data, &["import", f]);
    assert!(stdout(&o).contains("уже был в базе"));

    let o = qoltanba(
        &data,
        &[
            "--json",
            "list",
            "--status",
            "received",
            "--search",
            "сверки",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(page["documents"].as_array().unwrap().len(), 1);
    assert_eq!(page["documents"][0]["kind"], "reconciliation_act");
    assert_eq!(page["documents"][0]["number"], "AS-2026-10");

    let o = qoltanba(&data, &["show", "1"]);
    assert!(stdout(&o).contains("Акт сверки"));
    assert!(stdout(&o).contains("Доступные действия: Просмотреть, Принять, Отклонить"));

    // Refusals: exit 1, one human line, nothing changed.
    let o = qoltanba(&data, &["reject", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Укажите причину"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1);
    let o = qoltanba(&data, &["accept", "42"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("не найден"));

    let o = qoltanba(
        &data,
        &[
            "reject",
            "1",
            "--reason",
            "Сальдо не совпадает с нашими данными",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = qoltanba(&data, &["accept", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("недоступно"), "{}", stderr(&o));

    let o = qoltanba(&data, &["--json", "history", "1"]);
    let h: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[1]["reason"], "Сальдо не совпадает с нашими данными");

    let o = qoltanba(&data, &["verify-history"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("История цела: 2 записей"));

    let out = tmp.path().join("export");
    let o = qoltanba(&data, &["export", "1", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("1-document.json")).unwrap()).unwrap();
    assert_eq!(json["document"]["status"], "rejected");
    assert_eq!(json["history"].as_array().unwrap().len(), 2);
    assert_eq!(
        std::fs::read(out.join("1-main-act.xml")).unwrap(),
        ACT_XML.as_bytes()
    );
}

#[test]
fn verify_history_fails_at_the_entry_edited_in_the_database_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    for i in 0..3 {
        let file = tmp.path().join(format!("a{i}.xml"));
        std::fs::write(&file, ACT_XML.replace("AS-2026-10", &format!("AS-{i}"))).unwrap();
        assert_eq!(
            qoltanba(&data, &["import", file.to_str().unwrap()])
                .status
                .code(),
            Some(0)
        );
    }
    assert_eq!(
        qoltanba(&data, &["reject", "2", "--reason", "Ошибка"])
            .status
            .code(),
        Some(0)
    );
    let conn = rusqlite_free_edit(&data);
    assert!(conn);
    let o = qoltanba(&data, &["verify-history"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("записи №4"), "{}", stderr(&o));
    assert!(stderr(&o).contains("document:2"), "{}", stderr(&o));
}

/// Edits the fourth history entry the way a person with a database editor would.
fn rusqlite_free_edit(data: &Path) -> bool {
    // sqlite3 is not a dependency of the app; the test uses the binary's own SQLite through a
    // tiny SQL script run by python3, which every CI machine here has.
    let script = format!(
        "import sqlite3; c = sqlite3.connect(r'{}'); c.executescript(\"DROP TRIGGER history_no_update; UPDATE history SET reason = 'Всё верно' WHERE seq = 4;\"); c.commit()",
        data.join("qoltanba.db").display()
    );
    Command::new("python3")
        .args(["-c", &script])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[test]
fn bad_usage_exits_2_and_no_subcommand_prints_help() {
    let tmp = tempfile::tempdir().unwrap();
    let o = qoltanba(tmp.path(), &["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = qoltanba(tmp.path(), &["reject"]);
    assert_eq!(o.status.code(), Some(2));
    // Without a display the bare command cannot open the window and prints its help instead.
    let o = Command::new(env!("CARGO_BIN_EXE_qoltanba"))
        .arg("--data-dir")
        .arg(tmp.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("import"), "{}", stdout(&o));
}

#[test]
fn a_data_folder_whose_database_is_not_sqlite_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("qoltanba.db"), "not a database").unwrap();
    let o = qoltanba(tmp.path(), &["list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("не является базой данных"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("qoltanba.db")).unwrap(),
        "not a database"
    );
}

/// An act whose text runs past the head a sync or an import indexes at once; its last word is
/// only in the tail.
fn long_act(tail_word: &str) -> String {
    let mut body = String::from("Акт сверки взаимных расчётов ");
    while body.chars().count() < 6000 {
        body += "поставка товара по договору ";
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<act><title>Акт сверки</title><number>AS-9</number><date>2026-10-31</date><body>{body}{tail_word}</body></act>\n"
    )
}

#[test]
fn import_indexes_the_rest_of_the_text_after_its_report_and_a_search_indexes_what_waits_first() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = tmp.path().join("act.xml");
    std::fs::write(&file, long_act("опломбирован")).unwrap();
    let o = qoltanba(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let stored = out.find("добавлен документ №1").expect(&out);
    let indexed = out
        .find("Текст для поиска проиндексирован: 1 документ за ")
        .expect(&out);
    assert!(stored < indexed, "what was stored is said first: {out}");
    let o = qoltanba(&data, &["list", "--search", "опломбирован"]);
    assert!(stdout(&o).contains("AS-9"), "{}", stdout(&o));

    // A document stored by the core without the CLI (the window closed before its indexer ran):
    // the search indexes what waits before it looks, and then has nothing to say about it.
    {
        let mut store =
            qoltanba_core::Store::open(&data, qoltanba_core::OpenOptions::default()).unwrap();
        qoltanba_core::import::import_bytes(
            &mut store,
            "act2.xml",
            long_act("запломбирован")
                .replace("AS-9", "AS-10")
                .into_bytes(),
            vec![],
        )
        .unwrap();
        assert_eq!(store.text_backlog().unwrap().waiting, 1);
    }
    let o = qoltanba(&data, &["--json", "list", "--search", "запломбирован"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(page["documents"][0]["number"], "AS-10", "{page}");
    assert_eq!(page["textWaiting"], serde_json::json!(null), "{page}");
}
