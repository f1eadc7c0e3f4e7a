//! `qoltanba acts check` end to end: a good act exits 0, a bad one prints every violation next
//! to its field (in the chosen language, or as JSON) and exits 1; a file that is not JSON is
//! refused with the file named.

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

// Dated 2025: 100 000.00 without VAT is 120 000.00 at 20%, the act's amount.
const GOOD: &str = r#"{
  "contract": "ДР-2025/15", "number": "A-2025-10-001", "date": "2025-10-31",
  "customerRole": "advertiser", "executorRole": "ad_system_operator",
  "periodFrom": "2025-10-01", "periodTo": "2025-10-31",
  "amount": "120000.00", "vatIncluded": true,
  "allocations": [{"initialContract": "ДР-2025/15", "amount": "100000.00", "vatIncluded": false}]
}"#;

// Dated 2026: 100 000.00 without VAT is 122 000.00 at 22%, more than the act's 120 000.00.
const BAD: &str = r#"{
  "contract": "ДР-2026/15", "number": "A-2026-10-002", "date": "2026-01-31",
  "customerRole": "advertiser", "executorRole": "advertiser",
  "periodFrom": "2026-01-31", "periodTo": "2026-01-01",
  "amount": 120000.5, "vatIncluded": true,
  "allocations": [{"initialContract": "ДР-2026/15", "amount": "100000.00", "vatIncluded": false}]
}"#;

