//! The ORD as its own service in the window: its account (Settings → ОРД), the catalogue's sync,
//! CSV imports and contracts typed by hand (acts view), the acts' export for upload by hand, and «Распределить
//! пропорционально». All of it is qoltanba-core's (app/ord.rs, acts::split).

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::acts::csv::ExportFormat;
use qoltanba_core::acts::{
    check_statistics as statistics_violations, split, ActDraft, ActReminder, CatalogReport,
    Contract, ContractEntry, OrdAccount, StatisticsEntry, StatisticsRecord, Violation,
};
use qoltanba_core::operator::{Secret, Token};
use tauri::{AppHandle, Runtime};

#[tauri::command]
pub async fn ord_account(app: Opened) -> CmdResult<Option<OrdAccount>> {
    Ok(app.ord_account()?)
}

/// Checks the token with the ORD and keeps it in the OS keychain; a refused one is not saved.
#[tauri::command]
pub async fn ord_account_add(app: Opened, url: String, token: Secret) -> CmdResult<OrdAccount> {
    let token = Token::new(token.reveal())?;
    Ok(app.add_ord_account(&url, token).await?)
}

#[tauri::command]
pub async fn ord_account_remove(app: Opened) -> CmdResult<bool> {
    Ok(app.remove_ord_account()?)
}

/// Refreshes contracts and statistics from the ORD account.
#[tauri::command]
pub async fn sync_ord(app: Opened) -> CmdResult<CatalogReport> {
    Ok(app.sync_ord().await?)
}

/// Imports contracts (`what` = "contracts") or statistics from a CSV file the user picks.
#[tauri::command]
pub async fn import_catalog_csv<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    what: String,
) -> CmdResult<Option<CatalogReport>> {
    let Some(file) = super::dialogs::pick_csv(handle, "Загрузить из CSV").await else {
        return Ok(None);
    };
    Ok(Some(match what.as_str() {
        "statistics" => app.import_statistics_csv(&file)?,
        _ => app.import_contracts_csv(&file)?,
    }))
}

/// What adding the typed contract would refuse, per field (the dialog's messages; nothing saved).
#[tauri::command]
pub async fn check_contract(app: Opened, contract: ContractEntry) -> CmdResult<Vec<Violation>> {
    Ok(app.read(|s| s.check_contract(&contract))?)
}

/// Adds a contract or supplementary agreement typed by hand (as `qoltanba acts contract-add`);
/// one wrong field refuses it whole.
#[tauri::command]
pub async fn add_contract(app: Opened, contract: ContractEntry) -> CmdResult<Contract> {
    Ok(app.write(|s| s.add_contract(&contract))?)
}

/// What adding the typed statistics record would refuse, per field (nothing saved).
#[tauri::command]
pub async fn check_statistics(statistics: StatisticsEntry) -> CmdResult<Vec<Violation>> {
    Ok(statistics_violations(&statistics))
}

/// Adds a statistics record typed by hand (as `qoltanba acts stats-add`); one wrong field
/// refuses it whole.
#[tauri::command]
pub async fn add_statistics(
    app: Opened,
    statistics: StatisticsEntry,
) -> CmdResult<StatisticsRecord> {
    Ok(app.write(|s| s.enter_statistics(&statistics))?)
}

/// Writes every act as JSON or CSV where the user chooses; the path, or None when cancelled.
#[tauri::command]
pub async fn export_acts<R: Runtime>(
    handle: AppHandle<R>,
    app: Opened,
    format: String,
) -> CmdResult<Option<String>> {
    let f = ExportFormat::parse(&format)?;
    let name = format!("qoltanba-acts.{}", f.file_filter().1);
    let picked = super::dialogs::pick_save(handle, "Выгрузить акты", name, f.file_filter()).await;
    let Some(path) = picked else { return Ok(None) };
    app.export_acts(f, &path)?;
    Ok(Some(path.display().to_string()))
}

