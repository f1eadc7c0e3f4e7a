//! The ORD as its own service in the window: its account (Settings → ОРД), the catalogue's sync
//! and CSV imports (acts view), the acts' export for upload by hand, and «Распределить
//! пропорционально». All of it is qoltanba-core's (app/ord.rs, acts::split).

use crate::error::CmdResult;
use crate::state::Opened;
use qoltanba_core::acts::csv::ExportFormat;
use qoltanba_core::acts::{split, ActDraft, ActReminder, CatalogReport, OrdAccount};
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