#[test]
fn acts_check_passes_a_good_act_and_lists_every_violation_of_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = dir.path().join("good.json");
    let bad = dir.path().join("bad.json");
    std::fs::write(&good, GOOD).unwrap();
    std::fs::write(&bad, BAD).unwrap();

    let o = qoltanba(&data, &["acts", "check", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("соответствует правилам реестра"));

    let o = qoltanba(&data, &["acts", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    for line in [
        "periodTo: Конец периода (2026-01-01) раньше его начала (2026-01-31)",
        "allocations[0].amount: Сумма по договору 122000.00 ₽ с НДС 22% больше суммы акта 120000.50 ₽ с НДС",
    ] {
        assert!(text.contains(line), "missing «{line}» in:\n{text}");
    }

    let o = qoltanba(
        &data,
        &["--lang", "en", "acts", "check", bad.to_str().unwrap()],
    );
    assert!(
        stdout(&o).contains("periodTo: The period ends (2026-01-01) before it starts (2026-01-31)")
    );
    // The advertiser as executor is allowed (the ORD's page lists all four roles for both).
    assert!(!stdout(&o).contains("executorRole"), "{}", stdout(&o));

    let o = qoltanba(&data, &["--json", "acts", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fields: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["field"].as_str().unwrap(), x["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("periodTo", "period_order"),
            ("allocations[0].amount", "allocation_exceeds_act"),
        ]
    );
}

#[test]
fn acts_check_refuses_a_file_that_is_not_an_act() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("act.json");
    std::fs::write(&file, "{ not json").unwrap();
    let o = qoltanba(
        &dir.path().join("data"),
        &["acts", "check", file.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("act.json") && err.contains("не JSON акта"),
        "{err}"
    );
}

#[test]
fn acts_list_and_deadlines_on_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = qoltanba(&data, &["acts", "list"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Актов нет"));
    let o = qoltanba(&data, &["acts", "deadlines"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Статистики нет"));
    let o = qoltanba(&data, &["acts", "new", "--from-document", "42"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("№42 не найден"));
}

#[test]
fn acts_history_shows_every_change_of_an_act() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let draft: qoltanba_core::acts::ActDraft = serde_json::from_str(GOOD).unwrap();
    let id = {
        let mut store =
            qoltanba_core::Store::open(&data, qoltanba_core::OpenOptions::default()).unwrap();
        let a = store.create_act(&draft, None).unwrap();
        let edited = qoltanba_core::acts::ActDraft {
            number: "A-2025-10-001/2".into(),
            ..draft
        };
        store.update_act(a.id, &edited).unwrap();
        a.id
    };
    let o = qoltanba(&data, &["acts", "list"]);
    assert!(stdout(&o).contains("A-2025-10-001/2"), "{}", stdout(&o));
    let o = qoltanba(&data, &["acts", "history", &id.to_string()]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("act_created") && text.contains("act_edited"),
        "{text}"
    );
    let o = qoltanba(&data, &["acts", "history", "999"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn statistics_added_from_the_command_line_show_their_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = qoltanba(
        &data,
        &[
            "acts",
            "stats-add",
            "--creative",
            "2VtzqvWgxEP",
            "--platform",
            "ozon.ru",
            "--impressions",
            "1500",
            "--amount",
            "1500.00",
            "--first-shown",
            "2024-01-15",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // January 2024 ends on the 31st; 30 days later, over a leap February, is 1 March.
    assert!(
        stdout(&o).contains("срок регистрации 2024-03-01"),
        "{}",
        stdout(&o)
    );
    let o = qoltanba(&data, &["acts", "deadlines"]);
    let text = stdout(&o);
    assert!(
        text.contains("!! stat_") && text.contains("просрочено"),
        "{text}"
    );
    let o = qoltanba(
        &data,
        &[
            "acts",
            "stats-add",
            "--creative",
            "x",
            "--platform",
            "ozon.ru",
            "--impressions",
            "1",
            "--amount",
            "1.00",
            "--first-shown",
            "2023-02-29",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("firstShown"));
    let o = qoltanba(
        &data,
        &[
            "acts",
            "contract-add",
            "--number",
            "ИД-1",
            "--customer",
            "ООО «Рекламодатель»",
            "--customer-role",
            "advertiser",
            "--ord-id",
            "CTR-1",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&qoltanba(&data, &["acts", "contracts"])).contains("ИД-1  CTR-1"));
}

/// The ORD page's «Добавить» from the command line: every field a flag, the amount typed as
/// people type it, a supplementary agreement picked as its own contract.
#[test]
fn acts_new_makes_an_act_from_scratch_with_a_flag_for_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let add = |args: &[&str]| {
        let mut all = vec![
            "acts",
            "contract-add",
            "--customer",
            "ООО «Рекламодатель»",
            "--customer-role",
            "advertiser",
        ];
        all.extend_from_slice(args);
        let o = qoltanba(&data, &all);
        assert_eq!(o.status.code(), Some(0), "{o:?}");
    };
    add(&["--number", "ДР-1", "--ord-id", "ctr_1"]);
    add(&["--number", "ДР-2"]);
    add(&[
        "--number",
        "ДС-1",
        "--ord-id",
        "ctr_3",
        "--supplement-to",
        "ctr_1",
    ]);
    let listed = stdout(&qoltanba(&data, &["acts", "contracts"]));
    let order: Vec<&str> = listed.lines().map(|l| l.trim_start()).collect();
    assert!(order[0].starts_with("ДР-1"), "{listed}");
    assert!(order[1].starts_with("доп. соглашение ДС-1"), "{listed}");
    assert!(order[2].starts_with("ДР-2"), "{listed}");

    let new = |amount: &str| {
        qoltanba(
            &data,
            &[
                "acts",
                "new",
                "--contract",
                "ctr_3",
                "--number",
                "A-1",
                "--date",
                "2026-10-31",
                "--customer-role",
                "advertiser",
                "--executor-role",
                "advertiser",
                "--period-from",
                "2026-10-01",
                "--period-to",
                "2026-10-31",
                "--amount",
                amount,
                "--vat-included",
                "--allocation",
                "ctr_3=120\u{a0}000,50",
            ],
        )
    };
    let o = new("120 000,50");
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let text = stdout(&o);
    assert!(text.contains("Создан акт №1"), "{text}");
    assert_eq!(text.lines().count(), 2, "nothing left to fix: {text}");

    // Refused with the reason, nothing saved.
    let o = new("12,3,4");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("amount: «12,3,4» — не сумма"), "{err}");
    assert!(err.contains("один раз"), "{err}");

    let o = qoltanba(&data, &["--json", "acts", "list"]);
    let acts: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(acts.as_array().unwrap().len(), 1, "{acts}");
    assert_eq!(acts[0]["amount"], "120000.50");
    assert_eq!(acts[0]["allocations"][0]["amount"], "120000.50");
    assert_eq!(acts[0]["contract"], "ctr_3");
    assert_eq!(acts[0]["executorRole"], "advertiser");
    assert_eq!(acts[0]["vatIncluded"], true);
    assert_eq!(acts[0]["documentId"], serde_json::Value::Null);
}

/// An allocation line's «НДС включён» is its own, as in the window: `;без ндс` after the amount
/// keeps a line without VAT under an act with VAT, stored as typed; a line without the flag
/// follows the act; an unknown flag is refused with the words that are accepted. The contract
/// comes from `contract-add`, whose wrong field is refused with nothing stored.
#[test]
fn acts_new_keeps_each_allocation_lines_own_vat_flag() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let contract = |inn: &str| {
        qoltanba(
            &data,
            &[
                "acts",
                "contract-add",
                "--number",
                "ДР-1",
                "--date",
                "2025-01-15",
                "--customer",
                "ООО «Рекламодатель»",
                "--customer-role",
                "advertiser",
                "--inn",
                inn,
            ],
        )
    };
    let o = contract("123");
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("customerInn: «123» — не ИНН"), "{err}");
    assert!(stdout(&qoltanba(&data, &["acts", "contracts"]))
        .trim()
        .is_empty());
    assert_eq!(contract("7701234567").status.code(), Some(0));

    let new = |number: &str, line: &str| {
        qoltanba(
            &data,
            &[
                "acts",
                "new",
                "--contract",
                "ДР-1",
                "--number",
                number,
                "--date",
                "2025-10-31",
                "--customer-role",
                "advertiser",
                "--executor-role",
                "ad_system_operator",
                "--period-from",
                "2025-10-01",
                "--period-to",
                "2025-10-31",
                "--amount",
                "120 000,00",
                "--vat-included",
                "--allocation",
                line,
            ],
        )
    };
    // 100 000.00 without VAT is 120 000.00 with 20% (2025): the one line equals the act.
    let o = new("A-1", "ДР-1=100 000,00;без ндс");
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(
        stdout(&o).lines().count(),
        2,
        "nothing to fix: {}",
        stdout(&o)
    );
    let o = new("A-2", "ДР-1=120000,00");
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let o = new("A-3", "ДР-1=120000,00;НДС 20");
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("«ндс» (сумма строки включает НДС) или «без ндс»"),
        "{err}"
    );

    let o = qoltanba(&data, &["--json", "acts", "list"]);
    let acts: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let by_number = |n: &str| {
        acts.as_array()
            .unwrap()
            .iter()
            .find(|a| a["number"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("{n} in {acts}"))
    };
    let a1 = by_number("A-1");
    assert_eq!(a1["vatIncluded"], true);
    assert_eq!(a1["allocations"][0]["amount"], "100000.00");
    assert_eq!(a1["allocations"][0]["vatIncluded"], false, "{a1}");
    assert_eq!(by_number("A-2")["allocations"][0]["vatIncluded"], true);
    assert_eq!(acts.as_array().unwrap().len(), 2);
}

/// Deletion as the ORD's page says: a letter to info@ord.ozon.ru. With no account configured
/// at all, the request is still recorded and the letter printed: nothing goes over the network.
#[test]
fn acts_request_deletion_prints_the_letter_and_records_it_without_a_network_call() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = qoltanba(
        &data,
        &[
            "acts",
            "new",
            "--contract",
            "ДР-7",
            "--number",
            "A-7",
            "--date",
            "2026-10-31",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let o = qoltanba(&data, &["acts", "request-deletion", "1", "--reason", "  "]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("reason: укажите причину"));

    let o = qoltanba(
        &data,
        &[
            "acts",
            "request-deletion",
            "1",
            "--reason",
            "Акт загружен дважды & не тот",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let out = stdout(&o);
    for line in [
        "Кому: info@ord.ozon.ru",
        "Тема: Удаление акта № A-7 от 2026-10-31",
        "Прошу удалить из ЕРИР акт № A-7 от 2026-10-31 по договору № ДР-7.",
        "Причина: Акт загружен дважды & не тот",
    ] {
        assert!(out.contains(line), "missing «{line}» in:\n{out}");
    }
    let mailto = out.lines().last().unwrap();
    assert!(
        mailto.starts_with("mailto:info@ord.ozon.ru?subject=%D0%A3"),
        "{mailto}"
    );
    assert_eq!(
        mailto.matches('&').count(),
        1,
        "the reason's & is encoded: {mailto}"
    );
    assert!(mailto.contains("%26%20"), "{mailto}");

    let history = stdout(&qoltanba(&data, &["acts", "history", "1"]));
    assert!(
        history.contains("deletion_requested — Акт загружен дважды & не тот"),
        "{history}"
    );
    let listed = stdout(&qoltanba(&data, &["acts", "list"]));
    assert!(listed.contains("A-7"), "the act stays: {listed}");
}