/// The draft with its allocation amounts filled: the act's amount for one line, split by
/// `bases` for several (kopecks exact). Nothing is saved.
#[tauri::command]
pub async fn distribute_act(draft: ActDraft, bases: Vec<String>) -> CmdResult<ActDraft> {
    Ok(split::distribute(&draft, &bases)?)
}

/// Signed, accepted closing documents that no act was made from yet (the acts view's reminder).
#[tauri::command]
pub async fn acts_awaiting(app: Opened) -> CmdResult<Vec<ActReminder>> {
    Ok(app.read(|s| s.documents_without_act())?)
}

#[cfg(test)]
mod tests {
    use crate::commands::testkit::{Kit, OperatorKit};
    use serde_json::json;

    #[test]
    fn without_an_ord_account_a_sync_says_so_and_with_one_it_fills_the_contract_search() {
        let kit = Kit::new();
        assert_eq!(kit.ok("ord_account", json!({})), json!(null));
        let e = kit.err("sync_ord", json!({}));
        assert_eq!(e["code"], "ord_account_missing", "{e}");
        assert!(e["message"]
            .as_str()
            .unwrap()
            .contains("выгрузить в JSON или CSV"));

        let operator = OperatorKit::start();
        operator.use_account(&kit);
        assert_eq!(kit.ok("ord_account", json!({}))["url"], operator.url());
        let r = kit.ok("sync_ord", json!({}));
        assert_eq!(r["contractsAdded"], 4, "{r}");
        assert_eq!(r["statisticsAdded"], 5, "{r}");
        let found = kit.ok("search_contracts", json!({ "query": "ДР-2026/15" }));
        let kinds: Vec<&str> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["contract", "supplementary_agreement"]);
        let stats = kit.ok("act_deadlines", json!({}));
        assert_eq!(stats.as_array().unwrap().len(), 5);
    }

    /// The window's «+ Добавить договор…» goes through the CLI's use-case: each wrong field is
    /// named with nothing stored; a good contract is at once in the list the act's contract is
    /// picked from, with its supplementary agreement under it.
    #[test]
    fn a_contract_typed_by_hand_is_checked_per_field_and_listed_at_once_with_its_agreement() {
        let kit = Kit::new();
        let listed = |kit: &Kit| -> Vec<String> {
            kit.ok("search_contracts", json!({ "query": "" }))
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["number"].as_str().unwrap().to_string())
                .collect()
        };
        let bad = json!({ "number": " ", "date": "2026-02-30", "customerName": "ООО «Рекламодатель»",
                          "customerInn": "77012", "customerRole": "продавец" });
        let v = kit.ok("check_contract", json!({ "contract": bad }));
        let fields: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["number", "date", "customerInn", "customerRole"],
            "{v}"
        );
        assert_eq!(
            v[2]["messageEn"],
            "“77012” is not an INN: 10 digits for an organisation, 12 for a person"
        );
        let e = kit.err("add_contract", json!({ "contract": bad }));
        assert_eq!(e["code"], "invalid_input", "{e}");
        let m = e["message"].as_str().unwrap();
        assert!(m.contains("date: «2026-02-30» — не дата"), "{m}");
        assert!(
            m.contains("customerRole: «продавец» — неизвестная роль"),
            "{m}"
        );
        assert!(listed(&kit).is_empty(), "nothing stored");

        let main = json!({ "number": "ДР-7", "date": "2026-01-15", "customerName": "ООО «Рекламодатель»",
                           "customerInn": "7701234567", "customerRole": "advertiser" });
        assert_eq!(
            kit.ok("check_contract", json!({ "contract": main })),
            json!([])
        );
        let c = kit.ok("add_contract", json!({ "contract": main }));
        assert_eq!(
            (c["kind"].as_str(), c["customerRole"].as_str()),
            (Some("contract"), Some("advertiser"))
        );
        let e = kit.err("add_contract", json!({ "contract": main }));
        assert!(
            e["message"].as_str().unwrap().contains("«ДР-7» уже есть"),
            "{e}"
        );

        let agreement = |to: &str| {
            json!({ "contract": { "number": "ДС-1 к ДР-7",
            "customerName": "ООО «Рекламодатель»", "customerRole": "рекламодатель", "supplementTo": to } })
        };
        let v = kit.ok("check_contract", agreement("ДР-404"));
        assert_eq!(v[0]["code"], "parent_unknown", "{v}");
        kit.ok(
            "add_contract",
            json!({ "contract": { "number": "ДР-8",
            "customerName": "ООО «Другой»", "customerRole": "agency" } }),
        );
        let sa = kit.ok("add_contract", agreement(" др-7 "));
        assert_eq!(sa["kind"], "supplementary_agreement", "{sa}");
        assert_eq!(sa["parentId"], "ДР-7", "kept as the contract is known");
        assert_eq!(listed(&kit), ["ДР-7", "ДС-1 к ДР-7", "ДР-8"]);
        let v = kit.ok(
            "check_contract",
            json!({ "contract": { "number": "ДС-2",
            "customerName": "ООО", "customerRole": "agency", "supplementTo": "ДС-1 к ДР-7" } }),
        );
        assert_eq!(v[0]["code"], "parent_is_agreement", "{v}");
    }

    /// Statistics typed in the window (as `acts stats-add`): each wrong field is named with nothing
    /// stored; a good record, typed as people type numbers, is listed at once with its deadline.
    #[test]
    fn a_statistics_record_typed_by_hand_is_checked_per_field_and_listed_with_its_deadline() {
        let kit = Kit::new();
        let bad = json!({ "statistics": { "creative": " ", "platform": "ozon.ru",
            "impressions": "15к", "amount": "1 500,00", "firstShown": "2026-10-03" } });
        let v = kit.ok("check_statistics", bad.clone());
        let fields: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["creative", "impressions"], "{v}");
        assert_eq!(v[0]["messageKk"], "«Креатив (erid)» өрісін толтырыңыз");
        let e = kit.err("add_statistics", bad);
        assert_eq!(e["code"], "invalid_input", "{e}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("impressions: «15к» — не число показов"),
            "{e}"
        );
        assert_eq!(
            kit.ok("act_deadlines", json!({})),
            json!([]),
            "nothing stored"
        );

        let r = kit.ok(
            "add_statistics",
            json!({ "statistics": { "creative": "erid-1", "platform": "ozon.ru",
                "impressions": "15 000", "amount": "1 500,00", "firstShown": "2026-10-03" } }),
        );
        assert_eq!(r["impressions"], 15000, "{r}");
        assert_eq!(r["amount"], "1500.00", "{r}");
        assert_eq!(r["deadline"], "2026-11-30", "{r}");
        let lines = kit.ok("act_deadlines", json!({}));
        assert_eq!(lines[0]["record"]["id"], r["id"], "{lines}");
    }

    #[test]
    fn distribute_fills_one_line_from_the_act_and_splits_several_to_the_kopeck() {
        let kit = Kit::new();
        let draft = |lines: usize| {
            json!({"amount": "100,00", "vatIncluded": true,
                   "allocations": (0..lines).map(|i| json!({"initialContract": format!("ИД-{i}")})).collect::<Vec<_>>()})
        };
        let one = kit.ok("distribute_act", json!({"draft": draft(1), "bases": []}));
        assert_eq!(one["allocations"][0]["amount"], "100.00");
        let three = kit.ok(
            "distribute_act",
            json!({"draft": draft(3), "bases": ["1", "1", "1"]}),
        );
        let parts: Vec<&str> = three["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["amount"].as_str().unwrap())
            .collect();
        assert_eq!(parts, ["33.34", "33.33", "33.33"]);
        let e = kit.err(
            "distribute_act",
            json!({"draft": draft(2), "bases": ["0", "0"]}),
        );
        assert_eq!(e["code"], "invalid_input");
    }
}
